import * as z from 'zod/mini';
import { described, dnsLabel, quantity } from './primitives.js';

/**
 * Shared by the three probes: each `z.optional(...)` carries its own description. One handler:
 * `path` (HTTP GET), `tcp: true` (a TCP connect) or `exec` (a command); the validators check
 * there is exactly one and that it fits the workload's kind (INN083).
 */
const probe = described(
  z.strictObject({
    path: described(z.optional(z.string().check(z.regex(/^\/[\w\-./~%]*$/, { message: 'must be an absolute HTTP path' }))), 'HTTP GET path: an HTTP probe.'),
    tcp: described(z.optional(z.literal(true)), 'true: a TCP connect probe on the port.'),
    exec: described(z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))), 'Command run in the container (exit 0 = healthy): an exec probe.'),
    port: described(z.optional(z.int().check(z.minimum(1024), z.maximum(65535))), 'Port of an HTTP or TCP probe. @default the workload port'),
    initialDelaySeconds: described(z._default(z.int().check(z.minimum(0), z.maximum(3600)), 0), '@default 0'),
    periodSeconds: described(z._default(z.int().check(z.minimum(1), z.maximum(3600)), 10), '@default 10'),
    timeoutSeconds: described(z._default(z.int().check(z.minimum(1), z.maximum(600)), 2), '@default 2'),
    failureThreshold: described(z._default(z.int().check(z.minimum(1), z.maximum(100)), 3), '@default 3'),
  }),
  'A probe: HTTP (path), TCP (tcp: true) or exec (exec), with its timing.',
);

/** A probe, or false: no probe of this kind (workers and cronjobs only, INN083). */
const probeOrOff = (description: string) => described(z.optional(z.union([z.literal(false), probe])), description);

/** HPA bounds: shared by the workload and the derived defaults (derive.ts parses {} with it). */
export const replicasSchema = z.strictObject({
  min: described(z._default(z.int().check(z.minimum(1), z.maximum(1000)), 2), '@default 2'),
  max: described(z._default(z.int().check(z.minimum(1), z.maximum(1000)), 10), '@default 10'),
});

/** HPA targets: shared by the workload and the derived defaults. */
export const autoscalingSchema = z.strictObject({
  cpuUtilization: described(z._default(z.int().check(z.minimum(1), z.maximum(100)), 70), '@default 70'),
  memoryUtilization: described(z._default(z.int().check(z.minimum(1), z.maximum(100)), 70), '@default 70'),
});

/** A path inside the application repository: relative, no `..`, no leading `/`. */
const repoPath = (message: string) => z.string().check(z.regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[\w\-./]+$/, { message }));

/** The CronJob of a `kind: cronjob` workload. */
const cronjob = z.strictObject({
  schedule: described(z.string().check(z.minLength(1)), 'Cron schedule, five fields ("30 2 * * *") or a macro (@daily, @hourly); checked by INN086.'),
  timeZone: described(z._default(z.string().check(z.minLength(1)), 'Etc/UTC'), 'IANA time zone the schedule is read in (Europe/Berlin); checked by INN087. @default Etc/UTC'),
  concurrencyPolicy: described(z._default(z.enum(['Forbid', 'Allow', 'Replace']), 'Forbid'), 'What a run does while the previous one still runs: Forbid skips it, Replace stops the old one, Allow runs both. @default Forbid'),
  startingDeadlineSeconds: described(z._default(z.int().check(z.minimum(10), z.maximum(86400)), 300), 'A run that could not start within this many seconds of its time is skipped (and counted missed). @default 300'),
  backoffLimit: described(z._default(z.int().check(z.minimum(0), z.maximum(20)), 2), 'Retries of a failed run before the Job fails. @default 2'),
  activeDeadlineSeconds: described(z._default(z.int().check(z.minimum(1), z.maximum(604800)), 3600), 'A run still going after this many seconds is stopped and fails. @default 3600'),
  successfulJobsHistoryLimit: described(z._default(z.int().check(z.minimum(0), z.maximum(100)), 3), 'Finished Jobs kept (their pods and logs). @default 3'),
  failedJobsHistoryLimit: described(z._default(z.int().check(z.minimum(0), z.maximum(100)), 3), 'Failed Jobs kept. @default 3'),
});

/** Shared by requests, limits and the LimitRange entries: each wrapper carries its own description. */
const resources = z.strictObject({
  cpu: described(quantity.clone(), 'CPU (250m, 1).'),
  memory: described(quantity.clone(), 'Memory (256Mi, 1Gi).'),
});

const envName = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an environment variable name' }));

const iamStatement = z.strictObject({
  actions: described(
    z.array(z.string().check(z.regex(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, { message: 'must be an IAM action such as s3:GetObject' }))).check(z.minLength(1)),
    'IAM actions, for example s3:GetObject.',
  ),
  resources: described(z.array(z.string().check(z.minLength(1))).check(z.minLength(1)), 'Resource ARNs; "*" only with actions that cannot be scoped.'),
});

export const workloadSchema = described(
  z.strictObject({
    kind: described(
      z._default(z.enum(['service', 'worker', 'cronjob']), 'service'),
      'What runs: service (a Deployment behind a Service: HTTP, probes, maybe an ingress), worker (a Deployment with no Service, no ingress, no port: a queue consumer) or cronjob (a CronJob on cronjob.schedule). @default service',
    ),
    type: described(
      z.enum(['flask', 'react', 'container']),
      'How its image is built: flask and react get a generated Dockerfile (docker/<name>/); container builds the Dockerfile the application repository already has (build.dockerfile), for any language.',
    ),
    build: described(
      z.optional(
        z.strictObject({
          dockerfile: described(repoPath('must be a relative path inside the application repository'), 'Path of the Dockerfile in the application repository (services/orders/Dockerfile).'),
          context: described(z.optional(repoPath('must be a relative path inside the application repository')), 'Build context folder in the application repository. @default the Dockerfile\'s folder'),
        }),
      ),
      'Where CI builds a type: container image from (required for container, INN085).',
    ),
    command: described(z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))), "Replaces the image's ENTRYPOINT (Kubernetes command). @default the image's"),
    args: described(z.optional(z.array(z.string())), "Replaces the image's CMD (Kubernetes args). @default the image's"),
    namespace: described(z._default(dnsLabel(), 'apps'), 'Namespace it runs in (must be declared under namespaces). @default apps'),
    repository: described(z.optional(dnsLabel(200)), 'ECR repository (under registry.repositories). @default the workload name'),
    tag: described(
      z.optional(z.string().check(z.regex(/^[\w][\w.-]{0,127}$/, { message: 'must be a container image tag' }))),
      'Image tag. Leave it out: CI builds sha-<commit> and its promotion records the tag (environments.<env>.overrides.workloads.<name>.tag); until then the workload runs no pods, so a first deploy pulls nothing. An explicit tag is an external input: an image you assert is already in the environment\'s registry ("latest" is refused). @default none (not yet promoted)',
    ),
    port: described(
      z.optional(z.int().check(z.minimum(1024), z.maximum(65535))),
      'Container port (unprivileged). @default 5000 for a flask service, 8080 for react and container services; none for workers and cronjobs',
    ),
    runAsUser: described(
      z._default(z.int().check(z.minimum(1), z.maximum(2147483647)), 1000),
      "Numeric uid the container runs as, in the pod and in the generated Dockerfile (the document's appuser is the first regular uid). Never 0. @default 1000",
    ),
    userFacing: described(z.optional(z.boolean()), 'User-facing services need at least 2 replicas and a PodDisruptionBudget; workers and cronjobs never are (INN081). @default true for services, false otherwise'),
    replicas: described(z.optional(replicasSchema), 'HorizontalPodAutoscaler bounds; not for cronjobs (INN082). A PodDisruptionBudget comes with min >= 2. @default min 2, max 10'),
    autoscaling: described(z.optional(autoscalingSchema), 'HPA targets, percent of requests; not for cronjobs (INN082). @default cpu 70, memory 70'),
    resources: described(
      z.prefault(
        z.strictObject({
          requests: described(z.prefault(resources, { cpu: '250m', memory: '256Mi' }), '@default cpu 250m, memory 256Mi'),
          limits: described(z.prefault(resources, { cpu: '1', memory: '512Mi' }), '@default cpu 1, memory 512Mi'),
        }),
        {},
      ),
      'Requests (scheduling) and limits (protection).',
    ),
    probes: described(
      z.prefault(
        z.strictObject({
          liveness: probeOrOff('@default GET /healthz for a flask service, / for react and container services; none for workers and cronjobs'),
          readiness: probeOrOff('@default GET /readyz for a flask service, / for react and container services; none for workers and cronjobs (cronjobs take none)'),
          startup: probeOrOff("@default a service's readiness handler, 30 x 2 s; none for workers and cronjobs"),
        }),
        {},
      ),
      'Kubernetes probes (the Validate stage of the pipeline); false turns one off (workers and cronjobs only).',
    ),
    ingress: described(
      z.optional(
        z.strictObject({
          path: described(z.string().check(z.regex(/^\/[\w\-./]*$/, { message: 'must be an absolute path prefix' })), 'Path prefix on the ALB.'),
        }),
      ),
      'Expose through the shared ALB on this path.',
    ),
    pool: described(z.optional(dnsLabel(40)), 'Preferred Karpenter node pool, not a pin: the pods require an application node of this pool\'s architectures (and tolerate its taints) and prefer this pool (node affinity weight 100 on karpenter.sh/nodepool), so they run here while the pool has room and on any other such application pool beyond its limits. @default the first amd64 application pool'),
    env: described(z._default(z.record(envName, z.string()), {}), 'Plain environment variables (no secrets here). @default {}'),
    secrets: described(
      z._default(
        z.record(
          envName,
          z.strictObject({
            secret: described(dnsLabel(64), 'Name under security.secrets.'),
            key: described(z.string().check(z.minLength(1)), 'JSON key inside the secret.'),
          }),
        ),
        {},
      ),
      'Environment variables filled from Secrets Manager by External Secrets: references only. @default {}',
    ),
    database: described(z._default(z.boolean(), false), 'May connect to Aurora on 5432 (NetworkPolicy and security group). @default false'),
    migration: described(
      z.optional(z.strictObject({ command: described(z.array(z.string().check(z.minLength(1))).check(z.minLength(1)), 'Run as an ArgoCD PreSync Job before each rollout.') })),
      'Database migration run before rollout.',
    ),
    metrics: described(
      z.optional(
        z.strictObject({
          path: described(z._default(z.string(), '/metrics'), '@default /metrics'),
          port: described(z.optional(z.int().check(z.minimum(1024), z.maximum(65535))), '@default the service port'),
        }),
      ),
      'Prometheus scraping through a ServiceMonitor.',
    ),
    aws: described(z._default(z.array(iamStatement), []), 'AWS permissions for its IAM role (Pod Identity or IRSA). @default []'),
    cronjob: described(z.optional(cronjob), 'The schedule and run policy of a kind: cronjob workload (required for it, INN088).'),
  }),
  'A containerized workload: a service (Deployment, Service, HPA, PDB), a worker (Deployment, HPA, PDB) or a cronjob (CronJob), with its ServiceAccount and IAM role.',
);

export const workloadsSchema = described(z._default(z.record(dnsLabel(40), workloadSchema), {}), 'Workloads by name.');

export const namespacesSchema = described(
  z.prefault(
    z.record(
      dnsLabel(),
      described(
        z.strictObject({
          podSecurity: described(
            z.optional(z.enum(['restricted', 'baseline', 'privileged'])),
            'Pod Security Standard enforced. @default security.podSecurity',
          ),
          limitRange: described(
            z.prefault(
              z.strictObject({
                defaultRequest: described(z.prefault(resources, { cpu: '100m', memory: '128Mi' }), '@default 100m / 128Mi'),
                default: described(z.prefault(resources, { cpu: '500m', memory: '512Mi' }), '@default 500m / 512Mi'),
                max: described(z.prefault(resources, { cpu: '4', memory: '8Gi' }), '@default 4 / 8Gi'),
              }),
              {},
            ),
            'Per-container defaults and ceiling.',
          ),
          quota: described(
            z.prefault(
              z.strictObject({
                requestsCpu: described(z._default(quantity, '20'), '@default 20'),
                requestsMemory: described(z._default(quantity, '40Gi'), '@default 40Gi'),
                limitsCpu: described(z._default(quantity, '40'), '@default 40'),
                limitsMemory: described(z._default(quantity, '80Gi'), '@default 80Gi'),
                pods: described(z._default(z.int().check(z.minimum(1)), 200), '@default 200'),
              }),
              {},
            ),
            'ResourceQuota for the namespace.',
          ),
        }),
        'An application namespace with its guardrails.',
      ),
    ),
    { apps: {} },
  ),
  'Application namespaces. @default { apps: {} }',
);
