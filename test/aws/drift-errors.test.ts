/**
 * innovate drift, and how every command explains AWS failures: wrong account, expired
 * credentials, access denied, throttling (retried, then given up), network failure.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_FILE, FakeAws, withDeployedStaging } from './harness.js';

const fake = new FakeAws();
const { run, deployStaging } = withDeployedStaging(fake);
const STAGING = ['--env', 'staging'];

describe('drift', () => {
  it('in sync: exit 0, every stack checked', async () => {
    await deployStaging();
    const r = await run(['drift', EXAMPLE_FILE, ...STAGING]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('innovate-staging-data (us-east-1): IN_SYNC');
    expect(r.stdout).toContain('Drift: 0 of 9 stacks drifted. Drift detection changes nothing.');
    expect(fake.callsOf('DetectStackDrift')).toHaveLength(9);
  });

  it('drifted resources with their property differences (every page): exit 1', async () => {
    await deployStaging();
    fake.drifts.set('innovate-staging-network', [
      { logicalId: 'AlbSecurityGroup', differences: [{ path: '/SecurityGroupIngress/2', expected: '', actual: '{"CidrIp":"0.0.0.0/0","FromPort":22,"IpProtocol":"tcp","ToPort":22}', type: 'ADD' }] },
      { logicalId: 'FlowLog', differences: [], status: 'DELETED' },
    ]);
    fake.drifts.set('innovate-staging-data', [{ logicalId: 'DatabaseCluster', differences: [{ path: '/DeletionProtection', expected: 'true', actual: 'false', type: 'NOT_EQUAL' }] }]);
    const r = await run(['drift', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('innovate-staging-network (us-east-1): DRIFTED (2 resources)');
    expect(r.stdout).toContain('  MODIFIED  AlbSecurityGroup (AWS::EC2::SecurityGroup)');
    expect(r.stdout).toContain('      ADD /SecurityGroupIngress/2: expected (nothing), actual {"CidrIp":"0.0.0.0/0","FromPort":22,"IpProtocol":"tcp","ToPort":22}');
    expect(r.stdout).toContain('  DELETED   FlowLog (AWS::EC2::FlowLog)');
    expect(r.stdout).toContain('      NOT_EQUAL /DeletionProtection: expected true, actual false');
    expect(r.stdout).toContain('Drift: 2 of 9 stacks drifted.');
    expect(fake.callsOf('DescribeStackResourceDrifts').filter((c) => c.params.get('StackName') === 'innovate-staging-network')).toHaveLength(2);

    const json = await run(['drift', EXAMPLE_FILE, ...STAGING, '--format', 'json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ summary: { errors: 0 }, diagnostics: [], environment: 'staging' });
    expect(report.stacks.find((s: { stackName: string }) => s.stackName === 'innovate-staging-data')).toMatchObject({ status: 'DRIFTED', drifts: [{ logicalId: 'DatabaseCluster', status: 'MODIFIED' }] });
  });

  it('stacks that were never deployed are findings (exit 1)', async () => {
    const r = await run(['drift', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('innovate-staging-security (us-east-1): NOT DEPLOYED');
    expect(r.stdout).toContain('Drift: 0 of 9 stacks drifted, 9 not deployed.');
  });
});

describe('AWS errors: one line each, the right exit code, the state of each stack', () => {
  it('credentials of another account: refused before anything else (exit 2)', async () => {
    fake.account = '999999999999';
    fake.arn = 'arn:aws:iam::999999999999:user/someone';
    for (const cmd of ['plan', 'deploy', 'drift']) {
      const r = await run([cmd, EXAMPLE_FILE, ...STAGING]);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toBe('refusing: the credentials belong to account 999999999999 (arn:aws:iam::999999999999:user/someone), but environment staging is account 300000000003; use --profile with credentials for 300000000003\n');
    }
    expect(fake.calls.map((c) => c.action)).toEqual(['GetCallerIdentity', 'GetCallerIdentity', 'GetCallerIdentity']);
  });

  it('expired credentials (exit 3)', async () => {
    fake.fail({ action: 'GetCallerIdentity', code: 'ExpiredToken', message: 'The security token included in the request is expired', status: 403 });
    const r = await run(['plan', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('the AWS credentials have expired (ExpiredToken) while checking the caller identity (sts:GetCallerIdentity): refresh them (aws sso login, or new session credentials) and run again\n');
  });

  it('access denied in the middle of a deploy: stops, deletes nothing it should not, says where every stack is (exit 3)', async () => {
    await deployStaging();
    const r0 = fake.stacks.get('innovate-staging-audit')!.resources.get('TrailBucket')!;
    r0.properties = { old: 1 };
    fake.fail({
      action: 'ExecuteChangeSet',
      stackName: 'innovate-staging-audit',
      code: 'AccessDenied',
      message: 'User: arn:aws:iam::300000000003:user/deployer is not authorized to perform: cloudformation:ExecuteChangeSet on resource: arn:aws:cloudformation:us-east-1:300000000003:stack/innovate-staging-audit/* because no identity-based policy allows the cloudformation:ExecuteChangeSet action',
      status: 403,
    });
    const r = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^innovate-staging-audit: access denied while executing the change set of innovate-staging-audit: User: arn:aws:iam::300000000003:user\/deployer is not authorized to perform: cloudformation:ExecuteChangeSet .* \(grant the permissions listed in docs\/aws.md\) \(change set innovate-\S+ deleted\)$/m);
    expect(r.stdout).toMatch(/innovate-staging-network\s+us-east-1\s+no changes \(CREATE_COMPLETE\)/);
    expect(r.stdout).toMatch(/innovate-staging-audit\s+us-east-1\s+unchanged: CREATE_COMPLETE/);
    expect(r.stdout).toMatch(/innovate-staging-registry\s+us-east-1\s+not started \(stopped after innovate-staging-audit\)/);
    expect([...fake.stacks.values()].every((s) => s.changeSets.size === 0)).toBe(true);
  });

  it('access denied while planning stops the plan and says which stacks were not planned', async () => {
    fake.fail({ action: 'ValidateTemplate', code: 'AccessDenied', message: 'User: arn:aws:iam::300000000003:user/deployer is not authorized to perform: cloudformation:ValidateTemplate', status: 403 });
    const r = await run(['plan', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('innovate-staging-security (us-east-1, CREATE): ERROR: access denied while validating cloudformation/staging/security.json');
    expect(r.stdout).toContain('innovate-staging-network (us-east-1): not planned (stopped before it)');
    expect(r.stderr).toContain('plan stopped; stacks after the error were not planned, and nothing was changed');
  });

  it('throttling is retried by the SDK (adaptive mode) and the run succeeds', async () => {
    await deployStaging();
    // The last call of the run: after a throttle, adaptive mode also slows the client down on
    // purpose (client-side rate limiting), which would make a test throttling early slow.
    fake.fail({ action: 'DeleteChangeSet', stackName: 'innovate-staging-cost', code: 'Throttling', message: 'Rate exceeded', times: 1 });
    const r = await run(['plan', EXAMPLE_FILE, ...STAGING]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Plan: 0 with changes, 9 without.');
    expect(fake.callsOf('DeleteChangeSet').filter((c) => c.params.get('StackName') === 'innovate-staging-cost')).toHaveLength(2);
    expect(fake.stacks.get('innovate-staging-cost')!.changeSets.size).toBe(0);
  });

  it('throttling that does not stop is explained (exit 3)', async () => {
    fake.throttle('DescribeStacks', 100);
    process.env.AWS_MAX_ATTEMPTS = '2'; // one retry keeps the test short; the default is 8
    try {
      const r = await run(['plan', EXAMPLE_FILE, ...STAGING]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('innovate-staging-security: AWS kept throttling the requests (Throttling after 2 attempts) while describing innovate-staging-security: wait a few minutes and run again');
      expect(r.stdout).toContain('Plan: 0 with changes, 0 without, 1 error, 8 not planned.');
      expect(fake.callsOf('DescribeStacks')).toHaveLength(2);
    } finally {
      process.env.AWS_MAX_ATTEMPTS = '3';
    }
  });

  it('a network failure is explained (exit 3)', async () => {
    // A port that was just free: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const endpoint = `http://127.0.0.1:${port}`;
    const r = await run(['plan', EXAMPLE_FILE, ...STAGING], {}, endpoint);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`network failure (ECONNREFUSED) while checking the caller identity (sts:GetCallerIdentity): could not reach ${endpoint}; check the connection, proxy and --endpoint-url\n`);
  });

  it('a template CloudFormation rejects is a finding (exit 1)', async () => {
    fake.fail({ action: 'ValidateTemplate', code: 'ValidationError', message: 'Template format error: Unrecognized resource types: [AWS::Foo::Bar]', times: 1 });
    const r = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('innovate-staging-security: CloudFormation rejected the request while validating cloudformation/staging/security.json (cloudformation:ValidateTemplate): Template format error: Unrecognized resource types: [AWS::Foo::Bar]\n');
    expect(r.stdout).toMatch(/innovate-staging-security\s+us-east-1\s+not created/);
  });

  it('spec errors and unknown environments never reach AWS', async () => {
    const unknown = await run(['plan', EXAMPLE_FILE, '--env', 'qa']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('examples/innovate.yaml: no environment "qa" (have: production, staging)\n');
    const missing = await run(['drift', 'nope.yaml', '--env', 'staging']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml error INN001 no such file');
    expect(fake.calls).toHaveLength(0);
  });
});
