/**
 * The AwsApi over the AWS SDK for JavaScript v3. This is the only module that loads the SDK, and
 * it does so with dynamic import() inside openSession: the CLI bundle keeps @aws-sdk/* external,
 * and a static import here would be hoisted to the top of the bundle and make every command
 * (validate, compile) pay for it.
 *
 * Clients: the standard credential chain (or --profile), adaptive retry mode (throttling is
 * retried with client-side rate limiting), one client per service and region, and every client
 * pointed at --endpoint-url when given (S3 then in path style: an emulator's host name has no
 * bucket subdomains). The S3 client loads only when a template is too large to send inline; the
 * IAM, Route 53 and ECR clients only when the spec names an external input of theirs (an existing
 * team role, a hosted zone, an explicit image tag). IAM and Route 53 are global services whose
 * API endpoints are in us-east-1, so their clients use that region whatever the stacks' region.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { loadOptional } from '../util/optional.js';
import type { AwsApi, ChangeSetInfo, CreateChangeSetInput, DriftDetectionInfo, ResourceChangeInfo, ResourceDriftInfo, StackEventInfo, StackInfo } from './api.js';

export interface SessionOptions {
  readonly profile?: string;
  readonly endpointUrl?: string;
  /** Seconds between polls of long operations (change sets, stack operations, snapshots, drift). @default 5 */
  readonly pollSeconds?: number;
  /** Upper bound of any single wait, in seconds. @default 3600 */
  readonly maxWaitSeconds?: number;
  /** Attempts per request, including retries (the CLI passes AWS_MAX_ATTEMPTS). @default 8 */
  readonly maxAttempts?: number;
}

type CfnModule = typeof import('@aws-sdk/client-cloudformation');
type StsModule = typeof import('@aws-sdk/client-sts');
type RdsModule = typeof import('@aws-sdk/client-rds');
type S3Module = typeof import('@aws-sdk/client-s3');
type IamModule = typeof import('@aws-sdk/client-iam');
type Route53Module = typeof import('@aws-sdk/client-route-53');
type EcrModule = typeof import('@aws-sdk/client-ecr');

/** IAM and Route 53 are global services: their API endpoints live in us-east-1. */
const GLOBAL_REGION = 'us-east-1';
const errorName = (e: unknown) => (e as { name?: string }).name ?? '';

const isMissingStack = (e: unknown) => (e as { name?: string }).name === 'ValidationError' && /does not exist/i.test((e as Error).message);

export async function openSession(options: SessionOptions = {}): Promise<AwsApi> {
  const cfn: CfnModule = await loadOptional('@aws-sdk/client-cloudformation', () => import('@aws-sdk/client-cloudformation'));
  let sts: StsModule | undefined;
  let rds: RdsModule | undefined;
  let s3: S3Module | undefined;
  let iam: { module: IamModule; client: IAMClient } | undefined;
  let route53: { module: Route53Module; client: Route53Client } | undefined;
  let ecr: EcrModule | undefined;
  const ecrClients = new Map<string, ECRClient>();
  const poll = options.pollSeconds ?? 5;
  const maxWait = options.maxWaitSeconds ?? 3600;
  const waiter = { minDelay: poll, maxDelay: Math.max(poll, poll * 4), maxWaitTime: maxWait };
  const config = (region: string) => ({
    region,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 8,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
  });

  const cfnClients = new Map<string, CloudFormationClient>();
  const stsClients = new Map<string, STSClient>();
  const rdsClients = new Map<string, RDSClient>();
  const s3Clients = new Map<string, S3Client>();
  const cf = (region: string) => {
    let c = cfnClients.get(region);
    if (!c) cfnClients.set(region, (c = new cfn.CloudFormationClient(config(region))));
    return c;
  };
  const pause = () => new Promise<void>((r) => setTimeout(r, poll * 1000));

  const describeChangeSet = async (region: string, stackName: string, changeSetName: string): Promise<ChangeSetInfo> => {
    const changes: ResourceChangeInfo[] = [];
    let first: { ChangeSetId?: string; Status?: string; StatusReason?: string; ExecutionStatus?: string } | undefined;
    for await (const page of cfn.paginateDescribeChangeSet({ client: cf(region) }, { StackName: stackName, ChangeSetName: changeSetName })) {
      first ??= page;
      for (const c of page.Changes ?? []) {
        const rc = c.ResourceChange;
        if (!rc) continue;
        changes.push({
          action: rc.Action ?? 'Dynamic',
          logicalId: rc.LogicalResourceId ?? '?',
          type: rc.ResourceType ?? '?',
          ...(rc.PhysicalResourceId ? { physicalId: rc.PhysicalResourceId } : {}),
          ...(rc.Replacement ? { replacement: rc.Replacement } : {}),
          properties: [...new Set((rc.Details ?? []).map((d) => d.Target?.Name).filter((n): n is string => !!n))].sort(),
        });
      }
    }
    return {
      changeSetId: first?.ChangeSetId ?? changeSetName,
      status: first?.Status ?? 'UNKNOWN',
      ...(first?.StatusReason ? { statusReason: first.StatusReason } : {}),
      ...(first?.ExecutionStatus ? { executionStatus: first.ExecutionStatus } : {}),
      changes,
    };
  };

  const api: AwsApi = {
    async callerIdentity(region) {
      sts ??= await loadOptional('@aws-sdk/client-sts', () => import('@aws-sdk/client-sts'));
      let c = stsClients.get(region);
      if (!c) stsClients.set(region, (c = new sts.STSClient(config(region))));
      const r = await c.send(new sts.GetCallerIdentityCommand({}));
      return { account: r.Account ?? '', arn: r.Arn ?? '' };
    },

    async describeStack(region, stackName): Promise<StackInfo | undefined> {
      try {
        const r = await cf(region).send(new cfn.DescribeStacksCommand({ StackName: stackName }));
        const s = r.Stacks?.[0];
        if (!s) return undefined;
        return {
          stackName: s.StackName ?? stackName,
          stackId: s.StackId ?? '',
          status: s.StackStatus ?? 'UNKNOWN',
          ...(s.StackStatusReason ? { statusReason: s.StackStatusReason } : {}),
          terminationProtection: s.EnableTerminationProtection === true,
        };
      } catch (e) {
        if (isMissingStack(e)) return undefined;
        throw e;
      }
    },

    async validateTemplate(region, template) {
      await cf(region).send(new cfn.ValidateTemplateCommand(template.templateUrl !== undefined ? { TemplateURL: template.templateUrl } : { TemplateBody: template.templateBody }));
    },

    async putTemplate(region, input) {
      s3 ??= await loadOptional('@aws-sdk/client-s3', () => import('@aws-sdk/client-s3'));
      let c = s3Clients.get(region);
      if (!c) s3Clients.set(region, (c = new s3.S3Client({ ...config(region), ...(options.endpointUrl ? { forcePathStyle: true } : {}) })));
      await c.send(
        new s3.PutObjectCommand({
          Bucket: input.bucket,
          Key: input.key,
          Body: input.body,
          ContentType: 'application/json',
          // With --template-kms-key, SSE-KMS with that key. Without it no encryption header: the
          // bucket's default encryption applies (a bare aws:kms header would pick the AWS managed
          // key aws/s3 even when the bucket's default names a customer managed key; see docs/aws.md).
          ...(input.kmsKeyId ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: input.kmsKeyId } : {}),
          // S3 answers 403 when the bucket belongs to another account: never upload there.
          ExpectedBucketOwner: input.expectedOwner,
        }),
      );
    },

    async createChangeSet(region, input: CreateChangeSetInput) {
      await cf(region).send(
        new cfn.CreateChangeSetCommand({
          StackName: input.stackName,
          ChangeSetName: input.changeSetName,
          ChangeSetType: input.changeSetType,
          ...(input.templateUrl !== undefined ? { TemplateURL: input.templateUrl } : { TemplateBody: input.templateBody }),
          Parameters: input.parameters.map((p) => ({ ParameterKey: p.key, ParameterValue: p.value })),
          Capabilities: [...input.capabilities] as never,
          Tags: input.tags.map((t) => ({ Key: t.key, Value: t.value })),
          Description: input.description.slice(0, 1024),
        }),
      );
      try {
        await cfn.waitUntilChangeSetCreateComplete({ client: cf(region), ...waiter }, { StackName: input.stackName, ChangeSetName: input.changeSetName });
      } catch {
        // FAILED (including "no changes") or a timeout: the description below says which, and a
        // service error (permissions, throttling) surfaces from it as itself.
      }
      const info = await describeChangeSet(region, input.stackName, input.changeSetName);
      if (info.status !== 'CREATE_COMPLETE' && info.status !== 'FAILED') {
        throw Object.assign(new Error(`the change set ${input.changeSetName} was still ${info.status} after ${maxWait} s`), { name: 'ChangeSetTimeout' });
      }
      return info;
    },

    async deleteChangeSet(region, stackName, changeSetName) {
      await cf(region).send(new cfn.DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
    },

    async executeChangeSet(region, stackName, changeSetName) {
      await cf(region).send(new cfn.ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
    },

    async latestEventId(region, stackName) {
      const r = await cf(region).send(new cfn.DescribeStackEventsCommand({ StackName: stackName }));
      return r.StackEvents?.[0]?.EventId;
    },

    async eventsSince(region, stackName, afterEventId): Promise<StackEventInfo[]> {
      const fresh: StackEventInfo[] = [];
      // Newest first: read pages until the last event already seen.
      outer: for await (const page of cfn.paginateDescribeStackEvents({ client: cf(region) }, { StackName: stackName })) {
        for (const e of page.StackEvents ?? []) {
          if (afterEventId && e.EventId === afterEventId) break outer;
          fresh.push({
            eventId: e.EventId ?? '',
            timestamp: e.Timestamp ?? new Date(0),
            logicalId: e.LogicalResourceId ?? '',
            type: e.ResourceType ?? '',
            status: e.ResourceStatus ?? '',
            ...(e.ResourceStatusReason ? { reason: e.ResourceStatusReason } : {}),
          });
        }
      }
      return fresh.reverse();
    },

    async setStackPolicy(region, stackName, policy) {
      await cf(region).send(new cfn.SetStackPolicyCommand({ StackName: stackName, StackPolicyBody: policy }));
    },

    async enableTerminationProtection(region, stackName) {
      await cf(region).send(new cfn.UpdateTerminationProtectionCommand({ StackName: stackName, EnableTerminationProtection: true }));
    },

    async snapshotCluster(region, clusterIdentifier, snapshotIdentifier, tags) {
      rds ??= await loadOptional('@aws-sdk/client-rds', () => import('@aws-sdk/client-rds'));
      let c = rdsClients.get(region);
      if (!c) rdsClients.set(region, (c = new rds.RDSClient(config(region))));
      await c.send(
        new rds.CreateDBClusterSnapshotCommand({
          DBClusterIdentifier: clusterIdentifier,
          DBClusterSnapshotIdentifier: snapshotIdentifier,
          Tags: tags.map((t) => ({ Key: t.key, Value: t.value })),
        }),
      );
      try {
        await rds.waitUntilDBClusterSnapshotAvailable({ client: c, ...waiter }, { DBClusterSnapshotIdentifier: snapshotIdentifier });
      } catch (e) {
        // The waiter's own failures (the snapshot failed, or the wait timed out) come as JSON
        // dumps; ask once more to say it in one line, and let service errors surface as they are.
        const r = await c.send(new rds.DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: snapshotIdentifier }));
        const status = r.DBClusterSnapshots?.[0]?.Status ?? 'missing';
        if (status === 'available') return;
        throw Object.assign(new Error(`snapshot ${snapshotIdentifier} is ${status}${(e as Error).name === 'TimeoutError' ? ` after ${maxWait} s` : ''}, not available; nothing was executed`), { name: 'SnapshotNotAvailable' });
      }
    },

    async detectDrift(region, stackName): Promise<DriftDetectionInfo> {
      const started = await cf(region).send(new cfn.DetectStackDriftCommand({ StackName: stackName }));
      const id = started.StackDriftDetectionId!;
      const until = Date.now() + maxWait * 1000;
      for (;;) {
        const s = await cf(region).send(new cfn.DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: id }));
        if (s.DetectionStatus !== 'DETECTION_IN_PROGRESS') {
          return {
            detectionStatus: s.DetectionStatus ?? 'UNKNOWN',
            ...(s.DetectionStatusReason ? { reason: s.DetectionStatusReason } : {}),
            ...(s.StackDriftStatus ? { driftStatus: s.StackDriftStatus } : {}),
            driftedCount: s.DriftedStackResourceCount ?? 0,
          };
        }
        if (Date.now() > until) throw Object.assign(new Error(`drift detection on ${stackName} was still running after ${maxWait} s`), { name: 'DriftTimeout' });
        await pause();
      }
    },

    async resourceDrifts(region, stackName): Promise<ResourceDriftInfo[]> {
      const out: ResourceDriftInfo[] = [];
      for await (const page of cfn.paginateDescribeStackResourceDrifts({ client: cf(region) }, { StackName: stackName, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'] })) {
        for (const d of page.StackResourceDrifts ?? []) {
          out.push({
            logicalId: d.LogicalResourceId ?? '?',
            ...(d.PhysicalResourceId ? { physicalId: d.PhysicalResourceId } : {}),
            type: d.ResourceType ?? '?',
            status: d.StackResourceDriftStatus ?? 'UNKNOWN',
            differences: (d.PropertyDifferences ?? []).map((p) => ({ path: p.PropertyPath ?? '', expected: p.ExpectedValue ?? '', actual: p.ActualValue ?? '', type: p.DifferenceType ?? '' })),
          });
        }
      }
      return out.sort((a, b) => (a.logicalId < b.logicalId ? -1 : a.logicalId > b.logicalId ? 1 : 0));
    },

    async roleExists(roleName) {
      if (!iam) {
        const module: IamModule = await loadOptional('@aws-sdk/client-iam', () => import('@aws-sdk/client-iam'));
        iam = { module, client: new module.IAMClient(config(GLOBAL_REGION)) };
      }
      try {
        await iam.client.send(new iam.module.GetRoleCommand({ RoleName: roleName }));
        return true;
      } catch (e) {
        if (errorName(e) === 'NoSuchEntityException' || errorName(e) === 'NoSuchEntity') return false;
        throw e;
      }
    },

    async hostedZone(zoneId) {
      if (!route53) {
        const module: Route53Module = await loadOptional('@aws-sdk/client-route-53', () => import('@aws-sdk/client-route-53'));
        route53 = { module, client: new module.Route53Client(config(GLOBAL_REGION)) };
      }
      try {
        const r = await route53.client.send(new route53.module.GetHostedZoneCommand({ Id: zoneId }));
        return { name: r.HostedZone?.Name ?? '', privateZone: r.HostedZone?.Config?.PrivateZone === true };
      } catch (e) {
        if (errorName(e) === 'NoSuchHostedZone') return 'missing';
        // Another account's zone: "User: ... is not authorized to access this resource". A missing
        // permission says "is not authorized to perform: route53:GetHostedZone" and stays an error.
        if (errorName(e) === 'AccessDenied' && /not authorized to access this resource/i.test((e as Error).message ?? '')) return 'not-visible';
        throw e;
      }
    },

    async imageTag(region, repositoryName, tag) {
      ecr ??= await loadOptional('@aws-sdk/client-ecr', () => import('@aws-sdk/client-ecr'));
      let c = ecrClients.get(region);
      if (!c) ecrClients.set(region, (c = new ecr.ECRClient(config(region))));
      try {
        const r = await c.send(new ecr.DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }));
        return (r.imageDetails ?? []).length > 0 ? 'present' : 'no-image';
      } catch (e) {
        if (errorName(e) === 'ImageNotFoundException') return 'no-image';
        if (errorName(e) === 'RepositoryNotFoundException') return 'no-repository';
        throw e;
      }
    },

    pause,
  };
  return api;
}
