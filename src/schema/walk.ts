/** Walks zod schemas by spec path: used for did-you-mean suggestions on unknown keys. */
import type * as z from 'zod/mini';

type AnyDef = { type: string; innerType?: z.ZodMiniType; shape?: Record<string, z.ZodMiniType>; valueType?: z.ZodMiniType; element?: z.ZodMiniType; in?: z.ZodMiniType; options?: z.ZodMiniType[] };
const def = (s: z.ZodMiniType): AnyDef => (s as unknown as { _zod: { def: AnyDef } })._zod.def;

function unwrap(s: z.ZodMiniType): z.ZodMiniType {
  for (;;) {
    const d = def(s);
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

/** The zod schema at a spec path, or undefined when the path leaves the schema. */
export function schemaAt(root: z.ZodMiniType, path: readonly (string | number)[]): z.ZodMiniType | undefined {
  let s: z.ZodMiniType | undefined = unwrap(root);
  for (const seg of path) {
    if (!s) return undefined;
    const d = def(s);
    if (d.type === 'object' && d.shape) s = typeof seg === 'string' ? d.shape[seg] : undefined;
    else if (d.type === 'record' && d.valueType) s = d.valueType;
    else if (d.type === 'array' && d.element) s = d.element;
    else return undefined;
    if (s) s = unwrap(s);
  }
  return s;
}

/** Known keys of the object schema at a path. */
export function keysAt(root: z.ZodMiniType, path: readonly (string | number)[]): string[] {
  const s = schemaAt(root, path);
  if (!s) return [];
  const d = def(s);
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}
