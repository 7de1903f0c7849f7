/**
 * values.schema.json of every workload chart (JSON Schema draft-07, which Helm checks before
 * rendering): the shape workloadValues() writes, strict, so a missing or misspelt key in an
 * environment's values file fails `helm template` (and the ArgoCD sync) instead of rendering
 * a half-empty Deployment. Label keys the chart sets itself are refused in `labels`.
 */
import { ANNOTATED_OBJECTS } from '../workloads.js';

type Schema = Record<string, unknown>;

const string: Schema = { type: 'string', minLength: 1 };
const strings: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const port: Schema = { type: 'integer', minimum: 1, maximum: 65535 };
const object = (properties: Record<string, Schema>, optional: readonly string[] = []): Schema => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});
const count = (minimum: number): Schema => ({ type: 'integer', minimum });
const probePort: Schema = { oneOf: [port, { const: 'http' }] };
const commandList: Schema = { type: 'array', minItems: 1, items: { type: 'string' } };
/** A probe as Kubernetes writes it: exactly one handler (httpGet, tcpSocket or exec) and its timing. */
const probe: Schema = {
  ...object(
    {
      httpGet: object({ path: { type: 'string', pattern: '^/' }, port: probePort }),
      tcpSocket: object({ port: probePort }),
      exec: object({ command: commandList }),
      initialDelaySeconds: count(0),
      periodSeconds: count(1),
      timeoutSeconds: count(1),
      failureThreshold: count(1),
    },
    ['httpGet', 'tcpSocket', 'exec'],
  ),
  oneOf: [{ required: ['httpGet'] }, { required: ['tcpSocket'] }, { required: ['exec'] }],
};
/** The CronJob of a kind: cronjob workload. */
const cronjob = object({
  schedule: string,
  timeZone: string,
  concurrencyPolicy: { enum: ['Forbid', 'Allow', 'Replace'] },
  startingDeadlineSeconds: count(1),
  backoffLimit: count(0),
  activeDeadlineSeconds: count(1),
  successfulJobsHistoryLimit: count(0),
  failedJobsHistoryLimit: count(0),
});
const matchExpressions: Schema = {
  type: 'array',
  minItems: 1,
  items: object({ key: string, operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] }, values: { type: 'array', items: { type: 'string' } } }, ['values']),
};
/** Node affinity of the workload's pods: required terms (ORed) and weighted preferences. */
const nodeAffinity = object(
  {
    requiredDuringSchedulingIgnoredDuringExecution: object({ nodeSelectorTerms: { type: 'array', minItems: 1, items: object({ matchExpressions }) } }),
    preferredDuringSchedulingIgnoredDuringExecution: { type: 'array', items: object({ weight: { type: 'integer', minimum: 1, maximum: 100 }, preference: object({ matchExpressions }) }) },
  },
  ['preferredDuringSchedulingIgnoredDuringExecution'],
);
const quantities = object({ cpu: string, memory: string }, ['cpu', 'memory']);

export const VALUES_SCHEMA: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Values of an innovate workload chart',
  description: 'Written per environment by innovate (helm/<env>/workloads/<name>.values.yaml); edit innovate.yaml, not the values.',
  ...object(
    {
      name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 53 },
      namespace: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
      kind: { enum: ['service', 'worker', 'cronjob'] },
      component: string,
      labels: { ...strings, propertyNames: { not: { enum: ['app.kubernetes.io/name', 'app.kubernetes.io/component', 'release'] } } },
      annotations: object(Object.fromEntries(ANNOTATED_OBJECTS.map((o) => [o, strings])), ANNOTATED_OBJECTS),
      // The tag is absent (or empty) until CI's first promotion: the chart then renders no pods.
      image: object({ repository: string, tag: { type: 'string', pattern: '^$|^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$' } }, ['tag']),
      replicas: object({ min: count(1), max: count(1) }),
      autoscaling: object({ cpuUtilization: { type: 'integer', minimum: 1, maximum: 100 }, memoryUtilization: { type: 'integer', minimum: 1, maximum: 100 } }),
      podDisruptionBudget: { type: 'boolean' },
      port,
      command: commandList,
      args: { type: 'array', items: { type: 'string' } },
      runAsUser: count(1),
      serviceAccountName: string,
      env: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['name'],
          properties: { name: string, value: { type: 'string' }, valueFrom: { type: 'object' } },
          additionalProperties: false,
          oneOf: [{ required: ['value'] }, { required: ['valueFrom'] }],
        },
      },
      resources: object({ requests: quantities, limits: quantities }),
      probes: object({ liveness: probe, readiness: probe, startup: probe }, ['liveness', 'readiness', 'startup']),
      cronjob,
      affinity: object({ nodeAffinity: nodeAffinity }),
      tolerations: {
        type: 'array',
        items: object({ key: string, operator: { enum: ['Equal', 'Exists'] }, value: { type: 'string' }, effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] } }, ['value']),
      },
      migration: object({ command: { type: 'array', minItems: 1, items: { type: 'string' } } }),
      metrics: object({ path: string, port, release: string }),
    },
    ['replicas', 'autoscaling', 'port', 'command', 'args', 'cronjob', 'tolerations', 'migration', 'metrics'],
  ),
  // A service listens on a port; a cronjob carries its schedule.
  allOf: [
    { if: { properties: { kind: { const: 'service' } } }, then: { required: ['port'] } },
    { if: { properties: { kind: { const: 'cronjob' } } }, then: { required: ['cronjob'] }, else: { required: ['replicas', 'autoscaling'] } },
  ],
};
