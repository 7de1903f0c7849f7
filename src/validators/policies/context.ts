/** Artifacts (text) -> parsed policy context. Unparseable files are skipped, not fatal. */
import { parseAllDocuments } from 'yaml';
import type { Model } from '../../compiler/model.js';
import type { Artifact } from '../../emitters/artifact.js';
import { buildPlatform } from '../../platform/build.js';
import { isWorkloadValuesPath, workloadDocumentsOncePromoted, type WorkloadValues } from '../../emitters/kubernetes/index.js';
import type { CfnResource, K8sDoc, Manifest, PolicyContext, Template, ValuesFile } from './types.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseYaml(text: string): unknown[] {
  const docs = parseAllDocuments(text.replace(/^\s*\{\{.*\}\}\s*$/gm, ''));
  return (Array.isArray(docs) ? docs : []).filter((d) => d.errors.length === 0).map((d) => d.toJS() as unknown);
}

/**
 * `related`: artifacts not judged in this batch but needed to build its platforms (the CloudFormation
 * of an environment whose Kubernetes artifacts come in a later batch).
 */
export function policyContext(artifacts: readonly Artifact[], models: readonly Model[], related: readonly Artifact[] = []): PolicyContext {
  const templates: Template[] = [];
  const manifests: Manifest[] = [];
  const values: ValuesFile[] = [];
  for (const a of artifacts) {
    const env = a.environment ? { environment: a.environment } : {};
    if (a.kind === 'cloudformation' && a.path.endsWith('.json')) {
      try {
        const t = (a.data ?? JSON.parse(a.content)) as { Resources?: Record<string, CfnResource> };
        if (isObj(t.Resources)) templates.push({ path: a.path, ...env, resources: t.Resources });
      } catch {
        /* not a template */
      }
    } else if ((a.kind === 'kubernetes' || a.kind === 'helm-values') && /\.ya?ml$/.test(a.path)) {
      // Emitters hand over what they serialized (a document list for manifests, a map for values); text is parsed only as a fallback.
      const parsed = (a.data !== undefined ? (a.kind === 'helm-values' ? [a.data] : (a.data as unknown[])) : parseYaml(a.content)).filter(isObj);
      if (a.kind === 'helm-values') {
        if (parsed[0]) values.push({ path: a.path, ...env, values: parsed[0] });
        // A workload's objects are its chart (the same templates for all) rendered with this file: checked as manifests of it.
        // Not yet promoted (no image.tag), the chart renders no pods: they are checked as the promotion will render them.
        if (parsed[0] && isWorkloadValuesPath(a.path)) manifests.push({ path: a.path, ...env, docs: workloadDocumentsOncePromoted(parsed[0] as unknown as WorkloadValues) as K8sDoc[] });
      } else manifests.push({ path: a.path, ...env, docs: parsed as K8sDoc[] });
    }
  }
  let platforms: ReturnType<PolicyContext['platforms']> | undefined;
  // A platform is judged with its Kubernetes batch, and only with its templates at hand (in the batch or
  // related): a batch of manifests checked alone says nothing about the network they run on.
  const hasCluster = (env: string) =>
    artifacts.some((a) => a.environment === env && (a.kind === 'kubernetes' || a.kind === 'helm-values')) &&
    [...artifacts, ...related].some((a) => a.environment === env && a.kind === 'cloudformation' && a.path.endsWith('/network.json'));
  return {
    templates,
    manifests,
    values,
    artifacts,
    texts: () => artifacts.filter((a) => a.data === undefined).map((a) => ({ path: a.path, content: a.content })),
    models,
    platforms: () =>
      (platforms ??= models.filter((m) => hasCluster(m.environment.name)).map((model) => ({ model, platform: buildPlatform(model, related.length > 0 ? [...related, ...artifacts] : artifacts) }))),
  };
}

/**
 * Resources and documents grouped by type and kind once per context: a dozen rules each ask
 * for a few types, and scanning every template for each ask cost more than the checks.
 */
interface Index {
  readonly resources: [Template, string, CfnResource][];
  readonly byType: Map<string, [Template, string, CfnResource][]>;
  readonly docs: [Manifest, K8sDoc][];
  readonly byKind: Map<string, [Manifest, K8sDoc][]>;
}
const indexes = new WeakMap<PolicyContext, Index>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexOf(ctx: PolicyContext): Index {
  let index = indexes.get(ctx);
  if (index) return index;
  index = { resources: [], byType: new Map(), docs: [], byKind: new Map() };
  for (const t of ctx.templates) {
    for (const id of Object.keys(t.resources)) {
      const entry: [Template, string, CfnResource] = [t, id, t.resources[id]!];
      index.resources.push(entry);
      push(index.byType, entry[2].Type, entry);
    }
  }
  for (const m of ctx.manifests) {
    for (const d of m.docs) {
      index.docs.push([m, d]);
      if (d.kind) push(index.byKind, d.kind, [m, d] as [Manifest, K8sDoc]);
    }
  }
  indexes.set(ctx, index);
  return index;
}

/** Every resource of the given types with its template, in template then resource order. */
export function resourcesOf(ctx: PolicyContext, ...types: string[]): readonly [Template, string, CfnResource][] {
  const index = indexOf(ctx);
  if (types.length === 1) return index.byType.get(types[0]!) ?? [];
  return index.resources.filter(([, , r]) => types.includes(r.Type));
}

/** Every document of the given kinds with its manifest, in manifest then document order. */
export function docsOf(ctx: PolicyContext, ...kinds: string[]): readonly [Manifest, K8sDoc][] {
  const index = indexOf(ctx);
  if (kinds.length === 1) return index.byKind.get(kinds[0]!) ?? [];
  return index.docs.filter(([, d]) => d.kind !== undefined && kinds.includes(d.kind));
}

export const k8sTarget = (d: K8sDoc): string => `${d.kind}/${d.metadata?.namespace ? `${d.metadata.namespace}/` : ''}${d.metadata?.name ?? '?'}`;

/** Reads a dotted path through objects and arrays (numbers index arrays). */
export function get(value: unknown, ...path: (string | number)[]): unknown {
  let v: unknown = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}
