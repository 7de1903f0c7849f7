/**
 * The compiled model: one per environment, readonly plain data with every default
 * applied, every name computed and every reference resolved. Emitters read only this
 * (never the spec or the YAML), so CloudFormation, Kubernetes and Helm cannot disagree
 * on a name. Collections are sorted by name.
 */
import type { AssumptionOverrides } from '../cost/assumptions.js';
import type { Spec } from '../schema/spec.js';

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface EnvironmentRef {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly drRegion?: string;
  readonly production: boolean;
}

export interface Zone {
  /** 0-based position: subnets and NAT gateways are named after it (a, b, c). */
  readonly index: number;
  readonly letter: string;
  /** us-east-1a */
  readonly name: string;
  readonly publicCidr: string;
  readonly privateCidr: string;
  readonly isolatedCidr: string;
}

export interface VpcEndpoint {
  readonly service: string;
  readonly type: 'Interface' | 'Gateway';
}

export interface Network {
  readonly vpcCidr: string;
  readonly zones: readonly Zone[];
  readonly natGateways: 'perZone' | 'single';
  readonly endpoints: readonly VpcEndpoint[];
  readonly flowLogs: { readonly enabled: boolean; readonly trafficType: 'ALL' | 'ACCEPT' | 'REJECT'; readonly retentionDays: number };
  readonly nacls: boolean;
  /** Ports the App security group opens to the ALB security group: every ingress workload's port. */
  readonly appPorts: readonly number[];
  readonly databasePort: number;
  /** The DR region's VPC (with a drRegion): its CIDR and isolated subnets in zone order; cidrGiven false means the legacy default (the primary's CIDR). */
  readonly dr?: { readonly vpcCidr: string; readonly isolatedCidrs: readonly string[]; readonly cidrGiven: boolean };
}

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: Taint['effect'];
}

export interface NodePool {
  readonly name: string;
  readonly role: 'application' | 'platform';
  readonly architectures: readonly ('amd64' | 'arm64')[];
  readonly capacityTypes: readonly ('spot' | 'on-demand' | 'reserved')[];
  readonly instanceCategories: readonly string[];
  readonly instanceGeneration?: { readonly greaterThan: number };
  readonly instanceFamilies?: readonly string[];
  /** Karpenter minValues on karpenter.k8s.aws/instance-family (Spot diversity). */
  readonly minInstanceFamilies?: number;
  /** All taints, including the arm64 and platform taints the compiler adds. */
  readonly taints: readonly Taint[];
  /** All labels, including innovate.dev/pool and innovate.dev/role. */
  readonly labels: Readonly<Record<string, string>>;
  /** Tolerations a pod needs to land here (matches taints). */
  readonly tolerations: readonly Toleration[];
  readonly limits: { readonly cpu: string; readonly memory: string };
  readonly weight?: number;
  readonly expireAfter: string;
  readonly consolidationPolicy: 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
  readonly consolidateAfter: string;
  /** EC2NodeClass it uses. */
  readonly nodeClass: string;
}

export interface Team {
  readonly name: string;
  /**
   * Where the team's role comes from: innovate creates it (`permission-set`: assumable only by the
   * SSO roles of that IAM Identity Center permission set in this account), or it exists already
   * (`external`: an explicit input `innovate plan` checks before any change).
   */
  readonly principal: { readonly kind: 'permission-set'; readonly permissionSet: string; readonly permissionSetName: string } | { readonly kind: 'external' };
  readonly iamRoleName: string;
  readonly roleArn: string;
  readonly clusterAdmin: boolean;
  readonly namespaces: readonly string[];
  readonly access: 'view' | 'edit';
  /** Kubernetes group the EKS access entry maps the role to; RoleBindings bind it. */
  readonly kubernetesGroup: string;
}

export interface ResourcePair {
  readonly cpu: string;
  readonly memory: string;
}

export interface Namespace {
  readonly name: string;
  readonly podSecurity: 'restricted' | 'baseline' | 'privileged';
  readonly limitRange: { readonly defaultRequest: ResourcePair; readonly default: ResourcePair; readonly max: ResourcePair };
  readonly quota: { readonly requestsCpu: string; readonly requestsMemory: string; readonly limitsCpu: string; readonly limitsMemory: string; readonly pods: number };
}

/** A probe's handler: exactly one of an HTTP GET, a TCP connect or a command. */
export type ProbeHandler =
  | { readonly http: { readonly path: string; readonly port: number } }
  | { readonly tcp: { readonly port: number } }
  | { readonly exec: { readonly command: readonly string[] } };

export type Probe = ProbeHandler & ProbeTiming;

export interface ProbeTiming {
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

/** Identity of a pod that needs AWS access: a Kubernetes service account bound to an IAM role. */
export interface PodIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleName: string;
  readonly roleArn: string;
}

export interface WorkloadSecretRef {
  /** Environment variable name. */
  readonly env: string;
  /** Spec name of the secret (security.secrets key). */
  readonly secret: string;
  /** Secrets Manager name. */
  readonly secretName: string;
  readonly key: string;
}

/** A node label requirement of a pod's node affinity (a matchExpression with operator In). */
export interface NodeRequirement {
  readonly key: string;
  readonly operator: 'In';
  readonly values: readonly string[];
}

/** The CronJob of a kind: cronjob workload. */
export interface CronSchedule {
  readonly schedule: string;
  readonly timeZone: string;
  readonly concurrencyPolicy: 'Forbid' | 'Allow' | 'Replace';
  readonly startingDeadlineSeconds: number;
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
  readonly successfulJobsHistoryLimit: number;
  readonly failedJobsHistoryLimit: number;
}

export interface Workload {
  readonly name: string;
  /** service: Deployment + Service (+ ingress); worker: Deployment, no Service; cronjob: CronJob. */
  readonly kind: 'service' | 'worker' | 'cronjob';
  /** How the image is built: a generated Dockerfile (flask, react) or the repository's own (container). */
  readonly type: 'flask' | 'react' | 'container';
  /** type container: the Dockerfile and build context in the application repository. */
  readonly build?: { readonly dockerfile: string; readonly context: string };
  /** Kubernetes command (the image's ENTRYPOINT) and args (its CMD), when the spec replaces them. */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly namespace: string;
  readonly image: {
    /** Account registry host: 123456789012.dkr.ecr.us-east-1.amazonaws.com */
    readonly registry: string;
    /** ECR repository name: innovate/api */
    readonly repository: string;
    /**
     * The tag this environment runs; absent until CI's first promotion records one: the chart
     * then renders no pods (nothing to pull), and the first promotion creates them.
     */
    readonly tag?: string;
    /**
     * Who vouches for the tag: `ci` when CI produces it (absent, not yet promoted, or CI's
     * `sha-<12 hex>` as the promotion records it); `spec` when the spec names any other tag, an
     * explicit external input asserting the image is already in this environment's registry,
     * which `innovate plan` verifies (ecr:DescribeImages) before any change.
     */
    readonly tagSource: 'ci' | 'spec';
  };
  /** The container port; absent for a worker or cronjob that listens on nothing. */
  readonly port?: number;
  /** Numeric uid of the container (pod securityContext and Dockerfile USER). */
  readonly runAsUser: number;
  readonly userFacing: boolean;
  /** HPA bounds (a cronjob runs one pod per run: 1/1, and has no HPA). */
  readonly replicas: { readonly min: number; readonly max: number };
  readonly autoscaling: { readonly cpuUtilization: number; readonly memoryUtilization: number };
  /** A HorizontalPodAutoscaler: services and workers. */
  readonly horizontalPodAutoscaler: boolean;
  /** A PodDisruptionBudget: services and workers with replicas.min >= 2 (one pod may go at a time). */
  readonly podDisruptionBudget: boolean;
  readonly resources: { readonly requests: ResourcePair; readonly limits: ResourcePair };
  /** Absent: no probe of that kind (workers and cronjobs unless the spec gives one). */
  readonly probes: { readonly liveness?: Probe; readonly readiness?: Probe; readonly startup?: Probe };
  readonly cronjob?: CronSchedule;
  readonly ingress?: { readonly path: string };
  /** The preferred node pool: the workload's `pool`, else the first amd64 application pool. A preference, not a pin. */
  readonly pool: string;
  /** The preferred pool's architectures: required of the node, and the platforms CI builds the image for. */
  readonly architectures: readonly ('amd64' | 'arm64')[];
  /**
   * Where the pods may run (required: application nodes of the preferred pool's architectures, linux)
   * and where they would rather (the preferred pool, by Karpenter's karpenter.sh/nodepool label).
   */
  readonly nodeAffinity: {
    readonly required: readonly NodeRequirement[];
    readonly preferred: readonly { readonly weight: number; readonly requirements: readonly NodeRequirement[] }[];
  };
  /** Tolerations of the preferred pool's taints (the arm64 taint when it can launch arm64). */
  readonly tolerations: readonly Toleration[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly secrets: readonly WorkloadSecretRef[];
  readonly database: boolean;
  readonly migration?: { readonly command: readonly string[] };
  readonly metrics?: { readonly path: string; readonly port: number };
  readonly aws: readonly { readonly actions: readonly string[]; readonly resources: readonly string[] }[];
  readonly identity: PodIdentity;
}

export interface Repository {
  /** Spec name (api). */
  readonly name: string;
  /** ECR name (innovate/api). */
  readonly repositoryName: string;
  readonly immutableTags: boolean;
}

export interface Secret {
  readonly name: string;
  readonly secretName: string;
  readonly description: string;
  readonly kind: 'database-user' | 'generic';
  readonly rotationDays: number;
  readonly rotationLambdaArn?: string;
}

export interface Addon {
  readonly name: string;
  /** Pod identity of the add-on's controller, when it calls AWS. */
  readonly identity?: PodIdentity;
}

/** The in-cluster platform components and where they run. */
/**
 * Grafana's sign-in: IAM Identity Center (SAML) federated into a Cognito user pool, which Grafana
 * reads over OIDC (OSS Grafana has no SAML). Teams map to Grafana roles by their permission set's
 * IAM Identity Center group, which the SAML assertion carries in `groups`.
 */
export interface GrafanaSso {
  readonly metadataUrl: string;
  /** Cognito hosted UI domain prefix (region-unique): <cluster>-grafana-<account>. */
  readonly domainPrefix: string;
  /** https://<prefix>.auth.<region>.amazoncognito.com */
  readonly baseUrl: string;
  /** Where Grafana is reached (kubectl port-forward): its OAuth callback is <rootUrl>/login/generic_oauth. */
  readonly rootUrl: string;
  /** IAM Identity Center group ids per Grafana role, strongest first; a user in none is refused. */
  readonly roles: readonly { readonly role: 'GrafanaAdmin' | 'Editor' | 'Viewer'; readonly groupIds: readonly string[]; readonly teams: readonly string[] }[];
}

/** One Alertmanager receiver: the SNS topic that carries its notifications to one kind of endpoint. */
export interface AlertReceiver {
  readonly endpoint: 'email' | 'pagerduty' | 'slack';
  readonly topicName: string;
  readonly topicArn: string;
}

export interface PlatformComponent {
  readonly chart: string;
  readonly version: string;
  readonly namespace: string;
  readonly releaseName: string;
  readonly repoUrl: string;
  readonly identity?: PodIdentity;
}

/** How the cluster's admission webhooks decide, and what they verify. */
export interface Admission {
  /** What every admission webhook innovate installs does when it cannot answer: Fail (closed) or Ignore (open). */
  readonly failurePolicy: 'Fail' | 'Ignore';
  /**
   * Namespaces no innovate webhook is sent (sorted): kube-system, kube-public, kube-node-lease and
   * every platform namespace, so the controllers and the webhooks themselves can always restart.
   */
  readonly exemptNamespaces: readonly string[];
  /** cosign signature verification of the application namespaces' images; absent without a signing key. */
  readonly signatures?: {
    readonly mode: 'enforce' | 'warn';
    /** The environment whose CI signs the images (the build environment). */
    readonly signer: EnvironmentRef;
    /** Its signing key's alias (alias/<cluster>-image-signing). */
    readonly keyAlias: string;
    /** The key as cosign and policy-controller name it: awskms:///<alias ARN>. */
    readonly keyUri: string;
    /** Image globs the policy covers: this environment's registry, the project's repositories. */
    readonly images: readonly string[];
  };
}

export interface Model {
  /** The innovate version that compiled it (written to the lock file, never into artifacts). */
  readonly project: string;
  readonly environment: EnvironmentRef;
  /** Every environment of the spec, sorted by name (replication, organization). */
  readonly environments: readonly EnvironmentRef[];
  readonly partition: 'aws';
  readonly tags: readonly Tag[];
  /** SSM parameter prefix where templates publish runtime values: /innovate/production */
  readonly ssmPrefix: string;
  /**
   * SSM parameters (full names, under ssmPrefix) the CloudFormation templates publish and the
   * cluster reads at run time through External Secrets: values only AWS knows after deployment.
   */
  readonly parameters: {
    readonly vpcId: string;
    readonly databaseEndpoint: string;
    readonly databaseReaderEndpoint: string;
    /** Grafana's Cognito app client id (observability.json publishes it). */
    readonly grafanaClientId: string;
  };
  /** Resource names shared by several targets. */
  readonly names: {
    readonly cluster: string;
    readonly vpc: string;
    readonly albSecurityGroup: string;
    readonly appSecurityGroup: string;
    readonly dbSecurityGroup: string;
    readonly ingressGroup: string;
    readonly interruptionQueue: string;
    readonly karpenterNodeRole: string;
    readonly discoveryTag: { readonly key: string; readonly value: string };
    readonly databaseCluster: string;
    readonly alarmTopic: string;
    readonly ciRole: string;
    readonly flowLogGroup: string;
    readonly applicationLogGroup: string;
    readonly signingKeyAlias: string;
    /** KMS alias of the key that encrypts EBS volumes (Karpenter nodes' root volumes, gp3 PVs). */
    readonly ebsKeyAlias: string;
    readonly artifactBucket: string;
    readonly trailBucket: string;
  };
  readonly organization?: {
    readonly managementAccountId: string;
    readonly homeRegion: string;
    readonly allowedRegions: readonly string[];
    readonly guardrails: Spec['organization'] extends infer O ? (O extends { guardrails: infer G } ? G : never) : never;
    readonly sso?: {
      readonly instanceArn: string;
      readonly permissionSets: readonly {
        readonly name: string;
        readonly description: string;
        readonly managedPolicies: readonly string[];
        readonly inlinePolicyActions: readonly string[];
        readonly sessionDuration: string;
        readonly groupId?: string;
        readonly environments: readonly string[];
      }[];
    };
  };
  readonly github: { readonly repositories: readonly string[]; readonly oidcProviderUrl: string };
  readonly network: Network;
  readonly cluster: {
    readonly name: string;
    readonly version: string;
    readonly endpoint: { readonly privateAccess: boolean; readonly publicAccess: boolean; readonly publicAccessCidrs: readonly string[] };
    readonly controlPlaneLogs: readonly string[];
    readonly addons: readonly Addon[];
    readonly systemNodeGroup: {
      readonly name: string;
      readonly instanceTypes: readonly string[];
      readonly minSize: number;
      readonly maxSize: number;
      readonly desiredSize: number;
      readonly diskSizeGiB: number;
      readonly labels: Readonly<Record<string, string>>;
      readonly taints: readonly Taint[];
      readonly tolerations: readonly Toleration[];
    };
    readonly karpenter: {
      readonly version: string;
      readonly amiAlias: string;
      readonly interruptionHandling: boolean;
      readonly rootVolumeGiB: number;
      readonly nodeClasses: readonly { readonly name: string; readonly architectures: readonly ('amd64' | 'arm64')[] }[];
    };
    readonly nodePools: readonly NodePool[];
  };
  readonly teams: readonly Team[];
  readonly namespaces: readonly Namespace[];
  readonly workloads: readonly Workload[];
  /** karpenter, aws-load-balancer-controller, external-secrets, … with their identities. */
  readonly platform: Readonly<Record<'karpenter' | 'awsLoadBalancerController' | 'externalSecrets' | 'argocd' | 'monitoring' | 'gatekeeper' | 'metricsServer', PlatformComponent>> & {
    /** external-dns: only where the ingress names a hosted zone (it writes the host's record there). */
    readonly externalDns?: PlatformComponent;
    /** sigstore policy-controller: only where admission verifies image signatures (admission.signatures). */
    readonly policyController?: PlatformComponent;
  };
  /** Admission control of the cluster (docs/kubernetes.md, "Admission"). */
  readonly admission: Admission;
  readonly registry: {
    readonly repositories: readonly Repository[];
    readonly scanOnPush: boolean;
    readonly enhancedScanning: boolean;
    readonly lifecycle: { readonly untaggedExpireDays: number; readonly devTagPrefix: string; readonly devExpireDays: number };
    /**
     * This environment's side of ECR replication: the build environment's registry replicates to
     * every other environment's (delivery.promotion), which allows it by a registry policy.
     */
    readonly replication?: { readonly role: 'source'; readonly destinations: readonly EnvironmentRef[] } | { readonly role: 'destination'; readonly source: EnvironmentRef };
    readonly signing: boolean;
    /**
     * Roles of the other environments' signature verifiers, when this environment's CI signs their
     * images (the build environment): its signing key's policy lets each read the public key.
     */
    readonly verifiers: readonly { readonly environment: EnvironmentRef; readonly roleArn: string }[];
  };
  readonly database: {
    readonly clusterIdentifier: string;
    readonly engineVersion: string;
    readonly parameterGroupFamily: string;
    readonly instanceClass: string;
    readonly instances: number;
    readonly serverlessV2?: { readonly minCapacity: number; readonly maxCapacity: number };
    readonly databaseName: string;
    readonly masterUsername: string;
    readonly port: number;
    readonly storageEncrypted: boolean;
    readonly forceSsl: boolean;
    readonly backupRetentionDays: number;
    readonly snapshotRetentionDays: number;
    readonly preferredBackupWindow: string;
    readonly preferredMaintenanceWindow: string;
    readonly deletionProtection: boolean;
    readonly crossRegionReplica: boolean;
    readonly performanceInsights: boolean;
  };
  readonly delivery: {
    readonly appRepository: string;
    readonly configRepository: string;
    readonly configRepoUrl: string;
    readonly branch: string;
    /** Folder of the config repository holding the compiled output; ArgoCD paths start with it. */
    readonly outputDir: string;
    readonly autoSync: boolean;
    readonly approvalRequired: boolean;
    /**
     * The promotion chain, the same in every environment's model: CI builds and pushes in `build`;
     * each hop copies the tags `from` runs into `to`, behind `to`'s GitHub environment.
     */
    readonly promotion: {
      readonly build: EnvironmentRef;
      readonly hops: readonly { readonly from: EnvironmentRef; readonly to: EnvironmentRef }[];
    };
    readonly charts: Readonly<Record<string, string>>;
  };
  readonly security: {
    readonly kmsPendingWindowDays: number;
    readonly tlsPolicy: string;
    readonly podSecurity: 'restricted' | 'baseline';
    readonly workloadIdentity: 'podIdentity' | 'irsa';
    readonly gatekeeper: readonly string[];
    readonly secrets: readonly Secret[];
  };
  readonly ingress?: { readonly host: string; readonly hostedZoneId?: string };
  readonly observability: {
    readonly containerInsights: boolean;
    readonly logRetentionDays: number;
    readonly prometheus: { readonly retention: string; readonly storageGiB: number };
    /** Grafana: no local admin; sign-in through IAM Identity Center when `sso` is set. */
    readonly grafana: { readonly sso?: GrafanaSso };
    readonly tracing: 'xray' | 'none';
    readonly alerts: { readonly emails: readonly string[]; readonly pagerDutyUrl?: string; readonly slack?: { readonly workspaceId: string; readonly channelId: string } };
    /**
     * Alertmanager's way to the on-call endpoints: one SNS topic per endpoint kind the alerts name
     * (each subscribed by the same e-mail addresses, PagerDuty URL or Slack channel as the alarm
     * topic), published to with Alertmanager's own pod identity, so no webhook URL or key is in values.
     */
    readonly alertmanager: { readonly identity: PodIdentity; readonly receivers: readonly AlertReceiver[] };
    readonly thresholds: Spec['observability']['thresholds'];
  };
  readonly cost: {
    readonly monthlyBudgetUsd: number;
    readonly budgetThresholds: readonly number[];
    readonly anomalyThresholdUsd: number;
    readonly notifyEmails: readonly string[];
    /** innovate cost's assumptions as the spec states them (src/cost/assumptions.ts). */
    readonly assumptions?: AssumptionOverrides;
  };
  readonly policy: Spec['policy'];
}
