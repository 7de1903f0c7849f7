/**
 * Controller policies as their projects publish them, with the cluster, region and account
 * resolved at compile time:
 *   - Karpenter v1 controller policy (karpenter-provider-aws, getting-started cloudformation.yaml);
 *   - AWS Load Balancer Controller v2 policy (docs/install/iam_policy.json);
 *   - External Secrets: read this environment's secrets and SSM parameters only;
 *   - external-dns: its upstream policy (docs/tutorials/aws.md, "IAM Policy"), on this environment's zone only.
 */
import type { Model } from '../../compiler/model.js';
import { allow, arn, viaService, type Statement } from './iam.js';
import type { Narrowing } from '../../platform/permissions.js';
import type { Json } from './template.js';

/** One of Karpenter's controller policies: upstream's group (NodeLifecycle, IAMIntegration, ...) and its statements. */
export interface KarpenterPolicy {
  /** upstream's resource name without "Policy": NodeLifecycle, IAMIntegration, EKSIntegration, Interruption, ZonalShift, ResourceDiscovery. */
  readonly group: string;
  /** upstream's ManagedPolicyName: KarpenterController<group>Policy-<cluster>. */
  readonly name: string;
  readonly statements: Statement[];
}

/**
 * The Karpenter controller's permissions, split into the managed policies of karpenter-provider-aws
 * v1.14's getting-started CloudFormation (inventory/upstream-policies/karpenter-cloudformation.yaml),
 * with their names and grouping: one document of everything was ~6,000 of IAM's 6,144 characters.
 * Where ours is narrower than upstream, the reason is in KARPENTER_NARROWINGS; our one addition is
 * AllowEbsKeyThroughEc2 (upstream's root volumes use the AWS managed EBS key, ours the EBS CMK).
 */
export function karpenterControllerPolicies(m: Model, queueArn: Json | undefined, nodeRoleArn: Json, ebsKeyArn: Json): KarpenterPolicy[] {
  const region = m.environment.region;
  const account = m.environment.accountId;
  const cluster = m.cluster.name;
  const ec2 = (type: string, acct = '*') => `arn:aws:ec2:${region}:${acct}:${type}/*`;
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: 'owned' };
  const requestOwned = { [`aws:RequestTag/kubernetes.io/cluster/${cluster}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': cluster };
  const created = [ec2('fleet'), ec2('instance'), ec2('volume'), ec2('network-interface'), ec2('launch-template'), ec2('spot-instances-request')];
  const profiles = `arn:aws:iam::${account}:instance-profile/*`;
  const clusterArn = `arn:aws:eks:${region}:${account}:cluster/${cluster}`;
  const policy = (group: string, statements: Statement[]): KarpenterPolicy => ({ group, name: `KarpenterController${group}Policy-${cluster}`, statements });
  const policies = [
    policy('NodeLifecycle', [
      allow('AllowScopedEC2InstanceAccessActions', ['ec2:RunInstances', 'ec2:CreateFleet'], [
        `arn:aws:ec2:${region}::image/*`, `arn:aws:ec2:${region}::snapshot/*`, ec2('security-group'), ec2('subnet'), ec2('capacity-reservation'), ec2('placement-group'),
      ]),
      allow('AllowScopedEC2LaunchTemplateAccessActions', ['ec2:RunInstances', 'ec2:CreateFleet'], ec2('launch-template'), {
        StringEquals: owned,
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      }),
      allow('AllowScopedEC2InstanceActionsWithTags', ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'], created, {
        StringEquals: requestOwned,
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      }),
      allow('AllowScopedResourceCreationTagging', 'ec2:CreateTags', created, {
        StringEquals: { ...requestOwned, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      }),
      allow('AllowScopedResourceTagging', 'ec2:CreateTags', ec2('instance'), {
        StringEquals: owned,
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': cluster },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      }),
      allow('AllowScopedDeletion', ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'], [ec2('instance'), ec2('launch-template')], {
        StringEquals: owned,
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      }),
      // Root volumes are encrypted with the EBS CMK (EC2NodeClass kmsKeyID): RunInstances creates grants on it through EC2. That key only.
      allow('AllowEbsKeyThroughEc2', ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'], ebsKeyArn, viaService(m, 'ec2')),
    ]),
    policy('IAMIntegration', [
      // upstream also lists ec2.amazonaws.com.cn (the China partitions); innovate emits the aws partition only.
      allow('AllowPassingInstanceRole', 'iam:PassRole', nodeRoleArn, { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } }),
      allow('AllowScopedInstanceProfileCreationActions', 'iam:CreateInstanceProfile', profiles, {
        StringEquals: { ...requestOwned, 'aws:RequestTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      }),
      allow('AllowScopedInstanceProfileTagActions', 'iam:TagInstanceProfile', profiles, {
        StringEquals: { ...owned, 'aws:ResourceTag/topology.kubernetes.io/region': region, ...requestOwned, 'aws:RequestTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      }),
      allow('AllowScopedInstanceProfileActions', ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'], profiles, {
        StringEquals: { ...owned, 'aws:ResourceTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      }),
    ]),
    policy('EKSIntegration', [allow('AllowAPIServerEndpointDiscovery', 'eks:DescribeCluster', clusterArn)]),
    ...(queueArn ? [policy('Interruption', [allow('AllowInterruptionQueueActions', ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], queueArn)])] : []),
    policy('ZonalShift', [
      allow('AllowZonalShiftStatusReadOnly', 'arc-zonal-shift:GetManagedResource', '*', { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': clusterArn } }),
    ]),
    policy('ResourceDiscovery', [
      allow(
        'AllowRegionalReadActions',
        [
          'ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeInstanceStatus', 'ec2:DescribeInstanceTypeOfferings',
          'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates', 'ec2:DescribePlacementGroups', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory',
          'ec2:DescribeSubnets',
        ],
        '*',
        { StringEquals: { 'aws:RequestedRegion': region } },
      ),
      allow('AllowSSMReadActions', 'ssm:GetParameter', `arn:aws:ssm:${region}::parameter/aws/service/*`),
      allow('AllowPricingReadActions', 'pricing:GetProducts', '*'),
      allow('AllowUnscopedInstanceProfileListAction', 'iam:ListInstanceProfiles', '*'),
      allow('AllowInstanceProfileReadActions', 'iam:GetInstanceProfile', profiles),
    ]),
  ];
  return policies;
}

/**
 * Where innovate's Karpenter controller policies grant less than upstream's, and why
 * (compareToUpstream in test/cloudformation/upstream-policies.test.ts fails on any other gap).
 */
export const KARPENTER_NARROWINGS: readonly Narrowing[] = [
  {
    sid: 'AllowPassingInstanceRole',
    action: 'iam:PassRole',
    context: { 'iam:PassedToService': 'ec2.amazonaws.com.cn' },
    reason: 'upstream also allows passing the node role to ec2.amazonaws.com.cn (the AWS China partitions); innovate emits templates for the aws partition only',
  },
];

/** AWS Load Balancer Controller v2 policy. */
export function loadBalancerControllerStatements(): Statement[] {
  const ingressTag = 'aws:ResourceTag/elbv2.k8s.aws/cluster';
  const requestTag = 'aws:RequestTag/elbv2.k8s.aws/cluster';
  const lbResources = ['arn:aws:elasticloadbalancing:*:*:targetgroup/*/*', 'arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*', 'arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*'];
  return [
    allow('CreateElbServiceLinkedRole', 'iam:CreateServiceLinkedRole', '*', { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } }),
    allow(
      'Describe',
      [
        'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways', 'ec2:DescribeVpcs',
        'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeTags', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools', 'ec2:GetSecurityGroupsForVpc', 'ec2:DescribeIpamPools', 'ec2:DescribeRouteTables',
        'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores', 'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeCapacityReservation',
      ],
      '*',
    ),
    allow(
      'Integrations',
      [
        'cognito-idp:DescribeUserPoolClient', 'acm:ListCertificates', 'acm:DescribeCertificate', 'iam:ListServerCertificates', 'iam:GetServerCertificate',
        'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL', 'wafv2:GetWebACL',
        'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL', 'shield:GetSubscriptionState', 'shield:DescribeProtection',
        'shield:CreateProtection', 'shield:DeleteProtection',
      ],
      '*',
    ),
    allow('SecurityGroupIngress', ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], '*'),
    allow('CreateSecurityGroup', 'ec2:CreateSecurityGroup', '*'),
    allow('TagNewSecurityGroup', 'ec2:CreateTags', 'arn:aws:ec2:*:*:security-group/*', { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, Null: { [requestTag]: 'false' } }),
    allow('TagOwnSecurityGroups', ['ec2:CreateTags', 'ec2:DeleteTags'], 'arn:aws:ec2:*:*:security-group/*', { Null: { [requestTag]: 'true', [ingressTag]: 'false' } }),
    allow('ManageOwnSecurityGroups', ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'], '*', { Null: { [ingressTag]: 'false' } }),
    allow('CreateLoadBalancers', ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'], '*', { Null: { [requestTag]: 'false' } }),
    allow('ManageListenersAndRules', ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule'], '*'),
    allow('TagOwnLoadBalancers', ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], lbResources, { Null: { [requestTag]: 'true', [ingressTag]: 'false' } }),
    allow(
      'TagListenersAndRules',
      ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      ['arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*', 'arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*', 'arn:aws:elasticloadbalancing:*:*:listener-rule/net/*/*/*', 'arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*'],
    ),
    allow(
      'ManageOwnLoadBalancers',
      [
        'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools',
      ],
      '*',
      { Null: { [ingressTag]: 'false' } },
    ),
    allow('TagOnCreate', 'elasticloadbalancing:AddTags', lbResources, {
      StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] },
      Null: { [requestTag]: 'false' },
    }),
    allow('RegisterTargets', ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], 'arn:aws:elasticloadbalancing:*:*:targetgroup/*/*'),
    allow(
      'ManageListeners',
      ['elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'],
      '*',
    ),
  ];
}

/** External Secrets: read this environment's Secrets Manager secrets and SSM parameters, decrypt through those services. */
export function externalSecretsStatements(m: Model, secretsKeyArn: Json): Statement[] {
  return [
    allow('ReadEnvironmentSecrets', ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:GetSecretValue', 'secretsmanager:ListSecretVersionIds'], arn.secrets(m)),
    allow('ReadEnvironmentParameters', ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'], arn.ssmParameters(m)),
    allow('DecryptSecrets', 'kms:Decrypt', secretsKeyArn, viaService(m, 'secretsmanager')),
  ];
}

/**
 * sigstore policy-controller, the signature verifier: read the signing key's public key and its
 * metadata (sigstore's awskms client calls GetPublicKey and DescribeKey, then verifies locally; no
 * kms:Sign, no kms:Verify needed), and pull signatures from this environment's repositories. The key
 * is this environment's own (its ARN from the security stack) when its CI signs, else the build
 * environment's, named by its alias: the identity policy cannot know that key's id, so it allows the
 * keys of that account and region only when the request names the alias (kms:RequestAlias), which
 * is how policy-controller names it; that key's policy allows this role in turn (security.ts).
 */
export function imageVerifierStatements(m: Model, ownKeyArn: Json): Statement[] {
  const s = m.admission.signatures;
  if (!s) return [];
  const own = s.signer.name === m.environment.name;
  const repositories = m.registry.repositories.map((r) => `arn:aws:ecr:${m.environment.region}:${m.environment.accountId}:repository/${r.repositoryName}`);
  return [
    own
      ? allow('ReadSigningPublicKey', ['kms:DescribeKey', 'kms:GetPublicKey'], ownKeyArn)
      : allow('ReadSigningPublicKey', ['kms:DescribeKey', 'kms:GetPublicKey'], `arn:aws:kms:${s.signer.region}:${s.signer.accountId}:key/*`, { StringEquals: { 'kms:RequestAlias': s.keyAlias } }),
    allow('EcrLogin', 'ecr:GetAuthorizationToken', '*'),
    allow('ReadSignatures', ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], repositories),
  ];
}

/** A Route 53 hosted zone's ARN (Route 53 is global: no region, no account). */
export const hostedZoneArn = (zoneId: string): string => `arn:aws:route53:::hostedzone/${zoneId}`;

/**
 * external-dns (v0.21.0's documented policy, inventory/upstream-policies/external-dns-aws.md): change
 * and list the records of the environment's hosted zone, list its tags, and list the hosted zones
 * (ListHostedZones takes no resource; the controller's --zone-id-filter keeps it to this zone).
 */
export function externalDnsStatements(zoneId: string): Statement[] {
  return [
    allow('ChangeEnvironmentZoneRecords', ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'], hostedZoneArn(zoneId)),
    allow('ListHostedZones', 'route53:ListHostedZones', '*'),
  ];
}

/**
 * The EBS CSI driver: on top of the AWS managed AmazonEBSCSIDriverPolicy, the grants of the driver's
 * own example policy (docs/example-iam-policy.json, v1.64) that the managed policy as vendored
 * (v3, 2025-01-13) lacks, copied with upstream's resources and conditions: Describe of instance
 * types and volume status, CopyVolumes (volume cloning) and its tagging, LockSnapshot. And the EBS
 * CMK, with which PersistentVolumes are encrypted.
 */
export function ebsCsiKmsStatements(m: Model, ebsKeyArn: Json): Statement[] {
  const volumes = 'arn:aws:ec2:*:*:volume/*';
  const snapshots = 'arn:aws:ec2:*:*:snapshot/*';
  return [
    allow('EbsCsiDescribe', ['ec2:DescribeInstanceTypes', 'ec2:DescribeVolumeStatus'], '*'),
    allow('EbsCsiCopyVolumes', 'ec2:CopyVolumes', 'arn:aws:ec2:*:*:volume/vol-*'),
    allow('EbsCsiTagCopies', 'ec2:CreateTags', [volumes, snapshots], { StringEquals: { 'ec2:CreateAction': ['CopyVolumes'] } }),
    allow('EbsCsiCopyClusterVolumes', 'ec2:CopyVolumes', volumes, { StringLike: { 'aws:RequestTag/ebs.csi.aws.com/cluster': 'true' } }),
    allow('EbsCsiCopyNamedVolumes', 'ec2:CopyVolumes', volumes, { StringLike: { 'aws:RequestTag/CSIVolumeName': '*' } }),
    allow('EbsCsiLockNamedSnapshots', 'ec2:LockSnapshot', snapshots, { StringLike: { 'ec2:ResourceTag/CSIVolumeSnapshotName': '*' } }),
    allow('EbsCsiLockClusterSnapshots', 'ec2:LockSnapshot', snapshots, { StringLike: { 'ec2:ResourceTag/ebs.csi.aws.com/cluster': 'true' } }),
    allow('EbsKeyGrants', 'kms:CreateGrant', ebsKeyArn, { Bool: { 'kms:GrantIsForAWSResource': 'true' } }),
    allow('EbsKeyUse', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'], ebsKeyArn, viaService(m, 'ec2')),
  ];
}

/**
 * The deliberate narrowings of each controller against its upstream policy (see docs/cloudformation.md,
 * "Controller permissions vs upstream").
 */
export const CONTROLLER_NARROWINGS: Readonly<Record<'karpenter' | 'aws-load-balancer-controller' | 'aws-ebs-csi-driver' | 'external-secrets' | 'cloudwatch-agent' | 'external-dns', readonly Narrowing[]>> = {
  karpenter: KARPENTER_NARROWINGS,
  'aws-load-balancer-controller': [],
  'aws-ebs-csi-driver': [],
  'external-secrets': [
    {
      action: ['secretsmanager:ListSecrets', 'secretsmanager:BatchGetSecretValue'],
      resource: '*',
      reason:
        'upstream grants listing and batch-reading every secret of the account for dataFrom.find and batch retrieval; innovate\'s ExternalSecrets name each secret by key (remoteRef.key, src/emitters/kubernetes/secrets.ts), so reads stay on this environment\'s secrets (<project>/<env>/*) and SSM parameters',
    },
  ],
  'cloudwatch-agent': [],
  'external-dns': [
    {
      action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
      resource: 'arn:aws:route53:::hostedzone/*',
      reason:
        'zone-scoped: upstream lets external-dns change every hosted zone of the account (and its docs suggest listing the zones instead of "*"); innovate grants the environment\'s own zone only (ingress.hostedZoneId), the one its --zone-id-filter names, so a mistaken host or domain filter cannot rewrite another zone\'s records',
    },
  ],
};
