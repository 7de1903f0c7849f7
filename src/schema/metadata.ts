import * as z from 'zod/mini';
import { described, dnsLabel, tagMap, tagValue } from './primitives.js';

/** Who owns the platform; every name and tag is derived from this section. */
export const metadataSchema = described(
  z.strictObject({
    name: described(dnsLabel(20), 'Project name: prefixes every AWS and Kubernetes name (at most 20 characters).'),
    owner: described(tagValue.clone().check(z.minLength(1), z.maxLength(128)), 'Owning team, written to the "owner" tag of every resource (an AWS tag value).'),
    costCenter: described(tagValue.clone().check(z.minLength(1), z.maxLength(128)), 'Cost center, written to the "cost-center" tag of every resource (an AWS tag value).'),
    tags: described(z._default(tagMap, {}), 'Extra tags applied to every taggable resource. @default {}'),
  }),
  'Project identity and the tags every resource carries.',
);
