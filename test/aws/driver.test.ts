/**
 * Unit tests with aws-sdk-client-mock: the driver's use of the SDK (pagination, waiters, missing
 * stacks) and the orchestration's decisions on responses that are awkward to produce otherwise.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  SetStackPolicyCommand,
  UpdateTerminationProtectionCommand,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateDBClusterSnapshotCommand, DescribeDBClusterSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openSession } from '../../src/aws/driver.js';
import { runDeploy, runPlan, type RunContext } from '../../src/aws/run.js';
import { stackTargets } from '../../src/aws/targets.js';
import { cloudformationEmitter } from '../../src/emitters/cloudformation/index.js';
import { compile } from '../../src/pipeline.js';
import { EXAMPLE } from '../helpers.js';
import { BIG_SPEC, fakeCredentials, steppingClock } from './harness.js';

fakeCredentials();
const cfn = mockClient(CloudFormationClient);
const sts = mockClient(STSClient);
const rds = mockClient(RDSClient);
const s3 = mockClient(S3Client);
const iam = mockClient(IAMClient);
const route53 = mockClient(Route53Client);
const ecr = mockClient(ECRClient);
afterAll(() => {
  iam.restore();
  route53.restore();
  ecr.restore();
  cfn.restore();
  sts.restore();
  rds.restore();
  s3.restore();
});
beforeEach(() => {
  cfn.reset();
  sts.reset();
  rds.reset();
  s3.reset();
  iam.reset();
  route53.reset();
  ecr.reset();
  // The example's staging zone (an external input every plan and deploy of it checks first).
  route53.on(GetHostedZoneCommand).resolves({ HostedZone: { Id: '/hostedzone/Z0987654321KLMNOPQRST', Name: 'staging.innovate.example.', CallerReference: 'r', Config: { PrivateZone: false } }, DelegationSet: { NameServers: ['ns-1.awsdns-01.org'] } });
  sts.on(GetCallerIdentityCommand).resolves({ Account: '300000000003', Arn: 'arn:aws:iam::300000000003:user/u' });
});

const session = () => openSession({ pollSeconds: 0.001, maxWaitSeconds: 5 });
const notFound = Object.assign(new Error('Stack with id s does not exist'), { name: 'ValidationError', $metadata: { httpStatusCode: 400 } });

describe('driver over the SDK', () => {
  it('external inputs: the not-found answers of IAM, Route 53 and ECR are verdicts; other errors propagate', async () => {
    const api = await session();
    const err = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 404 } });
    iam.on(GetRoleCommand, { RoleName: 'there' }).resolves({ Role: { Path: '/', RoleName: 'there', RoleId: 'AROA1', Arn: 'arn:aws:iam::300000000003:role/there', CreateDate: new Date() } });
    iam.on(GetRoleCommand, { RoleName: 'missing' }).rejects(err('NoSuchEntityException', 'The role with name missing cannot be found.'));
    iam.on(GetRoleCommand, { RoleName: 'denied' }).rejects(err('AccessDenied', 'User: u is not authorized to perform: iam:GetRole'));
    expect(await api.roleExists('there')).toBe(true);
    expect(await api.roleExists('missing')).toBe(false);
    await expect(api.roleExists('denied')).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(iam.commandCalls(GetRoleCommand).map((c) => c.args[0].input.RoleName)).toEqual(['there', 'missing', 'denied']);

    route53.reset();
    route53.on(GetHostedZoneCommand, { Id: 'ZPRIVATE' }).resolves({ HostedZone: { Id: '/hostedzone/ZPRIVATE', Name: 'internal.example.', CallerReference: 'r', Config: { PrivateZone: true } } });
    route53.on(GetHostedZoneCommand, { Id: 'ZGONE' }).rejects(err('NoSuchHostedZone', 'No hosted zone found with ID: ZGONE'));
    route53.on(GetHostedZoneCommand, { Id: 'ZOTHER' }).rejects(err('AccessDenied', 'User: u is not authorized to access this resource'));
    route53.on(GetHostedZoneCommand, { Id: 'ZNOPERM' }).rejects(err('AccessDenied', 'User: u is not authorized to perform: route53:GetHostedZone on resource: arn:aws:route53:::hostedzone/ZNOPERM'));
    expect(await api.hostedZone('ZPRIVATE')).toEqual({ name: 'internal.example.', privateZone: true });
    expect(await api.hostedZone('ZGONE')).toBe('missing');
    expect(await api.hostedZone('ZOTHER')).toBe('not-visible');
    await expect(api.hostedZone('ZNOPERM')).rejects.toMatchObject({ name: 'AccessDenied' });

    ecr.on(DescribeImagesCommand, { repositoryName: 'innovate/api' }).resolves({ imageDetails: [{ imageTags: ['v1'] }] });
    ecr.on(DescribeImagesCommand, { repositoryName: 'innovate/web' }).rejects(err('ImageNotFoundException'));
    ecr.on(DescribeImagesCommand, { repositoryName: 'innovate/new' }).rejects(err('RepositoryNotFoundException'));
    ecr.on(DescribeImagesCommand, { repositoryName: 'innovate/denied' }).rejects(err('AccessDeniedException'));
    expect(await api.imageTag('us-east-1', 'innovate/api', 'v1')).toBe('present');
    expect(await api.imageTag('us-east-1', 'innovate/web', 'v1')).toBe('no-image');
    expect(await api.imageTag('us-east-1', 'innovate/new', 'v1')).toBe('no-repository');
    await expect(api.imageTag('us-east-1', 'innovate/denied', 'v1')).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(ecr.commandCalls(DescribeImagesCommand)[0]!.args[0].input).toEqual({ repositoryName: 'innovate/api', imageIds: [{ imageTag: 'v1' }] });
  });

  it('a missing stack is undefined; other errors propagate', async () => {
    const api = await session();
    cfn.on(DescribeStacksCommand, { StackName: 'missing' }).rejects(notFound);
    cfn.on(DescribeStacksCommand, { StackName: 'denied' }).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    cfn.on(DescribeStacksCommand, { StackName: 'there' }).resolves({ Stacks: [{ StackName: 'there', StackId: 'id', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(), EnableTerminationProtection: true }] });
    expect(await api.describeStack('us-east-1', 'missing')).toBeUndefined();
    await expect(api.describeStack('us-east-1', 'denied')).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(await api.describeStack('us-east-1', 'there')).toEqual({ stackName: 'there', stackId: 'id', status: 'UPDATE_COMPLETE', terminationProtection: true });
  });

  it('createChangeSet waits with the SDK waiter, then reads every page of changes', async () => {
    const api = await session();
    cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs-arn' });
    const change = (id: string) => ({ Type: 'Resource' as const, ResourceChange: { Action: 'Modify' as const, LogicalResourceId: id, ResourceType: 'AWS::KMS::Key', Replacement: 'True' as const, PhysicalResourceId: `p-${id}`, Details: [{ Target: { Attribute: 'Properties' as const, Name: 'KeyPolicy' } }] } });
    cfn
      .on(DescribeChangeSetCommand)
      .resolvesOnce({ Status: 'CREATE_PENDING' })
      .resolvesOnce({ Status: 'CREATE_IN_PROGRESS' })
      .resolvesOnce({ Status: 'CREATE_COMPLETE', ChangeSetId: 'cs-arn' }) // the waiter's last poll
      .resolvesOnce({ Status: 'CREATE_COMPLETE', ChangeSetId: 'cs-arn', Changes: [change('A')], NextToken: 't1' })
      .resolvesOnce({ Status: 'CREATE_COMPLETE', ChangeSetId: 'cs-arn', Changes: [change('B')] });
    const cs = await api.createChangeSet('us-east-1', { stackName: 's', changeSetName: 'n', changeSetType: 'UPDATE', templateBody: '{}', parameters: [{ key: 'P', value: '/x' }], capabilities: ['CAPABILITY_NAMED_IAM'], tags: [{ key: 'k', value: 'v' }], description: 'd' });
    expect(cs.status).toBe('CREATE_COMPLETE');
    expect(cs.changes.map((c) => c.logicalId)).toEqual(['A', 'B']);
    expect(cs.changes[0]).toEqual({ action: 'Modify', logicalId: 'A', type: 'AWS::KMS::Key', physicalId: 'p-A', replacement: 'True', properties: ['KeyPolicy'] });
    const input = cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ ChangeSetType: 'UPDATE', Capabilities: ['CAPABILITY_NAMED_IAM'], Parameters: [{ ParameterKey: 'P', ParameterValue: '/x' }], Tags: [{ Key: 'k', Value: 'v' }] });
    expect(cfn.commandCalls(DescribeChangeSetCommand).at(-1)!.args[0].input.NextToken).toBe('t1');
  });

  it('a change set without changes comes back FAILED with its reason (the waiter failure is not an error)', async () => {
    const api = await session();
    cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs' });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set." });
    const cs = await api.createChangeSet('us-east-1', { stackName: 's', changeSetName: 'n', changeSetType: 'UPDATE', templateBody: '{}', parameters: [], capabilities: [], tags: [], description: 'd' });
    expect(cs).toMatchObject({ status: 'FAILED', changes: [] });
  });

  it('eventsSince reads pages until the last seen event and returns them oldest first', async () => {
    const api = await session();
    const ev = (id: string) => ({ EventId: id, StackId: 'x', StackName: 's', Timestamp: new Date(), LogicalResourceId: id, ResourceType: 'T', ResourceStatus: 'CREATE_COMPLETE' as const });
    cfn.on(DescribeStackEventsCommand).resolvesOnce({ StackEvents: [ev('e5'), ev('e4')], NextToken: 'p2' }).resolvesOnce({ StackEvents: [ev('e3'), ev('e2'), ev('e1')] });
    expect((await api.eventsSince('us-east-1', 's', 'e2')).map((e) => e.eventId)).toEqual(['e3', 'e4', 'e5']);
  });

  it('resourceDrifts asks only for MODIFIED and DELETED, every page', async () => {
    const api = await session();
    cfn
      .on(DescribeStackResourceDriftsCommand)
      .resolvesOnce({ StackResourceDrifts: [{ StackId: 'x', LogicalResourceId: 'B', ResourceType: 'T', StackResourceDriftStatus: 'DELETED', Timestamp: new Date() }], NextToken: 'n' })
      .resolvesOnce({ StackResourceDrifts: [{ StackId: 'x', LogicalResourceId: 'A', ResourceType: 'T', StackResourceDriftStatus: 'MODIFIED', Timestamp: new Date(), PropertyDifferences: [{ PropertyPath: '/P', ExpectedValue: '1', ActualValue: '2', DifferenceType: 'NOT_EQUAL' }] }] });
    const drifts = await api.resourceDrifts('us-east-1', 's');
    expect(drifts.map((d) => d.logicalId)).toEqual(['A', 'B']);
    expect(drifts[0]!.differences).toEqual([{ path: '/P', expected: '1', actual: '2', type: 'NOT_EQUAL' }]);
    expect(cfn.commandCalls(DescribeStackResourceDriftsCommand)[0]!.args[0].input.StackResourceDriftStatusFilters).toEqual(['MODIFIED', 'DELETED']);
  });

  it('putTemplate: PutObject in the stack\'s region with ExpectedBucketOwner, and SSE-KMS only with a key', async () => {
    const api = await session();
    s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
    await api.putTemplate('us-west-2', { bucket: 'tpl-us-west-2', key: 'innovate/s/abc.json', body: '{"Resources":{}}', expectedOwner: '300000000003' });
    const calls = s3.commandCalls(PutObjectCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ Bucket: 'tpl-us-west-2', Key: 'innovate/s/abc.json', Body: '{"Resources":{}}', ContentType: 'application/json', ExpectedBucketOwner: '300000000003' });
    await api.putTemplate('us-west-2', { bucket: 'tpl-us-west-2', key: 'k2', body: '{}', expectedOwner: '300000000003', kmsKeyId: 'alias/templates' });
    expect(s3.commandCalls(PutObjectCommand)[1]!.args[0].input).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/templates' });
    const client = calls[0]!.thisValue as S3Client;
    expect(await client.config.region()).toBe('us-west-2');
    expect(client.config.forcePathStyle).toBeFalsy();
    // Behind --endpoint-url (an emulator): path style, no bucket subdomain.
    const local = await openSession({ endpointUrl: 'http://localhost:4566', pollSeconds: 0.001 });
    await local.putTemplate('us-east-1', { bucket: 'b-1', key: 'k', body: '{}', expectedOwner: '1' });
    expect((s3.commandCalls(PutObjectCommand)[2]!.thisValue as S3Client).config.forcePathStyle).toBe(true);
  });

  it('validateTemplate and createChangeSet send TemplateURL instead of TemplateBody for an uploaded template', async () => {
    const api = await session();
    cfn.on(ValidateTemplateCommand).resolves({});
    cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs' });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', ChangeSetId: 'cs' });
    const url = 'https://tpl.s3.us-east-1.amazonaws.com/innovate/s/abc.json';
    await api.validateTemplate('us-east-1', { templateUrl: url });
    await api.validateTemplate('us-east-1', { templateBody: '{}' });
    expect(cfn.commandCalls(ValidateTemplateCommand).map((c) => c.args[0].input)).toEqual([{ TemplateURL: url }, { TemplateBody: '{}' }]);
    await api.createChangeSet('us-east-1', { stackName: 's', changeSetName: 'n', changeSetType: 'CREATE', templateUrl: url, parameters: [], capabilities: [], tags: [], description: 'd' });
    const input = cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input;
    expect(input.TemplateURL).toBe(url);
    expect(input).not.toHaveProperty('TemplateBody');
  });

  it('snapshotCluster creates the snapshot and waits until it is available', async () => {
    const api = await session();
    rds.on(CreateDBClusterSnapshotCommand).resolves({ DBClusterSnapshot: { Status: 'creating' } });
    rds.on(DescribeDBClusterSnapshotsCommand).resolvesOnce({ DBClusterSnapshots: [{ Status: 'creating' }] }).resolves({ DBClusterSnapshots: [{ Status: 'available' }] });
    await api.snapshotCluster('us-east-1', 'innovate-production', 'snap-1', [{ key: 'project', value: 'innovate' }]);
    expect(rds.commandCalls(CreateDBClusterSnapshotCommand)[0]!.args[0].input).toEqual({ DBClusterIdentifier: 'innovate-production', DBClusterSnapshotIdentifier: 'snap-1', Tags: [{ Key: 'project', Value: 'innovate' }] });
    expect(rds.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(2);
  });
});

describe('orchestration decisions on mocked responses', () => {
  const artifacts = compile(EXAMPLE, { file: 'innovate.yaml', environments: ['staging'], emitters: [cloudformationEmitter] });
  const model = artifacts.models[0]!;
  const allTargets = stackTargets(artifacts.artifacts, 'staging');
  const context = async (targets = allTargets.slice(-1)): Promise<{ ctx: RunContext; out: string[]; err: string[] }> => {
    const out: string[] = [];
    const err: string[] = [];
    return { ctx: { model, targets, api: await session(), out: (l) => out.push(l), err: (l) => err.push(l), now: steppingClock(), endpoint: 'EP' }, out, err };
  };
  const existing = (status: string) => ({ Stacks: [{ StackName: 'innovate-staging-cost', StackId: 'id', StackStatus: status as never, CreationTime: new Date() }] });

  it('plan: an oversized template is uploaded once, then validated and planned from its URL; small ones stay inline', async () => {
    const big = compile(BIG_SPEC, { file: 'innovate.yaml', environments: ['staging'], emitters: [cloudformationEmitter] });
    const targets = stackTargets(big.artifacts, 'staging').filter((t) => t.stackName.endsWith('-cluster') || t.stackName.endsWith('-cost'));
    const { ctx } = await context(targets);
    const withBucket: RunContext = { ...ctx, model: big.models[0]!, templateBucket: { bucket: 'tpl-{region}', prefix: 'innovate/', source: '--template-bucket' } };
    cfn.on(DescribeStacksCommand).rejects(notFound);
    cfn.on(ValidateTemplateCommand).resolves({});
    cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs' });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', ChangeSetId: 'cs', Changes: [] });
    cfn.on(DeleteChangeSetCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    expect(await runPlan(withBucket, { keep: false, format: 'json' })).toBe(0);
    const cluster = targets[0]!;
    const key = `innovate/innovate-staging-cluster/${createHash('sha256').update(cluster.body).digest('hex')}.json`;
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'tpl-us-east-1', Key: key, Body: cluster.body, ContentType: 'application/json', ExpectedBucketOwner: '300000000003' },
    ]);
    const url = `https://tpl-us-east-1.s3.us-east-1.amazonaws.com/${key}`;
    expect(cfn.commandCalls(ValidateTemplateCommand).map((c) => c.args[0].input)).toEqual([{ TemplateURL: url }, { TemplateBody: targets[1]!.body }]);
    const creates = cfn.commandCalls(CreateChangeSetCommand).map((c) => c.args[0].input);
    expect(creates.map((c) => [c.StackName, c.TemplateURL, c.TemplateBody === undefined])).toEqual([
      ['innovate-staging-cluster', url, true],
      ['innovate-staging-cost', undefined, false],
    ]);
  });

  it('plan: an existing stack gets an UPDATE change set; "no changes" is exit 0 and the change set is deleted', async () => {
    const { ctx, out } = await context();
    cfn.on(DescribeStacksCommand).resolves(existing('UPDATE_COMPLETE'));
    cfn.on(ValidateTemplateCommand).resolves({});
    cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs' });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: 'No updates are to be performed.' });
    cfn.on(DeleteChangeSetCommand).resolves({});
    expect(await runPlan(ctx, { keep: true, format: 'text' })).toBe(0);
    expect(out).toContain('innovate-staging-cost (us-east-1, UPDATE): no changes');
    expect(cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input.ChangeSetType).toBe('UPDATE');
    expect(cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1); // even with --keep: nothing to keep
  });

  it('deploy waits for the stack\'s own closing event, not a stale terminal status right after ExecuteChangeSet', async () => {
    const { ctx, out } = await context();
    cfn.on(DescribeStacksCommand)
      .resolvesOnce(existing('UPDATE_COMPLETE')) // before
      .resolvesOnce(existing('UPDATE_COMPLETE')) // stale, right after execute
      .resolvesOnce(existing('UPDATE_IN_PROGRESS'))
      .resolves(existing('UPDATE_COMPLETE'));
    cfn.on(ValidateTemplateCommand).resolves({});
    cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs' });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', ChangeSetId: 'cs', Changes: [{ Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'MonthlyBudget', ResourceType: 'AWS::Budgets::Budget', Replacement: 'False' } }] });
    cfn.on(ExecuteChangeSetCommand).resolves({});
    const ev = (id: string, logical: string, type: string, status: string) => ({ EventId: id, StackId: 'id', StackName: 'innovate-staging-cost', Timestamp: new Date('2026-01-26T08:00:00Z'), LogicalResourceId: logical, ResourceType: type, ResourceStatus: status as never });
    cfn.on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [ev('old', 'innovate-staging-cost', 'AWS::CloudFormation::Stack', 'UPDATE_COMPLETE')] }) // latest before execution
      .resolvesOnce({ StackEvents: [ev('old', 'innovate-staging-cost', 'AWS::CloudFormation::Stack', 'UPDATE_COMPLETE')] })
      .resolvesOnce({ StackEvents: [ev('e1', 'innovate-staging-cost', 'AWS::CloudFormation::Stack', 'UPDATE_IN_PROGRESS'), ev('old', 'innovate-staging-cost', 'AWS::CloudFormation::Stack', 'UPDATE_COMPLETE')] })
      .resolves({ StackEvents: [ev('e2', 'innovate-staging-cost', 'AWS::CloudFormation::Stack', 'UPDATE_COMPLETE'), ev('e1', 'x', 'y', 'z')] });
    const code = await runDeploy(ctx, { approve: false, snapshot: true, interactive: false, confirm: async () => false });
    expect(code).toBe(0);
    expect(out.filter((l) => l.includes('AWS::CloudFormation::Stack'))).toEqual([
      '  08:00:00  innovate-staging-cost  innovate-staging-cost  AWS::CloudFormation::Stack  UPDATE_IN_PROGRESS',
      '  08:00:00  innovate-staging-cost  innovate-staging-cost  AWS::CloudFormation::Stack  UPDATE_COMPLETE',
    ]);
    expect(cfn.commandCalls(SetStackPolicyCommand)).toHaveLength(0); // the cost stack holds no protected resource
    expect(cfn.commandCalls(UpdateTerminationProtectionCommand)).toHaveLength(0); // not production
  });

  it('a network failure while waiting says the operation goes on in CloudFormation', async () => {
    const { ctx, err, out } = await context();
    cfn.on(DescribeStacksCommand).resolvesOnce(existing('UPDATE_COMPLETE')).resolves(existing('UPDATE_IN_PROGRESS'));
    cfn.on(ValidateTemplateCommand).resolves({});
    cfn.on(CreateChangeSetCommand).resolves({ Id: 'cs' });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', ChangeSetId: 'cs', Changes: [{ Type: 'Resource', ResourceChange: { Action: 'Add', LogicalResourceId: 'X', ResourceType: 'AWS::SNS::Topic' } }] });
    cfn.on(ExecuteChangeSetCommand).resolves({});
    cfn.on(DescribeStackEventsCommand).resolvesOnce({ StackEvents: [] }).rejects(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    const code = await runDeploy(ctx, { approve: false, snapshot: true, interactive: false, confirm: async () => false });
    expect(code).toBe(3);
    expect(err[0]).toContain('innovate-staging-cost: network failure (ECONNRESET) while reading the events of innovate-staging-cost: could not reach EP');
    expect(out.join('\n')).toMatch(/innovate-staging-cost\s+us-east-1\s+UPDATE_IN_PROGRESS: CloudFormation is still working on it/);
  });
});
