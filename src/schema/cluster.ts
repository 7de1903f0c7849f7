import * as z from 'zod';
import { cidr, dnsLabel, duration, instanceType, quantity } from './primitives.js';

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

const taint = z.strictObject({
  key: z.string().min(1).max(253).describe('Taint key.'),
  value: z.string().max(63).default('').describe('@default ""'),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).describe('Taint effect.'),
});

const nodePool = z
  .strictObject({
    role: z
      .enum(['application', 'platform'])
      .describe('application pools run user-facing services; platform pools run ArgoCD and monitoring and carry a platform taint.'),
    architectures: z.array(z.enum(['amd64', 'arm64'])).min(1).default(['amd64']).describe('CPU architectures. arm64 pools are tainted kubernetes.io/arch=arm64:NoSchedule. @default [amd64]'),
    capacityTypes: z.array(z.enum(['spot', 'on-demand', 'reserved'])).min(1).optional().describe('Purchase options. @default [on-demand] in production, [spot] elsewhere'),
    instanceCategories: z.array(z.string().regex(/^[a-z]+$/)).min(1).default(['c', 'm', 'r']).describe('EC2 instance categories (karpenter.k8s.aws/instance-category). @default [c, m, r]'),
    instanceGeneration: z
      .strictObject({ greaterThan: z.number().int().min(0).max(20).describe('Only generations strictly above this.') })
      .optional()
      .describe('Generation bound (karpenter.k8s.aws/instance-generation Gt).'),
    instanceFamilies: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).min(1).optional().describe('Restrict to these instance families (karpenter.k8s.aws/instance-family).'),
    taints: z.array(taint).default([]).describe('Extra taints. @default []'),
    labels: z.record(z.string(), z.string()).default({}).describe('Extra node labels. @default {}'),
    limits: z
      .strictObject({ cpu: quantity.default('100').describe('@default 100'), memory: quantity.default('400Gi').describe('@default 400Gi') })
      .prefault({})
      .describe('Upper bound on what the pool may provision.'),
    weight: z.number().int().min(1).max(100).optional().describe('Priority among pools (higher first).'),
    expireAfter: duration.default('720h').describe('Replace nodes older than this (patching). @default 720h'),
  })
  .describe('A Karpenter NodePool and its requirements.');

export const clusterSchema = z
  .strictObject({
    version: z.string().regex(/^1\.\d{2}$/, { message: 'must be a Kubernetes minor version such as 1.35' }).default('1.35').describe('Kubernetes version. @default 1.35'),
    endpoint: z
      .strictObject({
        privateAccess: z.boolean().default(true).describe('Private API endpoint inside the VPC. @default true'),
        publicAccess: z.boolean().default(false).describe('Public API endpoint, restricted to publicAccessCidrs. @default false'),
        publicAccessCidrs: z.array(cidr).default([]).describe('CIDRs allowed on the public endpoint; 0.0.0.0/0 is refused. @default []'),
      })
      .prefault({})
      .describe('API server endpoint access.'),
    controlPlaneLogs: z.array(z.enum(CONTROL_PLANE_LOG_TYPES)).default([...CONTROL_PLANE_LOG_TYPES]).describe('@default all five types'),
    addons: z
      .array(z.enum(EKS_ADDONS))
      .default(['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent', 'amazon-cloudwatch-observability', 'aws-ebs-csi-driver'])
      .describe('EKS managed add-ons (auto-patched). @default vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, amazon-cloudwatch-observability, aws-ebs-csi-driver'),
    systemNodeGroup: z
      .strictObject({
        instanceTypes: z.array(instanceType).min(1).default(['t3.small']).describe('@default [t3.small]'),
        minSize: z.number().int().min(1).max(100).default(2).describe('@default 2'),
        maxSize: z.number().int().min(1).max(100).default(3).describe('@default 3'),
        desiredSize: z.number().int().min(1).max(100).optional().describe('@default minSize'),
        diskSizeGiB: z.number().int().min(20).max(16384).default(20).describe('Encrypted gp3 root volume. @default 20'),
      })
      .prefault({})
      .describe('The managed node group for Karpenter, CoreDNS and critical add-ons (On-Demand, tainted CriticalAddonsOnly).'),
    karpenter: z
      .strictObject({
        version: z.string().regex(/^\d+\.\d+\.\d+$/).default('1.14.1').describe('Karpenter chart and controller version. @default 1.14.1'),
        amiAlias: z.string().regex(/^(al2023|bottlerocket)@(latest|v\d+(\.\d+)*)$/, { message: 'must be an EC2NodeClass AMI alias such as al2023@v20251117' }).default('al2023@latest').describe('EC2NodeClass amiSelectorTerms alias. Pin a version in production. @default al2023@latest'),
        consolidationPolicy: z.enum(['WhenEmpty', 'WhenEmptyOrUnderutilized']).default('WhenEmpty').describe('@default WhenEmpty'),
        consolidateAfter: duration.default('30s').describe('How long a node stays empty before it is removed. @default 30s'),
        interruptionHandling: z.boolean().default(true).describe('SQS queue + EventBridge rules for spot interruptions. @default true'),
        rootVolumeGiB: z.number().int().min(20).max(16384).default(50).describe('Encrypted gp3 root volume of Karpenter nodes. @default 50'),
      })
      .prefault({})
      .describe('Karpenter node autoscaling.'),
    nodePools: z
      .record(dnsLabel(40), nodePool)
      .prefault({ general: { role: 'application' }, platform: { role: 'platform' } })
      .describe('Karpenter NodePools by name. @default general (application) and platform'),
  })
  .describe('The EKS cluster, its system node group and Karpenter pools.');

export const teamsSchema = z
  .record(
    dnsLabel(32),
    z
      .strictObject({
        iamRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, { message: 'must be an IAM role name' }).describe('IAM role (in each environment account) whose users form this team.'),
        clusterAdmin: z.boolean().default(false).describe('Cluster-wide admin through an EKS access policy: the platform team only. @default false'),
        namespaces: z.array(dnsLabel()).default([]).describe('Namespaces the team may edit. @default []'),
        access: z.enum(['view', 'edit']).default('edit').describe('Verbs granted in those namespaces. @default edit'),
      })
      .describe('A team: an IAM role mapped to a Kubernetes group by an EKS access entry.'),
  )
  .default({})
  .describe('Teams and their cluster access.');
