/**
 * Each workload is a small Helm chart in the config repo (kubernetes/<env>/workloads/<name>):
 * literal, validated manifests whose only template expressions are the image repository and
 * tag, read from helm/<env>/workloads/<name>.values.yaml, the one line CI promotes. Its
 * ServiceAccount and ExternalSecrets live in the root kustomization, applied first.
 */
import type { Model, Workload } from '../../compiler/model.js';
import { LABEL_COMPONENT, LABEL_NAME, meta, type Doc } from './meta.js';
import { podTemplate } from './pod.js';

/** The values a workload chart reads: what CI promotes. */
export function workloadValues(w: Workload): { image: { repository: string; tag: string } } {
  return { image: { repository: `${w.image.registry}/${w.image.repository}`, tag: w.image.tag } };
}

const selectorLabels = (w: Workload): Record<string, string> => ({ [LABEL_NAME]: w.name });

function deployment(model: Model, w: Workload): Doc {
  const labels = { ...selectorLabels(w), [LABEL_COMPONENT]: w.type === 'flask' ? 'api' : 'frontend' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(model, w.name, { namespace: w.namespace, labels }),
    spec: {
      // The HPA owns the replica count after the first sync (the Application ignores /spec/replicas).
      replicas: w.replicas.min,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(w) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: podTemplate(model, w, { serving: true, labels }),
    },
  };
}

function service(model: Model, w: Workload): Doc {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(model, w.name, {
      namespace: w.namespace,
      labels: selectorLabels(w),
      annotations: w.ingress ? { 'alb.ingress.kubernetes.io/healthcheck-path': w.probes.readiness.path } : undefined,
    }),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(w),
      ports: [
        { name: 'http', port: w.port, targetPort: 'http', protocol: 'TCP' },
        ...(w.metrics && w.metrics.port !== w.port ? [{ name: 'metrics', port: w.metrics.port, targetPort: 'metrics', protocol: 'TCP' }] : []),
      ],
    },
  };
}

function hpa(model: Model, w: Workload): Doc {
  const target = (name: 'cpu' | 'memory', averageUtilization: number): Doc => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } });
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(model, w.name, { namespace: w.namespace, labels: selectorLabels(w) }),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: w.name },
      minReplicas: w.replicas.min,
      maxReplicas: w.replicas.max,
      metrics: [target('cpu', w.autoscaling.cpuUtilization), target('memory', w.autoscaling.memoryUtilization)],
    },
  };
}

function pdb(model: Model, w: Workload): Doc {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(model, w.name, { namespace: w.namespace, labels: selectorLabels(w) }),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(w) } },
  };
}

function migrationJob(model: Model, w: Workload, command: readonly string[]): Doc {
  const labels = { ...selectorLabels(w), [LABEL_COMPONENT]: 'migration' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(model, `${w.name}-migrate`, {
      namespace: w.namespace,
      labels,
      annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' },
    }),
    spec: { backoffLimit: 1, activeDeadlineSeconds: 900, template: podTemplate(model, w, { serving: false, command, labels }) },
  };
}

function serviceMonitor(model: Model, w: Workload, metrics: NonNullable<Workload['metrics']>): Doc {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: meta(model, w.name, { namespace: w.namespace, labels: { ...selectorLabels(w), release: model.platform.monitoring.releaseName } }),
    spec: {
      selector: { matchLabels: selectorLabels(w) },
      namespaceSelector: { matchNames: [w.namespace] },
      endpoints: [{ port: metrics.port === w.port ? 'http' : 'metrics', path: metrics.path, interval: '30s', scheme: 'http' }],
    },
  };
}

/** Template files of a workload chart, in apply order: file name (under templates/) -> documents. */
export function workloadTemplates(model: Model, w: Workload): { file: string; documents: Doc[] }[] {
  return [
    ...(w.migration ? [{ file: 'migration-job.yaml', documents: [migrationJob(model, w, w.migration.command)] }] : []),
    { file: 'deployment.yaml', documents: [deployment(model, w)] },
    { file: 'service.yaml', documents: [service(model, w)] },
    { file: 'hpa.yaml', documents: [hpa(model, w)] },
    { file: 'pdb.yaml', documents: [pdb(model, w)] },
    ...(w.metrics ? [{ file: 'servicemonitor.yaml', documents: [serviceMonitor(model, w, w.metrics)] }] : []),
  ];
}

export function workloadChart(model: Model, w: Workload): Doc {
  return {
    apiVersion: 'v2',
    name: w.name,
    description: `${w.name} (${w.type}) in ${model.environment.name}: generated by innovate; the image comes from the environment values.`,
    type: 'application',
    version: '1.0.0',
  };
}

/** Chart defaults: empty, so a missing environment values file fails the render instead of deploying a stale image. */
export const WORKLOAD_CHART_DEFAULTS = { image: { repository: '', tag: '' } } as const;
