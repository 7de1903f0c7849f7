/**
 * The deployed platform of one environment, as data: node kinds and what they can hold, the
 * pods and where they may run, the network between them, and the principals with their
 * policies. Built from the compiled model and the emitted artifacts (src/platform/build.ts),
 * never from the YAML. Every fact says where it came from, so a rule over it can point at the
 * artifact, the resource and, where one applies, the spec line.
 */
import type { SpecPath } from '../diagnostics/diagnostic.js';

/** Where a fact came from. */
export interface Source {
  /** Artifact path relative to the output folder: cloudformation/production/cluster.json. */
  readonly artifact: string;
  /** CloudFormation logical id, or Kubernetes Kind/namespace/name, or a values path (`chart:controller.resources`). */
  readonly resource: string;
  /** The spec field that produced it, when one did. */
  readonly specPath?: SpecPath;
}

/** Where a number of a pod came from, in order of precedence. */
export type Origin = 'spec' | 'values' | 'chart-defaults' | 'addon-manifest' | 'manifest';

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

/** CPU in millicores, memory in MiB. */
export interface Resources {
  readonly cpuMilli: number;
  readonly memoryMiB: number;
}

/** One instance type a node kind can be, with what the kubelet leaves for pods. */
export interface InstanceCapacity {
  readonly instanceType: string;
  readonly architecture: 'amd64' | 'arm64';
  readonly vcpu: number;
  readonly memoryMiB: number;
  /** ENI formula: enis × (ipv4PerEni − 1) + 2 (the EKS AMI's max pods without prefix delegation). */
  readonly maxPods: number;
  /** Capacity minus kube-reserved and the hard eviction threshold (see capacity.ts). */
  readonly allocatable: Resources;
  readonly kubeReserved: Resources;
}

/** A reference to a security group: a CloudFormation resource, or the one EKS creates for the cluster. */
export interface SecurityGroupRef {
  /** Id within the platform model: `<template>#<LogicalId>`, or `eks:cluster` for the cluster security group. */
  readonly id: string;
  /** How the node kind got it. */
  readonly via: 'launch-template' | 'eks-implicit' | 'selector' | 'id';
  /** The selector term or launch-template entry that chose it. */
  readonly source: Source;
}

export interface NodeKind {
  /** `managed:<nodegroup>` or `karpenter:<nodepool>`. */
  readonly id: string;
  readonly kind: 'managed' | 'karpenter';
  readonly name: string;
  /** Label key -> every value a node of this kind can carry (one value when fixed). */
  readonly labels: Readonly<Record<string, readonly string[]>>;
  readonly taints: readonly Taint[];
  readonly capacityTypes: readonly string[];
  /** Instance types it can launch, smallest first; empty when the requirements select none. */
  readonly instanceTypes: readonly InstanceCapacity[];
  /** Instance types named that the inventory does not know. */
  readonly unknownInstanceTypes: readonly string[];
  /** Managed groups: the scaling configuration. */
  readonly size?: { readonly min: number; readonly desired: number; readonly max: number };
  /** Karpenter pools: the NodePool limits. */
  readonly limits?: Readonly<Record<string, string>>;
  readonly weight?: number;
  /** The EC2NodeClass (Karpenter) or launch template (managed). */
  readonly nodeClass?: string;
  readonly securityGroups: readonly SecurityGroupRef[];
  /** Subnet ids its instances launch in: the node group's Subnets, or what the EC2NodeClass's subnetSelectorTerms select. */
  readonly subnets: readonly string[];
  /** Principal id (see Principal.id) of the node role. */
  readonly role?: string;
  readonly metadataHopLimit?: number;
  readonly source: Source;
}

export interface PodIdentityBinding {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Principal id of the role, when the role is created by the output. */
  readonly role?: string;
  readonly roleArn?: string;
  readonly via: 'pod-identity' | 'irsa' | 'addon-pod-identity' | 'addon-irsa';
  readonly source: Source;
}

export interface Pod {
  /** `workload:<name>`, `chart:<chart>/<component>`, `addon:<addon>/<component>`, `job:<ns>/<name>`. */
  readonly id: string;
  readonly origin: 'workload' | 'chart' | 'addon' | 'job';
  /** Workload, chart or add-on name. */
  readonly owner: string;
  readonly component: string;
  readonly namespace: string;
  /** The pod template's labels, where the output states them (workloads); chart and add-on pods: none known. */
  readonly labels: Readonly<Record<string, string>>;
  /** CronJob: a workload of kind cronjob, one pod per run (replicas 1), placed and wired like the others. */
  readonly controller: 'Deployment' | 'DaemonSet' | 'StatefulSet' | 'Job' | 'CronJob';
  /** Replicas for Deployments and StatefulSets; DaemonSets run one per node (replicas is 1 per node). */
  readonly replicas: number;
  readonly requests: Resources;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  /** Required node affinity: terms ORed, expressions of a term ANDed. */
  readonly nodeAffinity?: readonly (readonly { readonly key: string; readonly operator: string; readonly values: readonly string[] }[])[];
  readonly serviceAccount?: string;
  readonly identity?: PodIdentityBinding;
  /** The image of the pod's (first) container, where the output states it (workloads: `<repository>:<tag>`). */
  readonly image?: string;
  /**
   * A workload pod whose values name no image tag yet: its chart renders no Deployment or Job
   * until CI's first promotion sets image.tag. Kept in the model with what the promotion will
   * render, so the rules still prove it will schedule and reach what it needs once promoted.
   */
  readonly awaitingImage?: true;
  /** Where each number came from. */
  readonly origins: { readonly replicas: Origin; readonly requests: Origin; readonly nodeSelector: Origin; readonly tolerations: Origin };
  /** Node kinds (ids) it may run on: selectors satisfied and every NoSchedule/NoExecute taint tolerated. */
  readonly placement: readonly string[];
  readonly source: Source;
}

/** Pod count, CPU and memory together. */
export interface Load extends Resources {
  readonly pods: number;
}

/** Pods placed on one node kind, with the arithmetic. */
export interface NodeLoad {
  readonly nodeKind: string;
  /** Pods (not DaemonSets) that can run on this node kind only. */
  readonly pinned: readonly string[];
  /** DaemonSets that land on every node of this kind. */
  readonly daemonSets: readonly string[];
  /** Pods that may run here or elsewhere. */
  readonly shared: readonly string[];
  /** The DaemonSets of one node. */
  readonly daemonSetsPerNode: Load;
  /** The pinned pods, replicas × requests. */
  readonly pinnedTotal: Load;
  /**
   * Managed groups (a known node count): demand = pinned + DaemonSets × desired nodes, capacity =
   * desired nodes × the smallest instance type's max pods and allocatable.
   */
  readonly nodes?: number;
  readonly demand?: Load;
  readonly capacity?: Load;
}

export interface SecurityGroup {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** `primary` for the environment's VPC, `dr` for the DR region's. */
  readonly vpc: 'primary' | 'dr';
  readonly source: Source;
}

/** A peer of a security-group rule. */
export type Peer =
  | { readonly kind: 'security-group'; readonly group: string }
  | { readonly kind: 'cidr'; readonly cidr: string }
  | { readonly kind: 'prefix-list'; readonly id: string }
  | { readonly kind: 'unresolved'; readonly value: string };

export interface SecurityGroupRule {
  readonly group: string;
  readonly direction: 'ingress' | 'egress';
  /** tcp, udp, icmp, or -1 for all. */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly peer: Peer;
  readonly description?: string;
  /** Rules EKS or AWS add without a template saying so (the cluster security group's). */
  readonly implicit?: boolean;
  readonly source: Source;
}

export interface NaclEntry {
  readonly ruleNumber: number;
  readonly egress: boolean;
  /** -1 all, 6 tcp, 17 udp, 1 icmp. */
  readonly protocol: number;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidr: string;
  readonly action: 'allow' | 'deny';
  readonly source: Source;
}

export interface Nacl {
  readonly id: string;
  readonly tier: string;
  /** Entries in rule-number order, then the implicit deny-all. A default NACL (none emitted) allows everything. */
  readonly entries: readonly NaclEntry[];
  readonly isDefault: boolean;
  readonly source: Source;
}

export interface Route {
  readonly destination: string;
  readonly target: { readonly kind: 'local' | 'nat-gateway' | 'internet-gateway' | 'gateway-endpoint' | 'other'; readonly id: string };
  readonly source: Source;
}

export interface RouteTable {
  readonly id: string;
  readonly tier: string;
  readonly routes: readonly Route[];
  readonly source: Source;
}

export interface Subnet {
  readonly id: string;
  readonly tier: string;
  readonly zone?: string;
  readonly cidr: string;
  readonly vpc: 'primary' | 'dr';
  readonly tags: Readonly<Record<string, string>>;
  readonly nacl?: string;
  readonly routeTable?: string;
  readonly source: Source;
}

export interface VpcEndpointFact {
  readonly id: string;
  readonly service: string;
  readonly type: 'Interface' | 'Gateway';
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly routeTables: readonly string[];
  readonly source: Source;
}

export interface NetworkPolicyPeer {
  readonly podSelector?: Readonly<Record<string, string>>;
  readonly namespaceSelector?: Readonly<Record<string, string>>;
  readonly ipBlock?: string;
}

export interface NetworkPolicyRule {
  readonly peers: readonly NetworkPolicyPeer[];
  readonly ports: readonly { readonly protocol: string; readonly port?: number | string }[];
}

export interface NetworkPolicyFact {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: Readonly<Record<string, string>>;
  readonly policyTypes: readonly ('Ingress' | 'Egress')[];
  readonly ingress: readonly NetworkPolicyRule[];
  readonly egress: readonly NetworkPolicyRule[];
  readonly source: Source;
}

export interface NetworkGraph {
  readonly vpcCidr: string;
  readonly securityGroups: readonly SecurityGroup[];
  readonly rules: readonly SecurityGroupRule[];
  readonly subnets: readonly Subnet[];
  readonly nacls: readonly Nacl[];
  readonly routeTables: readonly RouteTable[];
  readonly endpoints: readonly VpcEndpointFact[];
  readonly networkPolicies: readonly NetworkPolicyFact[];
  /** Security groups of the control plane's network interfaces (the cluster group plus any extra). */
  readonly controlPlaneSecurityGroups: readonly string[];
  /** Subnets the control plane's network interfaces are placed in (the cluster's SubnetIds). */
  readonly controlPlaneSubnets: readonly string[];
  /** NAT gateways and the subnet each sits in. */
  readonly natGateways: readonly { readonly id: string; readonly subnet: string }[];
  /** Everything else with a network interface in the VPC that a flow starts or ends at. */
  readonly interfaces: readonly NetworkInterfaceFact[];
}

/** A database, a VPC function (rotation Lambda) or a load balancer: its groups and subnets. */
export interface NetworkInterfaceFact {
  readonly id: string;
  readonly kind: 'database' | 'function' | 'load-balancer';
  readonly name: string;
  readonly securityGroups: readonly string[];
  readonly subnets: readonly string[];
  /** Database: the port it listens on. Load balancer: the namespace/name of the Ingress. */
  readonly port?: number;
  readonly source: Source;
}

export interface PolicyStatement {
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
  readonly Sid?: string;
}

export interface Principal {
  /** `<template>#<LogicalId>`. */
  readonly id: string;
  readonly kind: 'role';
  readonly name?: string;
  /** The ARN, when the template fixes the name (arn:aws:iam::<account>:role/<name>). */
  readonly arn?: string;
  readonly trust: readonly PolicyStatement[];
  /** Inline policies and customer managed policies attached by the output, each statement with its policy's source. */
  readonly permissions: readonly { readonly policy: string; readonly statements: readonly PolicyStatement[]; readonly source: Source }[];
  /** AWS managed (or other external) policy ARNs. */
  readonly managedPolicyArns: readonly string[];
  readonly source: Source;
}

export interface AccessEntry {
  readonly principalArn: string;
  /** Principal id when the output creates the principal. */
  readonly principal?: string;
  /** The team's existing role: an explicit spec input (teams.<name>.iamRoleName) `innovate plan` checks. */
  readonly external?: { readonly team: string; readonly roleName: string };
  readonly type: string;
  readonly kubernetesGroups: readonly string[];
  readonly accessPolicies: readonly { readonly policyArn: string; readonly scope: string; readonly namespaces?: readonly string[] }[];
  readonly source: Source;
}

/** A principal named by a trust policy or a resource policy (references.ts). */
export interface PrincipalReference {
  readonly kind: 'trust' | 'resource-policy';
  readonly principalType: 'AWS' | 'Federated';
  /** The ARN (or account id) as written, after Fn::Sub with the environment's pseudo parameters. */
  readonly arn?: string;
  /** `<template>#<LogicalId>` when a template of the environment creates it (Ref, GetAtt, SSM). */
  readonly resource?: string;
  /** The value as written, when it cannot be followed. */
  readonly unresolved?: string;
  /** The statement: `KeyPolicy.Statement[AllowCloudTrail]`. */
  readonly where: string;
  readonly source: Source;
}

/** An IAM Identity Center permission set of organization.json. */
export interface PermissionSetFact {
  /** Logical id in organization.json. */
  readonly id: string;
  /** The set's name: its SSO roles are AWSReservedSSO_<name>_<random>. */
  readonly name: string;
  readonly inline: readonly PolicyStatement[];
  /** Accounts the template assigns it to; undefined when it assigns it nowhere (assigned outside innovate). */
  readonly assignedAccounts?: readonly string[];
  readonly source: Source;
}

/** A workflow job that assumes a role in the environment's account. */
export interface WorkflowRole {
  readonly workflow: string;
  readonly job: string;
  readonly roleArn: string;
  readonly source: Source;
}

export interface Principals {
  readonly roles: readonly Principal[];
  readonly accessEntries: readonly AccessEntry[];
  readonly podIdentities: readonly PodIdentityBinding[];
  readonly references: readonly PrincipalReference[];
  /** organization.json's permission sets; undefined when it was not handed over with the environment. */
  readonly permissionSets?: readonly PermissionSetFact[];
  readonly workflowRoles: readonly WorkflowRole[];
}

/** An image the generated workflows build and push (the build job's matrix entry). */
export interface CiBuild {
  /** ECR repository name (innovate/api). */
  readonly repository: string;
  /** linux/amd64, linux/arm64 */
  readonly platforms: readonly string[];
  readonly workload?: string;
  readonly source: Source;
}

/** An ECR repository of the environment: what may overwrite or expire a tag in it (first-deploy.ts). */
export interface Repository {
  /** innovate/api */
  readonly name: string;
  /** ImageTagMutability as written; MUTABLE when unset (ECR's default). */
  readonly mutability: string;
  /** IMMUTABLE_WITH_EXCLUSION: the WILDCARD filters of the tags that stay mutable. */
  readonly mutableTagFilters: readonly string[];
  /** Lifecycle rules that expire tagged images: every tag (`any`), tags starting with a prefix, or matching a wildcard pattern. */
  readonly expiring: readonly { readonly description: string; readonly any?: true; readonly prefixes: readonly string[]; readonly patterns: readonly string[] }[];
  readonly source: Source;
}

/** A database user pods log in as (a `database-user` secret they read), and what creates it (database-users.ts). */
export interface DatabaseUser {
  /** Spec name of the secret (security.secrets). */
  readonly secret: string;
  /** Secrets Manager name. */
  readonly secretName: string;
  /** The role name the secret's template holds, when literal. */
  readonly username?: string;
  /** The AWS::SecretsManager::Secret that creates the secret; absent when no template does. */
  readonly createdBy?: Source;
  /** Custom resources (the database-user bootstrap) whose function's USER_SECRET_ARNS lists the secret. */
  readonly bootstraps: readonly Source[];
  /** Pod ids logging in as the user (workloads and their migration Jobs). */
  readonly pods: readonly string[];
  /** Workloads whose secrets reference it. */
  readonly workloads: readonly string[];
}

/** The deployed platform of one environment. */
export interface Platform {
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  readonly cluster: string;
  readonly nodeKinds: readonly NodeKind[];
  readonly pods: readonly Pod[];
  readonly loads: readonly NodeLoad[];
  readonly network: NetworkGraph;
  readonly principals: Principals;
  /** Database users the pods log in as, with what creates each. */
  readonly databaseUsers: readonly DatabaseUser[];
  /** ECR repositories of the environment's registry. */
  readonly repositories: readonly Repository[];
  /** What CI builds (the workflows' build matrix); absent when no workflow is at hand. */
  readonly ciBuilds?: readonly CiBuild[];
  /** What the builder could not source (an add-on or chart without pod facts, an unknown instance type). */
  readonly gaps: readonly string[];
}
