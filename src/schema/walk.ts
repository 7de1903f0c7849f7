/** Walks zod schemas by spec path: used for did-you-mean suggestions on unknown keys. */
import type * as z from 'zod';

type AnyDef = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; valueType?: z.ZodType; element?: z.ZodType; in?: z.ZodType; options?: z.ZodType[] };
const def = (s: z.ZodType): AnyDef => (s as unknown as { _zod: { def: AnyDef } })._zod.def;

function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    const d = def(s);
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

/** The zod schema at a spec path, or undefined when the path leaves the schema. */
export function schemaAt(root: z.ZodType, path: readonly (string | number)[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = unwrap(root);
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
export function keysAt(root: z.ZodType, path: readonly (string | number)[]): string[] {
  const s = schemaAt(root, path);
  if (!s) return [];
  const d = def(s);
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}
