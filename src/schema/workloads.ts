import * as z from 'zod';
import { dnsLabel, quantity } from './primitives.js';

const probe = z
  .strictObject({
    path: z.string().regex(/^\/[\w\-./~%]*$/, { message: 'must be an absolute HTTP path' }).describe('HTTP GET path.'),
    initialDelaySeconds: z.number().int().min(0).max(3600).default(0).describe('@default 0'),
    periodSeconds: z.number().int().min(1).max(3600).default(10).describe('@default 10'),
    timeoutSeconds: z.number().int().min(1).max(600).default(2).describe('@default 2'),
    failureThreshold: z.number().int().min(1).max(100).default(3).describe('@default 3'),
  })
  .describe('An HTTP probe on the service port.');

const resources = z.strictObject({
  cpu: quantity.describe('CPU (250m, 1).'),
  memory: quantity.describe('Memory (256Mi, 1Gi).'),
});

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an environment variable name' });

const iamStatement = z.strictObject({
  actions: z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, { message: 'must be an IAM action such as s3:GetObject' })).min(1).describe('IAM actions, for example s3:GetObject.'),
  resources: z.array(z.string().min(1)).min(1).describe('Resource ARNs; "*" only with actions that cannot be scoped.'),
});

export const workloadSchema = z
  .strictObject({
    type: z.enum(['flask', 'react']).describe('Service kind: decides the Dockerfile and runtime defaults.'),
    namespace: dnsLabel().default('apps').describe('Namespace it runs in (must be declared under namespaces). @default apps'),
    repository: dnsLabel(200).optional().describe('ECR repository (under registry.repositories). @default the workload name'),
    tag: z
      .string()
      .regex(/^[\w][\w.-]{0,127}$/, { message: 'must be a container image tag' })
      .default('0.1.0')
      .describe('Image tag promoted by CI ("latest" is refused). @default 0.1.0'),
    port: z.number().int().min(1024).max(65535).optional().describe('Container port (unprivileged). @default 5000 for flask, 8080 for react'),
    runAsUser: z
      .number()
      .int()
      .min(1)
      .max(2147483647)
      .default(1000)
      .describe('Numeric uid the container runs as, in the pod and in the generated Dockerfile (the document\'s appuser is the first regular uid). Never 0. @default 1000'),
    userFacing: z.boolean().default(true).describe('User-facing services need at least 2 replicas and a PodDisruptionBudget. @default true'),
    replicas: z
      .strictObject({
        min: z.number().int().min(1).max(1000).default(2).describe('@default 2'),
        max: z.number().int().min(1).max(1000).default(10).describe('@default 10'),
      })
      .prefault({})
      .describe('HorizontalPodAutoscaler bounds.'),
    autoscaling: z
      .strictObject({
        cpuUtilization: z.number().int().min(1).max(100).default(70).describe('@default 70'),
        memoryUtilization: z.number().int().min(1).max(100).default(70).describe('@default 70'),
      })
      .prefault({})
      .describe('HPA targets, percent of requests.'),
    resources: z
      .strictObject({
        requests: resources.prefault({ cpu: '250m', memory: '256Mi' }).describe('@default cpu 250m, memory 256Mi'),
        limits: resources.prefault({ cpu: '1', memory: '512Mi' }).describe('@default cpu 1, memory 512Mi'),
      })
      .prefault({})
      .describe('Requests (scheduling) and limits (protection).'),
    probes: z
      .strictObject({
        liveness: probe.optional().describe('@default GET /healthz'),
        readiness: probe.optional().describe('@default GET /readyz (flask) or / (react)'),
        startup: probe.optional().describe('@default the readiness path, 30 x 2 s'),
      })
      .prefault({})
      .describe('Kubernetes probes: the Validate stage of the pipeline.'),
    ingress: z
      .strictObject({
        path: z.string().regex(/^\/[\w\-./]*$/, { message: 'must be an absolute path prefix' }).describe('Path prefix on the ALB.'),
      })
      .optional()
      .describe('Expose through the shared ALB on this path.'),
    pool: dnsLabel(40).optional().describe('Karpenter node pool it runs on. @default the first application pool'),
    env: z.record(envName, z.string()).default({}).describe('Plain environment variables (no secrets here). @default {}'),
    secrets: z
      .record(
        envName,
        z.strictObject({
          secret: dnsLabel(64).describe('Name under security.secrets.'),
          key: z.string().min(1).describe('JSON key inside the secret.'),
        }),
      )
      .default({})
      .describe('Environment variables filled from Secrets Manager by External Secrets: references only. @default {}'),
    database: z.boolean().default(false).describe('May connect to Aurora on 5432 (NetworkPolicy and security group). @default false'),
    migration: z
      .strictObject({ command: z.array(z.string().min(1)).min(1).describe('Run as an ArgoCD PreSync Job before each rollout.') })
      .optional()
      .describe('Database migration run before rollout.'),
    metrics: z
      .strictObject({ path: z.string().default('/metrics').describe('@default /metrics'), port: z.number().int().min(1024).max(65535).optional().describe('@default the service port') })
      .optional()
      .describe('Prometheus scraping through a ServiceMonitor.'),
    aws: z.array(iamStatement).default([]).describe('AWS permissions for its IAM role (Pod Identity or IRSA). @default []'),
  })
  .describe('A containerized service: Deployment, Service, HPA, PDB, ServiceAccount and its IAM role.');

export const workloadsSchema = z.record(dnsLabel(40), workloadSchema).default({}).describe('Workloads by name.');

export const namespacesSchema = z
  .record(
    dnsLabel(),
    z
      .strictObject({
        podSecurity: z.enum(['restricted', 'baseline', 'privileged']).optional().describe('Pod Security Standard enforced. @default security.podSecurity'),
        limitRange: z
          .strictObject({
            defaultRequest: resources.prefault({ cpu: '100m', memory: '128Mi' }).describe('@default 100m / 128Mi'),
            default: resources.prefault({ cpu: '500m', memory: '512Mi' }).describe('@default 500m / 512Mi'),
            max: resources.prefault({ cpu: '4', memory: '8Gi' }).describe('@default 4 / 8Gi'),
          })
          .prefault({})
          .describe('Per-container defaults and ceiling.'),
        quota: z
          .strictObject({
            requestsCpu: quantity.default('20').describe('@default 20'),
            requestsMemory: quantity.default('40Gi').describe('@default 40Gi'),
            limitsCpu: quantity.default('40').describe('@default 40'),
            limitsMemory: quantity.default('80Gi').describe('@default 80Gi'),
            pods: z.number().int().min(1).default(200).describe('@default 200'),
          })
          .prefault({})
          .describe('ResourceQuota for the namespace.'),
      })
      .describe('An application namespace with its guardrails.'),
  )
  .prefault({ apps: {} })
  .describe('Application namespaces. @default { apps: {} }');
