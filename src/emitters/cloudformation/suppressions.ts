/**
 * Scanner suppressions, in one place. The templates are checked by the scanners platform teams
 * already run on CloudFormation (cfn-lint, cdk-nag's AwsSolutions and NIST 800-53 rev 5 packs,
 * checkov). What the emitter can fix, it fixes; what is a design decision is listed here, each with
 * the reason, and written into the resource's Metadata in the form each scanner reads:
 *
 *   Metadata:
 *     cdk_nag:  { rules_to_suppress: [{ id, reason, applies_to? }] }   cdk-nag (v2 contract, read by v3 harnesses)
 *     checkov:  { skip: [{ id, comment }] }                             checkov
 *     cfn-lint: { config: { ignore_checks: [id] } }                    cfn-lint (no reason field: see innovate.cfn-lint)
 *     innovate: { cfn-lint: { <id>: reason } }
 *
 * A policy exception in innovate.yaml (`policy.exceptions[].scanners`) adds entries the same way on
 * its target, with the exception's reason and expiry. Entries are sorted: output stays deterministic.
 */
import type { Model } from '../../compiler/model.js';
import type { Resource, Template } from './template.js';

/** One justified finding: the scanners' ids for it and why it is acceptable here. */
export interface Suppression {
  /** cdk-nag rule ids, e.g. AwsSolutions-IAM5 or NIST.800.53.R5-IAMNoInlinePolicy. */
  readonly cdkNag?: readonly string[];
  /** Granular cdk-nag findings the suppression covers (IAM4 / IAM5: `Policy::…`, `Action::…`, `Resource::…`). */
  readonly appliesTo?: readonly string[];
  /** checkov check ids (CKV_AWS_…), only where the check is known to exist for CloudFormation. */
  readonly checkov?: readonly string[];
  /** cfn-lint rule ids. */
  readonly cfnLint?: readonly string[];
  readonly reason: string;
}

type Props = Record<string, unknown>;
interface Entry {
  readonly type: string;
  readonly suppressions: (id: string, props: Props, m: Model) => Suppression[];
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const AWS_MANAGED = 'arn:aws:iam::aws:policy/';

/** Why each AWS-managed policy innovate attaches is the right one (cdk-nag AwsSolutions-IAM4). */
const MANAGED_POLICY_REASONS: Readonly<Record<string, string>> = {
  AmazonEKSWorkerNodePolicy: 'AWS-managed AmazonEKSWorkerNodePolicy is the policy EKS documents for worker nodes; it is maintained by AWS as EKS evolves',
  AmazonEKS_CNI_Policy: 'AWS-managed AmazonEKS_CNI_Policy is the policy EKS documents for the VPC CNI (ENI and IP management); AWS updates it with the CNI',
  AmazonEC2ContainerRegistryReadOnly: 'AWS-managed AmazonEC2ContainerRegistryReadOnly lets the kubelet pull images; ECR pulls are further limited by the repositories\' own policies and the admission policy (INV011)',
  AmazonEC2ContainerRegistryPullOnly: 'AWS-managed AmazonEC2ContainerRegistryPullOnly lets the kubelet pull images and nothing else (the node role policy of Karpenter v1.14\'s CloudFormation); ECR pulls are further limited by the repositories\' own policies and the admission policy (INV011)',
  AmazonSSMManagedInstanceCore: 'AWS-managed AmazonSSMManagedInstanceCore gives Session Manager access to nodes instead of SSH keys or open ports; it is the policy SSM documents',
  AmazonEKSClusterPolicy: 'AWS-managed AmazonEKSClusterPolicy is the only policy EKS documents for the cluster service role; AWS maintains it as the control plane evolves',
  'service-role/AmazonEBSCSIDriverPolicy': 'AWS-managed AmazonEBSCSIDriverPolicy is the policy EKS documents for the EBS CSI driver add-on; the CMK grants it needs are a separate, key-scoped policy',
  'service-role/AmazonEFSCSIDriverPolicy': 'AWS-managed AmazonEFSCSIDriverPolicy is the policy EKS documents for the EFS CSI driver add-on',
  CloudWatchAgentServerPolicy: 'AWS-managed CloudWatchAgentServerPolicy is the policy the amazon-cloudwatch-observability add-on documents for Container Insights',
  AWSXrayWriteOnlyAccess: 'AWS-managed AWSXrayWriteOnlyAccess is write-only X-Ray trace submission, documented for the CloudWatch agent\'s X-Ray receiver',
  'service-role/AWSBackupServiceRolePolicyForBackup': 'AWS-managed AWSBackupServiceRolePolicyForBackup is the policy AWS Backup documents for its service role; AWS adds services to it',
  'service-role/AWSBackupServiceRolePolicyForRestores': 'AWS-managed AWSBackupServiceRolePolicyForRestores is the policy AWS Backup documents for restores with its service role',
  CloudWatchReadOnlyAccess: 'AWS-managed CloudWatchReadOnlyAccess is the read-only policy AWS Chatbot documents for showing alarm details in Slack; it is also the channel guardrail',
  'service-role/AmazonRDSEnhancedMonitoringRole': 'AWS-managed AmazonRDSEnhancedMonitoringRole is the policy RDS documents for Enhanced Monitoring: it only writes the RDSOSMetrics log group',
};

/**
 * The wildcards cdk-nag's IAM5 reports for a policy document: actions and (string) resources
 * containing "*" in Allow statements, as `Action::…` / `Resource::…`, with the statement's Sid.
 */
export function policyWildcards(doc: unknown): { sid: string; finding: string }[] {
  const out: { sid: string; finding: string }[] = [];
  for (const s of list((doc as Props | undefined)?.Statement) as Props[]) {
    if ((s.Effect ?? 'Allow') !== 'Allow') continue;
    const sid = String(s.Sid ?? '');
    for (const a of list(s.Action)) if (typeof a === 'string' && a.includes('*')) out.push({ sid, finding: `Action::${a}` });
    for (const r of list(s.Resource)) if (typeof r === 'string' && r.includes('*')) out.push({ sid, finding: `Resource::${r}` });
  }
  return out;
}

const KARPENTER =
  'Karpenter v1 controller policy as published by karpenter-provider-aws (getting-started CloudFormation): instances, fleets, launch templates and instance profiles get ids at run time, so resources are ARN patterns of this region and account, narrowed by conditions on the cluster ownership and nodepool tags; Describe and pricing calls have no resource-level permissions';
const ALB_CONTROLLER =
  'AWS Load Balancer Controller v2 policy as published upstream (docs/install/iam_policy.json): load balancers, target groups, listeners and security groups are created at run time with generated names; mutations are conditioned on the elbv2.k8s.aws/cluster tag and Describe calls have no resource-level permissions';

/** Why the wildcards of a role's policy are needed, by the policy's logical id (and the statement). */
function wildcardReason(policyId: string, sid: string, finding: string, m: Model): string | undefined {
  if (finding.startsWith('Action::kms:')) {
    return 'KMS action families GenerateDataKey* and ReEncrypt* are what envelope encryption of EBS volumes needs; the statement is limited to the customer-managed key(s) of this account and to calls made through EC2 (kms:ViaService)';
  }
  // Karpenter's controller policies, split as upstream splits them: KarpenterControllerRolePolicy (node lifecycle) and KarpenterControllerRole<Group>Policy.
  if (/^KarpenterControllerRole[A-Za-z]*Policy$/.test(policyId)) return KARPENTER;
  switch (policyId) {
    case 'AlbControllerRolePolicy':
      return ALB_CONTROLLER;
    case 'AddonAwsEbsCsiDriverRolePolicy':
      return 'EBS CSI driver grants of its upstream example policy (docs/example-iam-policy.json) missing from the AWS managed AmazonEBSCSIDriverPolicy: volumes and snapshots are created at run time with generated ids, so resources are EC2 ARN patterns narrowed by the driver\'s tags (ebs.csi.aws.com/cluster, CSIVolumeName, CSIVolumeSnapshotName) or by ec2:CreateAction; the Describe calls have no resource-level permissions';
    case 'ExternalSecretsRolePolicy':
      return `External Secrets reads only this environment's secrets (${m.project}/${m.environment.name}/*) and SSM parameters (${m.ssmPrefix}/*); their names are declared in innovate.yaml and created by other stacks, and Secrets Manager appends a random suffix to secret ARNs`;
    case 'ExternalDnsRolePolicy':
      return 'route53:ListHostedZones has no resource-level permissions (AWS documents Resource "*"); record changes are limited to the environment\'s hosted zone (ingress.hostedZoneId)';
    case 'DatabaseBootstrapRolePolicy':
      return sid === 'VpcNetworkInterfaces'
        ? 'a Lambda function in a VPC: Lambda creates and deletes its network interfaces with the function\'s role, and the EC2 network-interface calls it needs (the set of the AWSLambdaVPCAccessExecutionRole policy) take no resource-level permissions for interfaces that do not exist yet'
        : 'Lambda writes one log stream per execution environment, named at run time: the resource is the function\'s own log group\'s streams (":*"), nothing else';
    case 'FlowLogRolePolicy':
    case 'DrFlowLogRolePolicy':
      return 'VPC Flow Logs writes one log stream per network interface, named at delivery time: the resource is the flow-log group itself and its streams (":*"), nothing else';
    case 'TrailLogsRolePolicy':
      return 'CloudTrail creates its log streams (one per region and account) in the trail log group at delivery time: the resource is that group\'s streams only';
    case 'CiRolePolicy':
      if (sid === 'EcrLogin') return 'ecr:GetAuthorizationToken has no resource-level permissions (AWS documents Resource "*"); pushes are limited to the ECR repositories of innovate.yaml';
      if (sid === 'ScanFindings') return 'inspector2:ListFindings and inspector2:ListCoverage have no resource-level permissions (AWS documents Resource "*"); ECR asks for them to read enhanced scan findings (the scan gate, the production CVE gate), and they only read';
      if (sid === 'Artifacts') return 'objects of the environment\'s CI artifact bucket, whose keys are build ids chosen at run time; no other bucket';
      return undefined;
    default:
      return undefined;
  }
}

const bucketReasons = (id: string): { logging: string; replication: string } => {
  if (id === 'TrailBucket') {
    return {
      logging: 'the CloudTrail bucket: log-file integrity validation (signed digest files) detects any change to its objects, and logging its object access through the trail itself would loop; S3 server access logs need an SSE-S3 target bucket, which the customer-managed-key rule (INV004) excludes',
      replication: 'CloudTrail log files are versioned, integrity-validated and retained in this account; a cross-region copy of audit logs belongs to an organization trail / log archive account, not to each environment',
    };
  }
  return {
    logging: 'object-level access to this bucket is recorded as CloudTrail S3 data events (audit.json, KMS-encrypted, also in CloudWatch Logs); S3 server access logs need an SSE-S3 target bucket, which the customer-managed-key rule (INV004) excludes',
    replication: 'the bucket holds CI build artifacts, reproducible from the repository at the same commit; it is versioned, and replicating rebuildable data to a second region adds cost without recovery value',
  };
};

/** The table: findings that are design decisions, by resource type, each with its reason. */
const TABLE: readonly Entry[] = [
  {
    type: 'AWS::IAM::Role',
    suppressions: (_id, p) =>
      list(p.ManagedPolicyArns)
        .filter((a): a is string => typeof a === 'string' && a.startsWith(AWS_MANAGED))
        .flatMap((arn) => {
          const reason = MANAGED_POLICY_REASONS[arn.slice(AWS_MANAGED.length)];
          return reason ? [{ cdkNag: ['AwsSolutions-IAM4'], appliesTo: [`Policy::${arn}`], reason }] : [];
        }),
  },
  {
    type: 'AWS::IAM::ManagedPolicy',
    suppressions: (id, p, m) => {
      const byReason = new Map<string, string[]>();
      for (const w of policyWildcards(p.PolicyDocument)) {
        const reason = wildcardReason(id, w.sid, w.finding, m);
        if (reason) byReason.set(reason, [...(byReason.get(reason) ?? []), w.finding]);
      }
      const out: Suppression[] = [...byReason].map(([reason, findings]) => ({ cdkNag: ['AwsSolutions-IAM5'], appliesTo: findings, reason }));
      if (id === 'AlbControllerRolePolicy') out.push({ checkov: ['CKV_AWS_111'], reason: ALB_CONTROLLER });
      if (id === 'CiRolePolicy') out.push({ checkov: ['CKV_AWS_107'], reason: 'ecr:GetAuthorizationToken is how docker logs in to ECR; it has no resource-level permissions, and pushes are limited to the repositories of innovate.yaml' });
      return out;
    },
  },
  {
    type: 'AWS::S3::Bucket',
    suppressions: (id) => {
      const r = bucketReasons(id);
      return [
        { cdkNag: ['AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled'], checkov: ['CKV_AWS_18'], reason: r.logging },
        { cdkNag: ['NIST.800.53.R5-S3BucketReplicationEnabled'], reason: r.replication },
      ];
    },
  },
  {
    type: 'AWS::EC2::SecurityGroup',
    suppressions: (id) =>
      id === 'AlbSecurityGroup'
        ? [{ cdkNag: ['AwsSolutions-EC23'], checkov: ['CKV_AWS_260'], reason: 'the public ALB is the platform\'s one entry from the internet: HTTP (redirected to HTTPS) and HTTPS only, and INV002 keeps every other group closed to the internet' }]
        : [],
  },
  {
    type: 'AWS::EC2::NetworkAcl',
    suppressions: () => [{ cdkNag: ['AwsSolutions-VPC3'], reason: 'NACLs per tier are a deliberate second, stateless fence behind the security groups (network.nacls in innovate.yaml)' }],
  },
  {
    type: 'AWS::EC2::NetworkAclEntry',
    suppressions: () => [{ cdkNag: ['AwsSolutions-VPC3'], reason: 'NACLs per tier are a deliberate second, stateless fence behind the security groups (network.nacls in innovate.yaml)' }],
  },
  {
    type: 'AWS::EC2::VPC',
    suppressions: () => [
      {
        cdkNag: ['NIST.800.53.R5-VPCDefaultSecurityGroupClosed'],
        reason: 'CloudFormation cannot remove the default security group\'s rules without a Lambda-backed custom resource; nothing innovate creates uses the default group (every ENI gets a named group), and Security Hub EC2.2 / AWS Config remediate it account-wide',
      },
    ],
  },
  {
    type: 'AWS::EC2::Route',
    suppressions: (_id, p) =>
      p.GatewayId !== undefined && p.DestinationCidrBlock === '0.0.0.0/0'
        ? [{ cdkNag: ['NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW'], reason: 'the public route table serves only the public subnets, which hold the ALB and the NAT gateways; nodes, pods and databases sit in private and isolated subnets without this route (INV001, INV002)' }]
        : [],
  },
  {
    type: 'AWS::EC2::Subnet',
    suppressions: () => [{ cfnLint: ['W3010'], reason: 'availability zones are chosen explicitly in innovate.yaml (network.zones)' }],
  },
  {
    type: 'AWS::SQS::Queue',
    suppressions: (id) =>
      id === 'KarpenterInterruptionQueue'
        ? [{ cdkNag: ['AwsSolutions-SQS3'], reason: 'Karpenter deletes each interruption event once handled; an event it cannot handle is stale within the queue\'s 300 s retention (a Spot notice gives two minutes), so a dead-letter queue would only collect expired notices' }]
        : [],
  },
  {
    type: 'AWS::SecretsManager::Secret',
    suppressions: (id) =>
      id === 'GrafanaAdminSecret'
        ? [
            {
              cdkNag: ['AwsSolutions-SMG4', 'NIST.800.53.R5-SecretsManagerRotationEnabled'],
              reason: 'Grafana stores its admin password in its own database at first start and reads this secret (through External Secrets) only then: there is no rotation function for it, and rotating the secret alone would desynchronise the two; rotate by changing both',
            },
          ]
        : [],
  },
  {
    type: 'AWS::RDS::DBInstance',
    suppressions: (id) => [
      {
        cdkNag: ['NIST.800.53.R5-RDSInBackupPlan'],
        reason: id.startsWith('Dr')
          ? 'an instance of the global database\'s secondary cluster: Aurora instances hold no storage of their own, and the primary cluster is in the AWS Backup plan (data.json)'
          : 'Aurora instances hold no storage of their own: AWS Backup protects the cluster (BackupSelection on the DBClusterArn) and automated backups give point-in-time recovery',
      },
    ],
  },
  {
    type: 'AWS::RDS::DBCluster',
    suppressions: (_id, p, m) =>
      p.DeletionProtection === false && !m.environment.production
        ? [
            {
              cdkNag: ['AwsSolutions-RDS10', 'NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled'],
              reason: `database.deletionProtection is off for the non-production environment ${m.environment.name} in innovate.yaml so it can be torn down; production databases must keep it (INV008)`,
            },
          ]
        : [],
  },
  {
    type: 'AWS::KMS::Key',
    suppressions: (_id, p) =>
      list((p.KeyPolicy as Props | undefined)?.Statement).some((s) => (s as Props).Effect !== 'Deny' && list(((s as Props).Principal as Props | undefined)?.AWS).includes('*'))
        ? [{ checkov: ['CKV_AWS_33'], reason: 'the "*" principal is confined by kms:CallerAccount (this account only) and kms:ViaService (only through the named AWS service in this region), the pattern AWS documents for service-integrated keys' }]
        : [],
  },
  {
    type: 'AWS::EKS::Cluster',
    suppressions: (_id, p) =>
      (p.ResourcesVpcConfig as Props | undefined)?.EndpointPublicAccess === true
        ? [{ checkov: ['CKV_AWS_39'], reason: 'the public API endpoint is open only to cluster.endpoint.publicAccessCidrs from innovate.yaml (INV002 rejects 0.0.0.0/0); nodes use the private endpoint' }]
        : [],
  },
];

/** The table by resource type: every resource of every template looks itself up. */
const TABLE_BY_TYPE = new Map<string, Entry[]>();
for (const e of TABLE) TABLE_BY_TYPE.set(e.type, [...(TABLE_BY_TYPE.get(e.type) ?? []), e]);

/** A policy exception of innovate.yaml as it reaches the emitters (model.policy). */
type Exception = Model['policy']['exceptions'][number];

/** Scanner suppressions an exception asks for, for CloudFormation targets. */
export function exceptionSuppressions(e: Exception): Suppression[] {
  const s = e.scanners;
  if (!s) return [];
  const reason = `${e.reason} (innovate.yaml policy exception${e.rule ? ` for ${e.rule}` : ''}, expires ${e.expires})`;
  const out: Suppression[] = [];
  for (const rule of s.cdkNag ?? []) {
    const m = /^([^[\]]+)(?:\[(.+)\])?$/.exec(rule);
    if (m) out.push({ cdkNag: [m[1]!], ...(m[2] ? { appliesTo: [m[2]] } : {}), reason });
  }
  if (s.checkov?.length) out.push({ checkov: s.checkov, reason });
  if (s.cfnLint?.length) out.push({ cfnLint: s.cfnLint, reason });
  return out;
}

/** Does an exception target this resource (logical id, or `<artifact path>#<logical id>`)? */
const targets = (e: Exception, artifact: string, id: string): boolean => e.target === id || e.target === `${artifact}#${id}`;

/** The Metadata a list of suppressions becomes, merged over the resource's existing Metadata. */
export function metadataFor(existing: unknown, suppressions: readonly Suppression[]): Record<string, unknown> | undefined {
  if (suppressions.length === 0) return existing as Record<string, unknown> | undefined;
  const nag = new Map<string, { id: string; reason: string; applies_to?: string[] }>();
  const checkov = new Map<string, { id: string; comment: string }>();
  const lint = new Map<string, string>();
  for (const s of suppressions) {
    for (const id of s.cdkNag ?? []) {
      const entry = { id, reason: s.reason, ...(s.appliesTo?.length ? { applies_to: [...s.appliesTo].sort() } : {}) };
      nag.set(JSON.stringify(entry), entry);
    }
    for (const id of s.checkov ?? []) if (!checkov.has(id)) checkov.set(id, { id, comment: s.reason });
    for (const id of s.cfnLint ?? []) if (!lint.has(id)) lint.set(id, s.reason);
  }
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
  const ignore = [...lint.keys()].sort();
  return {
    ...(existing as Record<string, unknown> | undefined),
    ...(nag.size ? { cdk_nag: { rules_to_suppress: [...nag.values()].sort(byId) } } : {}),
    ...(checkov.size ? { checkov: { skip: [...checkov.values()].sort(byId) } } : {}),
    ...(ignore.length ? { 'cfn-lint': { config: { ignore_checks: ignore } }, innovate: { 'cfn-lint': Object.fromEntries(ignore.map((id) => [id, lint.get(id)!])) } } : {}),
  };
}

/** The suppressions of one resource: the table's and the spec exceptions targeting it. */
export function suppressionsOf(m: Model, artifact: string, id: string, r: Resource): Suppression[] {
  return [
    ...(TABLE_BY_TYPE.get(r.Type) ?? []).flatMap((e) => e.suppressions(id, r.Properties as Props, m)),
    ...m.policy.exceptions.filter((e) => targets(e, artifact, id)).flatMap(exceptionSuppressions),
  ];
}

/** Writes every resource's suppressions into its Metadata (the template at `artifact`). */
export function applySuppressions(t: Template, artifact: string): void {
  for (const [id, r] of Object.entries(t.resources)) {
    const metadata = metadataFor(r.Metadata, suppressionsOf(t.model, artifact, id, r));
    if (metadata) r.Metadata = metadata as Resource['Metadata'];
  }
}
