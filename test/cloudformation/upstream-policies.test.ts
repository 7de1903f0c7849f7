/**
 * The controllers' IAM permissions against the policies their projects publish (issue 15 §4):
 * each controller role of the compiled example grants every action upstream grants, on the same
 * resources and under the same conditions, except the deliberate narrowings listed (with reasons)
 * next to the emitter; every managed policy document fits IAM's 6,144-character limit; the node
 * roles pull images with AmazonEC2ContainerRegistryPullOnly; the interruption queue gets
 * upstream's five EventBridge rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

import { UPSTREAM_POLICIES } from '../../src/inventory/policies.js';
import { buildPlatform } from '../../src/platform/index.js';
import { checkController, CONTROLLERS, narrowingsOf, statementsOfRole, upstreamDocuments } from '../../src/platform/controllers.js';
import { compareToUpstream, formatGap, statementsOf, type PolicyStatement } from '../../src/platform/permissions.js';
import { emit } from '../platform/support.js';
import { EXAMPLE, ROOT, templates } from './fixtures.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Cfn {
  Parameters?: Record<string, { Default?: string }>;
  Resources: Record<string, { Type: string; Properties: Json }>;
}

const built = emit(EXAMPLE);
const artifacts = templates(built.artifacts);
// The roles under test live in cluster.json (add-ons, controllers) and karpenter.json (Karpenter's AWS side): one view per environment.
const clusterTemplates = artifacts
  .filter((a) => a.path.endsWith('/cluster.json'))
  .map((a) => {
    const karpenter = JSON.parse(artifacts.find((k) => k.path === a.path.replace('/cluster.json', '/karpenter.json'))!.content) as Cfn;
    const cluster = JSON.parse(a.content) as Cfn;
    const env = a.path.split('/')[1]!;
    const model = built.models.find((m) => m.environment.name === env)!;
    return { env, model, platform: buildPlatform(model, built.artifacts), t: { Parameters: { ...cluster.Parameters, ...karpenter.Parameters }, Resources: { ...cluster.Resources, ...karpenter.Resources } } as Cfn };
  });

// The controllers, the pod that calls AWS for each and the comparison itself are the Permissions rule's (INV112,
// src/platform/controllers.ts): here they are run on the example, and shown able to fail.
describe.each(clusterTemplates)('controller permissions vs upstream ($env)', ({ env, model, platform, t }) => {
  const roleStatements = (id: string): PolicyStatement[] => {
    const role = platform.principals.roles.find((r) => r.id.endsWith(`#${id}`));
    if (!role) throw new Error(`no role ${id}`);
    const { statements, unresolved } = statementsOfRole(role, model);
    expect(unresolved, `${id}: AWS managed policies not in the inventory`).toEqual([]);
    return statements;
  };

  it.each(CONTROLLERS)('$policy: its pod runs as a role of the output that grants everything upstream grants, except the listed narrowings', ({ policy, pod }) => {
    const r = checkController({ policy, pod }, platform, model);
    if (r.kind !== 'compared') throw new Error(`${policy}: ${pod} is ${r.kind} in ${env}`);
    expect(r.unresolved, `${policy}: AWS managed policies not in the inventory`).toEqual([]);
    expect(r.comparison.gaps.map(formatGap), `${policy}: upstream grants ${UPSTREAM_POLICIES[policy].version} that ${r.role.name} lacks`).toEqual([]);
    expect(r.comparison.unusedNarrowings.map((n) => n.reason), `${policy}: narrowings that explain nothing`).toEqual([]);
    for (const n of r.comparison.narrowed) expect(n.reason.length).toBeGreaterThan(20);
  });

  it('the comparison can fail: without the zonal-shift policy or a Describe action, Karpenter has gaps', () => {
    const ours = roleStatements('KarpenterControllerRole');
    const upstream = upstreamDocuments('karpenter', model);
    const noZonalShift = ours.filter((s) => s.Sid !== 'AllowZonalShiftStatusReadOnly');
    expect(compareToUpstream(noZonalShift, upstream, narrowingsOf('karpenter')).gaps.map((g) => g.action)).toEqual(['arc-zonal-shift:GetManagedResource']);
    const noStatus = ours.map((s) => (s.Sid === 'AllowRegionalReadActions' ? { ...s, Action: (s.Action as string[]).filter((a) => a !== 'ec2:DescribeInstanceStatus') } : s));
    expect(compareToUpstream(noStatus, upstream, narrowingsOf('karpenter')).gaps.map((g) => g.action)).toEqual(['ec2:DescribeInstanceStatus']);
  });

  it('a narrowing is needed: without External Secrets\' listed narrowing, its ListSecrets grant is a gap', () => {
    const r = compareToUpstream(roleStatements('ExternalSecretsRole'), upstreamDocuments('external-secrets', model));
    expect(r.gaps.map((g) => g.action)).toEqual(expect.arrayContaining(['secretsmanager:ListSecrets']));
  });

  it('kms:CreateGrant is granted on the EBS key only, through EC2', () => {
    const grants = roleStatements('KarpenterControllerRole').filter((s) => JSON.stringify(s.Action).includes('kms:'));
    expect(grants).toHaveLength(1);
    expect(grants[0]!.Resource).toBe('${SecurityEbsKeyArn}');
    expect(t.Parameters?.SecurityEbsKeyArn?.Default).toMatch(/\/security\/ebs-key-arn$/);
    expect(JSON.stringify(grants[0]!.Condition)).toContain('ec2.');
  });

  it('every customer managed policy document fits the 6,144-character limit (minified, intrinsics at 128 characters)', () => {
    const sizes: Record<string, number> = {};
    for (const a of artifacts.filter((x) => x.path.includes(`/${env}/`) || !x.path.split('/')[2])) {
      const tpl = JSON.parse(a.content) as Cfn;
      for (const [id, r] of Object.entries(tpl.Resources)) {
        if (r.Type !== 'AWS::IAM::ManagedPolicy') continue;
        const long = (v: Json): Json =>
          Array.isArray(v) ? v.map(long) : v && typeof v === 'object' ? (Object.keys(v).some((k) => k === 'Ref' || k.startsWith('Fn::')) ? 'x'.repeat(128) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, long(x)]))) : v;
        sizes[`${a.path}#${id}`] = JSON.stringify(long(r.Properties.PolicyDocument)).length;
      }
    }
    const karpenter = Object.entries(sizes).filter(([k]) => k.includes('#KarpenterControllerRole'));
    expect(karpenter.map(([k]) => k.split('#')[1]).sort()).toEqual(
      ['KarpenterControllerRoleEksIntegrationPolicy', 'KarpenterControllerRoleIamIntegrationPolicy', 'KarpenterControllerRoleInterruptionPolicy', 'KarpenterControllerRolePolicy', 'KarpenterControllerRoleResourceDiscoveryPolicy', 'KarpenterControllerRoleZonalShiftPolicy'],
    );
    const over = Object.entries(sizes).filter(([, n]) => n >= 6144);
    expect(over).toEqual([]);
    // the largest Karpenter document leaves room (the single document was ~6,000 characters)
    expect(Math.max(...karpenter.map(([, n]) => n))).toBeLessThan(4500);
  });

  it('the Karpenter policies carry upstream names (KarpenterController<Group>Policy-<cluster>)', () => {
    const names = Object.values(t.Resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy').map((r) => r.Properties.ManagedPolicyName as string);
    const cluster = t.Resources.Cluster!.Properties.Name as string;
    for (const group of ['NodeLifecycle', 'IAMIntegration', 'EKSIntegration', 'Interruption', 'ZonalShift', 'ResourceDiscovery']) expect(names).toContain(`KarpenterController${group}Policy-${cluster}`);
  });
});

// Karpenter's CloudFormation as upstream publishes it (CloudFormation short tags read as Fn:: objects).
const tags = ['Sub', 'Ref', 'GetAtt'].flatMap((n) =>
  [undefined, 'seq', 'map'].map((collection) => ({ tag: `!${n}`, ...(collection ? { collection } : {}), resolve: (v: Json) => ({ [`Fn::${n}`]: v && typeof v.toJSON === 'function' ? v.toJSON() : v }) })),
);
const karpenterUpstream = parseDocument(readFileSync(join(ROOT, 'inventory/upstream-policies/karpenter-cloudformation.yaml'), 'utf8'), { customTags: tags as never }).toJS() as Cfn;

describe.each(clusterTemplates)('Karpenter node role and interruption rules vs upstream ($env)', ({ t }) => {
  it('node roles attach AmazonEC2ContainerRegistryPullOnly (not ReadOnly), like upstream', () => {
    const upstreamArns = (karpenterUpstream.Resources.KarpenterNodeRole!.Properties.ManagedPolicyArns as Json[]).map((a) => String(a['Fn::Sub']).split('/').pop());
    expect(upstreamArns).toContain('AmazonEC2ContainerRegistryPullOnly');
    for (const id of ['KarpenterNodeRole', 'SystemNodeRole']) {
      const ours = (t.Resources[id]!.Properties.ManagedPolicyArns as string[]).map((a) => a.split('/').pop());
      expect(ours.sort(), id).toEqual([...upstreamArns].sort());
    }
  });

  it('the queue receives every EventBridge rule of upstream, with its pattern (five, capacity-reservation interruptions included)', () => {
    const upstreamRules = Object.entries(karpenterUpstream.Resources).filter(([, r]) => r.Type === 'AWS::Events::Rule');
    expect(upstreamRules).toHaveLength(5);
    expect(upstreamRules.map(([id]) => id)).toContain('CapacityReservationInterruptionRule');
    for (const [id, r] of upstreamRules) {
      const ours = t.Resources[id];
      expect(ours?.Type, id).toBe('AWS::Events::Rule');
      expect(ours!.Properties.EventPattern, id).toEqual(r.Properties.EventPattern);
      expect(ours!.Properties.Targets, id).toEqual([{ Id: 'KarpenterInterruptionQueueTarget', Arn: { 'Fn::GetAtt': ['KarpenterInterruptionQueue', 'Arn'] } }]);
    }
    expect(Object.values(t.Resources).filter((r) => r.Type === 'AWS::Events::Rule')).toHaveLength(5);
  });
});

describe('Pod Identity trust (issue 15 §6)', () => {
  it.each(clusterTemplates)('every pods.eks.amazonaws.com trust is limited to this account, this cluster and the service account ($env)', ({ t }) => {
    const cluster = t.Resources.Cluster!.Properties.Name as string;
    const associations = Object.values(t.Resources).filter((r) => r.Type === 'AWS::EKS::PodIdentityAssociation').map((r) => r.Properties);
    const addonAssociations = Object.values(t.Resources)
      .filter((r) => r.Type === 'AWS::EKS::Addon')
      .flatMap((r) => (r.Properties.PodIdentityAssociations ?? []) as Json[]);
    let trusts = 0;
    for (const [id, r] of Object.entries(t.Resources)) {
      if (r.Type !== 'AWS::IAM::Role') continue;
      for (const s of statementsOf(r.Properties.AssumeRolePolicyDocument)) {
        if (JSON.stringify(s.Principal) !== JSON.stringify({ Service: 'pods.eks.amazonaws.com' })) continue;
        trusts++;
        expect(s.Action, id).toEqual(['sts:AssumeRole', 'sts:TagSession']);
        const eq = (s.Condition as Json).StringEquals;
        expect(eq['aws:SourceAccount'], id).toMatch(/^\d{12}$/);
        expect(eq['aws:RequestTag/eks-cluster-arn'], id).toEqual({ 'Fn::Sub': `arn:\${AWS::Partition}:eks:\${AWS::Region}:\${AWS::AccountId}:cluster/${cluster}` });
        // the tags name the service account the role is associated with (standalone or on an add-on)
        const bound = [...associations, ...addonAssociations].filter((a) => JSON.stringify(a.RoleArn) === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }));
        expect(bound.length, `${id} is associated`).toBeGreaterThan(0);
        for (const a of bound) {
          expect(eq['aws:RequestTag/kubernetes-service-account'], id).toBe(a.ServiceAccount);
          if (a.Namespace !== undefined) expect(eq['aws:RequestTag/kubernetes-namespace'], id).toBe(a.Namespace);
        }
      }
    }
    expect(trusts).toBeGreaterThanOrEqual(6);
  });
});
