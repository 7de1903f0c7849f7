// Pod facts (workload kind, replicas, summed container requests, tolerations, nodeSelector, required node
// affinity) from vendored manifests (the EKS add-ons) and from vendored chart defaults (values.yaml).
import { parseAllDocuments } from 'yaml';

export const cpuMilli = (q) => {
  if (q === undefined || q === null || q === '') return 0;
  const s = String(q);
  return s.endsWith('m') ? Number(s.slice(0, -1)) : Math.round(Number(s) * 1000);
};

export const memoryMiB = (q) => {
  if (q === undefined || q === null || q === '') return 0;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T|k)?$/.exec(String(q));
  if (!m) throw new Error(`unparsed memory quantity ${q}`);
  const f = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1048576, k: 1000 / 1048576, K: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576, T: 1e12 / 1048576 }[m[2]] ?? 1 / 1048576;
  return Math.round(Number(m[1]) * f * 100) / 100;
};

const at = (o, path) => (path ? path.split('.').reduce((x, k) => (x && typeof x === 'object' ? x[k] : undefined), o) : o);

const tolerationsOf = (list) =>
  (Array.isArray(list) ? list : []).map((t) => {
    const out = {};
    for (const k of ['key', 'operator', 'value', 'effect']) if (t[k] !== undefined && t[k] !== null) out[k] = String(t[k]);
    return out;
  });

const stringMap = (m) => Object.fromEntries(Object.entries(m && typeof m === 'object' ? m : {}).map(([k, v]) => [k, String(v)]).sort());

const affinityOf = (affinity) => {
  const terms = at(affinity, 'nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms');
  if (!Array.isArray(terms)) return undefined;
  return terms.map((t) => (t.matchExpressions ?? []).map((e) => ({ key: String(e.key), operator: String(e.operator), values: (e.values ?? []).map(String) })));
};

/** A container's effective request: Kubernetes defaults a missing request to the limit. */
const request = (resources, r) => at(resources, `requests.${r}`) ?? at(resources, `limits.${r}`);

const sumRequests = (resourceBlocks) => {
  let cpu = 0;
  let mem = 0;
  for (const r of resourceBlocks) {
    cpu += cpuMilli(request(r, 'cpu'));
    mem += memoryMiB(request(r, 'memory'));
  }
  return { cpuMilli: cpu, memoryMiB: Math.round(mem * 100) / 100 };
};

/** Every Deployment/DaemonSet/StatefulSet in a multi-document YAML file or a JSON List. */
export function manifestWorkloads(text) {
  const trimmed = text.trimStart();
  const docs = trimmed.startsWith('{') ? JSON.parse(text).items ?? [JSON.parse(text)] : parseAllDocuments(text).map((d) => d.toJS());
  return docs.filter((d) => d && ['Deployment', 'DaemonSet', 'StatefulSet'].includes(d.kind));
}

/** A pod fact from one rendered workload: requests are the sum over its (non-init) containers. */
export function podFromWorkload(w, source) {
  const spec = w.spec.template.spec;
  const affinity = affinityOf(spec.affinity);
  return {
    component: w.metadata.name,
    source,
    workload: w.kind,
    replicas: w.kind === 'DaemonSet' ? 1 : (w.spec.replicas ?? 1),
    requests: sumRequests(spec.containers.map((c) => c.resources)),
    tolerations: tolerationsOf(spec.tolerations),
    nodeSelector: stringMap(spec.nodeSelector),
    ...(affinity ? { nodeAffinity: affinity } : {}),
    containers: spec.containers.map((c) => c.name),
  };
}

/**
 * A pod fact from chart defaults, following a recipe that says where the chart's template reads each
 * value: `replicas` (a values path or a number when the template fixes it), `containers` (values paths
 * of each container's resources block), `tolerations`, `nodeSelector` and `affinity` (values paths,
 * each falling back along the listed paths as the template does, e.g. to the chart's `global` block).
 */
export function podFromValues(values, recipe, source) {
  // the first path with a value, as `default .Values.global.x .Values.component.x` does (empty counts as unset)
  const present = (v) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
  const first = (paths) => [paths].flat().map((p) => at(values, p)).find(present);
  const replicas = recipe.workload === 'DaemonSet' ? 1 : typeof recipe.replicas === 'number' ? recipe.replicas : Number(at(values, recipe.replicas) ?? recipe.replicasDefault ?? 1);
  const affinity = recipe.affinity ? affinityOf(first(recipe.affinity)) : undefined;
  return {
    component: recipe.component,
    source,
    workload: recipe.workload,
    replicas,
    requests: sumRequests(recipe.containers.map((c) => (typeof c === 'string' ? at(values, c) : c))),
    tolerations: tolerationsOf(recipe.tolerations ? first(recipe.tolerations) : []),
    nodeSelector: { ...(recipe.fixedNodeSelector ?? {}), ...stringMap(recipe.nodeSelector ? first(recipe.nodeSelector) : {}) },
    ...(affinity ? { nodeAffinity: affinity } : {}),
    valuesPath: recipe.valuesPath,
    valuesPaths: {
      ...(typeof recipe.replicas === 'string' && recipe.workload !== 'DaemonSet' ? { replicas: recipe.replicas } : {}),
      resources: recipe.containers.filter((c) => typeof c === 'string'),
      tolerations: [recipe.tolerations ?? []].flat(),
      nodeSelector: [recipe.nodeSelector ?? []].flat(),
    },
    ...(recipe.enabled ? { enabledBy: recipe.enabled } : {}),
  };
}
