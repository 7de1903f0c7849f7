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
import { kindValidators } from './kinds.js';
import { clusterValidators } from './cluster.js';
import { observabilityValidators } from './observability.js';
import { securityValidators } from './security.js';
import { namingValidators } from './naming.js';
import { listValidators } from './lists.js';
import { collisionValidators } from './collisions.js';
import { specTextValidators } from './spec-text.js';
import { promotionValidators } from './promotion.js';
import { notificationValidators } from './notifications.js';

export interface ValidationContext {
  readonly spec: Spec;
  /** The environment being checked. */
  readonly env: string;
}

export type Validator = (ctx: ValidationContext) => Finding[];

/**
 * A validator with the top-level sections it reads. It runs whenever those sections
 * decoded, even if another section has errors, so one run reports every finding.
 */
export type RegisteredValidator = readonly [name: string, run: Validator, needs: readonly (keyof Spec)[]];

export const VALIDATORS: readonly RegisteredValidator[] = [
  ...networkValidators,
  ...referenceValidators,
  ...workloadValidators,
  ...kindValidators,
  ...clusterValidators,
  ...securityValidators,
  ...observabilityValidators,
  ...namingValidators,
  ...listValidators,
  ...collisionValidators,
  ...specTextValidators,
  ...promotionValidators,
  ...notificationValidators,
];

/**
 * Runs every validator whose sections are present in `spec` (a full or partially decoded spec).
 * With `failed`, a validator that throws is reported to it and the others still run.
 */
export function runValidators(spec: Partial<Spec>, env: string, failed?: (name: string, error: unknown) => void): Finding[] {
  const ctx: ValidationContext = { spec: spec as Spec, env };
  return VALIDATORS.filter(([, , needs]) => needs.every((s) => Object.hasOwn(spec, s))).flatMap(([name, run]) => {
    if (!failed) return run(ctx);
    try {
      return run(ctx);
    } catch (e) {
      failed(name, e);
      return [];
    }
  });
}
