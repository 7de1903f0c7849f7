/**
 * Every pod the platform runs, with its requests, selectors, tolerations and identity, and where
 * it may run:
 *   - workloads: the Deployments, CronJobs and Jobs of the workload charts, as emitted;
 *   - platform charts: each pod the pinned chart's defaults give (the inventory's
 *     CHART_POD_DEFAULTS), with replicas, requests, nodeSelector and tolerations taken from our
 *     values at the pod's values path where they are set (then the chart's `global` block), else
 *     from the defaults; a chart the inventory does not know is one pod read from our values;
 *   - EKS add-ons: the inventory's ADDON_PODS for each AWS::EKS::Addon.
 * Each number records its origin. Placement: a pod may run on a node kind whose labels satisfy its
 * nodeSelector and required node affinity and whose NoSchedule/NoExecute taints it tolerates all
 * of; a DaemonSet lands on every such node kind.
 */
import type { Model, PlatformComponent } from '../compiler/model.js';
import { ADDON_PODS, CHART_POD_DEFAULTS, type PodSpecFact } from '../inventory/index.js';
import { cpuMilli, memoryMiB } from './capacity.js';
import { ADDON_ACCOUNTS } from './principals.js';
import { at, isObj, kubeTarget, type KubeDoc, type Sources } from './sources.js';
import type { NodeKind, Origin, Pod, PodIdentityBinding, Resources, Source, Toleration } from './types.js';

type Json = Record<string, unknown>;
type Draft = Omit<Pod, 'placement'>;

/** The add-on pod that runs as the add-on's service account (the others run without AWS access). */
const ADDON_IDENTITY_COMPONENT: Readonly<Record<string, string>> = {
  'vpc-cni': 'aws-node',
  'aws-ebs-csi-driver': 'ebs-csi-controller',
  'amazon-cloudwatch-observability': 'cloudwatch-agent',
};

const CHART_SPEC_PATH: Readonly<Record<keyof Model['platform'], readonly string[]>> = {
  karpenter: ['cluster', 'karpenter'],
  awsLoadBalancerController: ['delivery', 'charts'],
  externalSecrets: ['security', 'secrets'],
  argocd: ['delivery'],
  monitoring: ['observability', 'prometheus'],
  gatekeeper: ['security', 'gatekeeper'],
  metricsServer: ['delivery', 'charts'],
  externalDns: ['ingress', 'hostedZoneId'],
  policyController: ['security', 'admission'],
};

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}

function tolerationList(v: unknown): Toleration[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter(isObj).map((t) => ({
    ...(t.key !== undefined ? { key: String(t.key) } : {}),
    ...(t.operator !== undefined ? { operator: String(t.operator) } : {}),
    ...(t.value !== undefined ? { value: String(t.value) } : {}),
    ...(t.effect !== undefined ? { effect: String(t.effect) } : {}),
  }));
}

function requestsOf(containers: unknown): Resources {
  let cpu = 0;
  let memory = 0;
  for (const c of Array.isArray(containers) ? containers : []) {
    cpu += cpuMilli(at(c, 'resources.requests.cpu')) ?? 0;
    memory += memoryMiB(at(c, 'resources.requests.memory')) ?? 0;
  }
  return { cpuMilli: cpu, memoryMiB: memory };
}

function affinityOf(podSpec: Json): Pod['nodeAffinity'] {
  const terms = at(podSpec, 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms');
  if (!Array.isArray(terms)) return undefined;
  return terms.filter(isObj).map((t) => (Array.isArray(t.matchExpressions) ? t.matchExpressions : []).filter(isObj).map((e) => ({ key: String(e.key), operator: String(e.operator), values: Array.isArray(e.values) ? e.values.map(String) : [] })));
}

/** A pod read from an emitted Deployment, StatefulSet, DaemonSet or Job document. */
function podFromDoc(model: Model, { artifact, doc }: KubeDoc, controller: Pod['controller']): Draft | undefined {
  // A CronJob's pod template sits one level down, in its Job template.
  const template = controller === 'CronJob' ? 'jobTemplate.spec.template' : 'template';
  const podSpec = at(doc.spec, `${template}.spec`);
  if (!isObj(podSpec)) return undefined;
  const name = doc.metadata?.name ?? '?';
  const wl = model.workloads.find((w) => artifact.includes(`/workloads/${w.name}/`) || w.name === doc.metadata?.labels?.['app.kubernetes.io/name']);
  const origin: Origin = wl ? 'spec' : 'manifest';
  const affinity = affinityOf(podSpec);
  const sa = typeof podSpec.serviceAccountName === 'string' ? podSpec.serviceAccountName : undefined;
  const namespace = doc.metadata?.namespace ?? 'default';
  const image = Array.isArray(podSpec.containers) && isObj(podSpec.containers[0]) ? podSpec.containers[0].image : undefined;
  return {
    id: controller === 'Job' ? `job:${namespace}/${name}` : `workload:${wl?.name ?? name}`,
    origin: controller === 'Job' ? 'job' : 'workload',
    owner: wl?.name ?? name,
    component: name,
    namespace,
    labels: stringMap(at(doc.spec, `${template}.metadata.labels`)) ?? {},
    controller,
    replicas: controller === 'DaemonSet' || controller === 'CronJob' ? 1 : Number(at(doc.spec, 'replicas') ?? (controller === 'Job' ? (at(doc.spec, 'parallelism') ?? 1) : 1)),
    requests: requestsOf(podSpec.containers),
    nodeSelector: stringMap(podSpec.nodeSelector) ?? {},
    tolerations: tolerationList(podSpec.tolerations) ?? [],
    ...(affinity ? { nodeAffinity: affinity } : {}),
    ...(sa ? { serviceAccount: sa } : {}),
    ...(typeof image === 'string' ? { image } : {}),
    origins: { replicas: origin, requests: origin, nodeSelector: origin, tolerations: origin },
    source: { artifact, resource: kubeTarget(doc), ...(wl ? { specPath: ['workloads', wl.name] } : {}) },
  };
}

/**
 * Workload pods: the emitted Deployments and Jobs when the workload charts hand over their
 * documents; otherwise each workload's values file (what its chart renders), falling back to the
 * compiled spec for anything the values do not say, plus its migration Job when it has one.
 */
function workloadPods(model: Model, src: Sources): Draft[] {
  const kinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;
  const fromDocs = kinds.flatMap((k) => src.docs(k).map((d) => podFromDoc(model, d, k))).filter((d): d is Draft => d !== undefined);
  const covered = new Set(fromDocs.map((d) => d.owner));
  const out = [...fromDocs];
  for (const w of model.workloads) {
    if (covered.has(w.name)) continue;
    const values = src.values(`workloads/${w.name}`);
    const v = values?.values ?? {};
    const replicas = pick(v, ['replicas.min', 'replicas', 'replicaCount'], num);
    const cpu = pick(v, ['resources.requests.cpu'], cpuMilli);
    const mem = pick(v, ['resources.requests.memory'], memoryMiB);
    const selector = pick(v, ['nodeSelector'], stringMap);
    const tolerations = pick(v, ['tolerations'], tolerationList);
    // The values' required node affinity (what the chart renders), else the model's. The pool is a
    // preference (preferred affinity), so it does not narrow where the pod may run.
    const valuesAffinity = affinityOf(v);
    const affinity = valuesAffinity ?? [w.nodeAffinity.required.map((r) => ({ key: r.key, operator: r.operator, values: [...r.values] }))];
    const sa = at(v, 'serviceAccountName');
    const namespace = typeof v.namespace === 'string' ? v.namespace : w.namespace;
    const source: Source = { artifact: values?.path ?? '?', resource: `workloads/${w.name}`, specPath: ['workloads', w.name] };
    // The chart's image: repository and tag from the values. No tag (not yet promoted): the chart renders
    // no pods until CI's promotion sets one; they stay in the model, awaiting the image, so the rules
    // still prove where they will run and what they will reach.
    const repository = at(v, 'image.repository');
    const tag = at(v, 'image.tag');
    const image = typeof repository === 'string' ? (typeof tag === 'string' && tag !== '' ? { image: `${repository}:${tag}` } : { awaitingImage: true as const }) : w.image.tag !== undefined ? { image: `${w.image.registry}/${w.image.repository}:${w.image.tag}` } : { awaitingImage: true as const };
    const base: Omit<Draft, 'id' | 'origin' | 'component' | 'controller' | 'replicas'> = {
      owner: w.name,
      namespace,
      labels: { 'app.kubernetes.io/name': w.name },
      requests: { cpuMilli: cpu?.value ?? cpuMilli(w.resources.requests.cpu) ?? 0, memoryMiB: mem?.value ?? memoryMiB(w.resources.requests.memory) ?? 0 },
      nodeSelector: selector?.value ?? {},
      tolerations: tolerations?.value ?? w.tolerations.map((t) => ({ ...t })),
      nodeAffinity: affinity,
      serviceAccount: typeof sa === 'string' ? sa : w.identity.serviceAccount,
      ...image,
      origins: { replicas: replicas ? 'values' : 'spec', requests: cpu || mem ? 'values' : 'spec', nodeSelector: selector || valuesAffinity ? 'values' : 'spec', tolerations: tolerations ? 'values' : 'spec' },
      source,
    };
    // A cronjob's pods run one per run, on the same nodes, with the same identity and access as a service's.
    const cron = (v.kind ?? w.kind) === 'cronjob';
    out.push({ ...base, id: `workload:${w.name}`, origin: 'workload', component: w.name, controller: cron ? 'CronJob' : 'Deployment', replicas: cron ? 1 : (replicas?.value ?? w.replicas.min), ...(cron ? { origins: { ...base.origins, replicas: 'spec' as const } } : {}) });
    if (w.migration) out.push({ ...base, id: `job:${namespace}/${w.name}-migration`, origin: 'job', component: `${w.name}-migration`, controller: 'Job', replicas: 1, origins: { ...base.origins, replicas: 'spec' } });
  }
  return out;
}

/** First value found along the paths, with the path it came from. */
function pick<T>(values: Json, paths: readonly string[], read: (v: unknown) => T | undefined): { value: T; path: string } | undefined {
  for (const p of paths) {
    const v = read(at(values, p));
    if (v !== undefined) return { value: v, path: p };
  }
  return undefined;
}

const join = (base: string, leaf: string) => (base ? `${base}.${leaf}` : leaf);

/**
 * Where a chart reads a pod's value outside the pod's own values path (chart:valuesPath ->
 * field -> extra paths): karpenter's controller container takes `controller.resources`;
 * gatekeeper's controller manager takes the top-level `replicas`; policy-controller's webhook takes
 * the chart's `commonNodeSelector` and `commonTolerations`.
 */
const ELSEWHERE: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'karpenter:': { resources: ['controller.resources'] },
  'gatekeeper:controllerManager': { replicas: ['replicas'] },
  'policy-controller:webhook': { nodeSelector: ['commonNodeSelector'], tolerations: ['commonTolerations'] },
};
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function chartPod(model: Model, key: keyof Model['platform'], component: PlatformComponent, values: { path: string; values: Json } | undefined, fact: (PodSpecFact & { valuesPath: string }) | undefined, primary: boolean): Draft {
  const v = values?.values ?? {};
  const base = fact?.valuesPath ?? '';
  const extra = ELSEWHERE[`${component.chart}:${base}`] ?? {};
  const replicas = pick(v, [join(base, 'replicas'), join(base, 'replicaCount'), ...(extra.replicas ?? [])], num);
  const resources = [join(base, 'resources'), ...(extra.resources ?? [])];
  const cpu = pick(v, resources.map((r) => `${r}.requests.cpu`), cpuMilli);
  const mem = pick(v, resources.map((r) => `${r}.requests.memory`), memoryMiB);
  const selector = pick(v, [join(base, 'nodeSelector'), ...(extra.nodeSelector ?? []), 'global.nodeSelector'], stringMap);
  const tolerations = pick(v, [join(base, 'tolerations'), ...(extra.tolerations ?? []), 'global.tolerations'], tolerationList);
  const fallback: Origin = fact ? 'chart-defaults' : 'values';
  const daemon = fact?.workload === 'DaemonSet';
  const sa = primary ? at(v, 'serviceAccount.name') : undefined;
  const name = fact?.component ?? component.chart;
  return {
    id: `chart:${component.chart}/${name}`,
    origin: 'chart',
    owner: component.chart,
    component: name,
    namespace: component.namespace,
    labels: {},
    controller: fact?.workload ?? 'Deployment',
    replicas: daemon ? 1 : (replicas?.value ?? fact?.replicas ?? 1),
    requests: { cpuMilli: cpu?.value ?? fact?.requests.cpuMilli ?? 0, memoryMiB: mem?.value ?? fact?.requests.memoryMiB ?? 0 },
    nodeSelector: selector?.value ?? fact?.nodeSelector ?? {},
    tolerations: tolerations?.value ?? fact?.tolerations ?? [],
    ...(typeof sa === 'string' ? { serviceAccount: sa } : primary && component.identity ? { serviceAccount: component.identity.serviceAccount } : {}),
    origins: {
      replicas: replicas && !daemon ? 'values' : fallback,
      requests: cpu || mem ? 'values' : fallback,
      nodeSelector: selector ? 'values' : fallback,
      tolerations: tolerations ? 'values' : fallback,
    },
    source: { artifact: values?.path ?? '?', resource: `${component.chart}:${base || '.'}${fact ? ` (${fact.source})` : ''}`, specPath: CHART_SPEC_PATH[key] },
  };
}

function chartPods(model: Model, src: Sources, gaps: string[]): Draft[] {
  const out: Draft[] = [];
  for (const key of (Object.keys(model.platform) as (keyof Model['platform'])[]).sort()) {
    const component = model.platform[key];
    if (!component) continue;
    const values = src.values(component.chart);
    if (!values) continue;
    const facts = CHART_POD_DEFAULTS[component.chart];
    if (!facts || facts.length === 0) {
      gaps.push(`chart ${component.chart}: no pinned defaults in the inventory; one pod read from our values`);
      out.push(chartPod(model, key, component, values, undefined, true));
      continue;
    }
    // A component our values switch off (argo-cd's dex: enabled: false) runs no pod.
    facts.forEach((f, i) => {
      if (f.valuesPath === '' || at(values.values, `${f.valuesPath}.enabled`) !== false) out.push(chartPod(model, key, component, values, f, i === 0));
    });
  }
  return out;
}

function addonPods(src: Sources, gaps: string[]): Draft[] {
  // Where an add-on's ConfigurationValues hold each component's pod settings (the add-on's
  // configuration schema, which is its chart's values schema): aws-ebs-csi-driver `controller.*`
  // and `node.*` (kubernetes-sigs/aws-ebs-csi-driver charts/aws-ebs-csi-driver/values.schema.json),
  // coredns at the top level; amazon-cloudwatch-observability's operator `manager.*` (its chart's
  // values, inventory/amazon-cloudwatch-observability/values.yaml). Components not listed take no configuration in the model.
  const configPath: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    'aws-ebs-csi-driver': { 'ebs-csi-controller': 'controller', 'ebs-csi-node': 'node' },
    coredns: { coredns: '' },
    'amazon-cloudwatch-observability': { 'amazon-cloudwatch-observability-controller-manager': 'manager' },
  };
  // ConfigurationValues as JSON when it is a literal string holding an object (CloudFormation
  // takes JSON or YAML text); anything else is a gap and the add-on's defaults stand.
  const configurationValues = (name: string, raw: unknown): Json | undefined => {
    if (raw === undefined) return undefined;
    try {
      const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : undefined;
      if (isObj(parsed)) return parsed;
    } catch {
      // not JSON: a gap below
    }
    gaps.push(`add-on ${name}: ConfigurationValues is not a literal JSON object; its pods are read from the add-on's defaults`);
    return undefined;
  };
  const out: Draft[] = [];
  for (const e of src.of('AWS::EKS::Addon')) {
    const name = String(e.props.AddonName);
    const facts = ADDON_PODS[name];
    if (!facts || facts.length === 0) {
      gaps.push(`add-on ${name}: no pod facts in the inventory`);
      continue;
    }
    const account = ADDON_ACCOUNTS[name];
    const config = configurationValues(name, e.props.ConfigurationValues) ?? {};
    for (const f of facts) {
      const withIdentity = account && (ADDON_IDENTITY_COMPONENT[name] ?? facts[0]!.component) === f.component;
      // The add-on's ConfigurationValues at the component's path override its defaults: the
      // chart's own nodeSelector (kubernetes.io/os) stays and ours is added to it; tolerations,
      // the replica count and requests replace the defaults.
      const base = configPath[name]?.[f.component];
      const path = (leaf: string) => (base === undefined ? [] : [join(base, leaf)]);
      const selector = pick(config, path('nodeSelector'), stringMap);
      const tolerations = pick(config, path('tolerations'), tolerationList);
      const replicas = f.workload === 'DaemonSet' ? undefined : pick(config, path('replicaCount'), num);
      const cpu = pick(config, path('resources.requests.cpu'), cpuMilli);
      const mem = pick(config, path('resources.requests.memory'), memoryMiB);
      out.push({
        id: `addon:${name}/${f.component}`,
        origin: 'addon',
        owner: name,
        component: f.component,
        namespace: account?.namespace ?? 'kube-system',
        labels: {},
        controller: f.workload,
        replicas: f.workload === 'DaemonSet' ? 1 : (replicas?.value ?? f.replicas),
        requests: { cpuMilli: cpu?.value ?? f.requests.cpuMilli, memoryMiB: mem?.value ?? f.requests.memoryMiB },
        nodeSelector: { ...f.nodeSelector, ...selector?.value },
        tolerations: tolerations?.value ?? f.tolerations.map((t) => ({ ...t })),
        // The add-on's own required affinity (dcgm-exporter and neuron-monitor only on GPU and
        // Neuron instance types): without it they would count as DaemonSets on every node.
        ...(f.nodeAffinity ? { nodeAffinity: f.nodeAffinity.map((term) => term.map((e) => ({ key: e.key, operator: e.operator, values: [...e.values] }))) } : {}),
        ...(withIdentity ? { serviceAccount: account.serviceAccount } : {}),
        origins: {
          replicas: replicas ? 'values' : 'addon-manifest',
          requests: cpu || mem ? 'values' : 'addon-manifest',
          nodeSelector: selector ? 'values' : 'addon-manifest',
          tolerations: tolerations ? 'values' : 'addon-manifest',
        },
        source: { artifact: e.template.path, resource: `${e.id} (${f.source}${selector || tolerations || replicas || cpu || mem ? `; ConfigurationValues ${base || '.'}` : ''})`, specPath: ['cluster', 'addons'] },
      });
    }
  }
  return out;
}

// ---- placement --------------------------------------------------------------------------------

function tolerates(tolerations: readonly Toleration[], taint: NodeKind['taints'][number]): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

function expressionHolds(labels: NodeKind['labels'], e: { key: string; operator: string; values: readonly string[] }): boolean {
  const have = labels[e.key];
  switch (e.operator) {
    case 'In':
      return have !== undefined && have.some((v) => e.values.includes(v));
    case 'NotIn':
      return have === undefined || have.some((v) => !e.values.includes(v));
    case 'Exists':
      return have !== undefined;
    case 'DoesNotExist':
      return have === undefined;
    default:
      return true;
  }
}

/** Whether a pod may run on a node kind (labels can hold several values: some node of the kind matches). */
export function fits(pod: Pick<Pod, 'nodeSelector' | 'tolerations' | 'nodeAffinity'>, node: Pick<NodeKind, 'labels' | 'taints'>): boolean {
  for (const [k, v] of Object.entries(pod.nodeSelector)) if (!node.labels[k]?.includes(v)) return false;
  if (pod.nodeAffinity && pod.nodeAffinity.length > 0 && !pod.nodeAffinity.some((term) => term.every((e) => expressionHolds(node.labels, e)))) return false;
  return node.taints.every((t) => t.effect === 'PreferNoSchedule' || tolerates(pod.tolerations, t));
}

function withIdentity(pod: Draft, identities: readonly PodIdentityBinding[]): Draft {
  if (!pod.serviceAccount) return pod;
  const identity = identities.find((b) => b.namespace === pod.namespace && b.serviceAccount === pod.serviceAccount);
  return identity ? { ...pod, identity } : pod;
}

export function buildPods(model: Model, src: Sources, nodes: readonly NodeKind[], identities: readonly PodIdentityBinding[], gaps: string[]): Pod[] {
  const drafts = [...workloadPods(model, src), ...chartPods(model, src, gaps), ...addonPods(src, gaps)];
  return drafts
    .map((d) => withIdentity(d, identities))
    .map((d): Pod => ({ ...d, placement: nodes.filter((n) => fits(d, n)).map((n) => n.id) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
