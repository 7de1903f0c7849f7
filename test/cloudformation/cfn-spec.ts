/**
 * A validator of CloudFormation templates against the CloudFormation resource specification
 * shipped by @aws-cdk/aws-service-spec (db.json.gz, the database the CDK generates its L1
 * constructs from): resource types, property names (nested too), required properties,
 * primitive types, allowed values, GetAtt attributes. Intrinsic functions are accepted
 * wherever a value goes (their targets are checked by references.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

interface TypeRef {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'json' | 'date-time' | 'tag' | 'array' | 'map' | 'ref' | 'union' | 'null';
  element?: TypeRef;
  types?: TypeRef[];
  reference?: { $ref: string };
  allowedValues?: string[];
}
interface PropertyDef {
  type: TypeRef;
  required?: boolean;
  previousTypes?: TypeRef[];
}
interface ResourceDef {
  cloudFormationType: string;
  properties: Record<string, PropertyDef>;
  attributes: Record<string, unknown>;
  tagInformation?: { tagPropertyName: string; variant: 'standard' | 'map' | 'asg' };
}
interface TypeDef {
  name: string;
  properties: Record<string, PropertyDef>;
}

export interface CfnSpec {
  readonly resources: ReadonlyMap<string, ResourceDef>;
  readonly types: ReadonlyMap<string, TypeDef>;
}

/** Loads the specification, or undefined when the dev dependency is not installed. */
export function loadSpec(): CfnSpec | undefined {
  let file: string;
  try {
    const require = createRequire(import.meta.url);
    file = join(dirname(require.resolve('@aws-cdk/aws-service-spec/package.json')), 'db.json.gz');
  } catch {
    return undefined;
  }
  if (!existsSync(file)) return undefined;
  const db = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { schema: { resource: { entities: Record<string, ResourceDef> }; typeDefinition: { entities: Record<string, TypeDef & { $id: string }> } } };
  const resources = new Map(Object.values(db.schema.resource.entities).map((r) => [r.cloudFormationType, r]));
  const types = new Map(Object.values(db.schema.typeDefinition.entities).map((t) => [t.$id, t]));
  return { resources, types };
}

const isIntrinsic = (v: unknown): boolean => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
};

/** Problems found in value against type, as human-readable strings with a path. */
function check(spec: CfnSpec, value: unknown, type: TypeRef, path: string, out: string[]): void {
  if (isIntrinsic(value)) return;
  // Dynamic references are strings resolved at deploy time.
  switch (type.type) {
    case 'string':
    case 'date-time':
      if (typeof value !== 'string' && typeof value !== 'number') out.push(`${path}: expected string, got ${JSON.stringify(value)?.slice(0, 60)}`);
      else if (type.allowedValues && typeof value === 'string' && !type.allowedValues.includes(value)) out.push(`${path}: ${value} not in [${type.allowedValues.join(', ')}]`);
      return;
    case 'number':
    case 'integer':
      if (typeof value === 'number') {
        if (type.type === 'integer' && !Number.isInteger(value)) out.push(`${path}: expected integer, got ${value}`);
      } else if (!(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) out.push(`${path}: expected ${type.type}, got ${JSON.stringify(value)?.slice(0, 60)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') out.push(`${path}: expected boolean, got ${JSON.stringify(value)}`);
      return;
    case 'json':
      if (value === null || (typeof value !== 'object' && typeof value !== 'string')) out.push(`${path}: expected JSON object, got ${JSON.stringify(value)}`);
      return;
    case 'null':
      return;
    case 'tag': {
      const tag = value as Record<string, unknown>;
      if (typeof tag !== 'object' || tag === null || !('Key' in tag) || !('Value' in tag) || Object.keys(tag).length !== 2) out.push(`${path}: expected {Key, Value}`);
      return;
    }
    case 'array':
      if (!Array.isArray(value)) {
        out.push(`${path}: expected array, got ${JSON.stringify(value)?.slice(0, 60)}`);
        return;
      }
      value.forEach((v, i) => check(spec, v, type.element!, `${path}[${i}]`, out));
      return;
    case 'map':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        out.push(`${path}: expected map`);
        return;
      }
      for (const [k, v] of Object.entries(value)) check(spec, v, type.element!, `${path}.${k}`, out);
      return;
    case 'union': {
      const attempts = type.types!.map((t) => {
        const o: string[] = [];
        check(spec, value, t, path, o);
        return o;
      });
      if (!attempts.some((a) => a.length === 0)) out.push(...attempts.sort((a, b) => a.length - b.length)[0]!);
      return;
    }
    case 'ref': {
      const def = spec.types.get(type.reference!.$ref);
      if (!def) return;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        out.push(`${path}: expected ${def.name} object, got ${JSON.stringify(value)?.slice(0, 60)}`);
        return;
      }
      checkProperties(spec, value as Record<string, unknown>, def.properties, path, out);
      return;
    }
  }
}

function checkProperties(spec: CfnSpec, props: Record<string, unknown>, defs: Record<string, PropertyDef>, path: string, out: string[]): void {
  for (const [name, def] of Object.entries(defs)) {
    if (def.required && !(name in props)) out.push(`${path}: required property ${name} missing`);
  }
  for (const [name, value] of Object.entries(props)) {
    const def = defs[name];
    if (!def) {
      out.push(`${path}: unknown property ${name}`);
      continue;
    }
    const attempts = [def.type, ...(def.previousTypes ?? [])].map((t) => {
      const o: string[] = [];
      check(spec, value, t, `${path}.${name}`, o);
      return o;
    });
    if (!attempts.some((a) => a.length === 0)) out.push(...attempts[0]!);
  }
}

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }> };

/** Every finding of a template against the specification; empty when valid. */
export function validateTemplate(spec: CfnSpec, template: Template): string[] {
  const out: string[] = [];
  const allowedTop = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs', 'Rules']);
  for (const key of Object.keys(template)) if (!allowedTop.has(key)) out.push(`template: unknown section ${key}`);
  for (const [id, r] of Object.entries(template.Resources)) {
    const def = spec.resources.get(r.Type);
    if (!def) {
      out.push(`${id}: unknown resource type ${r.Type}`);
      continue;
    }
    for (const key of Object.keys(r)) {
      if (!['Type', 'Properties', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Condition', 'Metadata', 'CreationPolicy', 'UpdatePolicy'].includes(key)) out.push(`${id}: unknown resource attribute ${key}`);
    }
    for (const policy of [r.DeletionPolicy, r.UpdateReplacePolicy]) {
      if (policy !== undefined && !['Delete', 'Retain', 'Snapshot', 'RetainExceptOnCreate'].includes(policy)) out.push(`${id}: invalid policy ${policy}`);
    }
    checkProperties(spec, r.Properties ?? {}, def.properties, id, out);
  }
  walk(template, (node) => {
    const getAtt = (node as Record<string, unknown>)['Fn::GetAtt'] as [string, string] | undefined;
    if (!getAtt || !Array.isArray(getAtt)) return;
    const target = template.Resources[getAtt[0]];
    const def = target && spec.resources.get(target.Type);
    if (def && !(getAtt[1] in def.attributes)) out.push(`Fn::GetAtt ${getAtt[0]}.${getAtt[1]}: ${target.Type} has no such attribute`);
  });
  return out;
}

export function walk(node: unknown, visit: (node: object) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node !== null && typeof node === 'object') {
    visit(node);
    for (const v of Object.values(node)) walk(v, visit);
  }
}
