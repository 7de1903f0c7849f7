import * as z from 'zod';
import { dnsLabel, tagMap } from './primitives.js';

/** Who owns the platform; every name and tag is derived from this section. */
export const metadataSchema = z
  .strictObject({
    name: dnsLabel(20).describe('Project name: prefixes every AWS and Kubernetes name (at most 20 characters).'),
    owner: z.string().min(1).max(128).describe('Owning team, written to the "owner" tag of every resource.'),
    costCenter: z.string().min(1).max(128).describe('Cost center, written to the "cost-center" tag of every resource.'),
    tags: tagMap.default({}).describe('Extra tags applied to every taggable resource. @default {}'),
  })
  .describe('Project identity and the tags every resource carries.');
