/** What plan, deploy and drift share: the run context, the AWS call wrapper, the account check. */
import type { Model } from '../compiler/model.js';
import type { AwsApi, CreateChangeSetInput, TemplateSource } from './api.js';
import { EXIT_USAGE } from './decide.js';
import { explainAwsError, type Explained, type UploadContext } from './errors.js';
import { externalInputs, judge, type InputCheck, type Lookup } from './inputs.js';
import { stackTags, type StackTarget } from './targets.js';
import { planDeliveries, type TemplateBucket, type TemplateDelivery } from './templates.js';

export interface RunContext {
  readonly model: Model;
  /** The environment's stacks in deploy order. */
  readonly targets: readonly StackTarget[];
  readonly api: AwsApi;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly now: () => Date;
  /** Where requests go, for network failure messages: "AWS (us-east-1)" or the --endpoint-url. */
  readonly endpoint: string;
  /** Where templates over 51,200 bytes are uploaded (--template-bucket, INNOVATE_TEMPLATE_BUCKET); none by default. */
  readonly templateBucket?: TemplateBucket;
}

export class Stop extends Error {
  constructor(readonly explained: Explained) {
    super(explained.message);
  }
}

/** Runs one AWS call; a failure becomes a Stop carrying its explanation. */
export async function call<T>(ctx: RunContext, doing: string, fn: () => Promise<T>, upload?: UploadContext): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Stop) throw e;
    throw new Stop(explainAwsError(e, doing, ctx.endpoint, upload));
  }
}

/** The caller must be in the environment's account: refuse anything else before touching a stack. */
export async function checkAccount(ctx: RunContext): Promise<{ ok: true; arn: string } | { ok: false; code: number }> {
  const env = ctx.model.environment;
  try {
    const id = await call(ctx, 'checking the caller identity (sts:GetCallerIdentity)', () => ctx.api.callerIdentity(env.region));
    const accounts = new Set([env.accountId, ...ctx.targets.map((t) => t.accountId)]);
    if (!accounts.has(id.account) || accounts.size !== 1) {
      ctx.err(`refusing: the credentials belong to account ${id.account} (${id.arn}), but environment ${env.name} is account ${env.accountId}; use --profile with credentials for ${env.accountId}`);
      return { ok: false, code: EXIT_USAGE };
    }
    return { ok: true, arn: id.arn };
  } catch (e) {
    ctx.err((e as Stop).explained.message);
    return { ok: false, code: (e as Stop).explained.exitCode };
  }
}

/**
 * Looks up every external input of the environment (roles, hosted zone, explicit image tags) and
 * judges it. A lookup that fails (permissions, network) becomes an `error` check carrying the
 * explanation and its exit code; later lookups still run unless the failure is fatal.
 */
export async function checkInputs(ctx: RunContext): Promise<{ checks: InputCheck[]; errorCode: number }> {
  const account = ctx.model.environment.accountId;
  const checks: InputCheck[] = [];
  let errorCode = 0;
  let stopped = false;
  for (const input of externalInputs(ctx.model)) {
    if (stopped) {
      checks.push({ input, verdict: 'error', blocking: true, reason: 'not checked (stopped after an earlier error)' });
      continue;
    }
    try {
      let lookup: Lookup;
      if (input.kind === 'role') lookup = { kind: 'role', exists: await call(ctx, `checking role ${input.roleName} (iam:GetRole)`, () => ctx.api.roleExists(input.roleName)) };
      else if (input.kind === 'zone') lookup = { kind: 'zone', zone: await call(ctx, `checking hosted zone ${input.zoneId} (route53:GetHostedZone)`, () => ctx.api.hostedZone(input.zoneId)) };
      else lookup = { kind: 'image', state: await call(ctx, `checking image ${input.repositoryName}:${input.tag} (ecr:DescribeImages)`, () => ctx.api.imageTag(input.region, input.repositoryName, input.tag)) };
      checks.push(judge(input, lookup, account));
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      checks.push({ input, verdict: 'error', blocking: true, reason: e.explained.message });
      errorCode = Math.max(errorCode, e.explained.exitCode);
      if (e.explained.fatal && e.explained.kind !== 'access') stopped = true;
    }
  }
  return { checks, errorCode };
}

/**
 * How each stack's template will be sent (inline, or through the template bucket), decided before
 * any AWS call; an exit code when a template cannot be sent (too large without a bucket, over 1 MB,
 * an unusable bucket name or prefix), each reason on stderr.
 */
export function templateDeliveries(ctx: RunContext): Map<string, TemplateDelivery> | number {
  const { deliveries, problems } = planDeliveries(ctx.targets, ctx.templateBucket);
  if (problems.length === 0) return deliveries;
  for (const p of problems) ctx.err(p);
  return EXIT_USAGE;
}

/** The template of one stack's requests: inline, or uploaded to the template bucket first (once). */
export async function sendTemplate(ctx: RunContext, t: StackTarget, d: TemplateDelivery): Promise<TemplateSource> {
  if (d.via === 'inline') return { templateBody: t.body };
  await call(ctx, `uploading ${t.template} to s3://${d.bucket}/${d.key} (s3:PutObject)`, () => ctx.api.putTemplate(t.region, { bucket: d.bucket, key: d.key, body: t.body, expectedOwner: d.expectedOwner, ...(d.kmsKeyId ? { kmsKeyId: d.kmsKeyId } : {}) }), {
    bucket: d.bucket,
    key: d.key,
    region: t.region,
    account: d.expectedOwner,
  });
  return { templateUrl: d.url };
}

export function changeSetInput(ctx: RunContext, t: StackTarget, type: 'CREATE' | 'UPDATE', name: string, template: TemplateSource): CreateChangeSetInput {
  return {
    ...template,
    stackName: t.stackName,
    changeSetName: name,
    changeSetType: type,
    parameters: t.parameters,
    capabilities: t.capabilities,
    tags: stackTags(ctx.model),
    description: `innovate ${ctx.model.environment.name}: ${t.template}`,
  };
}
