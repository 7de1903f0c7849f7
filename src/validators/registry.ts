/**
 * Semantic validators: one pure function per concern, run in this order over every
 * environment's validated spec. zod has already checked shape; these check what
 * crosses fields and resources. Every finding carries the exact spec path.
 */
import type { Finding } from '../diagnostics/diagnostic.js';
import type { Spec } from '../schema/spec.js';
import { networkValidators } from './network.js';
import { referenceValidators } from './references.js';
import { workloadValidators } from './workloads.js';
import { clusterValidators } from './cluster.js';
import { securityValidators } from './security.js';
import { namingValidators } from './naming.js';

export interface ValidationContext {
  readonly spec: Spec;
  /** The environment being checked. */
  readonly env: string;
}

export type Validator = (ctx: ValidationContext) => Finding[];

export const VALIDATORS: readonly (readonly [string, Validator])[] = [
  ...networkValidators,
  ...referenceValidators,
  ...workloadValidators,
  ...clusterValidators,
  ...securityValidators,
  ...namingValidators,
];

export function runValidators(ctx: ValidationContext): Finding[] {
  return VALIDATORS.flatMap(([, v]) => v(ctx));
}
