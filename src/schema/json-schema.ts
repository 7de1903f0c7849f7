/**
 * The JSON Schema editors use (`innovate schema`, schema/innovate.schema.json),
 * generated from the zod schema so the two cannot drift. Environment `overrides` are
 * described as a deep-partial of the overridable sections, where null removes a key.
 */
import * as z from 'zod/mini';
import { OVERRIDABLE_SECTIONS, specSchema } from './spec.js';

type JsonSchema = { [key: string]: unknown };

const isObj = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep partial: no required keys, no defaults, and null accepted wherever a value is. */
function partialDeep(schema: unknown): unknown {
  if (!isObj(schema)) return schema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'required' || k === 'default') continue;
    if (k === 'properties' && isObj(v)) out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, nullable(partialDeep(s))]));
    else if (k === 'additionalProperties' && isObj(v)) out[k] = nullable(partialDeep(v));
    else if ((k === 'anyOf' || k === 'oneOf' || k === 'allOf') && Array.isArray(v)) out[k] = v.map(partialDeep);
    else out[k] = v;
  }
  return out;
}

const nullable = (s: unknown): unknown => ({ anyOf: [s, { type: 'null' }] });

export function specJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(specSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  const props = schema.properties as Record<string, JsonSchema>;
  const envs = props.environments as JsonSchema;
  const env = envs.additionalProperties as JsonSchema;
  const envProps = env.properties as Record<string, JsonSchema>;
  envProps.overrides = {
    type: 'object',
    description: (envProps.overrides?.description as string | undefined) ?? 'Per-environment overrides.',
    additionalProperties: false,
    properties: Object.fromEntries(OVERRIDABLE_SECTIONS.map((s) => [s, nullable(partialDeep(props[s]))])),
  };
  return { $id: 'https://innovate.dev/schemas/v1alpha1/innovate.schema.json', title: 'innovate.yaml', ...schema };
}
