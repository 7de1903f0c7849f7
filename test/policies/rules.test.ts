/**
 * Each invariant rule catches its violation: the example's artifacts are compiled, one
 * artifact is broken on purpose, and the rule must fire on exactly that target. The
 * unbroken artifacts must pass every rule.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import type { Artifact } from '../../src/emitters/artifact.js';
import { EMITTERS } from '../../src/emitters/index.js';
import { compile } from '../../src/pipeline.js';
import { checkBatch, runPolicies, settleExceptions } from '../../src/validators/policies/index.js';
import { EXAMPLE } from '../helpers.js';

const base = compile(EXAMPLE);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An artifact with new text and without the structured data it was emitted with, so the rules read the text. */
const withContent = ({ data: _data, ...a }: Artifact, content: string): Artifact => ({ ...a, content });

/** A copy of the artifacts with the data of one artifact replaced (what the rules read first). */
const emitted = EMITTERS.flatMap((e) => e.emit(base.models));
const withData = (path: string, edit: (data: unknown) => unknown): Artifact[] =>
  emitted.map((a) => (a.path === path ? { ...a, data: edit(a.data) } : a));
/** A copy with one workload's production values file edited (what its chart renders). */
const withValues = (workload: string, edit: (v: Json) => void): Artifact[] =>
  withData(`helm/production/workloads/${workload}.values.yaml`, (v) => {
    const copy = structuredClone(v) as Json;
    edit(copy);
    return copy;
  });

/** A copy of the artifacts with one CloudFormation template edited. */
function editTemplate(path: string, edit: (t: Json) => void): Artifact[] {
  return base.artifacts.map((a) => {
    if (a.path !== path) return a;
    const t = JSON.parse(a.content) as Json;
    edit(t);
    return withContent(a, JSON.stringify(t));
  });
}

/** A copy with one Kubernetes document edited (found by kind and name). */
function editDoc(kind: string, name: string, edit: (d: Json) => void, env = 'production'): Artifact[] {
  return base.artifacts.map((a) => {
    if (a.kind !== 'kubernetes' || a.environment !== env || !a.content.includes(`kind: ${kind}`)) return a;
    const docs = parseAllDocuments(a.content).map((d) => d.toJS() as Json);
    const target = docs.find((d) => d?.kind === kind && d?.metadata?.name === name);
    if (!target) return a;
    edit(target);
    return withContent(a, docs.map((d) => stringify(d)).join('---\n'));
  });
}

const resourceOfType = (t: Json, type: string): [string, Json] => Object.entries(t.Resources as Record<string, Json>).find(([, r]) => r.Type === type)!;
const findings = (artifacts: readonly Artifact[]) => runPolicies(artifacts, base.models, { today: '2026-01-01' }).findings;

describe('invariant rules', () => {
  it('the example passes every rule, read from text and from the emitters\' data alike', () => {
    expect(findings(base.artifacts).map((f) => `${f.rule} ${f.artifact} ${f.target}: ${f.message}`)).toEqual([]);
    const deployable = emitted.filter((a) => ['kubernetes', 'helm-values'].includes(a.kind) || (a.kind === 'cloudformation' && !a.path.endsWith('manifest.json')));
    expect(deployable.filter((a) => a.data === undefined).map((a) => a.path)).toEqual([]);
    expect(findings(emitted).map((f) => `${f.rule} ${f.artifact} ${f.target}: ${f.message}`)).toEqual([]);
  });

  const cases: [string, string, () => Artifact[]][] = [
    ['INV001', 'a subnet that maps public IPs', () => editTemplate('cloudformation/production/network.json', (t) => (resourceOfType(t, 'AWS::EC2::Subnet')[1].Properties.MapPublicIpOnLaunch = true))],
    ['INV001', 'a launch template with a public IP', () => editTemplate('cloudformation/production/cluster.json', (t) => (resourceOfType(t, 'AWS::EC2::LaunchTemplate')[1].Properties.LaunchTemplateData.NetworkInterfaces = [{ AssociatePublicIpAddress: true, DeviceIndex: 0 }]))],
    ['INV002', 'a database open to the world', () => editTemplate('cloudformation/production/network.json', (t) => {
      const [, db] = Object.entries(t.Resources as Record<string, Json>).find(([, r]) => r.Type === 'AWS::EC2::SecurityGroup' && r.Properties.GroupName === 'innovate-production-db')!;
      db.Properties.SecurityGroupIngress = [{ CidrIp: '0.0.0.0/0', FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp' }];
    })],
    ['INV002', 'the EKS public endpoint open to 0.0.0.0/0', () => editTemplate('cloudformation/production/cluster.json', (t) => (resourceOfType(t, 'AWS::EKS::Cluster')[1].Properties.ResourcesVpcConfig.PublicAccessCidrs = ['0.0.0.0/0']))],
    ['INV003', 'IMDSv1 on the node group', () => editTemplate('cloudformation/production/cluster.json', (t) => (resourceOfType(t, 'AWS::EC2::LaunchTemplate')[1].Properties.LaunchTemplateData.MetadataOptions.HttpTokens = 'optional'))],
    ['INV003', 'IMDSv1 on Karpenter nodes', () => editDoc('EC2NodeClass', 'default', (d) => (d.spec.metadataOptions.httpTokens = 'optional'))],
    ['INV004', 'an unencrypted database', () => editTemplate('cloudformation/production/data.json', (t) => (resourceOfType(t, 'AWS::RDS::DBCluster')[1].Properties.StorageEncrypted = false))],
    ['INV004', 'a log group without a key', () => editTemplate('cloudformation/production/network.json', (t) => delete resourceOfType(t, 'AWS::Logs::LogGroup')[1].Properties.KmsKeyId)],
    ['INV005', 'a key that does not rotate', () => editTemplate('cloudformation/production/security.json', (t) => (resourceOfType(t, 'AWS::KMS::Key')[1].Properties.EnableKeyRotation = false))],
    ['INV006', 'a database that accepts plain connections', () => editTemplate('cloudformation/production/data.json', (t) => (resourceOfType(t, 'AWS::RDS::DBClusterParameterGroup')[1].Properties.Parameters['rds.force_ssl'] = '0'))],
    ['INV007', 'a trail without log file validation', () => editTemplate('cloudformation/production/audit.json', (t) => (resourceOfType(t, 'AWS::CloudTrail::Trail')[1].Properties.EnableLogFileValidation = false))],
    ['INV007', 'a log group kept forever', () => editTemplate('cloudformation/production/network.json', (t) => delete resourceOfType(t, 'AWS::Logs::LogGroup')[1].Properties.RetentionInDays)],
    ['INV008', 'a production database without deletion protection', () => editTemplate('cloudformation/production/data.json', (t) => (resourceOfType(t, 'AWS::RDS::DBCluster')[1].Properties.DeletionProtection = false))],
    // A workload's objects are its chart rendered with its values file (the hardening is in the chart's fixed text): broken through the values.
    ['INV009', 'a container without a memory request', () => withValues('api', (v) => delete v.resources.requests.memory)],
    ['INV009', 'a container without limits', () => withValues('web', (v) => delete v.resources.limits)],
    ['INV010', 'a user-facing HPA down to one replica', () => withValues('api', (v) => (v.replicas.min = 1))],
    ['INV011', 'an image from Docker Hub', () => withValues('api', (v) => (v.image.repository = 'docker.io/library/python'))],
    ['INV012', 'an admin policy', () => editTemplate('cloudformation/production/cluster.json', (t) => {
      const [, role] = resourceOfType(t, 'AWS::IAM::Role');
      role.Properties.Policies = [...(role.Properties.Policies ?? []), { PolicyName: 'admin', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
    })],
    ['INV013', 'a role anyone can assume', () => editTemplate('cloudformation/production/cluster.json', (t) => (resourceOfType(t, 'AWS::IAM::Role')[1].Properties.AssumeRolePolicyDocument.Statement = [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }]))],
    ['INV014', 'an AWS key in a template', () => editTemplate('cloudformation/production/cluster.json', (t) => (t.Description = `${String(t.Description)} AKIAIOSFODNN7EXAMPLE`))],
    ['INV014', 'a password in a values file', () => base.artifacts.map((a) => (a.path === 'helm/production/argo-cd.values.yaml' ? withContent(a, `${a.content}extra:\n  password: hunter2hunter2\n`) : a))],
    ['INV014', 'a password in the structured data a values file is rendered from', () => withData('helm/production/argo-cd.values.yaml', (v) => ({ ...(v as object), extra: { password: 'hunter2hunter2' } }))],
    // Structured data passes a cheap pre-filter before the patterns: each kind must still get through it.
    ['INV014', 'an AWS key in a template\'s data', () => withData('cloudformation/production/cluster.json', (t) => ({ ...(t as object), Description: 'key ASIAIOSFODNN7EXAMPLE' }))],
    ['INV014', 'a private key in a values file\'s data', () => withData('helm/production/argo-cd.values.yaml', (v) => ({ ...(v as object), extra: { pem: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==' } }))],
    ['INV014', 'a Slack token in a values file\'s data', () => withData('helm/production/argo-cd.values.yaml', (v) => ({ ...(v as object), notifier: [`xox${'b'}-1234567890-abcdef`] }))],
    ['INV014', 'a password assignment inside a string in a manifest', () => withData('kubernetes/production/00-namespaces.yaml', (docs) => [...(docs as object[]), { kind: 'ConfigMap', data: { 'app.ini': 'user = app\nPassword = hunter2hunter2' } }])],
    ['INV014', 'a GitHub token inside a manifest document', () => withData('kubernetes/production/00-namespaces.yaml', (docs) => [...(docs as object[]), { kind: 'ConfigMap', data: { note: `gh${'p'}_${'a'.repeat(36)}` } }])],
  ];
  /** As the streaming compile checks: shared artifacts in one batch, each environment's Kubernetes and Helm in its own. */
  const batched = (artifacts: readonly Artifact[]) => {
    const batchOf = (a: Artifact) => (a.kind === 'kubernetes' || a.kind === 'helm-values' ? (a.environment ?? '') : '(shared)');
    const batches = [...new Set(artifacts.map(batchOf))].map((b) => checkBatch(artifacts.filter((a) => batchOf(a) === b), base.models));
    expect(batches.length).toBe(3);
    return settleExceptions(batches, base.models, { today: '2026-01-01' }).findings;
  };

  /** Rules a broken case rightly trips as well: an image from outside the platform's ECR is also one no image policy verifies. */
  const ALSO: Readonly<Record<string, readonly string[]>> = { INV011: ['INV123'] };
  it.each(cases)('%s catches %s, in one pass and batch by batch alike', (rule, _what, broken) => {
    const artifacts = broken();
    const got = findings(artifacts);
    expect(got.some((f) => f.rule === rule)).toBe(true);
    expect(got.every((f) => f.rule === rule || ALSO[rule]?.includes(f.rule)), got.map((f) => `${f.rule}: ${f.message}`).join('\n')).toBe(true);
    // The streaming compile checks batches with the invariant rules; the platform-wide rules in ALSO run once, after.
    expect(batched(artifacts)).toEqual(got.filter((f) => !ALSO[rule]?.includes(f.rule)));
  });
});
