/**
 * What every platform chart's values share: where its pods run (system node group or the
 * platform pool, from the model), the IRSA annotation when the model uses IRSA, and sizing.
 */
import type { Model, PodIdentity, Toleration } from '../../compiler/model.js';

export type Values = Record<string, unknown>;

export interface Placement {
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: Values[];
}

const tolerations = (ts: readonly Toleration[]): Values[] =>
  ts.map((t) => ({ key: t.key, operator: t.operator, value: t.operator === 'Equal' ? t.value : undefined, effect: t.effect }));

/**
 * System: the managed node group (Karpenter itself, and what must run before any Karpenter node
 * exists: the EKS add-ons CoreDNS, kube-proxy, VPC CNI). Platform: the Karpenter pool with role
 * platform (every other platform chart: ArgoCD, monitoring, External Secrets, Gatekeeper, the
 * load-balancer controller, metrics-server), falling back to system when the spec has none.
 * Selected by the role label and tolerating the pool's taints (the platform taint, and the arm64
 * taint when the pool can launch arm64: what is placed there must publish multi-arch images).
 */
export function placement(model: Model, where: 'system' | 'platform'): Placement {
  const pool = where === 'platform' ? model.cluster.nodePools.find((p) => p.role === 'platform') : undefined;
  if (pool) return { nodeSelector: { 'innovate.dev/role': pool.labels['innovate.dev/role'] ?? 'platform', 'kubernetes.io/os': 'linux' }, tolerations: tolerations(pool.tolerations) };
  const sys = model.cluster.systemNodeGroup;
  return { nodeSelector: { ...sys.labels, 'kubernetes.io/os': 'linux' }, tolerations: tolerations(sys.tolerations) };
}

/** serviceAccount values binding a chart's controller to the IAM role CloudFormation creates for it. */
export function serviceAccount(model: Model, identity: PodIdentity | undefined): Values {
  if (!identity) return {};
  return {
    create: true,
    name: identity.serviceAccount,
    annotations: model.security.workloadIdentity === 'irsa' ? { 'eks.amazonaws.com/role-arn': identity.roleArn } : {},
  };
}

/** Requests and limits of the platform pods (small cluster, sized for the example's scale). */
export const SIZES = {
  tiny: { requests: { cpu: '25m', memory: '64Mi' }, limits: { memory: '128Mi' } },
  small: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  medium: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
  large: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
  prometheus: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
} as const;

export const size = (s: keyof typeof SIZES): Values => ({ requests: { ...SIZES[s].requests }, limits: { ...SIZES[s].limits } });
