/**
 * External inputs against the fake AWS: innovate plan and deploy look up the existing team roles
 * (iam:GetRole), the hosted zone (route53:GetHostedZone) and explicit image tags
 * (ecr:DescribeImages) the spec names, through the real SDK and its wire protocols.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exampleVariant } from '../helpers.js';
import { EXAMPLE_FILE, fakeCredentials, FakeAws, runner } from './harness.js';

const fake = new FakeAws();
const run = runner(fake);
const DIR = mkdtempSync(join(tmpdir(), 'innovate-inputs-'));
const STAGING = ['--env', 'staging'];
const STAGING_REGISTRY = '300000000003.dkr.ecr.us-east-1.amazonaws.com';

/** The example with an existing role for a new "ops" team and an explicit tag on api. */
const INPUTS_FILE = join(DIR, 'inputs.yaml');
writeFileSync(
  INPUTS_FILE,
  exampleVariant((d) => {
    d.teams.ops = { iamRoleName: 'innovate-ops-admin', clusterAdmin: true };
    d.workloads.api.tag = 'v1.4.2';
  }),
);

beforeAll(async () => {
  fakeCredentials();
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
  rmSync(DIR, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

/** The repository name of api in the staging registry, from the plan's JSON output. */
async function apiRepository(): Promise<string> {
  const r = await run(['plan', INPUTS_FILE, ...STAGING, '--format', 'json']);
  const inputs = JSON.parse(r.stdout).inputs as { kind: string; repositoryName?: string }[];
  return inputs.find((i) => i.kind === 'image')!.repositoryName!;
}

describe('external inputs', () => {
  it('the example: its hosted zone is checked and fits; nothing else is named', async () => {
    const r = await run(['plan', EXAMPLE_FILE, ...STAGING]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('External inputs:\n  hosted zone Z0987654321KLMNOPQRST for staging.innovate.example (ingress.hostedZoneId): public, zone staging.innovate.example.');
    expect(fake.callsOf('GetHostedZone').map((c) => [c.params.get('Id'), c.region])).toEqual([['Z0987654321KLMNOPQRST', 'us-east-1']]);
    expect(fake.callsOf('GetRole')).toHaveLength(0);
    expect(fake.callsOf('DescribeImages')).toHaveLength(0);
  });

  it('all present: clean plan, role exists, image present', async () => {
    fake.roles.set('innovate-ops-admin', { account: '300000000003' });
    const repo = await apiRepository();
    fake.pushImage('us-east-1', repo, 'v1.4.2');
    fake.calls.length = 0;
    const r = await run(['plan', INPUTS_FILE, ...STAGING]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('  iam role innovate-ops-admin (teams.ops.iamRoleName): exists');
    expect(r.stdout).toContain(`  image ${repo}:v1.4.2 (workloads.api.tag): present`);
    expect(fake.callsOf('GetRole').map((c) => [c.params.get('RoleName'), c.region])).toEqual([['innovate-ops-admin', 'us-east-1']]);
    expect(fake.callsOf('DescribeImages')[0]!.params.get('imageTags')).toBe('v1.4.2');
    // The section comes after the account check and before the stacks.
    expect(r.stdout.indexOf('External inputs:')).toBeLessThan(r.stdout.indexOf('innovate-staging-security'));
    expect(r.stdout.indexOf('Plan for staging')).toBeLessThan(r.stdout.indexOf('External inputs:'));
  });

  it('a missing role: plan exits with findings, says so, and still plans the stacks', async () => {
    const r = await run(['plan', INPUTS_FILE, ...STAGING]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  iam role innovate-ops-admin (teams.ops.iamRoleName): MISSING: role innovate-ops-admin does not exist in account 300000000003');
    expect(r.stderr).toContain('teams.ops.iamRoleName: role innovate-ops-admin does not exist');
    expect(r.stdout).toContain('Plan: 2 with changes, 0 without, 7 blocked.');
    expect(fake.callsOf('CreateChangeSet')).toHaveLength(2);
  });

  it('a missing role: deploy refuses before any stack call, nothing changed', async () => {
    const r = await run(['deploy', INPUTS_FILE, ...STAGING]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refusing to deploy staging: teams.ops.iamRoleName: role innovate-ops-admin does not exist in account 300000000003');
    expect(r.stderr).toContain('nothing was changed');
    for (const action of ['DescribeStacks', 'ValidateTemplate', 'CreateChangeSet', 'ExecuteChangeSet']) expect(fake.callsOf(action), action).toHaveLength(0);
    expect(fake.stacks.size).toBe(0);
  });

  it("a role of another account is missing in this one (GetRole reads the caller's account)", async () => {
    fake.roles.set('innovate-ops-admin', { account: '200000000002' });
    const r = await run(['plan', INPUTS_FILE, ...STAGING]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('(teams.ops.iamRoleName): MISSING');
  });

  it("a zone of another account: mismatch, deploy refuses", async () => {
    fake.zones.get('Z0987654321KLMNOPQRST')!.account = '200000000002';
    const plan = await run(['plan', EXAMPLE_FILE, ...STAGING]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('hosted zone Z0987654321KLMNOPQRST for staging.innovate.example (ingress.hostedZoneId): MISMATCH: hosted zone Z0987654321KLMNOPQRST is not in account 300000000003');
    fake.calls.length = 0;
    const deploy = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(deploy.code).toBe(1);
    expect(deploy.stderr).toContain('refusing to deploy staging: ingress.hostedZoneId: hosted zone Z0987654321KLMNOPQRST is not in account 300000000003');
    expect(fake.callsOf('CreateChangeSet')).toHaveLength(0);
  });

  it('a private zone, a zone that does not cover the host, no such zone: each blocks', async () => {
    fake.zones.get('Z0987654321KLMNOPQRST')!.privateZone = true;
    let r = await run(['plan', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('MISMATCH: hosted zone Z0987654321KLMNOPQRST (staging.innovate.example.) is a private zone');

    fake.reset();
    fake.zones.get('Z0987654321KLMNOPQRST')!.name = 'example.org.';
    r = await run(['plan', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('MISMATCH: hosted zone Z0987654321KLMNOPQRST is example.org., which does not cover host staging.innovate.example');

    fake.reset();
    fake.zones.delete('Z0987654321KLMNOPQRST');
    r = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('(ingress.hostedZoneId): MISSING: hosted zone Z0987654321KLMNOPQRST does not exist (route53:GetHostedZone: NoSuchHostedZone)');
    expect(fake.callsOf('CreateChangeSet')).toHaveLength(0);
  });

  it('a missing image (or a repository not created yet) only warns; deploy goes on', async () => {
    fake.roles.set('innovate-ops-admin', { account: '300000000003' });
    // Empty account: the registry stack creates the repository.
    let r = await run(['plan', INPUTS_FILE, ...STAGING]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(workloads\.api\.tag\): WARNING: repository \S+ does not exist yet \(the registry stack creates it\)/);
    expect(r.stdout).toContain(`before ArgoCD's first sync, or remove \`tag\` so CI's first promotion sets it`);

    const repo = await apiRepository();
    fake.pushImage('us-east-1', repo, 'v1.4.1');
    fake.calls.length = 0;
    r = await run(['plan', INPUTS_FILE, ...STAGING]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`(workloads.api.tag): WARNING: image ${repo}:v1.4.2 is not in ${STAGING_REGISTRY} (ecr:DescribeImages: ImageNotFoundException): push ${repo}:v1.4.2 to ${STAGING_REGISTRY} before ArgoCD's first sync`);

    r = await run(['deploy', INPUTS_FILE, ...STAGING]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: workloads.api.tag: image ${repo}:v1.4.2 is not in ${STAGING_REGISTRY}`);
    expect(r.stdout).toContain('Deploy of staging complete.');
  });

  it('JSON output carries the inputs with their verdicts', async () => {
    const r = await run(['plan', INPUTS_FILE, ...STAGING, '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.exitCode).toBe(1);
    expect(json.inputs).toEqual([
      expect.objectContaining({ kind: 'role', specPath: 'teams.ops.iamRoleName', roleName: 'innovate-ops-admin', roleArn: 'arn:aws:iam::300000000003:role/innovate-ops-admin', verdict: 'missing', blocking: true }),
      { kind: 'zone', specPath: 'ingress.hostedZoneId', hostedZoneId: 'Z0987654321KLMNOPQRST', host: 'staging.innovate.example', verdict: 'ok', blocking: false },
      expect.objectContaining({ kind: 'image', specPath: 'workloads.api.tag', tag: 'v1.4.2', registry: STAGING_REGISTRY, verdict: 'warning', blocking: false }),
    ]);
  });

  it('a missing permission is an error naming it (exit 3: a failed AWS call), not a verdict on the input', async () => {
    fake.fail({ action: 'GetRole', code: 'AccessDenied', message: 'User: arn:aws:iam::300000000003:user/deployer is not authorized to perform: iam:GetRole on resource: role innovate-ops-admin because no identity-based policy allows the iam:GetRole action' });
    fake.fail({ action: 'GetHostedZone', code: 'AccessDenied', message: 'User: arn:aws:iam::300000000003:user/deployer is not authorized to perform: route53:GetHostedZone on resource: arn:aws:route53:::hostedzone/Z0987654321KLMNOPQRST' });
    fake.fail({ action: 'DescribeImages', code: 'AccessDeniedException', message: 'User: arn:aws:iam::300000000003:user/deployer is not authorized to perform: ecr:DescribeImages' });
    const r = await run(['deploy', INPUTS_FILE, ...STAGING]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('access denied while checking role innovate-ops-admin (iam:GetRole)');
    expect(r.stderr).toContain('access denied while checking hosted zone Z0987654321KLMNOPQRST (route53:GetHostedZone)');
    expect(r.stderr).toMatch(/access denied while checking image \S+:v1\.4\.2 \(ecr:DescribeImages\)/);
    expect(fake.callsOf('CreateChangeSet')).toHaveLength(0);
  });

  it('production: its own zone in its own account', async () => {
    fake.account = '200000000002';
    fake.arn = 'arn:aws:iam::200000000002:user/deployer';
    const r = await run(['plan', EXAMPLE_FILE, '--env', 'production']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('hosted zone Z0123456789ABCDEFGHIJ for app.innovate.example (ingress.hostedZoneId): public, zone innovate.example.');
  });
});
