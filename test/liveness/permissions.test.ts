/**
 * INV112 (each component may do what it calls) and INV116 (the SCPs allow the deploy path) catch
 * the defects of issue 15 they are about, reproduced by editing the example's artifacts back to
 * what the emitters wrote then, pass on today's output, and hold over random specs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/emitters/artifact.js';
import { ciEmitter } from '../../src/emitters/ci/index.js';
import { permissionsCovered } from '../../src/validators/liveness/permissions.js';
import { scpAllowsDeploy } from '../../src/validators/liveness/scp.js';
import { runPolicies } from '../../src/validators/policies/index.js';
import { EXAMPLE, exampleVariant } from '../helpers.js';
import { PROPERTY_TIMEOUT_MS, RUNS, specArbitrary } from '../invariants/arbitrary.js';
import { editArtifact, emit, type Built } from '../platform/support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const RULES = [permissionsCovered, scpAllowsDeploy];
const built = emit(EXAMPLE);
const findings = (artifacts: readonly Artifact[], b: Built = built) => runPolicies(artifacts, b.models, { today: '2026-01-01', rules: RULES }).findings;
const lines = (artifacts: readonly Artifact[], b: Built = built) => findings(artifacts, b).map((f) => `${f.rule} [${f.environment}] ${f.message}`);

/** Every statement of the customer managed policies of a template, edited in place. */
const eachStatement = (t: Json, edit: (s: Json) => void) => {
  for (const r of Object.values<Json>(t.Resources)) if (r.Type === 'AWS::IAM::ManagedPolicy') for (const s of r.Properties.PolicyDocument.Statement) edit(s);
};

describe('INV112 and INV116 on the example', () => {
  it('pass on what the emitters write today', () => {
    expect(lines(built.artifacts)).toEqual([]);
  });

  it('pass with the workflows in the batch too (compile), and from text alone', () => {
    const withCi = [...built.artifacts, ...ciEmitter.emit(built.models)];
    expect(lines(withCi)).toEqual([]);
    expect(lines(withCi.map(({ data: _d, ...a }) => ({ ...a, content: a.content })))).toEqual([]);
  });
});

describe('INV112: controllers against their upstream policies', () => {
  it('Karpenter without ec2:DescribeInstanceStatus (issue 15 §4): the role is named, with the upstream statement and the action', () => {
    const broken = editArtifact(built.artifacts, 'cloudformation/production/karpenter.json', (t: Json) =>
      eachStatement(t, (s) => {
        if (Array.isArray(s.Action)) s.Action = s.Action.filter((a: string) => a !== 'ec2:DescribeInstanceStatus');
      }),
    );
    const f = findings(broken).filter((x) => x.rule === 'INV112');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ environment: 'production', artifact: 'cloudformation/production/karpenter.json', target: 'KarpenterControllerRole' });
    expect(f[0]!.message).toMatch(/innovate-production-karpenter \(chart:karpenter\/karpenter\) lacks what upstream karpenter grants: ResourceDiscoveryPolicy\/AllowRegionalReadActions: ec2:DescribeInstanceStatus on \*/);
  });

  it('grants we add (the EBS key) are not required; a grant upstream has that ours lacks is a gap even with an AWS managed policy attached', () => {
    const extra = editArtifact(built.artifacts, 'cloudformation/staging/cluster.json', (t: Json) => {
      const doc = t.Resources.AddonAwsEbsCsiDriverRolePolicy.Properties.PolicyDocument;
      doc.Statement = doc.Statement.filter((s: Json) => s.Sid !== 'EbsKeyGrants');
    });
    expect(findings(extra)).toEqual([]);
    const broken = editArtifact(built.artifacts, 'cloudformation/staging/cluster.json', (t: Json) => {
      const doc = t.Resources.AddonAwsEbsCsiDriverRolePolicy.Properties.PolicyDocument;
      doc.Statement = doc.Statement.filter((s: Json) => s.Sid !== 'EbsCsiDescribe');
    });
    const f = findings(broken).filter((x) => x.rule === 'INV112');
    expect(f.length).toBeGreaterThan(0);
    expect(f.every((x) => x.environment === 'staging' && x.target === 'AddonAwsEbsCsiDriverRole' && x.specPath?.join('.') === 'cluster.addons')).toBe(true);
    expect(f.map((x) => x.message).join('\n')).toMatch(/ec2:DescribeVolumeStatus|ec2:DescribeInstanceTypes/);
  });

  it('a condition narrower than upstream\'s is a gap too (compared by condition, not by action name), and a narrowing excuses only the value it names', () => {
    const broken = editArtifact(built.artifacts, 'cloudformation/production/karpenter.json', (t: Json) =>
      eachStatement(t, (s) => {
        if (s.Sid === 'AllowPassingInstanceRole') s.Condition = { StringEquals: { 'iam:PassedToService': ['eks.amazonaws.com'] } };
      }),
    );
    expect(lines(broken).join('\n')).toMatch(/iam:PassRole on \$\{KarpenterNodeRole\.Arn\} with \{"iam:PassedToService":"ec2\.amazonaws\.com"\}/);
  });

  it('a controller whose service account is bound to no role is a finding at its pod', () => {
    const broken = editArtifact(built.artifacts, 'cloudformation/staging/cluster.json', (t: Json) => {
      delete t.Resources.AlbControllerPodIdentity;
    });
    const f = findings(broken).filter((x) => x.rule === 'INV112');
    expect(f.map((x) => x.message)).toEqual([expect.stringMatching(/^chart:aws-load-balancer-controller\/aws-load-balancer-controller calls AWS .* service account kube-system\/aws-load-balancer-controller has no Pod Identity association or IRSA role/)]);
    expect(f[0]!.environment).toBe('staging');
  });
});

describe('INV112: every call of the generated workflows against the role the job assumes', () => {
  it('the CI role without inspector2:ListFindings (issue 15 §3): names the workflow, the job and the call', () => {
    const broken = editArtifact(built.artifacts, 'cloudformation/staging/registry.json', (t: Json) =>
      eachStatement(t, (s) => {
        if (Array.isArray(s.Action)) s.Action = s.Action.filter((a: string) => a !== 'inspector2:ListFindings');
      }),
    );
    const f = findings(broken).filter((x) => x.rule === 'INV112');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ environment: 'staging', artifact: 'cloudformation/staging/registry.json', target: 'CiRole', specPath: ['delivery'] });
    expect(f[0]!.message).toBe('github/workflows/build-and-promote.yml job build: aws ecr describe-image-scan-findings needs inspector2:ListFindings on *, which role innovate-staging-github-ci does not allow (no statement allows it)');
  });

  it('cosign\'s KMS calls name the signing alias; the role grants the key behind it (resolved through the alias and the SSM parameter)', () => {
    const broken = editArtifact(built.artifacts, 'cloudformation/staging/registry.json', (t: Json) => {
      for (const r of Object.values<Json>(t.Resources)) if (r.Type === 'AWS::IAM::ManagedPolicy') r.Properties.PolicyDocument.Statement = r.Properties.PolicyDocument.Statement.filter((s: Json) => s.Sid !== 'SignImages');
    });
    expect(lines(broken).filter((l) => l.includes('kms:Sign on arn:aws:kms:us-east-1:300000000003:alias/innovate-staging-image-signing'))).toHaveLength(1);
    // The alias pointing at another key: the grant on the signing key no longer covers the call.
    const elsewhere = editArtifact(built.artifacts, 'cloudformation/staging/security.json', (t: Json) => {
      for (const r of Object.values<Json>(t.Resources)) if (r.Type === 'AWS::KMS::Alias' && r.Properties.AliasName === 'alias/innovate-staging-image-signing') r.Properties.TargetKeyId = { Ref: 'StorageKey' };
    });
    expect(lines(elsewhere).join('\n')).toMatch(/cosign sign needs kms:Sign on .*alias\/innovate-staging-image-signing, which role innovate-staging-github-ci does not allow/);
  });

  it('a workflow command innovate cannot map to IAM actions is a finding: the check does not pass without knowing', () => {
    const workflows = ciEmitter.emit(built.models).map((a) =>
      a.path.endsWith('build-and-promote.yml') ? { ...a, content: a.content.replace(/aws ecr describe-image-scan-findings/, 'aws s3 cp scan.json s3://somewhere/ && aws ecr describe-image-scan-findings') } : a,
    );
    expect(lines([...built.artifacts, ...workflows]).join('\n')).toMatch(/build-and-promote\.yml job build calls AWS through aws s3 cp, which innovate cannot map to IAM actions/);
  });
});

describe('INV116: the SCPs allow the deploy path', () => {
  const org = 'cloudformation/organization.json';
  const withoutExemption = (t: Json) => {
    for (const r of Object.values<Json>(t.Resources)) if (r.Properties.Name === 'innovate-deny-cloudtrail-tampering') delete r.Properties.Content.Statement[0].Condition;
  };

  it('today\'s CloudTrail guardrail (no exemption, issue 15 §7) denies the deployers UpdateTrail and DeleteTrail on each environment\'s trail', () => {
    const f = findings(editArtifact(built.artifacts, org, withoutExemption)).filter((x) => x.rule === 'INV116');
    expect(f.map((x) => x.environment).sort()).toEqual(['production', 'staging']);
    for (const x of f) {
      expect(x).toMatchObject({ artifact: org, target: 'DenyCloudtrailTamperingPolicy', specPath: ['organization', 'guardrails', 'denyCloudTrailTampering'] });
      expect(x.message).toMatch(/^SCP innovate-deny-cloudtrail-tampering \(DenyCloudTrailTampering\) denies the SSO role of permission set operators in (production|staging) .*: cloudtrail:UpdateTrail, cloudtrail:DeleteTrail \(trail innovate-(production|staging) \(audit\.json\)\); a later change to the trail, a rollback of the audit stack or its deletion fails/);
    }
  });

  it('the fix exempts exactly the deployers: the operators set\'s SSO roles in the accounts it is assigned to', () => {
    const scp = (built.artifacts.find((a) => a.path === org)!.data as Json).Resources.DenyCloudtrailTamperingPolicy.Properties.Content.Statement[0];
    expect(scp.Condition).toEqual({
      ArnNotLike: {
        'aws:PrincipalArn': [
          'arn:aws:iam::200000000002:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_innovate-operators_*',
          'arn:aws:iam::200000000002:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_innovate-operators_*',
          'arn:aws:iam::300000000003:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_innovate-operators_*',
          'arn:aws:iam::300000000003:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_innovate-operators_*',
        ],
      },
    });
  });

  it('a deployer set assigned to staging only leaves production without a usable deployer', () => {
    const b = emit(exampleVariant((d) => (d.organization.guardrails.deployers = { permissionSets: ['developers'] })));
    const f = findings(b.artifacts, b).filter((x) => x.rule === 'INV116');
    expect(f.map((x) => x.environment)).toEqual(['production']);
    expect(f[0]!.message).toMatch(/permission set developers is not assigned to production, so nobody is exempt/);
  });

  it('without deployers in the spec, the default deploy role innovate-deploy is the exempt one', () => {
    const b = emit(exampleVariant((d) => delete d.organization.guardrails.deployers));
    expect(lines(b.artifacts, b)).toEqual([]);
    const scp = (b.artifacts.find((a) => a.path === org)!.data as Json).Resources.DenyCloudtrailTamperingPolicy.Properties.Content.Statement[0];
    expect(scp.Condition.ArnNotLike['aws:PrincipalArn']).toEqual(['arn:aws:iam::200000000002:role/innovate-deploy', 'arn:aws:iam::300000000003:role/innovate-deploy']);
  });

  it('a region guardrail that leaves out a region the stacks deploy to denies the stack operations there, never the global services', () => {
    const broken = editArtifact(built.artifacts, org, (t: Json) => {
      for (const r of Object.values<Json>(t.Resources)) if (r.Properties.Name === 'innovate-restrict-regions') r.Properties.Content.Statement[0].Condition.StringNotEquals['aws:RequestedRegion'] = ['us-west-2'];
    });
    const f = findings(broken).filter((x) => x.rule === 'INV116');
    expect(f.length).toBeGreaterThan(0);
    const text = f.map((x) => x.message).join('\n');
    expect(f.every((x) => x.target === 'RestrictRegionsPolicy' && x.specPath?.join('.') === 'organization.guardrails.restrictRegions')).toBe(true);
    expect(text).toMatch(/cloudformation:\* \(the stack operations of security\.json in us-east-1\)/);
    expect(text).not.toMatch(/iam:\*/);
  });
});

describe('INV116: the cost stack deploys to us-east-1 whatever the environments\' regions', () => {
  const west = (allowed?: string[]) =>
    exampleVariant((d) => {
      d.organization.homeRegion = 'us-west-2';
      d.environments.staging.region = 'us-west-2';
      d.environments.production.region = 'us-west-2';
      d.environments.production.drRegion = 'eu-west-1';
      if (allowed) d.organization.allowedRegions = allowed;
      else delete d.organization.allowedRegions;
    });

  it('an allowedRegions list without us-east-1 denies the cost stack\'s operations there, in every account', () => {
    const b = emit(west(['us-west-2', 'eu-west-1']));
    const f = findings(b.artifacts, b).filter((x) => x.rule === 'INV116');
    expect(f.map((x) => `${x.environment} ${x.target}`).sort()).toEqual(['production RestrictRegionsPolicy', 'staging RestrictRegionsPolicy']);
    expect(f[0]!.message).toMatch(/cloudformation:\* \(the stack operations of cost\.json in us-east-1\)/);
  });

  it('the default allowedRegions includes us-east-1, so the same spec without a list deploys', () => {
    const b = emit(west());
    expect(lines(b.artifacts, b)).toEqual([]);
  });
});

const PROPERTY_RUNS = Number(process.env.LIVENESS_RUNS ?? RUNS);
describe('INV112 and INV116 hold for every valid spec', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it(`no finding over random specs, workflows included (${PROPERTY_RUNS} runs)`, () => {
    fc.assert(
      fc.property(specArbitrary, (g) => {
        const b = emit(g.yaml);
        expect(lines([...b.artifacts, ...ciEmitter.emit(b.models)], b), g.yaml).toEqual([]);
      }),
      { numRuns: PROPERTY_RUNS, seed: process.env.INNOVATE_DEEP ? undefined : 20261206 },
    );
  });
});
