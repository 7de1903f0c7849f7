import * as z from 'zod/mini';
import { cidr, described, dnsLabel, duration, instanceType, quantity } from './primitives.js';

export const EKS_ADDONS = [
  'vpc-cni',
  'coredns',
  'kube-proxy',
  'eks-pod-identity-agent',
  'amazon-cloudwatch-observability',
  'aws-ebs-csi-driver',
  'aws-efs-csi-driver',
  'snapshot-controller',
  'aws-guardduty-agent',
  'eks-node-monitoring-agent',
] as const;

export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/**
 * The AMI release production pins by default: awslabs/amazon-eks-ami release v20260714 (CHANGELOG.md,
 * "AMI Release v20260714": amazon-eks-node-al2023-{x86_64,arm64}-standard-1.35-v20260714, and 1.30 to
 * 1.36). Karpenter "heavily recommends against" @latest in production and pinning a version rolled
 * out in stages (karpenter.sh/docs/tasks/managing-amis/). Bumping it is a deliberate change: see
 * docs/kubernetes.md, "Pinned AMIs".
 */
export const PRODUCTION_AMI_ALIAS = 'al2023@v20260714';

const amiAlias = z.string().check(z.regex(/^(al2023|bottlerocket)@(latest|v\d+(\.\d+)*)$/, { message: 'must be an EC2NodeClass AMI alias such as al2023@v20260714' }));

const taint = z.strictObject({
  key: described(z.string().check(z.minLength(1), z.maxLength(253)), 'Taint key.'),
  value: described(z._default(z.string().check(z.maxLength(63)), ''), '@default ""'),
  effect: described(z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']), 'Taint effect.'),
});

const nodePool = described(
  z.strictObject({
    role: described(
      z.enum(['application', 'platform']),
      'application pools run user-facing services; platform pools run ArgoCD and monitoring and carry a platform taint.',
    ),
    architectures: described(
      z._default(z.array(z.enum(['amd64', 'arm64'])).check(z.minLength(1)), ['amd64']),
      'CPU architectures. arm64 pools are tainted kubernetes.io/arch=arm64:NoSchedule. @default [amd64]',
    ),
    capacityTypes: described(
      z.optional(z.array(z.enum(['spot', 'on-demand', 'reserved'])).check(z.minLength(1))),
      'Purchase options. @default [on-demand] in production, [spot] elsewhere',
    ),
    instanceCategories: described(
      z._default(z.array(z.string().check(z.regex(/^[a-z]+$/))).check(z.minLength(1)), ['c', 'm', 'r']),
      'EC2 instance categories (karpenter.k8s.aws/instance-category). @default [c, m, r]',
    ),
    instanceGeneration: described(
      z.optional(z.strictObject({ greaterThan: described(z.int().check(z.minimum(0), z.maximum(20)), 'Only generations strictly above this.') })),
      'Generation bound (karpenter.k8s.aws/instance-generation Gt).',
    ),
    instanceFamilies: described(
      z.optional(z.array(z.string().check(z.regex(/^[a-z][a-z0-9-]*$/))).check(z.minLength(1))),
      'Restrict to these instance families (karpenter.k8s.aws/instance-family).',
    ),
    minInstanceFamilies: described(
      z.optional(z.int().check(z.minimum(1), z.maximum(50))),
      'Karpenter minValues on instance-family: every launch must be able to choose among at least this many families, so Spot has pools to diversify over (INN067 when the pool selects fewer). Set it on Spot pools.',
    ),
    taints: described(z._default(z.array(taint), []), 'Extra taints. @default []'),
    labels: described(z._default(z.record(z.string(), z.string()), {}), 'Extra node labels. @default {}'),
    limits: described(
      z.prefault(
        z.strictObject({ cpu: described(z._default(quantity, '100'), '@default 100'), memory: described(z._default(quantity, '400Gi'), '@default 400Gi') }),
        {},
      ),
      'Upper bound on what the pool may provision.',
    ),
    weight: described(z.optional(z.int().check(z.minimum(1), z.maximum(100))), 'Priority among pools (higher first).'),
    expireAfter: described(z._default(duration, '720h'), 'Replace nodes older than this (patching). @default 720h'),
  }),
  'A Karpenter NodePool and its requirements.',
);

export const clusterSchema = described(
  z.strictObject({
    version: described(
      z._default(z.string().check(z.regex(/^1\.\d{2}$/, { message: 'must be a Kubernetes minor version such as 1.35' })), '1.35'),
      'Kubernetes version. @default 1.35',
    ),
    endpoint: described(
      z.prefault(
        z.strictObject({
          privateAccess: described(z._default(z.boolean(), true), 'Private API endpoint inside the VPC. @default true'),
          publicAccess: described(z._default(z.boolean(), false), 'Public API endpoint, restricted to publicAccessCidrs. @default false'),
          publicAccessCidrs: described(z._default(z.array(cidr), []), 'CIDRs allowed on the public endpoint; 0.0.0.0/0 is refused. @default []'),
        }),
        {},
      ),
      'API server endpoint access.',
    ),
    controlPlaneLogs: described(z._default(z.array(z.enum(CONTROL_PLANE_LOG_TYPES)), [...CONTROL_PLANE_LOG_TYPES]), '@default all five types'),
    addons: described(
      z._default(z.array(z.enum(EKS_ADDONS)), ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent', 'amazon-cloudwatch-observability', 'aws-ebs-csi-driver']),
      'EKS managed add-ons (auto-patched). @default vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, amazon-cloudwatch-observability, aws-ebs-csi-driver',
    ),
    systemNodeGroup: described(
      z.prefault(
        z.strictObject({
          instanceTypes: described(z._default(z.array(instanceType).check(z.minLength(1)), ['t3.small']), '@default [t3.small]'),
          minSize: described(z._default(z.int().check(z.minimum(1), z.maximum(100)), 2), '@default 2'),
          maxSize: described(z._default(z.int().check(z.minimum(1), z.maximum(100)), 3), '@default 3'),
          desiredSize: described(z.optional(z.int().check(z.minimum(1), z.maximum(100))), '@default minSize'),
          diskSizeGiB: described(z._default(z.int().check(z.minimum(20), z.maximum(16384)), 20), 'Encrypted gp3 root volume. @default 20'),
        }),
        {},
      ),
      'The managed node group for Karpenter, CoreDNS and critical add-ons (On-Demand, tainted CriticalAddonsOnly).',
    ),
    karpenter: described(
      z.prefault(
        z.strictObject({
          version: described(z._default(z.string().check(z.regex(/^\d+\.\d+\.\d+$/)), '1.14.1'), 'Karpenter chart and controller version. @default 1.14.1'),
          amiAlias: described(
            z.optional(amiAlias),
            'EC2NodeClass amiSelectorTerms alias of every environment, when given. @default al2023@latest outside production, productionAmiAlias in production',
          ),
          productionAmiAlias: described(
            z._default(amiAlias.check(z.refine((a) => !a.endsWith('@latest'), { message: 'must pin a release, such as al2023@v20260714; production never runs @latest' })), PRODUCTION_AMI_ALIAS),
            `The pinned AMI release production environments run unless amiAlias says otherwise; bump it deliberately (docs/kubernetes.md). @default ${PRODUCTION_AMI_ALIAS}`,
          ),
          consolidationPolicy: described(z._default(z.enum(['WhenEmpty', 'WhenEmptyOrUnderutilized']), 'WhenEmpty'), '@default WhenEmpty'),
          consolidateAfter: described(z._default(duration, '30s'), 'How long a node stays empty before it is removed. @default 30s'),
          interruptionHandling: described(z._default(z.boolean(), true), 'SQS queue + EventBridge rules for spot interruptions. @default true'),
          rootVolumeGiB: described(z._default(z.int().check(z.minimum(20), z.maximum(16384)), 50), 'Encrypted gp3 root volume of Karpenter nodes. @default 50'),
        }),
        {},
      ),
      'Karpenter node autoscaling.',
    ),
    nodePools: described(
      z.prefault(z.record(dnsLabel(40), nodePool), { general: { role: 'application' }, platform: { role: 'platform' } }),
      'Karpenter NodePools by name. @default general (application) and platform',
    ),
  }),
  'The EKS cluster, its system node group and Karpenter pools.',
);

export const teamsSchema = described(
  z._default(
    z.record(
      dnsLabel(32),
      described(
        z.strictObject({
          permissionSet: described(
            z.optional(dnsLabel(32)),
            'IAM Identity Center permission set (under organization.sso.permissionSets) whose users form this team. innovate creates a team role in each environment account the set is assigned to, assumable only by that set\'s SSO roles, and maps it to the cluster. Give exactly one of permissionSet and iamRoleName.',
          ),
          iamRoleName: described(
            z.optional(z.string().check(z.regex(/^[\w+=,.@-]{1,64}$/, { message: 'must be an IAM role name' }))),
            'An existing IAM role (in each environment account, created outside innovate) whose users form this team: an explicit input that `innovate plan` checks exists before any change. Give exactly one of permissionSet and iamRoleName.',
          ),
          clusterAdmin: described(z._default(z.boolean(), false), 'Cluster-wide admin through an EKS access policy: the platform team only. @default false'),
          namespaces: described(z._default(z.array(dnsLabel()), []), 'Namespaces the team may edit. @default []'),
          access: described(z._default(z.enum(['view', 'edit']), 'edit'), 'Verbs granted in those namespaces. @default edit'),
        }),
        'A team: an IAM role (created for an SSO permission set, or an existing one) mapped to the cluster by an EKS access entry.',
      ),
    ),
    {},
  ),
  'Teams and their cluster access.',
);
