import * as z from 'zod/mini';
import { described, dnsLabel, quantity } from './primitives.js';

/** Shared by the three probes: each `z.optional(probe)` carries its own description. */
const probe = described(
  z.strictObject({
    path: described(z.string().check(z.regex(/^\/[\w\-./~%]*$/, { message: 'must be an absolute HTTP path' })), 'HTTP GET path.'),
    initialDelaySeconds: described(z._default(z.int().check(z.minimum(0), z.maximum(3600)), 0), '@default 0'),
    periodSeconds: described(z._default(z.int().check(z.minimum(1), z.maximum(3600)), 10), '@default 10'),
    timeoutSeconds: described(z._default(z.int().check(z.minimum(1), z.maximum(600)), 2), '@default 2'),
    failureThreshold: described(z._default(z.int().check(z.minimum(1), z.maximum(100)), 3), '@default 3'),
  }),
  'An HTTP probe on the service port.',
);

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
    type: described(z.enum(['flask', 'react']), 'Service kind: decides the Dockerfile and runtime defaults.'),
    namespace: described(z._default(dnsLabel(), 'apps'), 'Namespace it runs in (must be declared under namespaces). @default apps'),
    repository: described(z.optional(dnsLabel(200)), 'ECR repository (under registry.repositories). @default the workload name'),
    tag: described(
      z.optional(z.string().check(z.regex(/^[\w][\w.-]{0,127}$/, { message: 'must be a container image tag' }))),
      'Image tag. Leave it out: CI builds sha-<commit> and its promotion records the tag (environments.<env>.overrides.workloads.<name>.tag); until then the workload runs no pods, so a first deploy pulls nothing. An explicit tag is an external input: an image you assert is already in the environment\'s registry ("latest" is refused). @default none (not yet promoted)',
    ),
    port: described(
      z.optional(z.int().check(z.minimum(1024), z.maximum(65535))),
      'Container port (unprivileged). @default 5000 for flask, 8080 for react',
    ),
    runAsUser: described(
      z._default(z.int().check(z.minimum(1), z.maximum(2147483647)), 1000),
      "Numeric uid the container runs as, in the pod and in the generated Dockerfile (the document's appuser is the first regular uid). Never 0. @default 1000",
    ),
    userFacing: described(z._default(z.boolean(), true), 'User-facing services need at least 2 replicas and a PodDisruptionBudget. @default true'),
    replicas: described(
      z.prefault(
        z.strictObject({
          min: described(z._default(z.int().check(z.minimum(1), z.maximum(1000)), 2), '@default 2'),
          max: described(z._default(z.int().check(z.minimum(1), z.maximum(1000)), 10), '@default 10'),
        }),
        {},
      ),
      'HorizontalPodAutoscaler bounds.',
    ),
    autoscaling: described(
      z.prefault(
        z.strictObject({
          cpuUtilization: described(z._default(z.int().check(z.minimum(1), z.maximum(100)), 70), '@default 70'),
          memoryUtilization: described(z._default(z.int().check(z.minimum(1), z.maximum(100)), 70), '@default 70'),
        }),
        {},
      ),
      'HPA targets, percent of requests.',
    ),
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
          liveness: described(z.optional(probe), '@default GET /healthz'),
          readiness: described(z.optional(probe), '@default GET /readyz (flask) or / (react)'),
          startup: described(z.optional(probe), '@default the readiness path, 30 x 2 s'),
        }),
        {},
      ),
      'Kubernetes probes: the Validate stage of the pipeline.',
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
  }),
  'A containerized service: Deployment, Service, HPA, PDB, ServiceAccount and its IAM role.',
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
