/**
 * Environment overrides: the documented merge rules, as one pure function.
 *   1. maps merge deeply, key by key;
 *   2. lists (and scalars) replace the base value whole;
 *   3. an explicit null removes the key, so its default applies again.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergeOverride(base: unknown, override: unknown): unknown {
  if (override === null) return undefined;
  if (!isMap(override)) return override;
  // A map over a non-map (or nothing) replaces it, with its own nulls removed.
  if (!isMap(base)) return mergeOverride({}, override);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) out[k] = v;
  for (const [k, v] of Object.entries(override)) {
    if (v === null) {
      delete out[k];
      continue;
    }
    // A key the base lacks still goes through the rules, so nulls nested in it are removed.
    out[k] = mergeOverride(Object.hasOwn(out, k) ? out[k] : undefined, v);
  }
  return out;
}
