/**
 * The hardened pod template every workload container runs in: non-root, read-only root file
 * system, no privilege escalation, no capabilities, RuntimeDefault seccomp, an emptyDir for
 * /tmp, spread across zones, placed on its pool by nodeSelector and tolerations (ARM64 only by
 * explicit toleration, which the model carries for arm64 pools).
 */
import type { Model, Probe, Workload } from '../../compiler/model.js';
import { LABEL_NAME, runtimeSecretName, secretsSecretName, tolerationsOf, type Doc } from './meta.js';
import { runtimeValues } from './secrets.js';

/** Helm expressions of the workload chart: the only values CI changes. */
export const IMAGE_EXPRESSION = '{{ required "image.repository is set in the environment values" .Values.image.repository }}:{{ required "image.tag is set in the environment values" .Values.image.tag }}';

/** Numeric uid (workloads.<name>.runAsUser), so the kubelet can verify runAsNonRoot. */
export const containerSecurityContext = (w: Workload): Doc => ({
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: w.runAsUser,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
});

const httpProbe = (p: Probe): Doc => ({
  httpGet: { path: p.path, port: 'http' },
  initialDelaySeconds: p.initialDelaySeconds,
  periodSeconds: p.periodSeconds,
  timeoutSeconds: p.timeoutSeconds,
  failureThreshold: p.failureThreshold,
});

export function workloadEnv(model: Model, w: Workload): Doc[] {
  return [
    { name: 'AWS_REGION', value: model.environment.region },
    ...w.env.map((e) => ({ name: e.name, value: e.value })),
    ...w.secrets.map((s) => ({ name: s.env, valueFrom: { secretKeyRef: { name: secretsSecretName(w.name), key: s.env } } })),
    ...(w.database
      ? [
          ...runtimeValues(model).map((v) => ({ name: v.key, valueFrom: { secretKeyRef: { name: runtimeSecretName(w.name), key: v.key } } })),
          { name: 'DATABASE_PORT', value: String(model.database.port) },
          { name: 'DATABASE_NAME', value: model.database.databaseName },
          { name: 'DATABASE_SSLMODE', value: model.database.forceSsl ? 'require' : 'prefer' },
        ]
      : []),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function containerPorts(w: Workload): Doc[] {
  const ports: Doc[] = [{ name: 'http', containerPort: w.port, protocol: 'TCP' }];
  if (w.metrics && w.metrics.port !== w.port) ports.push({ name: 'metrics', containerPort: w.metrics.port, protocol: 'TCP' });
  return ports;
}

export interface PodOptions {
  /** Container command (the migration Job); absent runs the image's own. */
  readonly command?: readonly string[];
  /** Probes and ports: the long-running container only. */
  readonly serving: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

export function podTemplate(model: Model, w: Workload, options: PodOptions): Doc {
  const selector = { [LABEL_NAME]: w.name };
  return {
    metadata: { labels: { ...options.labels } },
    spec: {
      serviceAccountName: w.identity.serviceAccount,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: w.runAsUser, runAsGroup: w.runAsUser, fsGroup: w.runAsUser, seccompProfile: { type: 'RuntimeDefault' } },
      nodeSelector: { ...w.nodeSelector, 'kubernetes.io/os': 'linux' },
      tolerations: w.tolerations.length > 0 ? tolerationsOf(w.tolerations) : undefined,
      topologySpreadConstraints: options.serving
        ? [
            { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selector }, matchLabelKeys: ['pod-template-hash'] },
            { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector }, matchLabelKeys: ['pod-template-hash'] },
          ]
        : undefined,
      restartPolicy: options.serving ? undefined : 'Never',
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: options.serving ? w.name : 'migrate',
          image: IMAGE_EXPRESSION,
          imagePullPolicy: 'IfNotPresent',
          command: options.command ? [...options.command] : undefined,
          ports: options.serving ? containerPorts(w) : undefined,
          env: workloadEnv(model, w),
          resources: { requests: { ...w.resources.requests }, limits: { ...w.resources.limits } },
          livenessProbe: options.serving ? httpProbe(w.probes.liveness) : undefined,
          readinessProbe: options.serving ? httpProbe(w.probes.readiness) : undefined,
          startupProbe: options.serving ? httpProbe(w.probes.startup) : undefined,
          securityContext: containerSecurityContext(w),
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }],
    },
  };
}
