/**
 * The root of innovate.yaml (zod/mini). One strict zod object per top-level section, each in its
 * own file; literal defaults live on the fields. Defaults that depend on other fields
 * (production vs not, zone count) live in one compiler step: src/compiler/derive.ts.
 */
import * as z from 'zod/mini';
import { clusterSchema, teamsSchema } from './cluster.js';
import { databaseSchema } from './database.js';
import { deliverySchema } from './delivery.js';
import { environmentsSchema } from './environments.js';
import { metadataSchema } from './metadata.js';
import { networkSchema } from './network.js';
import { costSchema, observabilitySchema } from './observability.js';
import { organizationSchema } from './organization.js';
import { described } from './primitives.js';
import { registrySchema } from './registry.js';
import { ingressSchema, policySchema, securitySchema } from './security.js';
import { namespacesSchema, workloadsSchema } from './workloads.js';

export const API_VERSION = 'innovate.dev/v1alpha1';
export const KIND = 'Platform';

/** Sections an environment's `overrides` may change. */
export const OVERRIDABLE_SECTIONS = [
  'network',
  'cluster',
  'teams',
  'namespaces',
  'workloads',
  'registry',
  'database',
  'delivery',
  'security',
  'ingress',
  'observability',
  'cost',
] as const;

export const specSchema = described(
  z.strictObject({
    apiVersion: described(z.literal(API_VERSION), `Always ${API_VERSION}.`),
    kind: described(z.literal(KIND), `Always ${KIND}.`),
    metadata: metadataSchema,
    organization: z.optional(organizationSchema),
    environments: environmentsSchema,
    network: z.prefault(networkSchema, {}),
    cluster: z.prefault(clusterSchema, {}),
    teams: teamsSchema,
    namespaces: namespacesSchema,
    workloads: workloadsSchema,
    registry: z.prefault(registrySchema, {}),
    database: z.prefault(databaseSchema, {}),
    delivery: deliverySchema,
    security: z.prefault(securitySchema, {}),
    ingress: z.optional(ingressSchema),
    observability: z.prefault(observabilitySchema, {}),
    cost: costSchema,
    policy: policySchema,
  }),
  'innovate.yaml: one platform, every environment, every target.',
);

/** The spec after zod: every literal default applied. */
export type Spec = z.output<typeof specSchema>;
/** What a user may write. */
export type SpecInput = z.input<typeof specSchema>;
export type WorkloadSpec = Spec['workloads'][string];
export type NodePoolSpec = Spec['cluster']['nodePools'][string];
export type EnvironmentSpec = Spec['environments'][string];
