/**
 * Every resource type innovate emits has a price rule: the types of the example's templates and of
 * random specs' templates are enumerated, and a type without a rule fails here (add it to
 * src/cost/rules.ts: priced by a line item, free with the reason, or usage-billed and listed as not
 * estimated). Each priced rule names a line the estimator produces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimate, LINE, PRICE_RULES } from '../../src/cost/index.js';
import { specArbitrary } from '../invariants/arbitrary.js';
import { EXAMPLE } from '../helpers.js';
import { emit } from '../platform/support.js';

const typesOf = (text: string): Set<string> => {
  const out = new Set<string>();
  for (const a of emit(text).artifacts) {
    if (!a.path.startsWith('cloudformation/') || !a.path.endsWith('.json')) continue;
    const t = JSON.parse(a.content) as { Resources?: Record<string, { Type: string }> };
    for (const r of Object.values(t.Resources ?? {})) out.add(r.Type);
  }
  return out;
};

describe('price rules', () => {
  it("cover every resource type of the example's templates", () => {
    const missing = [...typesOf(EXAMPLE)].filter((t) => !PRICE_RULES[t]).sort();
    expect(missing, 'resource types without a price rule (src/cost/rules.ts)').toEqual([]);
  });

  it("cover every resource type of random specs' templates", { timeout: 300_000 }, () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(specArbitrary, (g) => {
        for (const t of typesOf(g.yaml)) seen.add(t);
      }),
      { numRuns: 15, seed: 20261206 },
    );
    expect([...seen].filter((t) => !PRICE_RULES[t]).sort()).toEqual([]);
  });

  it('name line items the estimator produces; the estimate reports no unruled type', () => {
    const lines = new Set<string>(Object.values(LINE));
    for (const [type, rule] of Object.entries(PRICE_RULES)) if (rule.billing === 'priced') expect(lines.has(rule.item), `${type} -> ${rule.item}`).toBe(true);
    const est = estimate(EXAMPLE).estimate!;
    for (const e of Object.values(est.environments)) {
      expect(e.unruled).toEqual([]);
      const names = e.items.map((i) => i.name);
      for (const rule of Object.values(PRICE_RULES)) {
        if (rule.billing !== 'priced') continue;
        // Every priced line the example's resources call for is there (the DR line only where there is a DR region).
        if (rule.item === LINE.auroraDr && !e.drRegion) continue;
        expect(names.some((n) => n.startsWith(rule.item)), `${e.environment}: ${rule.item}`).toBe(true);
      }
    }
  });

  // The Kubernetes side creates AWS-billed resources too: the ALB of the ingress group, Karpenter's
  // nodes, Prometheus's EBS volume. Each has its line; a Service of type LoadBalancer (an NLB) or another
  // persistent volume would have none, so it fails here until it is priced.
  const billedByKubernetes = (text: string) => {
    const found = { ingress: false, nodePools: 0, prometheusVolume: false, unpriced: [] as string[] };
    for (const a of emit(text).artifacts) {
      if (a.path.startsWith('cloudformation/')) continue;
      if (/^kind: Ingress$/m.test(a.content)) found.ingress = true;
      found.nodePools += (a.content.match(/^kind: NodePool$/gm) ?? []).length;
      if (/storageSpec:/.test(a.content)) {
        if (a.path.endsWith('kube-prometheus-stack.values.yaml')) found.prometheusVolume = true;
        else found.unpriced.push(`${a.path}: storageSpec`);
      }
      if (/type: LoadBalancer|^kind: PersistentVolumeClaim$|volumeClaimTemplates:/m.test(a.content) && !a.path.endsWith('kube-prometheus-stack.values.yaml')) found.unpriced.push(a.path);
    }
    return found;
  };

  it("price what the example's Kubernetes side makes AWS bill (ALB, Karpenter nodes, Prometheus's gp3 volume)", () => {
    const k = billedByKubernetes(EXAMPLE);
    expect(k.unpriced).toEqual([]);
    for (const e of Object.values(estimate(EXAMPLE).estimate!.environments)) {
      const names = e.items.map((i) => i.name);
      expect(k.ingress && names.includes(LINE.alb)).toBe(true);
      expect(names.filter((n) => n.startsWith(LINE.pool)).length).toBeGreaterThan(0);
      expect(k.prometheusVolume && names.includes(LINE.prometheusVolume)).toBe(true);
    }
    // 50 GiB (the default) × $0.08/GB-month
    expect(estimate(EXAMPLE).estimate!.environments['production']!.items.find((i) => i.name === LINE.prometheusVolume)!.monthlyUsd.likely).toBe(4);
  });

  it("random specs' Kubernetes side creates no AWS-billed resource without a line", { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(specArbitrary, (g) => {
        expect(billedByKubernetes(g.yaml).unpriced).toEqual([]);
      }),
      { numRuns: 8, seed: 20261206 },
    );
  });

  it('a type without a rule is reported, so a new emitter resource cannot slip through', () => {
    const rules = PRICE_RULES as Record<string, unknown>;
    const saved = rules['AWS::KMS::Key'];
    delete rules['AWS::KMS::Key'];
    try {
      expect(estimate(EXAMPLE).estimate!.environments['staging']!.unruled).toEqual(['AWS::KMS::Key']);
    } finally {
      rules['AWS::KMS::Key'] = saved;
    }
  });
});
