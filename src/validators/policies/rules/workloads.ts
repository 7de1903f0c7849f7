import { docsOf, get, k8sTarget } from '../context.js';
import type { K8sDoc, Manifest, PolicyFinding, Rule } from '../types.js';

const POD_KINDS = ['Deployment', 'Job', 'CronJob', 'StatefulSet', 'DaemonSet'];
/** The pod template's spec; a CronJob's is inside its Job template. */
const podSpec = (d: K8sDoc): Record<string, unknown> | undefined =>
  (d.kind === 'CronJob' ? get(d.spec, 'jobTemplate', 'spec', 'template', 'spec') : get(d.spec, 'template', 'spec')) as Record<string, unknown> | undefined;
const containers = (pod: Record<string, unknown> | undefined): Record<string, unknown>[] => [
  ...((pod?.initContainers ?? []) as Record<string, unknown>[]),
  ...((pod?.containers ?? []) as Record<string, unknown>[]),
];

/** Pods of application namespaces (the platform's charts are checked by their own values). */
function* appPods(ctx: Parameters<Rule['check']>[0]) {
  const appNamespaces = new Set(ctx.models.flatMap((m) => m.namespaces.map((n) => n.name)));
  for (const [m, d] of docsOf(ctx, ...POD_KINDS)) if (appNamespaces.has(d.metadata?.namespace ?? '')) yield [m, d, podSpec(d)] as const;
}

/** A Deployment of a service (not a worker): what the model says of the workload it belongs to, else assumed a service. */
function servesTraffic(ctx: Parameters<Rule['check']>[0], d: K8sDoc): boolean {
  const name = d.metadata?.labels?.['app.kubernetes.io/name'] ?? d.metadata?.name;
  const w = ctx.models.flatMap((m) => m.workloads).find((x) => x.name === name && x.namespace === d.metadata?.namespace);
  return w === undefined || w.kind === 'service';
}

const workloadPath = (d: K8sDoc): string[] => ['workloads', d.metadata?.labels?.['app.kubernetes.io/name'] ?? d.metadata?.name ?? ''];

export const hardenedPods: Rule = {
  id: 'INV009',
  title: 'Hardened workloads',
  principle: 'hardened workloads',
  severity: 'error',
  hint: 'non-root, read-only root filesystem, no privilege escalation, all capabilities dropped, requests and limits, probes',
  help: 'Every application container (Deployments, CronJobs, Jobs) runs as non-root with a read-only root filesystem, no privilege escalation and no capabilities; declares CPU and memory requests and limits; the containers of services have liveness and readiness probes.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const [m, d, pod] of appPods(ctx)) {
      const add = (message: string) => out.push({ rule: this.id, message: `${k8sTarget(d)}: ${message}`, artifact: m.path, target: k8sTarget(d), ...(m.environment ? { environment: m.environment } : {}), specPath: workloadPath(d) });
      const podNonRoot = get(pod, 'securityContext', 'runAsNonRoot') === true;
      for (const c of containers(pod)) {
        const sc = (c.securityContext ?? {}) as Record<string, unknown>;
        const name = String(c.name);
        if (!podNonRoot && sc.runAsNonRoot !== true) add(`container ${name} may run as root`);
        if (sc.readOnlyRootFilesystem !== true) add(`container ${name} has a writable root filesystem`);
        if (sc.allowPrivilegeEscalation !== false) add(`container ${name} allows privilege escalation`);
        if (!((get(sc, 'capabilities', 'drop') ?? []) as string[]).includes('ALL')) add(`container ${name} keeps Linux capabilities`);
        if (sc.privileged === true) add(`container ${name} is privileged`);
        for (const kind of ['requests', 'limits'] as const) {
          for (const r of ['cpu', 'memory']) if (get(c, 'resources', kind, r) === undefined) add(`container ${name} has no ${r} ${kind.slice(0, -1)}`);
        }
        // A service's containers: a worker answers no traffic (its spec decides its probes, INN083), a Job runs to completion.
        if (d.kind === 'Deployment' && servesTraffic(ctx, d) && (!c.livenessProbe || !c.readinessProbe)) add(`container ${name} lacks a liveness or readiness probe`);
      }
      if (pod?.hostNetwork === true || pod?.hostPID === true || pod?.hostIPC === true) add('shares a host namespace');
    }
    return out;
  },
};

export const availability: Rule = {
  id: 'INV010',
  title: 'User-facing services stay available',
  principle: 'hardened workloads',
  severity: 'error',
  hint: 'keep replicas.min >= 2 and a PodDisruptionBudget for user-facing services',
  help: 'A user-facing service runs at least two replicas (HPA minReplicas) and has a PodDisruptionBudget, so node consolidation and rollouts never take it down.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const model of ctx.models) {
      const env = model.environment.name;
      const envDocs = ctx.manifests.filter((m) => m.environment === env);
      if (envDocs.length === 0) continue;
      const index = new Map<string, readonly [Manifest, K8sDoc]>();
      for (const m of envDocs) for (const d of m.docs) index.set(`${d.kind}/${d.metadata?.namespace}/${d.metadata?.name}`, [m, d]);
      for (const w of model.workloads.filter((x) => x.userFacing)) {
        const find = (kind: string) => index.get(`${kind}/${w.namespace}/${w.name}`);
        const hpa = find('HorizontalPodAutoscaler');
        const min = get(hpa?.[1].spec, 'minReplicas') as number | undefined;
        if (!hpa || (min ?? 1) < 2) out.push({ rule: this.id, message: `${w.name} in ${env} can scale below 2 replicas`, artifact: hpa?.[0].path ?? `kubernetes/${env}`, target: `HorizontalPodAutoscaler/${w.namespace}/${w.name}`, environment: env, specPath: ['workloads', w.name, 'replicas', 'min'] });
        if (!find('PodDisruptionBudget')) out.push({ rule: this.id, message: `${w.name} in ${env} has no PodDisruptionBudget`, artifact: `kubernetes/${env}`, target: `PodDisruptionBudget/${w.namespace}/${w.name}`, environment: env, specPath: ['workloads', w.name] });
      }
    }
    return out;
  },
};

export const imageProvenance: Rule = {
  id: 'INV011',
  title: "Images only from the platform's ECR, never :latest",
  principle: 'hardened workloads',
  severity: 'error',
  hint: 'reference images in the environment account ECR with an immutable tag',
  help: 'Application images come from the platform ECR registries of the spec\'s accounts and carry an immutable tag (never latest, never untagged).',
  check(ctx) {
    const out: PolicyFinding[] = [];
    const registries = new Set(ctx.models.flatMap((m) => m.environments.map((e) => `${e.accountId}.dkr.ecr.${e.region}.amazonaws.com/`)));
    const judge = (image: string): string | undefined => {
      if (image.includes('{{')) return undefined; // resolved from values, checked below
      if (![...registries].some((r) => image.startsWith(r))) return `image ${image} is not from the platform ECR`;
      const tag = /:([^/:@]+)$/.exec(image)?.[1];
      if (!image.includes('@sha256:') && (!tag || tag === 'latest')) return `image ${image} has no immutable tag`;
      return undefined;
    };
    const valuesFiles = new Set(ctx.values.map((v) => v.path));
    for (const [m, d, pod] of appPods(ctx)) {
      if (valuesFiles.has(m.path)) continue; // a workload chart's pods: judged once, by its values file, below
      for (const c of containers(pod)) {
        const problem = judge(String(c.image ?? ''));
        if (problem) out.push({ rule: this.id, message: problem, artifact: m.path, target: k8sTarget(d), specPath: workloadPath(d) });
      }
    }
    for (const v of ctx.values) {
      const repo = get(v.values, 'image', 'repository');
      const tag = get(v.values, 'image', 'tag');
      if (typeof repo !== 'string' || !/\/workloads\//.test(v.path)) continue;
      // No tag yet: the chart renders no pods until CI promotes an image it built (INV113 checks the first deploy);
      // the repository is judged all the same, as the tag CI will record (sha-<commit>).
      const problem = judge(`${repo}:${tag === undefined || tag === '' ? 'sha-awaiting-promotion' : String(tag)}`);
      if (problem) out.push({ rule: this.id, message: problem, artifact: v.path, target: 'image', specPath: ['workloads', v.path.split('/').pop()!.replace(/\.values\.ya?ml$/, ''), 'tag'] });
    }
    return out;
  },
};
