/**
 * Entry-by-entry decoding, so one bad entry does not switch off the validators of the sound
 * ones ("all findings at once"). When a section fails its schema, the entries of its named
 * collections (workloads, teams, namespaces, node pools, secrets, repositories, permission sets)
 * that carry an issue are set aside and the section is decoded again without them; the issues
 * themselves are reported from the full decode. What was set aside is returned, so references to
 * a set-aside entry (a workload's pool, namespace or secret) are not reported as unknown: the
 * entry exists, it only has errors of its own.
 */
import type * as z from 'zod/mini';

/** Named collections, as paths from the spec root. */
export const COLLECTIONS: readonly (readonly string[])[] = [
  ['workloads'],
  ['teams'],
  ['namespaces'],
  ['cluster', 'nodePools'],
  ['security', 'secrets'],
  ['registry', 'repositories'],
  ['organization', 'sso', 'permissionSets'],
];

/** One entry set aside: its collection and its name. */
export interface SetAside {
  readonly collection: readonly string[];
  readonly name: string;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The collection entry an issue path runs through (the deepest), if any. */
function entryOf(path: readonly PropertyKey[]): SetAside | undefined {
  let best: SetAside | undefined;
  for (const c of COLLECTIONS) {
    if (path.length > c.length && c.every((seg, i) => path[i] === seg) && typeof path[c.length] === 'string') {
      if (!best || c.length > best.collection.length) best = { collection: c, name: path[c.length] as string };
    }
  }
  return best;
}

/** A copy of `value` without the entry (copying only the maps on its path). */
function without(value: unknown, path: readonly string[], name: string): unknown {
  if (!isMap(value)) return value;
  if (path.length === 0) {
    const { [name]: _, ...rest } = value;
    return rest;
  }
  const [head, ...tail] = path;
  return Object.hasOwn(value, head!) ? { ...value, [head!]: without(value[head!], tail, name) } : value;
}

/**
 * Decodes one top-level section, setting aside the collection entries with issues until it
 * decodes (or nothing more can be set aside). `key` is the section's name.
 */
export function salvageSection(key: string, schema: z.ZodMiniType, input: unknown): { value?: unknown; setAside: SetAside[] } {
  const setAside: SetAside[] = [];
  let current = input;
  for (let round = 0; round < 50; round++) {
    const r = schema.safeParse(current);
    if (r.success) return { value: r.data, setAside };
    const entries = r.error.issues.map((i) => entryOf([key, ...i.path])).filter((e): e is SetAside => e !== undefined);
    // An issue outside any entry: the section stays out, as before.
    if (entries.length < r.error.issues.length || entries.length === 0) return { setAside: [] };
    for (const e of entries) {
      if (setAside.some((s) => s.name === e.name && s.collection === e.collection)) continue;
      setAside.push(e);
      current = without({ [key]: current }, e.collection, e.name);
      current = (current as Record<string, unknown>)[key];
    }
  }
  return { setAside: [] };
}

/** Findings that name an entry of a collection: an unknown reference, or a missing kind of entry. */
const REFERENCES: Readonly<Record<string, readonly string[]>> = {
  INN033: ['cluster', 'nodePools'],
  INN034: ['namespaces'],
  INN035: ['security', 'secrets'],
};
const COMPLETENESS: Readonly<Record<string, readonly string[]>> = {
  INN050: ['cluster', 'nodePools'],
  INN057: ['cluster', 'nodePools'],
};

/**
 * True for a validator's finding that only exists because entries were set aside: a reference
 * to a set-aside entry ("unknown node pool" for a pool with a typo inside it), or a "no such
 * pool" verdict over a collection that lost entries. Such an entry is reported by its own issues.
 */
export function causedBySetAside(f: { readonly code: string; readonly path: readonly (string | number)[] }, spec: unknown, setAside: readonly SetAside[]): boolean {
  if (setAside.length === 0) return false;
  const same = (c: readonly string[]) => (s: SetAside) => s.collection.join('.') === c.join('.');
  const whole = COMPLETENESS[f.code];
  if (whole) return setAside.some(same(whole));
  const collection = REFERENCES[f.code];
  if (!collection) return false;
  let v: unknown = spec;
  for (const seg of f.path) v = isMap(v) || Array.isArray(v) ? (v as Record<string, unknown>)[seg as string] : undefined;
  return typeof v === 'string' && setAside.some((s) => same(collection)(s) && s.name === v);
}
