/**
 * The parts of the model buildModel (build.ts) composes: node pools, workloads and their pod
 * identities, and the in-cluster platform components with the add-ons' identities.
 */
import { DEFAULT_CHART_VERSIONS } from '../schema/delivery.js';
import type { Spec } from '../schema/spec.js';
import * as derive from './derive.js';
import type { EnvironmentRef, Model, NodePool, PlatformComponent, PodIdentity, Taint, Toleration, Workload } from './model.js';
import * as names from './names.js';

/** Entries sorted by key: every collection of the model is ordered by name. */
export const byName = <T>(record: Readonly<Record<string, T>>): [string, T][] => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export const toleration = (t: Taint): Toleration => ({ key: t.key, operator: 'Equal', value: t.value, effect: t.effect });

export function podIdentity(accountId: string, cluster: string, component: string, namespace: string, serviceAccount: string): PodIdentity {
  const roleName = names.podRoleName(cluster, component);
  return { namespace, serviceAccount, roleName, roleArn: names.roleArn(accountId, roleName) };
}

export function nodePools(spec: Spec, envName: string): NodePool[] {
  const env = spec.environments[envName]!;
  const k = spec.cluster.karpenter;
  return byName(spec.cluster.nodePools).map(([name, p]) => {
    const taints: Taint[] = [...p.taints];
    const has = (t: Taint) => taints.some((x) => x.key === t.key && x.effect === t.effect);
    // Every pool that can launch arm64 is tainted (architecture document: "ARM64 nodes carry a taint ...
    // so only workloads with explicit tolerations land there"). A NodePool's taints apply to all its
    // nodes, so a mixed pool's amd64 nodes carry it too: what tolerates it must run on both (multi-arch).
    if (p.architectures.includes('arm64') && !has(names.ARM64_TAINT)) taints.push({ ...names.ARM64_TAINT });
    if (p.role === 'platform' && !has(names.PLATFORM_TAINT)) taints.push({ ...names.PLATFORM_TAINT });
    const labels = Object.fromEntries(
      Object.entries({ ...p.labels, [names.LABEL_POOL]: name, [names.LABEL_ROLE]: p.role }).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    return {
      name,
      role: p.role,
      architectures: [...p.architectures].sort(),
      capacityTypes: [...derive.capacityTypes(p, env)].sort(),
      instanceCategories: [...p.instanceCategories].sort(),
      ...(p.instanceGeneration ? { instanceGeneration: p.instanceGeneration } : {}),
      ...(p.instanceFamilies ? { instanceFamilies: [...p.instanceFamilies].sort() } : {}),
      ...(p.minInstanceFamilies !== undefined ? { minInstanceFamilies: p.minInstanceFamilies } : {}),
      taints,
      labels,
      tolerations: taints.map(toleration),
      limits: p.limits,
      ...(p.weight !== undefined ? { weight: p.weight } : {}),
      expireAfter: p.expireAfter,
      consolidationPolicy: k.consolidationPolicy,
      consolidateAfter: k.consolidateAfter,
      nodeClass: 'default',
    };
  });
}

/** The label Karpenter puts on every node it launches: the name of the NodePool that launched it. */
const LABEL_KARPENTER_NODEPOOL = 'karpenter.sh/nodepool';

/**
 * A workload's pool is a preference, not a pin. Required: an application node (innovate.dev/role)
 * of the preferred pool's architectures, linux; so the pods may run on any application pool that
 * launches those architectures and whose taints they tolerate. Preferred (weight 100): a node of
 * the preferred pool, by the karpenter.sh/nodepool label Karpenter sets on every node it launches
 * (https://karpenter.sh/docs/concepts/scheduling/#well-known-labels).
 *
 * Karpenter honours the preference when it provisions: "Karpenter starts by treating preferred
 * affinities as required affinities when constructing requirements for a pod. When these
 * requirements cannot be met, the pod's preferences are relaxed ... and the remaining
 * requirements are tried again" (https://karpenter.sh/docs/concepts/scheduling/#preferences).
 * So it launches in the preferred pool while that pool can (its limits, its instance types), then
 * in the other application pools by their weight; the kube-scheduler likewise prefers existing
 * nodes of the pool. Production's On-Demand baseline (weight 50) fills first and the Spot pools
 * (weight 10) take the burst.
 */
function workloadAffinity(poolName: string, architectures: readonly ('amd64' | 'arm64')[]): Workload['nodeAffinity'] {
  return {
    required: [
      { key: names.LABEL_ROLE, operator: 'In', values: ['application'] },
      { key: 'kubernetes.io/arch', operator: 'In', values: [...architectures] },
      { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
    ],
    preferred: poolName ? [{ weight: 100, requirements: [{ key: LABEL_KARPENTER_NODEPOOL, operator: 'In', values: [poolName] }] }] : [],
  };
}

export function workloads(spec: Spec, env: EnvironmentRef, cluster: string, pools: readonly NodePool[]): Workload[] {
  const host = names.registryHost(env.accountId, env.region);
  return byName(spec.workloads).map(([name, w]) => {
    const poolName = derive.workloadPool(w, spec) ?? '';
    const pool = pools.find((p) => p.name === poolName);
    const architectures = pool?.architectures ?? ['amd64'];
    const port = derive.workloadPort(w);
    const replicas = derive.workloadReplicas(w);
    return {
      name,
      kind: w.kind,
      type: w.type,
      ...(w.type === 'container' && w.build ? { build: { dockerfile: w.build.dockerfile, context: derive.buildContext(w.build) } } : {}),
      ...(w.command ? { command: [...w.command] } : {}),
      ...(w.args ? { args: [...w.args] } : {}),
      namespace: w.namespace,
      image: { registry: host, repository: names.ecrRepositoryName(spec.metadata.name, derive.workloadRepository(name, w)), ...(w.tag !== undefined ? { tag: w.tag } : {}), tagSource: w.tag === undefined || names.CI_TAG_PATTERN.test(w.tag) ? 'ci' : 'spec' },
      ...(port !== undefined ? { port } : {}),
      runAsUser: w.runAsUser,
      userFacing: derive.userFacing(w),
      replicas,
      autoscaling: derive.workloadAutoscaling(w),
      horizontalPodAutoscaler: w.kind !== 'cronjob',
      podDisruptionBudget: w.kind !== 'cronjob' && replicas.min >= 2,
      resources: w.resources,
      probes: derive.workloadProbes(w),
      ...(w.kind === 'cronjob' && w.cronjob ? { cronjob: { ...w.cronjob } } : {}),
      ...(w.ingress ? { ingress: w.ingress } : {}),
      pool: poolName,
      architectures,
      nodeAffinity: workloadAffinity(poolName, architectures),
      tolerations: pool?.tolerations ?? [],
      env: byName(w.env).map(([n, value]) => ({ name: n, value })),
      secrets: byName(w.secrets).map(([envName, ref]) => ({
        env: envName,
        secret: ref.secret,
        secretName: names.secretName(spec.metadata.name, env.name, ref.secret),
        key: ref.key,
      })),
      database: w.database,
      ...(w.migration ? { migration: w.migration } : {}),
      ...(w.metrics && (w.metrics.port ?? port) !== undefined ? { metrics: { path: w.metrics.path, port: (w.metrics.port ?? port)! } } : {}),
      aws: w.aws,
      identity: podIdentity(env.accountId, cluster, `wl-${name}`, w.namespace, name),
    };
  });
}

const CHART_REPOS: Record<string, string> = {
  karpenter: 'public.ecr.aws/karpenter',
  'aws-load-balancer-controller': 'https://aws.github.io/eks-charts',
  'external-secrets': 'https://charts.external-secrets.io',
  'argo-cd': 'https://argoproj.github.io/argo-helm',
  'kube-prometheus-stack': 'https://prometheus-community.github.io/helm-charts',
  gatekeeper: 'https://open-policy-agent.github.io/gatekeeper/charts',
  'metrics-server': 'https://kubernetes-sigs.github.io/metrics-server/',
  'external-dns': 'https://kubernetes-sigs.github.io/external-dns/',
  'policy-controller': 'https://sigstore.github.io/helm-charts',
};

/** Namespace and service account of policy-controller's webhook (the chart's release namespace; webhook.serviceAccount.name). */
export const POLICY_CONTROLLER = { namespace: 'cosign-system', serviceAccount: 'policy-controller-webhook', component: 'policy-controller' } as const;

export function platform(spec: Spec, env: EnvironmentRef, cluster: string, verifies: boolean): Model['platform'] {
  const charts = spec.delivery.charts as Record<string, string>;
  const component = (chart: string, namespace: string, identity?: [string, string]): PlatformComponent => ({
    chart,
    version: charts[chart] ?? DEFAULT_CHART_VERSIONS[chart as keyof typeof DEFAULT_CHART_VERSIONS],
    namespace,
    releaseName: chart,
    repoUrl: CHART_REPOS[chart]!,
    ...(identity ? { identity: podIdentity(env.accountId, cluster, identity[0], namespace, identity[1]) } : {}),
  });
  return {
    karpenter: { ...component('karpenter', 'kube-system', ['karpenter', 'karpenter']), version: spec.cluster.karpenter.version },
    awsLoadBalancerController: component('aws-load-balancer-controller', 'kube-system', ['alb-controller', 'aws-load-balancer-controller']),
    externalSecrets: component('external-secrets', 'external-secrets', ['external-secrets', 'external-secrets']),
    argocd: component('argo-cd', 'argocd'),
    monitoring: component('kube-prometheus-stack', names.MONITORING_NAMESPACE),
    gatekeeper: component('gatekeeper', 'gatekeeper-system'),
    metricsServer: component('metrics-server', 'kube-system'),
    // The host's DNS record: written by external-dns into the environment's zone, so only with one.
    ...(spec.ingress?.hostedZoneId ? { externalDns: component('external-dns', 'external-dns', ['external-dns', 'external-dns']) } : {}),
    // Signature verification at admission: only with a signing key to verify against.
    ...(verifies ? { policyController: component('policy-controller', POLICY_CONTROLLER.namespace, [POLICY_CONTROLLER.component, POLICY_CONTROLLER.serviceAccount]) } : {}),
  };
}

/** EKS add-ons that call AWS get their own role through Pod Identity or IRSA. */
export const ADDON_IDENTITIES: Record<string, [string, string, string]> = {
  'vpc-cni': ['vpc-cni', 'kube-system', 'aws-node'],
  'aws-ebs-csi-driver': ['ebs-csi', 'kube-system', 'ebs-csi-controller-sa'],
  'aws-efs-csi-driver': ['efs-csi', 'kube-system', 'efs-csi-controller-sa'],
  'amazon-cloudwatch-observability': ['cloudwatch-agent', 'amazon-cloudwatch', 'cloudwatch-agent'],
};
