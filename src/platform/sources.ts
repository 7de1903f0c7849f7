/**
 * The artifacts of one environment, indexed for the platform builder: CloudFormation resources
 * by type (with each template's parameters, which the policy context does not keep), Kubernetes
 * documents by kind, Helm values by chart. Cross-stack values are resolved here: a template
 * reads another's output through an SSM parameter (a parameter of type
 * AWS::SSM::Parameter::Value<…> whose default is the parameter name), and the template that
 * publishes it holds an AWS::SSM::Parameter with that Name and the value's intrinsic.
 */
import { parseAllDocuments } from 'yaml';
import type { Artifact } from '../emitters/artifact.js';
import type { Source } from './types.js';

type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface CfnTemplate {
  readonly path: string;
  readonly resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: Json }>>;
  readonly parameters: Readonly<Record<string, { readonly Type?: string; readonly Default?: unknown }>>;
}

export interface CfnEntry {
  readonly template: CfnTemplate;
  readonly id: string;
  readonly type: string;
  readonly props: Json;
}

export interface KubeDoc {
  readonly artifact: string;
  readonly doc: Json & { kind?: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Json };
}

/** A value after following Ref, GetAtt and SSM parameters across templates. */
export type Resolved =
  | { readonly kind: 'resource'; readonly template: string; readonly id: string; readonly attribute?: string }
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly Resolved[] }
  | { readonly kind: 'unresolved'; readonly text: string };

export interface Sources {
  readonly templates: readonly CfnTemplate[];
  /** Resources of a type, in template then logical-id order. */
  of(type: string): readonly CfnEntry[];
  docs(kind: string): readonly KubeDoc[];
  /** Helm values of a platform chart (by chart name) or of a workload (`workloads/<name>`), with the artifact path. */
  values(chart: string): { readonly path: string; readonly values: Json } | undefined;
  resolve(template: CfnTemplate, value: unknown): Resolved;
  /** `<template path>#<LogicalId>` */
  key(template: string, id: string): string;
  cfnSource(entry: CfnEntry, specPath?: Source['specPath']): Source;
}

export const kubeTarget = (d: KubeDoc['doc']): string => `${d.kind}/${d.metadata?.namespace ? `${d.metadata.namespace}/` : ''}${d.metadata?.name ?? '?'}`;

/** Indexes the artifacts of one environment (those with that environment, and nothing shared). */
export function indexSources(artifacts: readonly Artifact[], environment: string): Sources {
  const templates: CfnTemplate[] = [];
  const docs = new Map<string, KubeDoc[]>();
  const values = new Map<string, { path: string; values: Json }>();
  for (const a of artifacts) {
    if (a.environment !== environment) continue;
    if (a.kind === 'cloudformation' && a.path.endsWith('.json')) {
      const data = (a.data ?? safeJson(a.content)) as Json | undefined;
      if (isObj(data) && isObj(data.Resources)) templates.push({ path: a.path, resources: data.Resources as CfnTemplate['resources'], parameters: (isObj(data.Parameters) ? data.Parameters : {}) as CfnTemplate['parameters'] });
    } else if (a.kind === 'kubernetes' && /\.ya?ml$/.test(a.path)) {
      for (const d of (Array.isArray(a.data) ? a.data : yamlDocs(a.content)) as unknown[]) {
        if (!isObj(d) || typeof d.kind !== 'string') continue;
        const list = docs.get(d.kind) ?? [];
        list.push({ artifact: a.path, doc: d as KubeDoc['doc'] });
        docs.set(d.kind, list);
      }
    } else if (a.kind === 'helm-values') {
      const chart = /([^/]+)\.values\.ya?ml$/.exec(a.path)?.[1];
      const data = a.data ?? yamlDocs(a.content)[0];
      if (chart && isObj(data)) values.set(a.path.includes('/workloads/') ? `workloads/${chart}` : chart, { path: a.path, values: data });
    }
  }
  templates.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  const byType = new Map<string, CfnEntry[]>();
  const ssm = new Map<string, CfnEntry>();
  for (const template of templates) {
    for (const id of Object.keys(template.resources).sort()) {
      const r = template.resources[id]!;
      const entry: CfnEntry = { template, id, type: r.Type, props: r.Properties ?? {} };
      const list = byType.get(r.Type) ?? [];
      list.push(entry);
      byType.set(r.Type, list);
      if (r.Type === 'AWS::SSM::Parameter' && typeof entry.props.Name === 'string') ssm.set(entry.props.Name, entry);
    }
  }

  function resolve(template: CfnTemplate, value: unknown, depth = 0): Resolved {
    if (typeof value === 'string') return { kind: 'literal', value };
    if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'literal', value: String(value) };
    if (Array.isArray(value)) return { kind: 'list', items: value.map((v) => resolve(template, v, depth)) };
    if (!isObj(value) || depth > 8) return { kind: 'unresolved', text: JSON.stringify(value) ?? '' };
    if (typeof value.Ref === 'string') {
      const name = value.Ref;
      if (template.resources[name]) return { kind: 'resource', template: template.path, id: name };
      const param = template.parameters[name];
      if (param && typeof param.Default === 'string' && String(param.Type ?? '').startsWith('AWS::SSM::Parameter::Value')) {
        const published = ssm.get(param.Default);
        if (published) {
          const inner = resolve(published.template, published.props.Value, depth + 1);
          // A StringList published as a joined string is read back as a list.
          return inner;
        }
      }
      return { kind: 'unresolved', text: `Ref ${name}` };
    }
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      return template.resources[getAtt[0]] ? { kind: 'resource', template: template.path, id: getAtt[0], attribute: String(getAtt[1]) } : { kind: 'unresolved', text: `GetAtt ${getAtt[0]}` };
    }
    const join = value['Fn::Join'];
    if (Array.isArray(join) && Array.isArray(join[1])) return { kind: 'list', items: (join[1] as unknown[]).map((v) => resolve(template, v, depth)) };
    return { kind: 'unresolved', text: JSON.stringify(value) };
  }

  const key = (template: string, id: string) => `${template}#${id}`;
  return {
    templates,
    of: (type) => byType.get(type) ?? [],
    docs: (kind) => docs.get(kind) ?? [],
    values: (chart) => values.get(chart),
    resolve: (template, value) => resolve(template, value),
    key,
    cfnSource: (entry, specPath) => ({ artifact: entry.template.path, resource: entry.id, ...(specPath ? { specPath } : {}) }),
  };
}

/** The documents of a YAML artifact handed over as text only (a compile() result, a file read back). */
function yamlDocs(text: string): unknown[] {
  return parseAllDocuments(text)
    .filter((d) => d.errors.length === 0)
    .map((d) => d.toJS() as unknown);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A resolved value as ids of platform facts: resources become `<template>#<id>`, literals stay. */
export function flatten(r: Resolved, key: (t: string, id: string) => string): string[] {
  switch (r.kind) {
    case 'resource':
      return [r.attribute === 'ClusterSecurityGroupId' ? 'eks:cluster' : key(r.template, r.id)];
    case 'literal':
      return [r.value];
    case 'list':
      return r.items.flatMap((i) => flatten(i, key));
    default:
      return [`?${r.text}`];
  }
}

/** Tags as a map, from either CloudFormation shape ([{Key, Value}] or {k: v}). */
export function tagMap(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(tags)) for (const t of tags) if (isObj(t) && typeof t.Key === 'string' && typeof t.Value === 'string') out[t.Key] = t.Value;
  if (isObj(tags)) for (const [k, v] of Object.entries(tags)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Reads a path of keys through objects. */
export function at(value: unknown, path: string): unknown {
  if (path === '') return value;
  let v = value;
  for (const seg of path.split('.')) {
    if (!isObj(v)) return undefined;
    v = v[seg];
  }
  return v;
}
