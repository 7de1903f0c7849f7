/**
 * Properties of the estimate: more zones or replicas never cost less, more of an assumption never
 * costs less, and removing the DR region lowers production's estimate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimate, type CostEstimate } from '../../src/cost/index.js';
import { EXAMPLE, exampleVariant } from '../helpers.js';
import { specArbitrary } from '../invariants/arbitrary.js';

const RUNS = Number(process.env.COST_RUNS ?? 6);
const run = (text: string, options: Parameters<typeof estimate>[1] = {}): CostEstimate => {
  const r = estimate(text, options);
  if (!r.estimate) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.estimate;
};
const envs = ['production', 'staging'] as const;
const noLess = (a: CostEstimate, b: CostEstimate) => {
  for (const env of envs) for (const k of ['low', 'likely', 'high'] as const) expect(b.environments[env]!.monthlyUsd[k], `${env} ${k}`).toBeGreaterThanOrEqual(a.environments[env]!.monthlyUsd[k] - 0.005);
};

describe('cost properties', { timeout: 300_000 }, () => {
  it('more replicas never cost less', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 3 }), (min, spread, more) => {
        const at = (m: number) =>
          exampleVariant((d) => {
            d.workloads.api.replicas = { min: m, max: m + spread };
            d.workloads.web.replicas = { min: m, max: m + spread };
          });
        noLess(run(at(min)), run(at(min + more)));
      }),
      { numRuns: RUNS, seed: 20261206 },
    );
  });

  it('more zones never cost less', () => {
    const four = exampleVariant((d) => {
      d.network.zones = ['a', 'b', 'c', 'd'];
      d.network.subnets.public.push('10.10.104.0/24');
      d.network.subnets.private.push('10.10.4.0/24');
      d.network.subnets.isolated.push('10.10.204.0/24');
    });
    noLess(run(EXAMPLE), run(four));
    expect(run(four).environments['production']!.monthlyUsd.likely).toBeGreaterThan(run(EXAMPLE).environments['production']!.monthlyUsd.likely);
  });

  it('more of any volume assumption never costs less', () => {
    const names = ['natGbPerMonth', 'endpointGbPerMonth', 'albLcuPerHour', 'logGbPerPodPerMonth', 'databaseStorageGb', 'drReplicationGbPerMonth', 'ecrGbPerRepository', 'karpenterBurstPercent'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (name, x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        const ea = run(EXAMPLE, { assumptions: { [name]: a } });
        const eb = run(EXAMPLE, { assumptions: { [name]: b } });
        for (const env of envs) expect(eb.environments[env]!.monthlyUsd.likely).toBeGreaterThanOrEqual(ea.environments[env]!.monthlyUsd.likely - 0.005);
      }),
      { numRuns: RUNS, seed: 20261206 },
    );
  });

  it("removing the DR region lowers production's estimate (and leaves staging's)", () => {
    const noDr = exampleVariant((d) => {
      delete d.environments.production.drRegion;
      delete d.environments.production.drVpcCidr;
    });
    const before = run(EXAMPLE);
    const after = run(noDr);
    expect(after.environments['production']!.monthlyUsd.likely).toBeLessThan(before.environments['production']!.monthlyUsd.likely);
    expect(after.environments['production']!.items.some((i) => i.name.startsWith('Aurora cross-region replica'))).toBe(false);
    expect(after.environments['staging']!.monthlyUsd).toEqual(before.environments['staging']!.monthlyUsd);
  });

  it('is computed for every environment of random specs, deterministically, with low ≤ likely ≤ high and no unruled type', () => {
    fc.assert(
      fc.property(specArbitrary, (g) => {
        const a = run(g.yaml);
        expect(JSON.stringify(run(g.yaml))).toBe(JSON.stringify(a));
        for (const e of Object.values(a.environments)) {
          expect(e.unruled).toEqual([]);
          expect(e.monthlyUsd.low).toBeLessThanOrEqual(e.monthlyUsd.likely + 1e-9);
          expect(e.monthlyUsd.likely).toBeLessThanOrEqual(e.monthlyUsd.high + 1e-9);
          for (const i of e.items) for (const v of Object.values(i.monthlyUsd)) expect(Number.isFinite(v) && v >= 0, `${e.environment} ${i.name}`).toBe(true);
        }
      }),
      { numRuns: Math.max(RUNS, 10), seed: 20261206 },
    );
  });
});
