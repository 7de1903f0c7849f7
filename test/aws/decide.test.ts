/** Unit tests of the pure decisions: stack states, change classification, risk, names, errors, targets. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/pipeline.js';
import { cloudformationEmitter } from '../../src/emitters/cloudformation/index.js';
import type { ResourceChangeInfo, StackInfo } from '../../src/aws/api.js';
import {
  approvalNeeded,
  changeRows,
  changeSetName,
  changeSetOutcome,
  classifyChange,
  clustersToSnapshot,
  countChanges,
  decideStackAction,
  describeStatus,
  failureReasons,
  isNoChanges,
  policyViolations,
  snapshotName,
} from '../../src/aws/decide.js';
import { explainAwsError } from '../../src/aws/errors.js';
import { changeTable, dangerBlock } from '../../src/aws/render.js';
import { blockers, MAX_TEMPLATE_BODY_BYTES, oversized, stackPolicy, stackTargets } from '../../src/aws/targets.js';
import { EXAMPLE } from '../helpers.js';

const stack = (status: string): StackInfo => ({ stackName: 's', stackId: 'id', status, terminationProtection: false });
const change = (c: Partial<ResourceChangeInfo>): ResourceChangeInfo => ({ action: 'Modify', logicalId: 'X', type: 'AWS::SSM::Parameter', properties: [], ...c });

describe('what to do with a stack in each state', () => {
  it.each([
    [undefined, 'create'],
    ['REVIEW_IN_PROGRESS', 'create'],
    ['CREATE_COMPLETE', 'update'],
    ['UPDATE_COMPLETE', 'update'],
    ['UPDATE_ROLLBACK_COMPLETE', 'update'],
    ['IMPORT_COMPLETE', 'update'],
    ['ROLLBACK_COMPLETE', 'refuse'],
    ['ROLLBACK_FAILED', 'refuse'],
    ['CREATE_FAILED', 'refuse'],
    ['UPDATE_ROLLBACK_FAILED', 'refuse'],
    ['DELETE_FAILED', 'refuse'],
    ['CREATE_IN_PROGRESS', 'refuse'],
    ['UPDATE_IN_PROGRESS', 'refuse'],
    ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'refuse'],
    ['UPDATE_ROLLBACK_IN_PROGRESS', 'refuse'],
    ['DELETE_IN_PROGRESS', 'refuse'],
  ])('%s -> %s', (status, kind) => {
    expect(decideStackAction(status ? stack(status) : undefined).kind).toBe(kind);
  });

  it('explains what to do', () => {
    const r = decideStackAction(stack('ROLLBACK_COMPLETE'));
    expect(r.kind === 'refuse' && r.reason).toContain('delete it (aws cloudformation delete-stack --stack-name s)');
    const f = decideStackAction(stack('UPDATE_ROLLBACK_FAILED'));
    expect(f.kind === 'refuse' && f.reason).toContain('continue-update-rollback');
    expect(describeStatus('UPDATE_ROLLBACK_COMPLETE')).toContain('back on its previous template');
  });
});

describe('change sets', () => {
  it('an empty change set is "no changes", whichever way CloudFormation says it', () => {
    expect(isNoChanges("The submitted information didn't contain changes. Submit different information to create a change set.")).toBe(true);
    expect(isNoChanges('No updates are to be performed.')).toBe(true);
    expect(isNoChanges('Parameters: [x] do not exist')).toBe(false);
    expect(changeSetOutcome({ changeSetId: 'a', status: 'FAILED', statusReason: 'No updates are to be performed.', changes: [] })).toBe('no-changes');
    expect(changeSetOutcome({ changeSetId: 'a', status: 'FAILED', statusReason: 'Template error', changes: [] })).toBe('failed');
    expect(changeSetOutcome({ changeSetId: 'a', status: 'CREATE_COMPLETE', changes: [] })).toBe('changes');
  });

  it('classifies risk: stateful replacement or removal is danger, other replacements are flagged', () => {
    expect(classifyChange(change({ type: 'AWS::RDS::DBCluster', replacement: 'True' }))).toMatchObject({ risk: 'danger', note: expect.stringContaining('replaces the database cluster') });
    expect(classifyChange(change({ type: 'AWS::KMS::Key', replacement: 'Conditional' }))).toMatchObject({ risk: 'danger', note: expect.stringContaining('may replace a KMS key') });
    expect(classifyChange(change({ type: 'AWS::S3::Bucket', action: 'Remove' }))).toMatchObject({ risk: 'danger', note: expect.stringContaining('removes a bucket') });
    expect(classifyChange(change({ type: 'AWS::S3::Bucket', replacement: 'False' })).risk).toBe('none');
    expect(classifyChange(change({ type: 'AWS::EC2::SecurityGroup', replacement: 'True' }))).toMatchObject({ risk: 'replacement', replacement: 'True' });
    expect(classifyChange(change({ type: 'AWS::KMS::Key', action: 'Add' })).risk).toBe('none');
    expect(classifyChange(change({ action: 'Add', replacement: 'True' })).replacement).toBe('');
  });

  it('orders rows dangerous first, then Remove, Modify, Add', () => {
    const rows = changeRows([
      change({ action: 'Add', logicalId: 'A' }),
      change({ action: 'Modify', logicalId: 'B' }),
      change({ action: 'Remove', logicalId: 'C' }),
      change({ action: 'Modify', logicalId: 'D', type: 'AWS::RDS::DBCluster', replacement: 'True' }),
      change({ action: 'Modify', logicalId: 'E', replacement: 'True' }),
    ]);
    expect(rows.map((r) => r.logicalId)).toEqual(['D', 'E', 'C', 'B', 'A']);
    expect(countChanges(rows)).toEqual({ add: 1, modify: 3, remove: 1, replace: 2, danger: 1 });
    const table = changeTable(rows);
    expect(table[0]).toMatch(/^ {5}Action\s+Logical id\s+Type\s+Replacement$/);
    expect(table[1]).toMatch(/^ {2}!! Modify\s+D\s+AWS::RDS::DBCluster\s+True\s+DANGER: replaces the database cluster/);
    expect(table[2]).toMatch(/^ {3}! Modify\s+E/);
    expect(dangerBlock([{ stackName: 'st', row: rows[0]! }])[1]).toBe('  st: Modify D (AWS::RDS::DBCluster, Replacement True): replaces the database cluster: replacement creates an empty cluster');
  });

  it('snapshots the database cluster before any change to it (not on creation)', () => {
    expect(clustersToSnapshot([change({ type: 'AWS::RDS::DBCluster', logicalId: 'DatabaseCluster', physicalId: 'innovate-production', replacement: 'False' })])).toEqual([{ logicalId: 'DatabaseCluster', clusterIdentifier: 'innovate-production' }]);
    expect(clustersToSnapshot([change({ type: 'AWS::RDS::DBCluster', action: 'Remove', physicalId: 'c' })])).toHaveLength(1);
    expect(clustersToSnapshot([change({ type: 'AWS::RDS::DBCluster', action: 'Add' })])).toHaveLength(0);
    expect(clustersToSnapshot([change({ type: 'AWS::RDS::DBInstance', physicalId: 'i' })])).toHaveLength(0);
  });

  it('the stack policy refuses certain replacement or removal of the database and KMS keys', () => {
    expect(policyViolations([change({ type: 'AWS::KMS::Key', replacement: 'True' })])).toHaveLength(1);
    expect(policyViolations([change({ type: 'AWS::RDS::DBCluster', action: 'Remove' })])).toHaveLength(1);
    expect(policyViolations([change({ type: 'AWS::RDS::DBCluster', replacement: 'Conditional' })])).toHaveLength(0);
    expect(policyViolations([change({ type: 'AWS::S3::Bucket', replacement: 'True' })])).toHaveLength(0);
    const policy = JSON.parse(stackPolicy());
    expect(policy.Statement[0]).toEqual({ Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' });
    expect(policy.Statement[1].Action).toEqual(['Update:Replace', 'Update:Delete']);
  });

  it('names are valid change set and snapshot identifiers', () => {
    const now = new Date('2026-01-26T08:15:00.123Z');
    expect(changeSetName(now)).toBe('innovate-20260126-081500-123');
    expect(changeSetName(now)).toMatch(/^[a-zA-Z][-a-zA-Z0-9]*$/);
    expect(snapshotName('innovate-production', now)).toBe('innovate-production-innovate-20260126-081500-123');
  });

  it('failure reasons: the causes, not the cancellations that follow', () => {
    const events = [
      { logicalId: 'A', type: 'T', status: 'CREATE_FAILED', reason: 'Resource creation cancelled' },
      { logicalId: 'B', type: 'T', status: 'CREATE_FAILED', reason: 'Bucket name taken' },
      { logicalId: 'C', type: 'T', status: 'CREATE_COMPLETE' },
    ];
    expect(failureReasons(events)).toEqual(['B (T) CREATE_FAILED: Bucket name taken']);
    expect(failureReasons([events[0]!])).toEqual(['A (T) CREATE_FAILED: Resource creation cancelled']);
  });

  it('production approval', () => {
    expect(approvalNeeded(false, false, false)).toBe('none');
    expect(approvalNeeded(true, true, false)).toBe('none');
    expect(approvalNeeded(true, false, true)).toBe('ask');
    expect(approvalNeeded(true, false, false)).toBe('refuse');
  });
});

describe('AWS errors in one line', () => {
  const svc = (name: string, message: string, status = 400, attempts = 1) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, attempts } });
  it.each([
    [svc('ExpiredToken', 'The security token included in the request is expired', 403), 'credentials', 3, /have expired/],
    [svc('InvalidClientTokenId', 'The security token included in the request is invalid.', 403), 'credentials', 3, /rejected the credentials/],
    [Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'credentials', 3, /no AWS credentials found/],
    [svc('AccessDenied', 'User: x is not authorized to perform: cloudformation:CreateChangeSet', 403), 'access', 3, /access denied .*docs\/aws\.md/],
    [svc('Throttling', 'Rate exceeded', 400, 8), 'throttling', 3, /after 8 attempts/],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'network', 3, /network failure \(ECONNREFUSED\).*could not reach EP/],
    [Object.assign(new Error('getaddrinfo ENOTFOUND x'), { cause: { code: 'ENOTFOUND' } }), 'network', 3, /ENOTFOUND/],
    [svc('ValidationError', 'No updates are to be performed.'), 'no-updates', 0, /no changes/],
    [svc('ValidationError', 'Stack:arn is in ROLLBACK_COMPLETE state and can not be updated.'), 'state', 2, /delete a stack in ROLLBACK_COMPLETE/],
    [svc('ValidationError', 'Template format error: bad'), 'validation', 1, /CloudFormation rejected the request/],
    [svc('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_NAMED_IAM]'), 'validation', 1, /capabilities/],
    [svc('InternalFailure', 'boom\nsecond line', 500), 'other', 3, /^AWS error InternalFailure \(HTTP 500\) while doing: boom$/],
  ])('%s', (error, kind, exitCode, message) => {
    const ex = explainAwsError(error, 'doing', 'EP');
    expect(ex.kind).toBe(kind);
    expect(ex.exitCode).toBe(exitCode);
    expect(ex.message).toMatch(message);
    expect(ex.message).not.toContain('\n');
  });
});

describe('targets from the compiled example', () => {
  const result = compile(EXAMPLE, { file: 'innovate.yaml', emitters: [cloudformationEmitter] });

  it('production: the manifest order, regions, capabilities; organization stack excluded', () => {
    const t = stackTargets(result.artifacts, 'production');
    expect(t.map((x) => x.stackName)).toEqual(['security', 'network', 'audit', 'registry', 'cluster', 'karpenter', 'data', 'observability', 'cost', 'dr'].map((s) => `innovate-production-${s}`));
    expect(t.find((x) => x.stackName.endsWith('-dr'))!.region).toBe('us-west-2');
    expect(t.find((x) => x.stackName.endsWith('-data'))!.capabilities).toEqual(['CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND']);
    expect(new Set(t.map((x) => x.accountId))).toEqual(new Set(['200000000002']));
  });

  it('every template fits inline once minified; parameters carry their SSM defaults; protected resources found', () => {
    for (const env of ['production', 'staging']) {
      const t = stackTargets(result.artifacts, env);
      expect(oversized(t)).toEqual([]);
      for (const x of t) expect(x.bodyBytes).toBeLessThanOrEqual(MAX_TEMPLATE_BODY_BYTES);
    }
    const t = stackTargets(result.artifacts, 'staging');
    const data = t.find((x) => x.stackName === 'innovate-staging-data')!;
    expect(data.protectedResources).toContain('DatabaseCluster');
    expect(data.parameters).toContainEqual({ key: 'NetworkIsolatedSubnetIds', value: '/innovate/staging/network/isolated-subnet-ids' });
    expect(t.find((x) => x.stackName === 'innovate-staging-security')!.protectedResources).toContain('DatabaseKey');
    expect(t.find((x) => x.stackName === 'innovate-staging-network')!.protectedResources).toEqual([]);
  });

  it('a stack waits for the earlier stacks that publish what it reads and do not exist yet', () => {
    const t = stackTargets(result.artifacts, 'staging');
    const [security, network] = t;
    const cluster = t.find((x) => x.stackName.endsWith('-cluster'))!;
    expect(blockers(cluster, t.slice(0, 4), new Set([security!.stackName]))).toEqual([{ stackName: security!.stackName, parameter: '/innovate/staging/security/logs-key-arn' }]);
    expect(blockers(cluster, t.slice(0, 4), new Set())).toEqual([]);
    expect(blockers(network!, [security!], new Set([security!.stackName]))).toHaveLength(1);
  });
});
