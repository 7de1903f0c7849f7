/** What plan, deploy and drift share: the run context, the AWS call wrapper, the account check. */
import type { Model } from '../compiler/model.js';
import type { AwsApi } from './api.js';
import { changeSetName, EXIT_USAGE } from './decide.js';
import { explainAwsError, type Explained } from './errors.js';
import { MAX_TEMPLATE_BODY_BYTES, stackTags, type StackTarget } from './targets.js';

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
}

export class Stop extends Error {
  constructor(readonly explained: Explained) {
    super(explained.message);
  }
}

/** Runs one AWS call; a failure becomes a Stop carrying its explanation. */
export async function call<T>(ctx: RunContext, doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Stop) throw e;
    throw new Stop(explainAwsError(e, doing, ctx.endpoint));
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

export const tooLarge = (ctx: RunContext): number | undefined => {
  const big = ctx.targets.filter((t) => t.bodyBytes > MAX_TEMPLATE_BODY_BYTES);
  if (big.length === 0) return undefined;
  for (const t of big) ctx.err(`${t.template}: the template is ${t.bodyBytes} bytes minified; CloudFormation accepts at most ${MAX_TEMPLATE_BODY_BYTES} bytes inline (S3 upload is not supported yet)`);
  return EXIT_USAGE;
};

export function changeSetInput(ctx: RunContext, t: StackTarget, type: 'CREATE' | 'UPDATE', name: string) {
  return {
    stackName: t.stackName,
    changeSetName: name,
    changeSetType: type,
    templateBody: t.body,
    parameters: t.parameters,
    capabilities: t.capabilities,
    tags: stackTags(ctx.model),
    description: `innovate ${ctx.model.environment.name}: ${t.template}`,
  } as const;
}

// ---------------------------------------------------------------- plan
