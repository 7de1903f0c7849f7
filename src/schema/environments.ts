import * as z from 'zod';
import { accountId, dnsLabel, region } from './primitives.js';

/**
 * An environment is an account + region + whether it is production. Its `overrides`
 * are merged over the base spec (maps merge deeply, lists replace, null removes) and
 * the result is validated with the same schema as the base, so they are checked there.
 */
export const environmentSchema = z
  .strictObject({
    accountId: accountId,
    region: region.describe('Primary region.'),
    drRegion: region.optional().describe('Disaster-recovery region: receives the DR template (replica database, its key).'),
    production: z
      .boolean()
      .default(false)
      .describe('Production environments get stricter defaults: NAT per AZ, deletion protection, manual promotion, on-demand baseline. @default false'),
    overrides: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Partial spec merged over the base for this environment (maps merge, lists replace, null removes). @default {}'),
  })
  .describe('One AWS account and region that runs a copy of the platform.');

export const environmentsSchema = z
  .record(dnsLabel(12), environmentSchema)
  .refine((envs) => Object.keys(envs).length > 0, { message: 'at least one environment is required' })
  .describe('Environments by name (for example production, staging).');
