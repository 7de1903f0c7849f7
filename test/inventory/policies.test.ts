import { describe, expect, it } from 'vitest';
import { MANAGED_POLICIES, UPSTREAM_POLICIES, managedPolicyByArn } from '../../src/inventory/index.js';

type Stmt = { Effect: string; Action?: string | string[]; Resource?: string | string[] };
const actions = (docs: readonly { Statement: readonly unknown[] }[]) =>
  new Set(docs.flatMap((d) => (d.Statement as Stmt[]).flatMap((s) => [s.Action ?? []].flat())));

describe('AWS managed policies', () => {
  it('has a document for every managed policy ARN the CloudFormation emitters attach', () => {
    for (const arn of [
      'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
      'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
      'arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy',
      'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
      'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess',
      'arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess',
      'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ]) {
      const p = managedPolicyByArn(arn);
      expect(p, arn).toBeDefined();
      expect(p!.document.Version).toBe('2012-10-17');
      expect(p!.version).toMatch(/^v\d+ \(\d{4}-\d\d-\d\dT/);
    }
    expect(managedPolicyByArn('arn:aws-cn:iam::aws:policy/AmazonEKS_CNI_Policy')).toBe(MANAGED_POLICIES.AmazonEKS_CNI_Policy);
  });

  it('AmazonEKS_CNI_Policy lets the VPC CNI manage ENIs', () => {
    const a = actions([MANAGED_POLICIES.AmazonEKS_CNI_Policy!.document]);
    for (const x of ['ec2:CreateNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:AttachNetworkInterface']) expect(a).toContain(x);
  });
});

describe('upstream controller policies', () => {
  it.each([
    ['karpenter', 6, ['ec2:RunInstances', 'ec2:CreateFleet', 'iam:PassRole', 'sqs:ReceiveMessage', 'eks:DescribeCluster']],
    ['aws-load-balancer-controller', 1, ['elasticloadbalancing:CreateLoadBalancer', 'ec2:DescribeSubnets']],
    ['aws-ebs-csi-driver', 1, ['ec2:CreateVolume', 'ec2:AttachVolume']],
    ['external-secrets', 1, ['secretsmanager:GetSecretValue']],
    ['cloudwatch-agent', 1, ['cloudwatch:PutMetricData', 'logs:PutLogEvents']],
  ] as const)('%s: %i document(s) allowing %j', (name, count, wanted) => {
    const p = UPSTREAM_POLICIES[name];
    expect(p.documents).toHaveLength(count);
    expect(p.source).toMatch(/github\.com/);
    const a = actions(p.documents);
    for (const x of wanted) expect(a).toContain(x);
  });
});
