/** Leaf-level differences between two JSON-like values, by dotted path. */
import type { FieldChange } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const join = (base: string, key: string | number) => (typeof key === 'number' ? `${base}[${key}]` : /^[A-Za-z_$][\w$-]*$/.test(key) ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(key)}]`);

export function diffValues(before: unknown, after: unknown, base = ''): FieldChange[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ path: base || '(value)', kind: 'added', after }];
  if (after === undefined) return [{ path: base || '(value)', kind: 'removed', before }];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      const path = join(base, k);
      if (!(k in before)) return [{ path, kind: 'added' as const, after: after[k] }];
      if (!(k in after)) return [{ path, kind: 'removed' as const, before: before[k] }];
      return diffValues(before[k], after[k], path);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: FieldChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const path = join(base, i);
      if (i >= before.length) out.push({ path, kind: 'added', after: after[i] });
      else if (i >= after.length) out.push({ path, kind: 'removed', before: before[i] });
      else out.push(...diffValues(before[i], after[i], path));
    }
    return out;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: base || '(value)', kind: 'changed', before, after }];
}
