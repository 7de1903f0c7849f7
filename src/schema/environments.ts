import * as z from 'zod/mini';
import { accountId, cidr, described, dnsLabel, region } from './primitives.js';

/**
 * An environment is an account + region + whether it is production. Its `overrides`
 * are merged over the base spec (maps merge deeply, lists replace, null removes) and
 * the result is validated with the same schema as the base, so they are checked there.
 */
export const environmentSchema = described(
  z.strictObject({
    accountId: accountId,
    region: described(region.clone(), 'Primary region.'),
    drRegion: described(z.optional(region), 'Disaster-recovery region: receives the DR template (replica database, its key).'),
    drVpcCidr: described(
      z.optional(cidr),
      'CIDR of the DR region\'s VPC: must overlap no environment\'s VPC (INN064), so the two can be peered. Setting it (or changing it) replaces the DR VPC and everything in it, the DR database secondary included (`innovate diff` flags the VPC). @default network.vpcCidr, what earlier versions deployed (a warning, INN065, until it is set)',
    ),
    production: described(
      z._default(z.boolean(), false),
      'Production environments get stricter defaults: NAT per AZ, deletion protection, manual promotion, on-demand baseline. @default false',
    ),
    overrides: described(
      z._default(z.record(z.string(), z.unknown()), {}),
      'Partial spec merged over the base for this environment (maps merge, lists replace, null removes). @default {}',
    ),
  }),
  'One AWS account and region that runs a copy of the platform.',
);

export const environmentsSchema = described(
  z
    .record(dnsLabel(12), environmentSchema)
    .check(z.refine((envs) => Object.keys(envs).length > 0, { message: 'at least one environment is required' })),
  'Environments by name (for example production, staging).',
);
