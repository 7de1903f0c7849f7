import * as z from 'zod/mini';
import { described, dnsLabel } from './primitives.js';

export const registrySchema = described(
  z.strictObject({
    repositories: described(
      z._default(
        z.record(
          dnsLabel(200),
          z.strictObject({
            immutableTags: described(z._default(z.boolean(), true), 'Tags cannot be overwritten. @default true'),
          }),
        ),
        {},
      ),
      'Extra ECR repositories; one per workload is always created. @default {}',
    ),
    scanOnPush: described(z._default(z.boolean(), true), 'Scan every pushed image. @default true'),
    enhancedScanning: described(z._default(z.boolean(), true), 'Registry scanning ENHANCED (Amazon Inspector, continuous). @default true'),
    lifecycle: described(
      z.prefault(
        z.strictObject({
          untaggedExpireDays: described(z._default(z.int().check(z.minimum(1), z.maximum(3650)), 1), '@default 1'),
          devTagPrefix: described(z._default(z.string().check(z.regex(/^[\w.-]+$/)), 'dev-'), '@default dev-'),
          devExpireDays: described(z._default(z.int().check(z.minimum(1), z.maximum(3650)), 14), '@default 14'),
        }),
        {},
      ),
      'Lifecycle policy of every repository.',
    ),
    replication: described(
      z.optional(
        z.strictObject({
          from: described(dnsLabel(12), 'Environment whose registry replicates (staging).'),
          to: described(dnsLabel(12), 'Environment that receives promoted images (production).'),
        }),
      ),
      'Cross-account replication of promoted images.',
    ),
    signing: described(z._default(z.boolean(), true), 'A KMS signing key (ECC P-256) CI signs every pushed image with (cosign, awskms://); the clusters verify the signatures at admission (security.admission). @default true'),
  }),
  'Amazon ECR: repositories, scanning, lifecycle, replication, signing.',
);
