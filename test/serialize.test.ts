/**
 * canonical(): key order and undefined-dropping as JSON would, copying only what changes. A
 * property against the plain deep-copy it replaced, over random nested data with leading keys,
 * out-of-order keys and undefined values; the input is never modified.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical, compareKeys, toJson } from '../src/emitters/serialize.js';

/** The reference: a full deep copy with keys sorted and undefined map values dropped. */
function reference(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reference);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareKeys)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = reference(v);
    }
    return out;
  }
  return value;
}

// Integer-like keys are left out: JavaScript lists them first whatever the insertion order.
const key = fc.oneof(fc.constantFrom('Type', 'Properties', 'apiVersion', 'kind', 'metadata', 'name', 'Resources', 'b', 'a', 'z'), fc.string({ maxLength: 6 }).filter((k) => !/^(0|[1-9]\d*)$/.test(k)));
const data = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), tie('list'), tie('map')),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
})).value;

describe('canonical', () => {
  it('orders keys and drops undefined exactly as a full copy would, and never modifies its input', () => {
    fc.assert(
      fc.property(data, (v) => {
        const before = JSON.stringify(v);
        const out = canonical(v);
        expect(JSON.stringify(out)).toBe(JSON.stringify(reference(v)));
        expect(toJson(v)).toBe(`${JSON.stringify(reference(v), null, 2)}\n`);
        expect(JSON.stringify(v)).toBe(before);
        const walk = (x: unknown): void => {
          if (Array.isArray(x)) x.forEach(walk);
          else if (x !== null && typeof x === 'object') {
            const keys = Object.keys(x);
            expect(keys).toEqual([...keys].sort(compareKeys));
            expect(Object.values(x)).not.toContain(undefined);
            Object.values(x).forEach(walk);
          }
        };
        walk(out);
      }),
      { numRuns: 500 },
    );
  });

  it('reuses what is already in order and copies the path to what is not', () => {
    const inOrder = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'b', Tags: [{ Key: 'k', Value: 'v' }] } };
    expect(canonical(inOrder)).toBe(inOrder);
    const nested = { kind: 'ConfigMap', metadata: { name: 'x' }, data: { b: '1', a: '2' } };
    const out = canonical(nested) as typeof nested;
    expect(out).not.toBe(nested);
    expect(out.metadata).toBe(nested.metadata); // untouched branch shared
    expect(Object.keys(out.data)).toEqual(['a', 'b']);
    expect(Object.keys(nested.data)).toEqual(['b', 'a']);
  });
});
