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
          from: described(dnsLabel(12), 'The build environment: CI pushes its images to this registry, which replicates them to every other environment (staging).'),
          to: described(
            z.union([dnsLabel(12), z.array(dnsLabel(12)).check(z.minLength(1))]),
            'The promotion chain after `from`, in order: each environment is promoted from the one before it (production, or [staging, production]). An environment left out is promoted straight from `from` (INN090 warns).',
          ),
        }),
      ),
      'The promotion chain and the ECR replication that feeds it. @default from the first non-production environment (by name) to every other environment, non-production first',
    ),
    signing: described(z._default(z.boolean(), true), 'A KMS signing key for cosign (awskms://) and verification in CI. @default true'),
  }),
  'Amazon ECR: repositories, scanning, lifecycle, replication, signing.',
);
