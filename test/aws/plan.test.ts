/**
 * innovate plan against the local fake AWS: the real SDK serializes, signs, retries, waits and
 * parses; these tests assert what innovate prints and its exit code.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLE_FILE, FakeAws, withDeployedStaging } from './harness.js';

const fake = new FakeAws();
const { run, deployStaging } = withDeployedStaging(fake);
const STAGING = ['--env', 'staging'];

const changeSetsLeft = () => [...fake.stacks.values()].reduce((n, s) => n + s.changeSets.size, 0);

describe('plan', () => {
  it('on an empty account: plans the first stack, says which stacks wait for it, deletes its change sets', async () => {
    const r = await run(['plan', EXAMPLE_FILE, ...STAGING]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Plan for staging: account 300000000003, 9 stacks, as arn:aws:iam::300000000003:user/deployer');
    expect(r.stdout).toMatch(/innovate-staging-security \(us-east-1, CREATE\): 33 to add, 0 to modify, 0 to remove/);
    expect(r.stdout).toMatch(/Add\s+DatabaseKey\s+AWS::KMS::Key/);
    expect(r.stdout).toContain('innovate-staging-network (us-east-1, CREATE): not planned yet: reads /innovate/staging/security/logs-key-arn (published by innovate-staging-security), not deployed yet; deploy creates this stack after that one');
    expect(r.stdout).toContain('innovate-staging-cluster (us-east-1, CREATE): not planned yet: reads /innovate/staging/security/logs-key-arn (published by innovate-staging-security), /innovate/staging/network/private-subnet-ids (published by innovate-staging-network), not deployed yet; deploy creates this stack after those');
    // Karpenter's AWS side reads the cluster name the cluster stack publishes.
    expect(r.stdout).toContain('innovate-staging-karpenter (us-east-1, CREATE): not planned yet: reads /innovate/staging/security/messaging-key-arn (published by innovate-staging-security), /innovate/staging/cluster/name (published by innovate-staging-cluster), not deployed yet; deploy creates this stack after those');
    // The cost stack reads no parameter: it can be planned at once.
    expect(r.stdout).toContain('innovate-staging-cost (us-east-1, CREATE): 3 to add, 0 to modify, 0 to remove');
    expect(r.stdout).toContain('Plan: 2 with changes, 0 without, 7 blocked.');
    expect(fake.callsOf('ValidateTemplate')).toHaveLength(2);
    expect(fake.callsOf('DeleteChangeSet')).toHaveLength(2);
    expect(changeSetsLeft()).toBe(0);
    // The change set carries what the manifest and the model say.
    const create = fake.callsOf('CreateChangeSet')[0]!.params;
    expect(create.get('ChangeSetType')).toBe('CREATE');
    expect(create.get('Tags.member.1.Key')).toBe('application');
    expect([...create.keys()].filter((k) => k.startsWith('Tags.member.') && k.endsWith('.Key')).map((k) => create.get(k))).toEqual(['application', 'cost-center', 'environment', 'owner', 'project']);
    expect(JSON.parse(create.get('TemplateBody')!).Resources.DatabaseKey.Type).toBe('AWS::KMS::Key');
    expect(create.get('TemplateBody')).not.toContain('\n'); // minified
  });

  it('after a deploy: every stack has no changes (an empty change set is not an error)', async () => {
    await deployStaging();
    fake.calls.length = 0;
    const r = await run(['plan', EXAMPLE_FILE, ...STAGING]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('innovate-staging-data (us-east-1, UPDATE): no changes');
    expect(r.stdout).toContain('Plan: 0 with changes, 9 without.');
    expect(r.stderr).toBe('');
    expect(changeSetsLeft()).toBe(0);
    // Capabilities exactly as the manifest records them.
    const caps = (stack: string) => {
      const p = fake.callsOf('CreateChangeSet').find((c) => c.params.get('StackName') === stack)!.params;
      return [...p.keys()].filter((k) => k.startsWith('Capabilities.member.')).map((k) => p.get(k));
    };
    expect(caps('innovate-staging-data')).toEqual(['CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND']);
    expect(caps('innovate-staging-network')).toEqual(['CAPABILITY_NAMED_IAM']);
    expect(caps('innovate-staging-security')).toEqual([]);
  });

  it('flags the replacement of the database and KMS keys prominently, reads every page of changes', async () => {
    await deployStaging();
    const data = fake.stacks.get('innovate-staging-data')!;
    const cluster = data.resources.get('DatabaseCluster')!;
    cluster.properties = { ...(cluster.properties as object), EngineVersion: '15.0' };
    fake.replacements.set('DatabaseCluster', 'True');
    const security = fake.stacks.get('innovate-staging-security')!;
    for (const id of ['DatabaseKey', 'LogsKey']) {
      const key = security.resources.get(id)!;
      key.properties = { ...(key.properties as object), Description: 'old' };
    }
    fake.replacements.set('LogsKey', 'Conditional');
    // Many changes on one stack: more than one DescribeChangeSet page.
    const obs = fake.stacks.get('innovate-staging-observability')!;
    for (const r of obs.resources.values()) r.properties = { old: true };
    fake.changesPageSize = 5;
    try {
      const r = await run(['plan', EXAMPLE_FILE, ...STAGING]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/!!\s+Modify\s+DatabaseCluster\s+AWS::RDS::DBCluster\s+True\s+DANGER: replaces the database cluster/);
      expect(r.stdout).toMatch(/!!\s+Modify\s+LogsKey\s+AWS::KMS::Key\s+Conditional\s+DANGER: may replace a KMS key/);
      expect(r.stdout).toMatch(/ {4}Modify\s+DatabaseKey\s+AWS::KMS::Key\s+False/);
      expect(r.stdout).toContain('WARNING: 2 changes would replace or remove resources that hold data or keys:');
      expect(r.stdout).toContain('innovate-staging-data: Modify DatabaseCluster (AWS::RDS::DBCluster, Replacement True)');
      const obsCount = obs.resources.size;
      expect(r.stdout).toContain(`innovate-staging-observability (us-east-1, UPDATE): 0 to add, ${obsCount} to modify, 0 to remove`);
      const pages = fake.callsOf('DescribeChangeSet').filter((c) => c.params.get('StackName') === 'innovate-staging-observability' && c.params.get('NextToken'));
      expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(obsCount / 5) - 1);
      expect(r.stdout).toContain('Plan: 3 with changes, 6 without.');
    } finally {
      fake.changesPageSize = 25;
    }
  });

  it('--format json for machines', async () => {
    await deployStaging();
    const cluster = fake.stacks.get('innovate-staging-data')!.resources.get('DatabaseCluster')!;
    cluster.properties = { changed: true };
    fake.replacements.set('DatabaseCluster', 'True');
    const r = await run(['plan', EXAMPLE_FILE, ...STAGING, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    // The envelope every reporting command prints, then the plan's own fields.
    expect(Object.keys(plan).slice(0, 4)).toEqual(['version', 'summary', 'diagnostics', 'environment']);
    expect(plan.summary).toEqual({ errors: 0, warnings: 0 });
    expect(plan.environment).toBe('staging');
    expect(plan.stacks).toHaveLength(9);
    const data = plan.stacks.find((s: { stackName: string }) => s.stackName === 'innovate-staging-data');
    expect(data.status).toBe('changes');
    expect(data.changes[0]).toMatchObject({ action: 'Modify', logicalId: 'DatabaseCluster', replacement: 'True', risk: 'danger' });
    expect(plan.dangers).toEqual([expect.objectContaining({ stackName: 'innovate-staging-data', logicalId: 'DatabaseCluster' })]);
  });

  it('--keep keeps the change sets that have changes', async () => {
    await deployStaging();
    fake.stacks.get('innovate-staging-cost')!.resources.get('MonthlyBudget')!.properties = { old: 1 };
    const r = await run(['plan', EXAMPLE_FILE, ...STAGING, '--keep']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/innovate-staging-cost \(us-east-1, UPDATE\): 0 to add, 1 to modify, 0 to remove \[change set innovate-\d{8}-\d{6}-\d{3} kept\]/);
    expect(fake.stacks.get('innovate-staging-cost')!.changeSets.size).toBe(1);
    expect(changeSetsLeft()).toBe(1);
  });

  it('a change set that fails to create is a finding (exit 1) with its reason; the others are still planned', async () => {
    await deployStaging();
    fake.stacks.get('innovate-staging-audit')!.resources.get('TrailBucket')!.properties = { old: 1 };
    fake.failChangeSet.set('innovate-staging-audit', 'Parameters: [/innovate/staging/security/trail-key-arn] do not exist');
    const r = await run(['plan', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('innovate-staging-audit (us-east-1, UPDATE): FAILED: the change set failed to create: Parameters: [/innovate/staging/security/trail-key-arn] do not exist');
    expect(r.stderr).toContain('innovate-staging-audit: the change set failed to create: Parameters');
    expect(r.stdout).toContain('Plan: 0 with changes, 8 without, 1 failed.');
    expect(changeSetsLeft()).toBe(0);
  });

  it('a stack in ROLLBACK_COMPLETE or UPDATE_IN_PROGRESS is explained (exit 2), the others still planned', async () => {
    await deployStaging();
    fake.stacks.get('innovate-staging-audit')!.status = 'ROLLBACK_COMPLETE';
    fake.stacks.get('innovate-staging-cost')!.status = 'UPDATE_IN_PROGRESS';
    const r = await run(['plan', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('innovate-staging-audit: innovate-staging-audit is in ROLLBACK_COMPLETE: its first creation failed and CloudFormation cannot update it; delete it (aws cloudformation delete-stack --stack-name innovate-staging-audit) and run again');
    expect(r.stderr).toContain('innovate-staging-cost is in UPDATE_IN_PROGRESS: another operation is running on it; wait until it finishes and run again');
    expect(r.stdout).toContain('Plan: 0 with changes, 7 without, 2 refused.');
  });

  it('the stacks of a production environment go to their own regions (DR in us-west-2)', async () => {
    fake.account = '200000000002';
    fake.arn = 'arn:aws:sts::200000000002:assumed-role/deployer/ci';
    for (const name of ['security', 'network', 'audit', 'registry', 'cluster', 'karpenter', 'data', 'observability', 'cost']) fake.seed(`innovate-production-${name}`, 'CREATE_COMPLETE');
    fake.seed('innovate-production-dr', 'CREATE_COMPLETE', { Resources: {} }, 'us-west-2');
    const r = await run(['plan', EXAMPLE_FILE, '--env', 'production']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('innovate-production-dr (us-west-2, UPDATE)');
    const regions = Object.fromEntries(fake.callsOf('CreateChangeSet').map((c) => [c.params.get('StackName'), c.region]));
    expect(regions['innovate-production-dr']).toBe('us-west-2');
    expect(regions['innovate-production-cost']).toBe('us-east-1');
    expect(fake.callsOf('GetCallerIdentity')[0]!.region).toBe('us-east-1');
    // plan never executes anything
    expect(fake.callsOf('ExecuteChangeSet')).toHaveLength(0);
    expect(fake.callsOf('SetStackPolicy')).toHaveLength(0);
  });
});
