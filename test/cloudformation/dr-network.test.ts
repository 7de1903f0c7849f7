/**
 * Issue 14, item 5, at the artifact level: the DR region's network has the primary's controls.
 * - its VPC CIDR overlaps no environment's VPC (the example sets environments.production.drVpcCidr);
 * - every DR subnet tier has the primary tier's NACL rules (over its own VPC CIDR);
 * - every DR security-group rule names a security group where the primary's does (never a CIDR);
 * - a spec that does not set drVpcCidr keeps what it deployed (the legacy default, INN065 warns),
 *   and opting in is a replacement `innovate diff` flags.
 */
import { describe, expect, it } from 'vitest';
import { overlaps, parseCidr } from '../../src/compiler/cidr.js';
import { diffArtifacts, formatDiff } from '../../src/diff/index.js';
import { compile } from '../../src/pipeline.js';
import { exampleVariant } from '../helpers.js';
import { compileCfn, EXAMPLE } from './fixtures.js';

type Resource = { Type: string; Properties: Record<string, any> };
type Template = { Resources: Record<string, Resource> };
const read = (text: string, path: string): Template => JSON.parse(compileCfn(text).artifacts.find((a) => a.path === `cloudformation/${path}`)!.content);
const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);

const example = compileCfn(EXAMPLE);
const template = (path: string): Template => JSON.parse(example.artifacts.find((a) => a.path === `cloudformation/${path}`)!.content);
const primary = template('production/network.json');
const dr = template('production/dr.json');
const LEGACY = exampleVariant((d) => delete d.environments.production.drVpcCidr);

/** The tiers whose subnets a template holds, by the subnets' innovate.dev/tier tag. */
const tiersOf = (t: Template) => [...new Set(ofType(t, 'AWS::EC2::Subnet').map(([, r]) => (r.Properties.Tags as { Key: string; Value: string }[]).find((x) => x.Key === 'innovate.dev/tier')!.Value))].sort();

/** A tier's NACL entries, CIDRs written relative to the template's VPC (VPC / any / literal). */
function aclOf(t: Template, tier: string): string[] {
  const subnets = ofType(t, 'AWS::EC2::Subnet').filter(([, r]) => r.Properties.Tags.some((x: { Key: string; Value: string }) => x.Key === 'innovate.dev/tier' && x.Value === tier)).map(([id]) => id);
  const acls = new Set(ofType(t, 'AWS::EC2::SubnetNetworkAclAssociation').filter(([, r]) => subnets.includes(r.Properties.SubnetId.Ref)).map(([, r]) => r.Properties.NetworkAclId.Ref));
  expect(acls.size, `${tier}: one NACL on every subnet`).toBe(1);
  const covered = ofType(t, 'AWS::EC2::SubnetNetworkAclAssociation').filter(([, r]) => acls.has(r.Properties.NetworkAclId.Ref)).length;
  expect(covered).toBe(subnets.length);
  const vpc = ofType(t, 'AWS::EC2::VPC')[0]![1].Properties.CidrBlock;
  return ofType(t, 'AWS::EC2::NetworkAclEntry')
    .filter(([, r]) => acls.has(r.Properties.NetworkAclId.Ref))
    .map(([, r]) => { const p = r.Properties; return `${p.Egress ? 'out' : 'in'} ${p.RuleNumber} ${p.RuleAction} ${p.Protocol} ${p.CidrBlock === vpc ? 'VPC' : p.CidrBlock} ${p.PortRange ? `${p.PortRange.From}-${p.PortRange.To}` : 'all'}`; })
    .sort();
}

describe('DR network: the primary region\'s controls', () => {
  it('the DR VPC overlaps no environment\'s VPC', () => {
    const drCidr = ofType(dr, 'AWS::EC2::VPC')[0]![1].Properties.CidrBlock as string;
    for (const m of example.models) expect(overlaps(parseCidr(drCidr), parseCidr(m.network.vpcCidr)), `${drCidr} vs ${m.environment.name} ${m.network.vpcCidr}`).toBe(false);
    for (const [, s] of ofType(dr, 'AWS::EC2::Subnet')) expect(overlaps(parseCidr(s.Properties.CidrBlock), parseCidr(drCidr)) && parseCidr(s.Properties.CidrBlock).prefix > parseCidr(drCidr).prefix).toBe(true);
  });

  it('every DR subnet tier has the primary tier\'s NACL, over its own VPC', () => {
    expect(tiersOf(dr)).toEqual(['isolated']);
    for (const tier of tiersOf(dr)) expect(aclOf(dr, tier)).toEqual(aclOf(primary, tier));
  });

  it('every DR isolated subnet is on a route table without a route off the VPC', () => {
    const subnets = ofType(dr, 'AWS::EC2::Subnet').map(([id]) => id);
    const assoc = ofType(dr, 'AWS::EC2::SubnetRouteTableAssociation');
    expect(assoc.map(([, r]) => r.Properties.SubnetId.Ref).sort()).toEqual(subnets.sort());
    expect(ofType(dr, 'AWS::EC2::Route')).toEqual([]);
  });

  it('every DR security-group rule names a security group where the primary\'s does: the database admits the DR App group, never a CIDR', () => {
    const dbIngress = (t: Template, db: string) => [
      ...ofType(t, 'AWS::EC2::SecurityGroupIngress').filter(([, r]) => r.Properties.GroupId['Fn::GetAtt']?.[0] === db).map(([, r]) => r.Properties),
      ...((t.Resources[db]!.Properties.SecurityGroupIngress ?? []) as Record<string, any>[]),
    ];
    const shape = (rules: Record<string, any>[]) => rules.map((r) => ({ port: r.FromPort, to: r.ToPort, bySecurityGroup: r.SourceSecurityGroupId !== undefined && r.CidrIp === undefined })).sort((a, b) => a.port - b.port);
    expect(shape(dbIngress(dr, 'DrDbSecurityGroup'))).toEqual(shape(dbIngress(primary, 'DbSecurityGroup')));
    for (const [id, r] of [...ofType(dr, 'AWS::EC2::SecurityGroupIngress'), ...ofType(dr, 'AWS::EC2::SecurityGroup').flatMap(([id, g]) => ((g.Properties.SecurityGroupIngress ?? []) as Record<string, any>[]).map((p) => [id, { Type: '', Properties: p }] as const))]) {
      expect(r.Properties.CidrIp, `${id} admits a CIDR`).toBeUndefined();
    }
  });
});

describe('DR CIDR: opt-in for specs that do not say', () => {
  it('without drVpcCidr the DR VPC keeps the primary CIDR and isolated subnets (nothing deployed is replaced), and validate warns (INN065)', () => {
    const legacy = read(LEGACY, 'production/dr.json');
    expect(ofType(legacy, 'AWS::EC2::VPC')[0]![1].Properties.CidrBlock).toBe('10.10.0.0/16');
    expect(ofType(legacy, 'AWS::EC2::Subnet').map(([, s]) => s.Properties.CidrBlock)).toEqual(['10.10.201.0/24', '10.10.202.0/24', '10.10.203.0/24']);
    const warnings = compile(LEGACY).diagnostics.filter((d) => d.code === 'INN065');
    expect(warnings.map((d) => d.severity)).toEqual(['warning']);
  });

  it('opting in replaces the DR VPC (and with it the DR database inside it), and `innovate diff` says so', async () => {
    const before = new Map(compileCfn(LEGACY).artifacts.map((a) => [a.path, a.content]));
    const report = await diffArtifacts(before, example.artifacts);
    const hazards = report.hazards.filter((h) => h.path === 'cloudformation/production/dr.json').map((h) => `${h.id} ${h.impact}`);
    expect(hazards, hazards.join(', ')).toContain('DrVpc replace');
    expect(formatDiff(report)).toMatch(/!! STATEFUL AWS::EC2::VPC DrVpc in cloudformation\/production\/dr\.json will be REPLACED/);
  });

  it('a DR CIDR overlapping any environment\'s VPC is an error (INN064)', () => {
    const overlapping = exampleVariant((d) => (d.environments.production.drVpcCidr = '10.10.0.0/20'));
    const errors = compile(overlapping).diagnostics.filter((d) => d.code === 'INN064');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((d) => d.severity === 'error' && d.path.join('.') === 'environments.production.drVpcCidr')).toBe(true);
  });
});
