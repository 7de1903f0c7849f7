import * as z from 'zod';
import { dnsLabel } from './primitives.js';

export const registrySchema = z
  .strictObject({
    repositories: z
      .record(
        dnsLabel(200),
        z.strictObject({
          immutableTags: z.boolean().default(true).describe('Tags cannot be overwritten. @default true'),
        }),
      )
      .default({})
      .describe('Extra ECR repositories; one per workload is always created. @default {}'),
    scanOnPush: z.boolean().default(true).describe('Scan every pushed image. @default true'),
    enhancedScanning: z.boolean().default(true).describe('Registry scanning ENHANCED (Amazon Inspector, continuous). @default true'),
    lifecycle: z
      .strictObject({
        untaggedExpireDays: z.number().int().min(1).max(3650).default(1).describe('@default 1'),
        devTagPrefix: z.string().regex(/^[\w.-]+$/).default('dev-').describe('@default dev-'),
        devExpireDays: z.number().int().min(1).max(3650).default(14).describe('@default 14'),
      })
      .prefault({})
      .describe('Lifecycle policy of every repository.'),
    replication: z
      .strictObject({
        from: dnsLabel(12).describe('Environment whose registry replicates (staging).'),
        to: dnsLabel(12).describe('Environment that receives promoted images (production).'),
      })
      .optional()
      .describe('Cross-account replication of promoted images.'),
    signing: z.boolean().default(true).describe('A KMS signing key for cosign (awskms://) and verification in CI. @default true'),
  })
  .describe('Amazon ECR: repositories, scanning, lifecycle, replication, signing.');
