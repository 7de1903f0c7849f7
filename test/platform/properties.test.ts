/**
 * The platform model over random valid specs: built for every environment without throwing,
 * deterministic, and internally consistent (every placement names a node kind, every load adds up,
 * every security-group reference of a node kind is a known group).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPlatform } from '../../src/platform/index.js';
import { PROPERTY_TIMEOUT_MS, RUNS, specArbitrary } from '../invariants/arbitrary.js';
import { emit } from './support.js';


describe('the platform of every valid spec', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it(`is built for every environment, deterministically, and holds together (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(specArbitrary, (g) => {
        const built = emit(g.yaml);
        for (const model of built.models) {
          const p = buildPlatform(model, built.artifacts);
          expect(JSON.stringify(buildPlatform(model, built.artifacts))).toBe(JSON.stringify(p));
          const kinds = new Set(p.nodeKinds.map((n) => n.id));
          const groups = new Set(p.network.securityGroups.map((s) => s.id));
          expect(p.nodeKinds[0]?.kind).toBe('managed');
          expect(p.nodeKinds.filter((n) => n.kind === 'karpenter').map((n) => n.name)).toEqual(model.cluster.nodePools.map((x) => x.name));
          for (const pod of p.pods) for (const k of pod.placement) expect(kinds.has(k)).toBe(true);
          for (const n of p.nodeKinds) for (const sg of n.securityGroups) expect(groups.has(sg.id), `${n.id}: ${sg.id}`).toBe(true);
          for (const w of model.workloads) expect(p.pods.some((x) => x.id === `workload:${w.name}`)).toBe(true);
          for (const l of p.loads) if (l.demand) expect(l.demand.pods).toBe(l.pinnedTotal.pods + l.daemonSetsPerNode.pods * l.nodes!);
        }
      }),
      { numRuns: RUNS, seed: process.env.INNOVATE_DEEP ? undefined : 20261205 },
    );
  });
});
