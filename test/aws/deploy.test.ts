/** innovate deploy against the local fake AWS: order, events, failures, snapshots, production safety. */
import { describe, expect, it } from 'vitest';
import { EXAMPLE_FILE, FakeAws, withDeployedStaging } from './harness.js';

const fake = new FakeAws();
const { run, deployStaging } = withDeployedStaging(fake);
const STAGING = ['--env', 'staging'];
const PRODUCTION = ['--env', 'production'];
const STAGING_STACKS = ['security', 'network', 'audit', 'registry', 'cluster', 'karpenter', 'data', 'observability', 'cost'].map((s) => `innovate-staging-${s}`);

const asProduction = () => {
  fake.account = '200000000002';
  fake.arn = 'arn:aws:sts::200000000002:assumed-role/deployer/alice';
};
const changeSetsLeft = () => [...fake.stacks.values()].reduce((n, s) => n + s.changeSets.size, 0);
const touch = (stack: string, logicalId: string) => {
  const r = fake.stacks.get(stack)!.resources.get(logicalId)!;
  r.properties = { ...(r.properties as object), Touched: 'yes' };
};

describe('deploy', () => {
  it('creates every stack in the recorded order, streaming events; tags, capabilities and stack policies applied', async () => {
    const r = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const executed = fake.callsOf('ExecuteChangeSet').map((c) => c.params.get('StackName'));
    expect(executed).toEqual(STAGING_STACKS);
    expect(r.stdout).toMatch(/\d\d:\d\d:\d\d {2}innovate-staging-data {2}DatabaseCluster {2}AWS::RDS::DBCluster {2}CREATE_COMPLETE/);
    expect(r.stdout).toMatch(/innovate-staging-cost {2}innovate-staging-cost {2}AWS::CloudFormation::Stack {2}CREATE_COMPLETE/);
    expect(r.stdout).toMatch(/Stack states:\n {2}innovate-staging-security\s+us-east-1\s+CREATE_COMPLETE\n/);
    expect(r.stdout).toContain('Deploy of staging complete.');
    for (const name of STAGING_STACKS) expect(fake.stacks.get(name)!.status).toBe('CREATE_COMPLETE');
    const data = fake.stacks.get('innovate-staging-data')!;
    expect(data.tags).toEqual({ application: 'innovate-web', 'cost-center': 'cc-1001', environment: 'staging', owner: 'platform-team', project: 'innovate' });
    expect(data.capabilities).toEqual(['CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND']);
    expect(data.parameters.NetworkIsolatedSubnetIds).toBe('/innovate/staging/network/isolated-subnet-ids');
    // The stack policy protects the database and KMS keys where they live, and only there.
    const policy = JSON.parse(data.policy!);
    expect(policy.Statement[1]).toEqual({ Effect: 'Deny', Action: ['Update:Replace', 'Update:Delete'], Principal: '*', Resource: '*', Condition: { StringEquals: { ResourceType: ['AWS::RDS::DBCluster', 'AWS::RDS::GlobalCluster', 'AWS::KMS::Key'] } } });
    expect(fake.stacks.get('innovate-staging-security')!.policy).toBeDefined();
    expect(fake.stacks.get('innovate-staging-network')!.policy).toBeUndefined();
    // Not production: no termination protection.
    expect(fake.callsOf('UpdateTerminationProtection')).toHaveLength(0);
    expect(changeSetsLeft()).toBe(0);
  });

  it('a second deploy has nothing to do and changes nothing', async () => {
    deployStaging();
    fake.calls.length = 0;
    const r = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('innovate-staging-network (us-east-1): no changes');
    expect(r.stdout).toMatch(/innovate-staging-network\s+us-east-1\s+no changes \(CREATE_COMPLETE\)/);
    expect(fake.callsOf('ExecuteChangeSet')).toHaveLength(0);
    expect(changeSetsLeft()).toBe(0);
  });

  it('stops at the first failed stack, says which and why, and what state every stack is left in', async () => {
    deployStaging();
    touch('innovate-staging-audit', 'TrailBucket');
    touch('innovate-staging-cluster', 'Cluster');
    touch('innovate-staging-cost', 'MonthlyBudget');
    fake.calls.length = 0;
    fake.failResource.set('innovate-staging-cluster', ['Cluster', 'Resource handler returned message: "Cluster version 1.35 is not supported in this region" (HandlerErrorCode: InvalidRequest)']);
    const r = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('innovate-staging-cluster failed: UPDATE_ROLLBACK_COMPLETE');
    expect(r.stderr).toContain('  Cluster (AWS::EKS::Cluster) UPDATE_FAILED: Resource handler returned message: "Cluster version 1.35 is not supported in this region"');
    expect(r.stdout).toMatch(/innovate-staging-audit\s+us-east-1\s+UPDATE_COMPLETE\n/);
    expect(r.stdout).toMatch(/innovate-staging-cluster\s+us-east-1\s+UPDATE_ROLLBACK_COMPLETE: the update failed and the stack is back on its previous template/);
    expect(r.stdout).toMatch(/innovate-staging-karpenter\s+us-east-1\s+not started \(stopped after innovate-staging-cluster\)/);
    expect(r.stdout).toMatch(/innovate-staging-data\s+us-east-1\s+not started \(stopped after innovate-staging-cluster\)/);
    expect(r.stdout).toMatch(/innovate-staging-cost\s+us-east-1\s+not started/);
    expect(r.stdout).not.toContain('Deploy of staging complete');
    expect(fake.callsOf('ExecuteChangeSet').map((c) => c.params.get('StackName'))).toEqual(['innovate-staging-audit', 'innovate-staging-cluster']);
  });

  it('a first creation that fails leaves ROLLBACK_COMPLETE; the next deploy explains it must be deleted (exit 2)', async () => {
    fake.failResource.set('innovate-staging-security', ['DatabaseKey', 'Resource handler returned message: "Access denied for operation kms:CreateKey"']);
    const first = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('innovate-staging-security failed: ROLLBACK_COMPLETE');
    expect(first.stderr).toContain('DatabaseKey (AWS::KMS::Key) CREATE_FAILED: Resource handler returned message: "Access denied for operation kms:CreateKey"');
    expect(first.stdout).toMatch(/innovate-staging-security\s+us-east-1\s+ROLLBACK_COMPLETE: the creation failed; the stack must be deleted/);
    expect(first.stdout).toMatch(/innovate-staging-network\s+us-east-1\s+not started/);
    const second = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('innovate-staging-security is in ROLLBACK_COMPLETE: its first creation failed and CloudFormation cannot update it; delete it (aws cloudformation delete-stack --stack-name innovate-staging-security) and run again');
    expect(second.stdout).toMatch(/innovate-staging-security\s+us-east-1\s+unchanged: ROLLBACK_COMPLETE/);
  });

  it('refuses a stack in UPDATE_IN_PROGRESS (exit 2) without touching it', async () => {
    fake.seed('innovate-staging-security', 'UPDATE_IN_PROGRESS');
    const r = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('innovate-staging-security is in UPDATE_IN_PROGRESS: another operation is running on it; wait until it finishes and run again');
    expect(fake.callsOf('CreateChangeSet')).toHaveLength(0);
  });

  it('takes a manual cluster snapshot before changing the database, unless --no-snapshot', async () => {
    deployStaging();
    touch('innovate-staging-data', 'DatabaseCluster');
    fake.calls.length = 0;
    const r = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(r.code, r.stderr).toBe(0);
    const snap = fake.callsOf('CreateDBClusterSnapshot');
    expect(snap).toHaveLength(1);
    expect([...fake.snapshots.values()][0]!.tags).toMatchObject({ environment: 'staging', project: 'innovate' });
    expect(snap[0]!.params.get('DBClusterIdentifier')).toBe('innovate-staging');
    expect(snap[0]!.params.get('DBClusterSnapshotIdentifier')).toMatch(/^innovate-staging-innovate-\d{8}-\d{6}-\d{3}$/);
    expect(fake.callsOf('DescribeDBClusterSnapshots').length).toBeGreaterThanOrEqual(1); // waited until available
    const snapshotAt = fake.calls.indexOf(snap[0]!);
    const executeAt = fake.calls.findIndex((c) => c.action === 'ExecuteChangeSet' && c.params.get('StackName') === 'innovate-staging-data');
    expect(snapshotAt).toBeLessThan(executeAt);
    expect(r.stdout).toMatch(/snapshot innovate-staging-innovate-\S+ is available/);

    touch('innovate-staging-data', 'DatabaseCluster');
    fake.calls.length = 0;
    const skipped = await run(['deploy', EXAMPLE_FILE, ...STAGING, '--no-snapshot']);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(fake.callsOf('CreateDBClusterSnapshot')).toHaveLength(0);
    expect(skipped.stdout).toContain('--no-snapshot: no manual snapshot of innovate-staging before changing DatabaseCluster');
  });

  it('a snapshot that fails stops the deploy before the change set runs (exit 3: the AWS operation failed)', async () => {
    deployStaging();
    touch('innovate-staging-data', 'DatabaseCluster');
    fake.snapshotOutcome = 'failed';
    fake.calls.length = 0;
    const r = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^innovate-staging-data: snapshot innovate-staging-innovate-\S+ is failed, not available; nothing was executed \(while taking snapshot innovate-staging-innovate-\S+ of innovate-staging \(rds:CreateDBClusterSnapshot\)\) \(change set innovate-\S+ deleted\)$/m);
    expect(r.stdout).toMatch(/innovate-staging-data\s+us-east-1\s+unchanged: CREATE_COMPLETE/);
    expect(fake.callsOf('ExecuteChangeSet')).toHaveLength(0);
  });

  it('a plan on an empty account, then a deploy: the stacks plan left in REVIEW_IN_PROGRESS are created', async () => {
    expect((await run(['plan', EXAMPLE_FILE, ...STAGING])).code).toBe(0);
    expect(fake.stacks.get('innovate-staging-security')!.status).toBe('REVIEW_IN_PROGRESS');
    const r = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(r.code, r.stderr).toBe(0);
    expect(fake.stacks.get('innovate-staging-security')!.status).toBe('CREATE_COMPLETE');
    expect(r.stdout).toContain('innovate-staging-security (us-east-1, CREATE): 33 to add');
  });

  it('refuses a change set that replaces a protected resource before executing it (exit 1)', async () => {
    deployStaging();
    touch('innovate-staging-data', 'DatabaseCluster');
    fake.replacements.set('DatabaseCluster', 'True');
    fake.calls.length = 0;
    const r = await run(['deploy', EXAMPLE_FILE, ...STAGING]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('WARNING: 1 change would replace or remove resources that hold data or keys:');
    expect(r.stderr).toContain('innovate-staging-data: refusing to execute: the change set would replace or delete DatabaseCluster (AWS::RDS::DBCluster, replacement), which the stack policy protects');
    expect(r.stdout).toMatch(/innovate-staging-data\s+us-east-1\s+unchanged: CREATE_COMPLETE/);
    expect(fake.callsOf('ExecuteChangeSet')).toHaveLength(0);
    expect(fake.callsOf('CreateDBClusterSnapshot')).toHaveLength(0);
    expect(changeSetsLeft()).toBe(0);
  });

  it('production without --approve and without a terminal: refused before any AWS call (exit 2)', async () => {
    asProduction();
    const r = await run(['deploy', EXAMPLE_FILE, ...PRODUCTION]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to deploy production environment production (innovate-production-security, innovate-production-network');
    expect(r.stderr).toContain('without --approve: standard input is not a terminal');
    expect(fake.calls).toHaveLength(0);
  });

  it('production interactively: the confirmation names the stack; "no" deletes the change set and stops', async () => {
    asProduction();
    const questions: string[] = [];
    const r = await run(['deploy', EXAMPLE_FILE, ...PRODUCTION], { interactive: true, confirm: async (q) => (questions.push(q), false) });
    expect(r.code).toBe(2);
    expect(questions).toEqual([expect.stringContaining('Execute the change set on production stack innovate-production-security (33 to add, 0 to modify, 0 to remove)?')]);
    expect(r.stderr).toContain('innovate-production-security: not executed: the confirmation was declined (change set innovate-');
    expect(fake.callsOf('ExecuteChangeSet')).toHaveLength(0);
    expect(changeSetsLeft()).toBe(0);
  });

  it('production with --approve: termination protection on every stack, DR stack in its own region', async () => {
    asProduction();
    const r = await run(['deploy', EXAMPLE_FILE, ...PRODUCTION, '--approve']);
    expect(r.code, r.stderr).toBe(0);
    const protectedStacks = fake.callsOf('UpdateTerminationProtection').map((c) => c.params.get('StackName'));
    expect(protectedStacks).toHaveLength(10);
    for (const s of fake.stacks.values()) expect(s.terminationProtection, s.name).toBe(true);
    expect(fake.stacks.get('innovate-production-dr')!.region).toBe('us-west-2');
    expect(fake.stacks.get('innovate-production-dr')!.policy).toBeDefined(); // DR cluster and key
    expect(r.stdout).toContain('termination protection enabled on innovate-production-data');
  });
});
