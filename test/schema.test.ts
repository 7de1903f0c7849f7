/** The exported JSON Schema: generated from zod, committed, documented, and in agreement with zod. */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { specJsonSchema } from '../src/schema/json-schema.js';
import { hasErrors } from '../src/diagnostics/diagnostic.js';
import { parseSpec } from '../src/pipeline.js';
import { EXAMPLE, MINIMAL, ROOT } from './helpers.js';

const schema = specJsonSchema();
const ajv = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

describe('JSON Schema', () => {
  it('is the committed schema/innovate.schema.json (run `npm run schema` when this fails)', () => {
    expect(readFileSync(`${ROOT}schema/innovate.schema.json`, 'utf8')).toBe(`${JSON.stringify(schema, null, 2)}\n`);
  });

  it('accepts the example and the starter spec', () => {
    for (const text of [EXAMPLE, MINIMAL]) {
      expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('describes every field', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      for (const [k, v] of Object.entries((n.properties as Record<string, Record<string, unknown>>) ?? {})) {
        const desc = v.description ?? (v.anyOf as Record<string, unknown>[] | undefined)?.[0]?.description;
        if (!desc && !path.includes('overrides')) missing.push(`${path}.${k}`);
        walk(v, `${path}.${k}`);
      }
      if (n.additionalProperties && typeof n.additionalProperties === 'object') walk(n.additionalProperties, `${path}.*`);
      if (n.items) walk(n.items, `${path}[]`);
      for (const k of ['anyOf', 'oneOf', 'allOf']) for (const s of (n[k] as unknown[]) ?? []) walk(s, path);
    };
    walk(schema, '');
    expect(missing).toEqual([]);
  });

  // Specs both validators must judge alike: shape errors zod and the JSON Schema both see.
  const base = parse(MINIMAL) as Record<string, unknown>;
  const corpus: [string, unknown, boolean][] = [
    ['minimal', base, true],
    ['example', parse(EXAMPLE), true],
    ['unknown top-level key', { ...base, extra: 1 }, false],
    ['wrong apiVersion', { ...base, apiVersion: 'v2' }, false],
    ['missing metadata', { ...base, metadata: undefined }, false],
    ['account id not 12 digits', { ...base, environments: { prod: { accountId: '123', region: 'us-east-1' } } }, false],
    ['bad region', { ...base, environments: { prod: { accountId: '123456789012', region: 'mars-1' } } }, false],
    ['bad CIDR', { ...base, network: { vpcCidr: '10.0.0.0/33' } }, false],
    ['bad enum', { ...base, network: { natGateways: 'three' } }, false],
    ['unknown nested key', { ...base, network: { vpcCidrs: '10.0.0.0/16' } }, false],
    ['workload port below 1024', { ...base, workloads: { api: { type: 'flask', port: 80 } } }, false],
    ['workload type unknown', { ...base, workloads: { api: { type: 'django' } } }, false],
    ['override of a section', { ...base, environments: { prod: { accountId: '123456789012', region: 'us-east-1', overrides: { database: { instances: 3 } } } } }, true],
    ['override with null removal', { ...base, environments: { prod: { accountId: '123456789012', region: 'us-east-1', overrides: { network: { natGateways: null } } } } }, true],
    ['override of a forbidden section', { ...base, environments: { prod: { accountId: '123456789012', region: 'us-east-1', overrides: { metadata: {} } } } }, false],
    ['log retention not a CloudWatch period', { ...base, observability: { logRetentionDays: 2 } }, true /* a refinement: only zod sees it */],
  ];
  it.each(corpus)('the loader (zod) and the JSON Schema agree: %s', (_name, value, jsonSchemaValid) => {
    const clean = JSON.parse(JSON.stringify(value));
    expect(validate(clean)).toBe(jsonSchemaValid);
    const loaderValid = !hasErrors(parseSpec(stringify(clean)).diagnostics);
    if (_name === 'log retention not a CloudWatch period') expect(loaderValid).toBe(false);
    else expect(loaderValid).toBe(jsonSchemaValid);
  });
});
