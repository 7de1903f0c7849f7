/**
 * The liveness rules hold for every spec a user can write, not only the example: over the random
 * spec arbitrary (RUNS times, 200 in CI), every environment's platform has its flows open, every pod
 * a node kind, the managed group room for what it holds, and production workloads On-Demand capacity.
 * Non-vacuity: each platform has node kinds with subnets and security groups and a flow per node kind
 * to the API server, so a model that lost its facts would fail here rather than pass trivially.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPlatform, requiredFlows } from '../../src/platform/index.js';
import { LIVENESS_RULES } from '../../src/validators/liveness/index.js';
import { runPolicies } from '../../src/validators/policies/index.js';
import { PROPERTY_TIMEOUT_MS, RUNS, specArbitrary } from '../invariants/arbitrary.js';
import { emit } from '../platform/support.js';

const LIVENESS_RUNS = Number(process.env.LIVENESS_RUNS ?? RUNS);

describe('every valid spec comes up', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it(`no liveness rule fails, and the model is not empty (${LIVENESS_RUNS} runs)`, () => {
    fc.assert(
      fc.property(specArbitrary, (g) => {
        const built = emit(g.yaml);
        const errors = runPolicies(built.artifacts, built.models, { rules: LIVENESS_RULES }).findings.filter((f) => LIVENESS_RULES.find((r) => r.id === f.rule)?.severity === 'error');
        expect(errors.map((f) => `${f.rule} [${f.environment}] ${f.message}`), g.yaml).toEqual([]);
        for (const model of built.models) {
          const platform = buildPlatform(model, built.artifacts);
          expect(platform.nodeKinds.length).toBeGreaterThan(1);
          for (const n of platform.nodeKinds) {
            expect(n.subnets.length, n.id).toBeGreaterThan(0);
            expect(n.securityGroups.length, n.id).toBeGreaterThan(0);
          }
          // An environment with a hosted zone runs external-dns with an AWS identity (INV114 judges it, not vacuously).
          if (model.platform.externalDns) expect(platform.pods.find((p) => p.id === 'chart:external-dns/external-dns')?.identity, model.environment.name).toBeDefined();
          // INV110/INV111 judge something: the cluster-admin entry, the principals of trust and key policies.
          expect(platform.principals.accessEntries.some((e) => e.accessPolicies.some((p) => p.policyArn.endsWith('/AmazonEKSClusterAdminPolicy'))), model.environment.name).toBe(true);
          expect(platform.principals.references.filter((r) => r.arn !== undefined).length, model.environment.name).toBeGreaterThan(0);
          const flows = requiredFlows(platform, model);
          expect(flows.filter((f) => f.kind === 'node-to-api')).toHaveLength(platform.nodeKinds.length);
        }
      }),
      { numRuns: LIVENESS_RUNS, seed: process.env.INNOVATE_DEEP ? undefined : 20261205 },
    );
  });
});
