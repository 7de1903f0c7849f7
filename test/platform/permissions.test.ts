import { describe, expect, it } from 'vitest';

import { managedPolicyByArn } from '../../src/inventory/policies.js';
import {
  actionMatches,
  compareToUpstream,
  conditionHolds,
  contextsAdmittedBy,
  evaluate,
  isAllowed,
  roleStatements,
  substitute,
  wildcardMatch,
  type PolicyStatement,
} from '../../src/platform/permissions.js';

const s = (x: PolicyStatement): PolicyStatement => x;

describe('wildcards', () => {
  it('matches actions case-insensitively, with * and ?', () => {
    expect(actionMatches('ec2:Describe*', 'ec2:DescribeInstances')).toBe(true);
    expect(actionMatches('EC2:describe*', 'ec2:DescribeInstances')).toBe(true);
    expect(actionMatches('ec2:Describe*', 'ec2:RunInstances')).toBe(false);
    expect(actionMatches('kms:ReEncrypt*', 'kms:ReEncryptFrom')).toBe(true);
    expect(actionMatches('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(actionMatches('*', 'iam:PassRole')).toBe(true);
    expect(actionMatches('ec2:*', 'ecr:GetAuthorizationToken')).toBe(false);
  });
  it('matches resources case-sensitively; a literal dot is not a regex wildcard', () => {
    expect(wildcardMatch('arn:aws:ec2:us-east-1:*:instance/*', 'arn:aws:ec2:us-east-1:111111111111:instance/i-1')).toBe(true);
    expect(wildcardMatch('arn:aws:ec2:us-east-1:*:instance/*', 'arn:aws:ec2:us-west-2:111111111111:instance/i-1')).toBe(false);
    expect(wildcardMatch('arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/x')).toBe(false);
    expect(wildcardMatch('a.c', 'abc')).toBe(false);
  });
  it('symbolic: a * in the subject is covered only by a * of the pattern', () => {
    expect(wildcardMatch('arn:aws:ec2:*:*:instance/*', 'arn:aws:ec2:us-east-1:*:instance/*', { symbolic: true })).toBe(true);
    expect(wildcardMatch('arn:aws:ec2:us-east-1:*:instance/*', 'arn:aws:ec2:*:*:instance/*', { symbolic: true })).toBe(false);
    expect(wildcardMatch('arn:aws:ec2:us-east-1:1:instance/i-?', 'arn:aws:ec2:us-east-1:1:instance/i-*', { symbolic: true })).toBe(false);
  });
});

describe('evaluate', () => {
  const policy = [
    s({ Sid: 'Read', Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'] }),
    s({ Sid: 'NoSecrets', Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/secret/*' }),
  ];
  it('allows what an Allow matches, implicitly denies the rest', () => {
    expect(evaluate(policy, { action: 's3:GetObject', resource: 'arn:aws:s3:::data/a.txt' })).toEqual({ allowed: true, reason: 'allowed', statements: ['Read'] });
    expect(evaluate(policy, { action: 's3:PutObject', resource: 'arn:aws:s3:::data/a.txt' })).toEqual({ allowed: false, reason: 'implicit-deny', statements: [] });
    expect(isAllowed(policy, { action: 's3:GetObject', resource: 'arn:aws:s3:::other/a.txt' })).toBe(false);
  });
  it('an explicit Deny beats the Allow', () => {
    expect(evaluate(policy, { action: 's3:GetObject', resource: 'arn:aws:s3:::data/secret/k' })).toEqual({ allowed: false, reason: 'explicit-deny', statements: ['NoSecrets'] });
    expect(isAllowed(policy, { action: 's3:ListBucket', resource: 'arn:aws:s3:::data' })).toBe(true);
  });
  it('NotAction allows everything but the listed actions; a Deny with NotAction denies everything else', () => {
    const notAction = [s({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' })];
    expect(isAllowed(notAction, { action: 'ec2:RunInstances', resource: '*' })).toBe(true);
    expect(isAllowed(notAction, { action: 'iam:CreateUser', resource: '*' })).toBe(false);
    const guard = [s({ Effect: 'Allow', Action: '*', Resource: '*' }), s({ Sid: 'OnlyEc2', Effect: 'Deny', NotAction: 'ec2:*', Resource: '*' })];
    expect(isAllowed(guard, { action: 'ec2:DescribeInstances', resource: '*' })).toBe(true);
    expect(evaluate(guard, { action: 's3:GetObject', resource: '*' }).reason).toBe('explicit-deny');
  });
  it('NotResource', () => {
    const p = [s({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::private/*' } as PolicyStatement)];
    expect(isAllowed(p, { action: 's3:GetObject', resource: 'arn:aws:s3:::public/x' })).toBe(true);
    expect(isAllowed(p, { action: 's3:GetObject', resource: 'arn:aws:s3:::private/x' })).toBe(false);
  });
});

describe('conditions', () => {
  const tagged = [
    s({
      Sid: 'Tagged',
      Effect: 'Allow',
      Action: 'ec2:TerminateInstances',
      Resource: 'arn:aws:ec2:us-east-1:*:instance/*',
      Condition: { StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/c1': 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    }),
  ];
  const instance = 'arn:aws:ec2:us-east-1:1:instance/i-1';
  it('every operator and key must hold; keys are case-insensitive, values are not', () => {
    expect(isAllowed(tagged, { action: 'ec2:TerminateInstances', resource: instance, context: { 'aws:ResourceTag/kubernetes.io/cluster/c1': 'owned', 'aws:resourcetag/karpenter.sh/nodepool': 'default' } })).toBe(true);
    expect(isAllowed(tagged, { action: 'ec2:TerminateInstances', resource: instance, context: { 'aws:ResourceTag/kubernetes.io/cluster/c1': 'owned' } })).toBe(false);
    expect(isAllowed(tagged, { action: 'ec2:TerminateInstances', resource: instance, context: { 'aws:ResourceTag/kubernetes.io/cluster/c1': 'Owned', 'aws:ResourceTag/karpenter.sh/nodepool': 'x' } })).toBe(false);
    expect(isAllowed(tagged, { action: 'ec2:TerminateInstances', resource: instance, context: { 'aws:ResourceTag/kubernetes.io/cluster/c2': 'owned', 'aws:ResourceTag/karpenter.sh/nodepool': 'x' } })).toBe(false);
  });
  it('a listed value list is an OR; StringEqualsIgnoreCase', () => {
    expect(conditionHolds('StringEquals', 'iam:PassedToService', ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'], { 'iam:PassedToService': 'ec2.amazonaws.com.cn' })).toBe(true);
    expect(conditionHolds('StringEquals', 'iam:PassedToService', ['ec2.amazonaws.com'], { 'iam:PassedToService': 'lambda.amazonaws.com' })).toBe(false);
    expect(conditionHolds('StringEqualsIgnoreCase', 'k', 'ABC', { k: 'abc' })).toBe(true);
  });
  it('a missing key fails a positive operator, satisfies a negated one and IfExists', () => {
    expect(conditionHolds('StringEquals', 'aws:RequestedRegion', 'us-east-1', {})).toBe(false);
    expect(conditionHolds('StringNotEquals', 'aws:RequestedRegion', 'us-east-1', {})).toBe(true);
    expect(conditionHolds('StringNotEquals', 'aws:RequestedRegion', 'us-east-1', { 'aws:RequestedRegion': 'us-east-1' })).toBe(false);
    expect(conditionHolds('StringEqualsIfExists', 'aws:RequestTag/eks:eks-cluster-name', 'c1', {})).toBe(true);
    expect(conditionHolds('StringEqualsIfExists', 'aws:RequestTag/eks:eks-cluster-name', 'c1', { 'aws:RequestTag/eks:eks-cluster-name': 'c2' })).toBe(false);
  });
  it('Null tests presence', () => {
    expect(conditionHolds('Null', 'aws:RequestTag/elbv2.k8s.aws/cluster', 'false', { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'x' })).toBe(true);
    expect(conditionHolds('Null', 'aws:RequestTag/elbv2.k8s.aws/cluster', 'false', {})).toBe(false);
    expect(conditionHolds('Null', 'aws:RequestTag/elbv2.k8s.aws/cluster', 'true', {})).toBe(true);
    expect(conditionHolds('Null', 'aws:RequestTag/elbv2.k8s.aws/cluster', 'true', { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'x' })).toBe(false);
  });
  it('ArnLike / ArnEquals with wildcards, Bool, Numeric', () => {
    expect(conditionHolds('ArnLike', 'aws:SourceArn', 'arn:aws:eks:us-east-1:1:cluster/*', { 'aws:SourceArn': 'arn:aws:eks:us-east-1:1:cluster/c1' })).toBe(true);
    expect(conditionHolds('ArnEquals', 'aws:SourceArn', 'arn:aws:eks:us-east-1:1:cluster/c1', { 'aws:SourceArn': 'arn:aws:eks:us-east-1:1:cluster/c2' })).toBe(false);
    expect(conditionHolds('ArnNotLike', 'aws:SourceArn', 'arn:aws:eks:*:1:cluster/*', { 'aws:SourceArn': 'arn:aws:eks:us-east-1:2:cluster/c1' })).toBe(true);
    expect(conditionHolds('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': 'false' })).toBe(true);
    expect(conditionHolds('Bool', 'kms:GrantIsForAWSResource', 'true', {})).toBe(false);
    expect(conditionHolds('NumericLessThanEquals', 's3:max-keys', '10', { 's3:max-keys': '5' })).toBe(true);
  });
  it('ForAllValues / ForAnyValue over multi-valued keys', () => {
    const allowed = ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'];
    expect(conditionHolds('ForAllValues:StringEquals', 'aws:TagKeys', allowed, { 'aws:TagKeys': ['Name', 'karpenter.sh/nodeclaim'] })).toBe(true);
    expect(conditionHolds('ForAllValues:StringEquals', 'aws:TagKeys', allowed, { 'aws:TagKeys': ['Name', 'kubernetes.io/cluster/c1'] })).toBe(false);
    expect(conditionHolds('ForAllValues:StringEquals', 'aws:TagKeys', allowed, {})).toBe(true);
    expect(conditionHolds('ForAnyValue:StringLike', 'aws:TagKeys', 'kubernetes.io/*', { 'aws:TagKeys': ['Name', 'kubernetes.io/cluster/c1'] })).toBe(true);
    expect(conditionHolds('ForAnyValue:StringLike', 'aws:TagKeys', 'kubernetes.io/*', {})).toBe(false);
  });
  it('an operator the evaluator does not model never holds (fails closed)', () => {
    expect(conditionHolds('IpAddress', 'aws:SourceIp', '10.0.0.0/8', { 'aws:SourceIp': '10.1.2.3' })).toBe(false);
  });
});

describe('roleStatements resolves AWS managed policies through the inventory', () => {
  it('AmazonEC2ContainerRegistryPullOnly grants ecr:BatchGetImage; an unknown ARN is reported, not treated as empty', () => {
    const { statements, unresolved } = roleStatements([], ['arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly', 'arn:aws:iam::aws:policy/Unknown'], managedPolicyByArn);
    expect(isAllowed(statements, { action: 'ecr:BatchGetImage', resource: 'arn:aws:ecr:us-east-1:1:repository/x' })).toBe(true);
    expect(isAllowed(statements, { action: 'ecr:DescribeRepositories', resource: '*' })).toBe(false);
    expect(unresolved).toEqual(['arn:aws:iam::aws:policy/Unknown']);
  });
});

describe('compareToUpstream', () => {
  const upstream = [
    {
      Id: 'Up',
      Statement: [
        { Sid: 'Describe', Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribePlacementGroups'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': '${AWS::Region}' } } },
        {
          Sid: 'Delete',
          Effect: 'Allow',
          Action: 'ec2:TerminateInstances',
          Resource: 'arn:aws:ec2:${AWS::Region}:*:instance/*',
          Condition: { StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/${ClusterName}': 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
        },
        { Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::1:role/node', Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } } },
      ],
    },
  ];
  const resolved = substitute(upstream, { 'AWS::Region': 'us-east-1', ClusterName: 'c1' });
  const ours = [
    s({ Sid: 'Describe', Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } }),
    s({
      Sid: 'Delete',
      Effect: 'Allow',
      Action: ['ec2:TerminateInstances'],
      Resource: 'arn:aws:ec2:us-east-1:*:instance/*',
      Condition: { StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/c1': 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    }),
    s({ Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::1:role/node', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }),
  ];
  it('substitutes placeholders, keys included', () => {
    expect(JSON.stringify(resolved)).not.toContain('${');
    expect(JSON.stringify(resolved)).toContain('aws:ResourceTag/kubernetes.io/cluster/c1');
  });
  it('the admitted contexts enumerate listed values, and try IfExists / Null:true keys absent', () => {
    expect(contextsAdmittedBy({ StringEquals: { k: ['a', 'b'] } })).toEqual([{ k: 'a' }, { k: 'b' }]);
    expect(contextsAdmittedBy({ StringEqualsIfExists: { k: 'a' }, Null: { n: 'false', m: 'true' } })).toEqual([{ k: 'a', n: '*' }, { n: '*' }]);
    expect(contextsAdmittedBy({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } })).toEqual([{ 'aws:TagKeys': ['a', 'b'] }]);
  });
  it('lists each upstream action we do not grant, for the same resource and condition', () => {
    const r = compareToUpstream(ours, resolved);
    expect(r.gaps.map((g) => `${g.sid} ${g.action}`)).toEqual(['Describe ec2:DescribePlacementGroups', 'Pass iam:PassRole']);
    expect(r.gaps[1]!.context).toEqual({ 'iam:PassedToService': 'ec2.amazonaws.com.cn' });
  });
  it('a narrowing with its reason removes a gap; a stale narrowing is reported', () => {
    const narrowings = [
      { sid: 'Pass', action: 'iam:PassRole', reason: 'the China partition is not a target' },
      { action: 'ec2:DescribeInstanceStatus', reason: 'stale' },
    ];
    const r = compareToUpstream([...ours, s({ Effect: 'Allow', Action: 'ec2:DescribePlacementGroups', Resource: '*' })], resolved, narrowings);
    expect(r.gaps).toEqual([]);
    expect(r.narrowed.map((n) => n.reason)).toEqual(['the China partition is not a target']);
    expect(r.unusedNarrowings).toEqual([narrowings[1]]);
  });
  it('narrower than upstream counts as a gap: another region, a literal where upstream has *, a missing tag condition value, a Deny', () => {
    const variants: PolicyStatement[][] = [
      ours.map((x) => (x.Sid === 'Delete' ? { ...x, Resource: 'arn:aws:ec2:us-west-2:*:instance/*' } : x)),
      ours.map((x) => (x.Sid === 'Delete' ? { ...x, Condition: { StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/c1': 'owned', 'aws:ResourceTag/karpenter.sh/nodepool': 'default' } } } : x)),
      ours.map((x) => (x.Sid === 'Delete' ? { ...x, Resource: 'arn:aws:ec2:us-east-1:111111111111:instance/*' } : x)),
      [...ours, s({ Effect: 'Deny', Action: 'ec2:Terminate*', Resource: '*' })],
    ];
    for (const v of variants) {
      const r = compareToUpstream(v, resolved, [{ action: ['ec2:DescribePlacementGroups', 'iam:PassRole'], reason: 'test' }]);
      expect(r.gaps.map((g) => g.sid)).toEqual(['Delete']);
    }
  });
  it('broader than upstream is no gap', () => {
    const broad = [s({ Effect: 'Allow', Action: ['ec2:*', 'iam:PassRole'], Resource: '*' })];
    expect(compareToUpstream(broad, resolved).gaps).toEqual([]);
  });
});
