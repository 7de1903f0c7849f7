/** The pure side of external inputs (src/aws/inputs.ts): which inputs a model names, and the verdicts on lookups. */
import { describe, expect, it } from 'vitest';
import { checkLine, dnsName, externalInputs, judge, registryRegion, zoneCovers, type ExternalInput } from '../../src/aws/inputs.js';
import type { Model } from '../../src/compiler/model.js';
import { compile } from '../../src/pipeline.js';
import { EXAMPLE, exampleVariant } from '../helpers.js';

const model = (text: string, env: string): Model => compile(text, { file: 'innovate.yaml', environments: [env], emitters: [] }).models.find((m) => m.environment.name === env)!;

const ZONE: ExternalInput = { kind: 'zone', zoneId: 'Z1', host: 'app.innovate.example', specPath: 'ingress.hostedZoneId' };
const ROLE: ExternalInput = { kind: 'role', roleName: 'innovate-platform-admin', roleArn: 'arn:aws:iam::200000000002:role/innovate-platform-admin', team: 'platform', specPath: 'teams.platform.iamRoleName' };
const IMAGE: ExternalInput = { kind: 'image', workload: 'api', registry: '200000000002.dkr.ecr.us-east-1.amazonaws.com', region: 'us-east-1', repositoryName: 'innovate/api', tag: 'v1.4.2', specPath: 'workloads.api.tag' };

describe('externalInputs', () => {
  it('the example names only its hosted zone in each environment', () => {
    expect(externalInputs(model(EXAMPLE, 'production'))).toEqual([{ kind: 'zone', zoneId: 'Z0123456789ABCDEFGHIJ', host: 'app.innovate.example', specPath: 'ingress.hostedZoneId' }]);
    expect(externalInputs(model(EXAMPLE, 'staging'))).toEqual([{ kind: 'zone', zoneId: 'Z0987654321KLMNOPQRST', host: 'staging.innovate.example', specPath: 'ingress.hostedZoneId' }]);
  });

  it('an external team role and an explicit tag are inputs; a permission-set team and a CI tag are not', () => {
    const text = exampleVariant((d) => {
      d.teams.ops = { iamRoleName: 'innovate-ops-admin', clusterAdmin: true };
      d.workloads.api.tag = 'v1.4.2';
      d.workloads.web.tag = 'sha-0123456789ab';
    });
    const inputs = externalInputs(model(text, 'production'));
    expect(inputs.map((i) => [i.kind, i.specPath])).toEqual([
      ['role', 'teams.ops.iamRoleName'],
      ['zone', 'ingress.hostedZoneId'],
      ['image', 'workloads.api.tag'],
    ]);
    expect(inputs[0]).toMatchObject({ roleName: 'innovate-ops-admin', roleArn: 'arn:aws:iam::200000000002:role/innovate-ops-admin', team: 'ops' });
    expect(inputs[2]).toMatchObject({ registry: '200000000002.dkr.ecr.us-east-1.amazonaws.com', region: 'us-east-1', tag: 'v1.4.2' });
    const m = model(text, 'production');
    expect(m.registry.repositories.map((r) => r.repositoryName)).toContain((inputs[2] as { repositoryName: string }).repositoryName);
  });
});

describe('deployer roles', () => {
  it('the roles the CloudTrail guardrail exempts are inputs; missing, a warning (the first deploy goes through, later trail changes would not)', () => {
    const text = exampleVariant((d) => (d.organization.guardrails.deployers = { permissionSets: ['operators'], roles: ['innovate-deploy'] }));
    const inputs = externalInputs(model(text, 'staging'));
    expect(inputs[0]).toEqual({ kind: 'role', roleName: 'innovate-deploy', roleArn: 'arn:aws:iam::300000000003:role/innovate-deploy', specPath: 'organization.guardrails.deployers.roles.0' });
    const missing = judge(inputs[0]!, { kind: 'role', exists: false }, '300000000003');
    expect(missing).toMatchObject({ verdict: 'warning', blocking: false });
    expect(missing.reason).toMatch(/the CloudTrail guardrail exempts it as a deployer, so whoever deploys now is not exempt/);
    expect(judge(inputs[0]!, { kind: 'role', exists: true }, '300000000003')).toMatchObject({ verdict: 'ok', blocking: false });
  });

  it('none without the guardrail', () => {
    const text = exampleVariant((d) => {
      d.organization.guardrails.denyCloudTrailTampering = false;
      d.organization.guardrails.deployers = { roles: ['innovate-deploy'] };
    });
    expect(externalInputs(model(text, 'staging')).map((i) => i.kind)).toEqual(['zone']);
  });
});

describe('verdicts', () => {
  it('zone names: the host or a parent covers it, trailing dots and case do not matter', () => {
    expect(zoneCovers('innovate.example.', 'app.innovate.example')).toBe(true);
    expect(zoneCovers('App.Innovate.Example.', 'app.innovate.example')).toBe(true);
    expect(zoneCovers('example.org.', 'app.innovate.example')).toBe(false);
    expect(zoneCovers('novate.example.', 'app.innovate.example')).toBe(false); // a suffix, not a parent
    expect(zoneCovers('staging.innovate.example.', 'app.innovate.example')).toBe(false);
    expect(dnsName('\\052.innovate.example.')).toBe('*.innovate.example');
    expect(registryRegion('1.dkr.ecr.eu-west-1.amazonaws.com', 'us-east-1')).toBe('eu-west-1');
  });

  it('zone: ok, missing, another account, private, not covering', () => {
    const acct = '200000000002';
    expect(judge(ZONE, { kind: 'zone', zone: { name: 'innovate.example.', privateZone: false } }, acct)).toMatchObject({ verdict: 'ok', blocking: false });
    expect(judge(ZONE, { kind: 'zone', zone: 'missing' }, acct)).toMatchObject({ verdict: 'missing', blocking: true });
    const other = judge(ZONE, { kind: 'zone', zone: 'not-visible' }, acct);
    expect(other).toMatchObject({ verdict: 'mismatch', blocking: true });
    expect(other.reason).toContain('is not in account 200000000002');
    expect(judge(ZONE, { kind: 'zone', zone: { name: 'innovate.example.', privateZone: true } }, acct)).toMatchObject({ verdict: 'mismatch', reason: expect.stringContaining('private zone') });
    const wrong = judge(ZONE, { kind: 'zone', zone: { name: 'example.org.', privateZone: false } }, acct);
    expect(wrong).toMatchObject({ verdict: 'mismatch', blocking: true });
    expect(checkLine(wrong)).toBe(`  hosted zone Z1 for app.innovate.example (ingress.hostedZoneId): MISMATCH: ${wrong.reason}`);
    expect(wrong.reason).toContain('example.org., which does not cover host app.innovate.example');
  });

  it('role: exists or missing (blocking); image: present, or a warning that never blocks', () => {
    expect(checkLine(judge(ROLE, { kind: 'role', exists: true }, '200000000002'))).toBe('  iam role innovate-platform-admin (teams.platform.iamRoleName): exists');
    const missing = judge(ROLE, { kind: 'role', exists: false }, '200000000002');
    expect(missing).toMatchObject({ verdict: 'missing', blocking: true });
    expect(checkLine(missing)).toMatch(/^ {2}iam role innovate-platform-admin \(teams\.platform\.iamRoleName\): MISSING: role innovate-platform-admin does not exist in account 200000000002/);
    expect(judge(IMAGE, { kind: 'image', state: 'present' }, '200000000002')).toMatchObject({ verdict: 'ok', blocking: false });
    for (const state of ['no-image', 'no-repository'] as const) {
      const c = judge(IMAGE, { kind: 'image', state }, '200000000002');
      expect(c).toMatchObject({ verdict: 'warning', blocking: false });
      expect(c.reason).toContain("push innovate/api:v1.4.2 to 200000000002.dkr.ecr.us-east-1.amazonaws.com before ArgoCD's first sync, or remove `tag` so CI's first promotion sets it");
    }
    expect(() => judge(IMAGE, { kind: 'role', exists: true }, '1')).toThrow();
  });
});
