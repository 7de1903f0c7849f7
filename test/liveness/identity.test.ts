/**
 * Identity (INV110, INV111) and teams: the example's first deploy failed because its access
 * entries named roles nothing creates (role/innovate-platform-admin, role/innovate-developers),
 * and with BootstrapClusterCreatorAdminPermissions false nobody could reach the cluster. Each
 * defect is re-created on today's output and caught; the spec side (INN072–INN074) is checked too.
 */
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/emitters/artifact.js';
import { ciEmitter } from '../../src/emitters/ci/index.js';
import { cloudformationEmitter } from '../../src/emitters/cloudformation/index.js';
import { EMITTERS } from '../../src/emitters/index.js';
import type { Emitter } from '../../src/emitters/artifact.js';
import { compile, parseSpec, validateSpec } from '../../src/pipeline.js';
import { LIVENESS_RULES } from '../../src/validators/liveness/index.js';
import { runPolicies } from '../../src/validators/policies/index.js';
import { EXAMPLE, exampleVariant } from '../helpers.js';
import { editArtifact, emit, type Built } from '../platform/support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const built = emit(EXAMPLE);
const identity = (b: Built, artifacts: readonly Artifact[] = b.artifacts) =>
  runPolicies(artifacts, b.models, { today: '2026-01-01', rules: LIVENESS_RULES.filter((r) => r.id === 'INV110' || r.id === 'INV111') }).findings.map((f) => `${f.rule} [${f.environment ?? '-'}] ${f.target}: ${f.message}`);
const doc = (b: Built, path: string): Json => b.artifacts.find((a) => a.path === path)!.data as Json;

describe('teams of a permission set (the example)', () => {
  const prod = doc(built, 'cloudformation/production/cluster.json').Resources;
  const staging = doc(built, 'cloudformation/staging/cluster.json').Resources;
  const org = doc(built, 'cloudformation/organization.json').Resources;

  it('each gets a role the output creates, named for the environment, and its access entry names that role', () => {
    expect(prod.TeamPlatformRole.Properties.RoleName).toBe('innovate-production-team-platform');
    expect(prod.TeamPlatformAccessEntry.Properties.PrincipalArn).toEqual({ 'Fn::GetAtt': ['TeamPlatformRole', 'Arn'] });
    expect(prod.TeamPlatformAccessEntry.Properties.AccessPolicies[0].PolicyArn).toBe('arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
    expect(staging.TeamWebAccessEntry.Properties).toMatchObject({ PrincipalArn: { 'Fn::GetAtt': ['TeamWebRole', 'Arn'] }, KubernetesGroups: ['innovate:team:web'] });
  });

  it('only that permission set\'s SSO roles in the same account may assume it', () => {
    const trust = prod.TeamPlatformRole.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([
      {
        Sid: 'PermissionSetRoles',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::200000000002:root' },
        Action: 'sts:AssumeRole',
        Condition: {
          ArnLike: {
            'aws:PrincipalArn': [
              'arn:aws:iam::200000000002:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_innovate-operators_*',
              'arn:aws:iam::200000000002:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_innovate-operators_*',
            ],
          },
        },
      },
    ]);
  });

  it('a set assigned to staging only (developers) gives its team no production role or entry', () => {
    expect(prod.TeamWebRole).toBeUndefined();
    expect(prod.TeamWebAccessEntry).toBeUndefined();
    expect(staging.TeamWebRole.Properties.RoleName).toBe('innovate-staging-team-web');
  });

  it('the permission sets may assume exactly their teams\' roles, in every account the roles exist in', () => {
    const inline = (id: string) => org[id].Properties.InlinePolicy.Statement.find((s: Json) => s.Sid === 'AssumeTeamRoles');
    expect(inline('OperatorsPermissionSet')).toEqual({ Sid: 'AssumeTeamRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ['arn:aws:iam::200000000002:role/innovate-production-team-platform', 'arn:aws:iam::300000000003:role/innovate-staging-team-platform'] });
    expect(inline('DevelopersPermissionSet').Resource).toEqual(['arn:aws:iam::300000000003:role/innovate-staging-team-web']);
    expect(org.CiPermissionSet.Properties.InlinePolicy).toBeUndefined();
  });

  it('INV110 and INV111 pass', () => {
    expect(identity(built)).toEqual([]);
  });
});

describe('defect: access entries name roles nothing creates', () => {
  // What cluster.json held before: the team's role ARN as a literal, no role created.
  const broken = editArtifact(built.artifacts, 'cloudformation/production/cluster.json', (t: Json) => {
    t.Resources.TeamPlatformAccessEntry.Properties.PrincipalArn = 'arn:aws:iam::200000000002:role/innovate-platform-admin';
    delete t.Resources.TeamPlatformRole;
    delete t.Resources.TeamPlatformRolePolicy;
  });
  const found = identity(built, broken);

  it('INV110 names the entry and the missing role', () => {
    expect(found).toContain('INV110 [production] TeamPlatformAccessEntry: access entry for arn:aws:iam::200000000002:role/innovate-platform-admin: no template creates role innovate-platform-admin in account 200000000002, and no team declares it as an existing role; EKS refuses the entry and the stack fails');
  });

  it('INV111: with BootstrapClusterCreatorAdminPermissions false nobody can administer the cluster', () => {
    expect(found).toContain('INV111 [production] Cluster: nobody can administer innovate-production: BootstrapClusterCreatorAdminPermissions is false and no cluster-admin access entry works (arn:aws:iam::200000000002:role/innovate-platform-admin is not created by the output)');
    expect(found.filter((f) => f.includes('[staging]'))).toEqual([]);
  });
});

describe('INV111: an admin role nobody can assume', () => {
  it('the permission set may not assume the team role', () => {
    const broken = editArtifact(built.artifacts, 'cloudformation/organization.json', (t: Json) => {
      const p = t.Resources.OperatorsPermissionSet.Properties;
      p.InlinePolicy.Statement = p.InlinePolicy.Statement.filter((s: Json) => s.Sid !== 'AssumeTeamRoles');
    });
    expect(identity(built, broken)).toEqual([
      'INV111 [production] Cluster: nobody can administer innovate-production: BootstrapClusterCreatorAdminPermissions is false and no cluster-admin access entry works (innovate-production-team-platform: permission set innovate-operators may not sts:AssumeRole it)',
      'INV111 [staging] Cluster: nobody can administer innovate-staging: BootstrapClusterCreatorAdminPermissions is false and no cluster-admin access entry works (innovate-staging-team-platform: permission set innovate-operators may not sts:AssumeRole it)',
    ]);
  });

  it('the permission set is assigned to the other account only', () => {
    const broken = editArtifact(built.artifacts, 'cloudformation/organization.json', (t: Json) => {
      for (const [id, r] of Object.entries<Json>(t.Resources)) if (r.Type === 'AWS::SSO::Assignment' && id.startsWith('Operators') && r.Properties.TargetId === '200000000002') delete t.Resources[id];
    });
    expect(identity(built, broken)).toEqual([
      'INV111 [production] Cluster: nobody can administer innovate-production: BootstrapClusterCreatorAdminPermissions is false and no cluster-admin access entry works (innovate-production-team-platform: permission set innovate-operators is assigned to other accounts only)',
    ]);
  });

  it('a spec with no cluster-admin team', () => {
    const b = emit(exampleVariant((s) => (s.teams.platform.clusterAdmin = false)));
    expect(identity(b)).toEqual([
      'INV111 [production] Cluster: nobody can administer innovate-production: BootstrapClusterCreatorAdminPermissions is false and no access entry grants AmazonEKSClusterAdminPolicy',
      'INV111 [staging] Cluster: nobody can administer innovate-staging: BootstrapClusterCreatorAdminPermissions is false and no access entry grants AmazonEKSClusterAdminPolicy',
    ]);
  });
});

describe('INV110 over the other places a principal is named', () => {
  it('a workflow that assumes a role no template creates', () => {
    const workflows = ciEmitter.emit(built.models);
    expect(identity(built, [...built.artifacts, ...workflows])).toEqual([]);
    const broken = workflows.map((a) => (a.path.endsWith('workflows/promote-production.yml') ? { ...a, data: undefined, content: a.content.replace('role/innovate-production-github-ci', 'role/innovate-production-deployer') } : a));
    expect(identity(built, [...built.artifacts, ...broken])).toEqual([expect.stringMatching(/^INV110 \[production\] jobs\.\S+: job \S+ assumes arn:aws:iam::200000000002:role\/innovate-production-deployer: no template creates role innovate-production-deployer in account 200000000002/)]);
  });

  it('a key policy naming an account outside the spec', () => {
    const broken = editArtifact(built.artifacts, 'cloudformation/production/security.json', (t: Json) => {
      const key = Object.values<Json>(t.Resources).find((r) => r.Type === 'AWS::KMS::Key')!;
      key.Properties.KeyPolicy.Statement.push({ Sid: 'Stranger', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'kms:Decrypt', Resource: '*' });
    });
    expect(identity(built, broken)).toEqual([expect.stringMatching(/^INV110 \[production\] \w+: KeyPolicy\.Statement\[Stranger\] names arn:aws:iam::999999999999:root: account 999999999999 is none of the spec's accounts \(100000000001, 200000000002, 300000000003\)$/)]);
  });

  it('an existing role declared in the spec is an input, not a finding', () => {
    const b = emit(exampleVariant((s) => (s.teams.platform = { iamRoleName: 'innovate-platform-admin', clusterAdmin: true })));
    const entry = doc(b, 'cloudformation/production/cluster.json').Resources.TeamPlatformAccessEntry;
    expect(entry.Properties.PrincipalArn).toBe('arn:aws:iam::200000000002:role/innovate-platform-admin');
    expect(identity(b)).toEqual([]);
  });
});

describe('teams in the spec', () => {
  const codes = (edit: (s: Json) => void) =>
    validateSpec(parseSpec(exampleVariant(edit))).diagnostics.filter((d) => /^INN07[234]$/.test(d.code)).map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`);

  it('INN072: exactly one of permissionSet and iamRoleName', () => {
    expect(codes((s) => (s.teams.platform.iamRoleName = 'admins'))).toEqual([expect.stringMatching(/^INN072 \d+:\d+ team "platform" names both permissionSet "operators" and iamRoleName "admins"$/)]);
    expect(codes((s) => delete s.teams.web.permissionSet)).toEqual([expect.stringMatching(/^INN072 \d+:\d+ team "web" names no principal$/)]);
  });

  it('INN073: the permission set is declared', () => {
    expect(codes((s) => (s.teams.web.permissionSet = 'developer'))).toEqual([expect.stringMatching(/^INN073 \d+:\d+ permission set "developer" is not declared; did you mean "developers"\?$/)]);
  });

  it('INN074: a set assigned to no environment leaves its team nowhere', () => {
    expect(codes((s) => (s.organization.sso.permissionSets.developers.environments = []))).toEqual([expect.stringMatching(/^INN074 \d+:\d+ permission set "developers" is assigned to no environment, so team "web" can reach no cluster$/)]);
  });
});

describe('through compile (the pipeline judges each environment in its own batch)', () => {
  const inv = (text: string, emitters = EMITTERS) => compile(text, { today: '2026-01-01', policies: true, emitters }).diagnostics.filter((d) => d.code === 'INV110' || d.code === 'INV111').map((d) => `${d.code} ${d.message}`);

  it('the example compiles with no identity finding', () => {
    expect(inv(EXAMPLE)).toEqual([]);
  });

  it('the platform team\'s permission set assigned to staging only: production has no way in', () => {
    expect(inv(exampleVariant((s) => (s.organization.sso.permissionSets.operators.environments = ['staging'])))).toEqual([expect.stringMatching(/^INV111 .*nobody can administer innovate-production: BootstrapClusterCreatorAdminPermissions is false and no access entry grants AmazonEKSClusterAdminPolicy/)]);
  });

  it('organization.json and the workflows (spec-wide artifacts) reach every environment\'s platform', () => {
    const tampered = EMITTERS.map((e): Emitter => (e !== cloudformationEmitter ? e : {
      name: e.name,
      emit: (models) =>
        e.emit(models).map((a) => {
          if (a.path !== 'cloudformation/organization.json') return a;
          const t = structuredClone(a.data) as Json;
          for (const r of Object.values<Json>(t.Resources)) if (r.Type === 'AWS::SSO::PermissionSet' && r.Properties.InlinePolicy) r.Properties.InlinePolicy.Statement = r.Properties.InlinePolicy.Statement.filter((x: Json) => x.Sid !== 'AssumeTeamRoles');
          return { ...a, data: t, content: JSON.stringify(t) };
        }),
    }));
    expect(inv(EXAMPLE, tampered)).toEqual([
      expect.stringMatching(/^INV111 nobody can administer innovate-production: .*permission set innovate-operators may not sts:AssumeRole it\)$/),
      expect.stringMatching(/^INV111 nobody can administer innovate-staging: .*permission set innovate-operators may not sts:AssumeRole it\)$/),
    ]);
  });
});
