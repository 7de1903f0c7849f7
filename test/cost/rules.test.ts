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
