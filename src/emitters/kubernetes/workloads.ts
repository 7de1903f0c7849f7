/**
 * Each workload is one Helm chart, shared by every environment (charts/<name>, see chart.ts),
 * and one values file per environment (helm/<env>/workloads/<name>.values.yaml) that carries
 * every datum of the spec the chart renders. The chart's templates read `.Values` only and are
 * the same text for every workload, so no spec text is ever a template Helm evaluates.
 *
 * workloadValues() builds the values; workloadDocuments() is what the chart renders from them,
 * written out in TypeScript so the invariant rules can check the deployed objects without a
 * template engine. test/helm/chart-render.test.ts renders the real templates with a Go-template
 * evaluator and proves the two agree. The workload's ServiceAccount and ExternalSecrets live
 * in the root kustomization, applied first.
 */
import type { CronSchedule, Model, NodeRequirement, Probe, Workload } from '../../compiler/model.js';
import { commonLabels, LABEL_COMPONENT, LABEL_NAME, tolerationsOf, type Doc } from './meta.js';
import { workloadEnv } from './pod.js';
import { scannerAnnotations } from './scanner-annotations.js';

/** Objects of a workload chart that can carry extra annotations (scanner suppressions, the ALB health check). */
export const ANNOTATED_OBJECTS = ['deployment', 'cronJob', 'service', 'horizontalPodAutoscaler', 'podDisruptionBudget', 'migrationJob', 'serviceMonitor'] as const;
export type AnnotatedObject = (typeof ANNOTATED_OBJECTS)[number];

type Strings = Readonly<Record<string, string>>;
/**
 * A probe as Kubernetes writes it (the chart prints it with toYaml): one handler, httpGet,
 * tcpSocket or exec; a probe on the container port names it (`http`), any other port is a number.
 */
export interface ProbeValues {
  readonly httpGet?: { readonly path: string; readonly port: number | 'http' };
  readonly tcpSocket?: { readonly port: number | 'http' };
  readonly exec?: { readonly command: readonly string[] };
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

/** The values of one workload in one environment: everything its chart renders. */
export interface WorkloadValues {
  readonly name: string;
  readonly namespace: string;
  /** service (Deployment, Service), worker (Deployment only) or cronjob (CronJob): which templates render. */
  readonly kind: Workload['kind'];
  /** app.kubernetes.io/component of the pods: api (flask), frontend (react), service (container), worker or cronjob. */
  readonly component: string;
  /** Labels of every object (managed-by, part-of, environment); the chart adds app.kubernetes.io/name. */
  readonly labels: Strings;
  /** Extra annotations per object; empty when none. */
  readonly annotations: Readonly<Partial<Record<AnnotatedObject, Strings>>>;
  /**
   * What CI promotes: image.tag is one line of the file. Absent until the first promotion: the
   * chart then renders no Deployment, migration Job, HPA or PDB (nothing to pull, no pods to select).
   */
  readonly image: { readonly repository: string; readonly tag?: string };
  /** The Deployment's replicas and HPA; absent for a cronjob (one pod per run, no HPA). */
  readonly replicas?: { readonly min: number; readonly max: number };
  readonly autoscaling?: { readonly cpuUtilization: number; readonly memoryUtilization: number };
  /** A PodDisruptionBudget (maxUnavailable 1): services and workers with replicas.min >= 2. */
  readonly podDisruptionBudget: boolean;
  /** The container port; absent: the container declares none (a worker or cronjob). */
  readonly port?: number;
  /** The container's command and args, when the spec replaces the image's ENTRYPOINT and CMD. */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly runAsUser: number;
  readonly serviceAccountName: string;
  readonly env: readonly Doc[];
  readonly resources: { readonly requests: Strings; readonly limits: Strings };
  /** Absent: no probe of that kind. */
  readonly probes: { readonly liveness?: ProbeValues; readonly readiness?: ProbeValues; readonly startup?: ProbeValues };
  /** kind cronjob: the CronJob's schedule and run policy. */
  readonly cronjob?: CronSchedule;
  /**
   * The pod's node affinity: required (application nodes of the preferred pool's architectures,
   * linux) and preferred (the pool, by karpenter.sh/nodepool). The pool is a preference, not a pin.
   */
  readonly affinity: { readonly nodeAffinity: Doc };
  /** Tolerations of the preferred pool's taints; absent when it has none. */
  readonly tolerations?: readonly Doc[];
  /** Absent: no migration Job. */
  readonly migration?: { readonly command: readonly string[] };
  /** Absent: no metrics port, no ServiceMonitor. `release` is the label kube-prometheus-stack selects on. */
  readonly metrics?: { readonly path: string; readonly port: number; readonly release: string };
}

function probe(p: Probe, containerPort: number | undefined): ProbeValues {
  const port = (n: number): number | 'http' => (n === containerPort ? 'http' : n);
  const timing = { initialDelaySeconds: p.initialDelaySeconds, periodSeconds: p.periodSeconds, timeoutSeconds: p.timeoutSeconds, failureThreshold: p.failureThreshold };
  if ('http' in p) return { httpGet: { path: p.http.path, port: port(p.http.port) }, ...timing };
  if ('tcp' in p) return { tcpSocket: { port: port(p.tcp.port) }, ...timing };
  return { exec: { command: [...p.exec.command] }, ...timing };
}

const COMPONENTS: Readonly<Record<Workload['type'], string>> = { flask: 'api', react: 'frontend', container: 'service' };

/**
 * The path the ALB health-checks: the readiness probe's, when it is an HTTP probe on the service
 * port (the only port the ALB's security group and the NetworkPolicy let it reach); else the
 * controller's default, / on that port.
 */
const healthCheckPath = (w: Workload): string | undefined =>
  w.probes.readiness && 'http' in w.probes.readiness && w.probes.readiness.http.port === w.port ? w.probes.readiness.http.path : undefined;

const matchExpressions = (rs: readonly NodeRequirement[]): Doc[] => rs.map((r) => ({ key: r.key, operator: r.operator, values: [...r.values] }));

/** The model's node affinity as Kubernetes writes it (required terms ORed: one term, its expressions ANDed). */
function nodeAffinity(a: Workload['nodeAffinity']): Doc {
  return {
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: matchExpressions(a.required) }] },
    ...(a.preferred.length > 0 ? { preferredDuringSchedulingIgnoredDuringExecution: a.preferred.map((p) => ({ weight: p.weight, preference: { matchExpressions: matchExpressions(p.requirements) } })) } : {}),
  };
}

export function workloadValues(model: Model, w: Workload): WorkloadValues {
  const target = (kind: string, name = w.name) => scannerAnnotations(model, `${kind}/${w.namespace}/${name}`);
  const extra: Record<AnnotatedObject, Record<string, string>> = {
    deployment: w.kind !== 'cronjob' ? target('Deployment') : {},
    cronJob: w.kind === 'cronjob' ? target('CronJob') : {},
    service: w.kind === 'service' ? { ...(w.ingress && healthCheckPath(w) ? { 'alb.ingress.kubernetes.io/healthcheck-path': healthCheckPath(w)! } : {}), ...target('Service') } : {},
    horizontalPodAutoscaler: w.horizontalPodAutoscaler ? target('HorizontalPodAutoscaler') : {},
    podDisruptionBudget: w.podDisruptionBudget ? target('PodDisruptionBudget') : {},
    migrationJob: w.migration ? target('Job', `${w.name}-migrate`) : {},
    serviceMonitor: w.metrics ? target('ServiceMonitor') : {},
  };
  const annotations = Object.fromEntries(ANNOTATED_OBJECTS.filter((o) => Object.keys(extra[o]).length > 0).map((o) => [o, extra[o]]));
  return {
    name: w.name,
    namespace: w.namespace,
    kind: w.kind,
    component: w.kind === 'service' ? COMPONENTS[w.type] : w.kind,
    labels: commonLabels(model),
    annotations,
    image: { repository: `${w.image.registry}/${w.image.repository}`, ...(w.image.tag !== undefined ? { tag: w.image.tag } : {}) },
    replicas: w.horizontalPodAutoscaler ? { min: w.replicas.min, max: w.replicas.max } : undefined,
    autoscaling: w.horizontalPodAutoscaler ? { cpuUtilization: w.autoscaling.cpuUtilization, memoryUtilization: w.autoscaling.memoryUtilization } : undefined,
    podDisruptionBudget: w.podDisruptionBudget,
    port: w.port,
    command: w.command ? [...w.command] : undefined,
    args: w.args ? [...w.args] : undefined,
    runAsUser: w.runAsUser,
    serviceAccountName: w.identity.serviceAccount,
    env: workloadEnv(model, w),
    resources: { requests: { ...w.resources.requests }, limits: { ...w.resources.limits } },
    probes: {
      liveness: w.probes.liveness ? probe(w.probes.liveness, w.port) : undefined,
      readiness: w.probes.readiness ? probe(w.probes.readiness, w.port) : undefined,
      startup: w.probes.startup ? probe(w.probes.startup, w.port) : undefined,
    },
    cronjob: w.cronjob ? { ...w.cronjob } : undefined,
    affinity: { nodeAffinity: nodeAffinity(w.nodeAffinity) },
    tolerations: w.tolerations.length > 0 ? tolerationsOf(w.tolerations) : undefined,
    migration: w.migration ? { command: [...w.migration.command] } : undefined,
    metrics: w.metrics ? { path: w.metrics.path, port: w.metrics.port, release: model.platform.monitoring.releaseName } : undefined,
  };
}

// What the chart renders (templates in chart.ts): keep the two in step; the render test fails otherwise.

const selectorLabels = (v: WorkloadValues): Strings => ({ [LABEL_NAME]: v.name });
const metadata = (v: WorkloadValues, object: AnnotatedObject, name: string, labels: Strings = {}, annotations: Strings = {}): Doc => {
  const all = { ...annotations, ...v.annotations[object] };
  return { name, namespace: v.namespace, labels: { ...v.labels, ...selectorLabels(v), ...labels }, annotations: Object.keys(all).length > 0 ? all : undefined };
};

const probeDoc = (p: ProbeValues | undefined): Doc | undefined => (p ? (structuredClone(p) as unknown as Doc) : undefined);

/** Non-root, read-only root file system, no privilege escalation, no capabilities, RuntimeDefault seccomp. */
export const containerSecurityContext = (runAsUser: number): Doc => ({
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
});

/** What a pod of the chart runs: the long-running container (Deployment), one scheduled run (CronJob) or the migration. */
type PodRole = 'serving' | 'scheduled' | 'migration';

/**
 * The hardened pod every workload container runs in: an emptyDir for /tmp, spread across zones
 * (long-running pods), placed by node affinity (its pool preferred) and the pool's tolerations.
 */
function podTemplate(v: WorkloadValues, role: PodRole, labels: Strings): Doc {
  const spread = (topologyKey: string, whenUnsatisfiable: string): Doc => ({ maxSkew: 1, topologyKey, whenUnsatisfiable, labelSelector: { matchLabels: selectorLabels(v) }, matchLabelKeys: ['pod-template-hash'] });
  const serving = role === 'serving';
  const ports: Doc[] = v.port !== undefined ? [{ name: 'http', containerPort: v.port, protocol: 'TCP' }] : [];
  if (v.port !== undefined && v.metrics && v.metrics.port !== v.port) ports.push({ name: 'metrics', containerPort: v.metrics.port, protocol: 'TCP' });
  return {
    metadata: { labels: { ...labels } },
    spec: {
      serviceAccountName: v.serviceAccountName,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: v.runAsUser, runAsGroup: v.runAsUser, fsGroup: v.runAsUser, seccompProfile: { type: 'RuntimeDefault' } },
      affinity: structuredClone(v.affinity),
      tolerations: v.tolerations ? [...v.tolerations] : undefined,
      topologySpreadConstraints: serving ? [spread('topology.kubernetes.io/zone', 'DoNotSchedule'), spread('kubernetes.io/hostname', 'ScheduleAnyway')] : undefined,
      restartPolicy: serving ? undefined : 'Never',
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: role === 'migration' ? 'migrate' : v.name,
          image: `${v.image.repository}:${v.image.tag ?? ''}`,
          imagePullPolicy: 'IfNotPresent',
          command: role === 'migration' ? [...v.migration!.command] : v.command ? [...v.command] : undefined,
          args: role !== 'migration' && v.args ? [...v.args] : undefined,
          ports: role !== 'migration' && ports.length > 0 ? ports : undefined,
          env: [...v.env],
          resources: { requests: { ...v.resources.requests }, limits: { ...v.resources.limits } },
          livenessProbe: role !== 'migration' ? probeDoc(v.probes.liveness) : undefined,
          readinessProbe: serving ? probeDoc(v.probes.readiness) : undefined,
          startupProbe: role !== 'migration' ? probeDoc(v.probes.startup) : undefined,
          securityContext: containerSecurityContext(v.runAsUser),
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }],
    },
  };
}

function deployment(v: WorkloadValues): Doc {
  const labels = { ...selectorLabels(v), [LABEL_COMPONENT]: v.component };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(v, 'deployment', v.name, { [LABEL_COMPONENT]: v.component }),
    spec: {
      // The HPA owns the replica count after the first sync (the Application ignores /spec/replicas).
      replicas: v.replicas!.min,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(v) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: podTemplate(v, 'serving', labels),
    },
  };
}

/** kind cronjob: the same hardened pod, one per run, on the spec's schedule in its time zone. */
function cronJob(v: WorkloadValues, c: CronSchedule): Doc {
  const labels = { ...selectorLabels(v), [LABEL_COMPONENT]: v.component };
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: metadata(v, 'cronJob', v.name, { [LABEL_COMPONENT]: v.component }),
    spec: {
      schedule: c.schedule,
      timeZone: c.timeZone,
      concurrencyPolicy: c.concurrencyPolicy,
      startingDeadlineSeconds: c.startingDeadlineSeconds,
      successfulJobsHistoryLimit: c.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: c.failedJobsHistoryLimit,
      jobTemplate: {
        metadata: { labels: { ...labels } },
        spec: { backoffLimit: c.backoffLimit, activeDeadlineSeconds: c.activeDeadlineSeconds, template: podTemplate(v, 'scheduled', labels) },
      },
    },
  };
}

function service(v: WorkloadValues): Doc {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(v, 'service', v.name),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(v),
      ports: [
        ...(v.port !== undefined ? [{ name: 'http', port: v.port, targetPort: 'http', protocol: 'TCP' }] : []),
        ...(v.metrics && v.metrics.port !== v.port ? [{ name: 'metrics', port: v.metrics.port, targetPort: 'metrics', protocol: 'TCP' }] : []),
      ],
    },
  };
}

function hpa(v: WorkloadValues): Doc {
  const target = (name: 'cpu' | 'memory', averageUtilization: number): Doc => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } });
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadata(v, 'horizontalPodAutoscaler', v.name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: v.name },
      minReplicas: v.replicas!.min,
      maxReplicas: v.replicas!.max,
      metrics: [target('cpu', v.autoscaling!.cpuUtilization), target('memory', v.autoscaling!.memoryUtilization)],
    },
  };
}

function pdb(v: WorkloadValues): Doc {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(v, 'podDisruptionBudget', v.name),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(v) } },
  };
}

function migrationJob(v: WorkloadValues): Doc {
  const hook = { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(v, 'migrationJob', `${v.name}-migrate`, { [LABEL_COMPONENT]: 'migration' }, hook),
    spec: { backoffLimit: 1, activeDeadlineSeconds: 900, template: podTemplate(v, 'migration', { ...selectorLabels(v), [LABEL_COMPONENT]: 'migration' }) },
  };
}

function serviceMonitor(v: WorkloadValues, metrics: NonNullable<WorkloadValues['metrics']>): Doc {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: metadata(v, 'serviceMonitor', v.name, { release: metrics.release }),
    spec: {
      selector: { matchLabels: selectorLabels(v) },
      namespaceSelector: { matchNames: [v.namespace] },
      endpoints: [{ port: metrics.port === v.port ? 'http' : 'metrics', path: metrics.path, interval: '30s', scheme: 'http' }],
    },
  };
}

/** Whether the values name an image: until CI's first promotion sets image.tag, the chart renders no pods. */
export const promoted = (v: Pick<WorkloadValues, 'image'>): boolean => typeof v.image?.tag === 'string' && v.image.tag !== '';

/**
 * What the workload chart renders from these values, in apply order (the migration hook first),
 * by kind: a service a Deployment, Service, HPA and PDB; a worker the same without the Service; a
 * cronjob a CronJob only (no HPA, no PDB: its pods come and go by schedule). Not yet promoted (no
 * image.tag): the Service (the Ingress's backend, which the load balancer controller needs; the
 * ALB answers 503 while it has no endpoints) and the ServiceMonitor (no targets yet) only: no
 * Deployment, CronJob or migration Job to pull an image that does not exist, and no HPA or PDB
 * for pods that do not exist.
 */
export function workloadDocuments(v: WorkloadValues): Doc[] {
  const pods = promoted(v);
  const scheduled = v.kind === 'cronjob';
  return [
    ...(pods && v.migration ? [migrationJob(v)] : []),
    ...(pods && !scheduled ? [deployment(v)] : []),
    ...(pods && scheduled && v.cronjob ? [cronJob(v, v.cronjob)] : []),
    ...(v.kind === 'service' ? [service(v)] : []),
    ...(pods && !scheduled ? [hpa(v)] : []),
    ...(pods && v.podDisruptionBudget ? [pdb(v)] : []),
    ...(v.metrics ? [serviceMonitor(v, v.metrics)] : []),
  ];
}

/** Stands for the tag CI's first promotion will record (CI's sha-<commit> form, with no commit yet). */
export const AWAITED_TAG = 'sha-awaiting-promotion';

/**
 * What the chart will render once CI promotes an image: the same values with a tag. The invariant
 * rules check these documents, so a workload not yet promoted is still proved hardened, spread and
 * budgeted before its first pod exists (its image tag is judged by the values file, not here).
 */
export function workloadDocumentsOncePromoted(v: WorkloadValues): Doc[] {
  return workloadDocuments(promoted(v) ? v : { ...v, image: { ...v.image, tag: AWAITED_TAG } });
}
