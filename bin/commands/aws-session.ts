/**
 * What plan, deploy and drift share: compiling the spec in memory (CloudFormation emitter only),
 * picking the environment, and opening the AWS session. The AWS SDK is loaded with import() only
 * when one of these commands runs, so validate and compile never pay for it (and need not have
 * it installed: the SDK clients are optional dependencies).
 */
import { Command } from 'commander';
import { compile } from '../../src/pipeline.js';
import { hasErrors, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { cloudformationEmitter } from '../../src/emitters/cloudformation/index.js';
import type { Model } from '../../src/compiler/model.js';
import type { AwsApi } from '../../src/aws/api.js';
import { EXIT_USAGE } from '../../src/aws/decide.js';
import type { RunContext } from '../../src/aws/run.js';
import { stackTargets, type StackTarget } from '../../src/aws/targets.js';
import { DEFAULT_TEMPLATE_PREFIX, TEMPLATE_BUCKET_VARIABLE, templateBucketFrom } from '../../src/aws/templates.js';
import type { SessionOptions } from '../../src/aws/driver.js';
import type { CliIO, Context } from '../context.js';
import { envelope } from '../output.js';
import { DEFAULT_FILE, required, summaryLine, unknownEnvironments } from './shared.js';

/** Optional extras tests (or embedders) can pass along with the CLI's I/O. */
export interface AwsCliIO extends CliIO {
  /** Whether someone can answer a confirmation. @default process.stdin.isTTY */
  readonly interactive?: boolean;
  /** Asks a question; resolves true for yes. @default a prompt on stdin/stderr */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Clock for change set and snapshot names. */
  readonly now?: () => Date;
  /** Replaces the SDK driver (tests). */
  readonly openAws?: (options: SessionOptions) => Promise<AwsApi>;
}

export interface CommonOptions {
  env: string;
  profile?: string;
  endpointUrl?: string;
  /** plan and deploy only. */
  templateBucket?: string;
  templatePrefix?: string;
  templateKmsKey?: string;
}

/** A prepared run: the RunContext for src/aws, and the spec's diagnostics (warnings) for the JSON envelope. */
export interface Prepared {
  readonly run: RunContext;
  readonly diagnostics: readonly Diagnostic[];
}

/** Compiles the spec and picks the environment; undefined (exit code set) when that fails. */
async function load(ctx: Context, file: string, env: string): Promise<{ model: Model; targets: StackTarget[]; diagnostics: readonly Diagnostic[] } | undefined> {
  const text = await ctx.specText(file);
  if (text === undefined) return undefined;
  const result = compile(text, { file, environments: [env], emitters: [cloudformationEmitter] });
  ctx.report(result.diagnostics, 'err');
  if (hasErrors(result.diagnostics)) {
    ctx.print().err(summaryLine(ctx, file, result.diagnostics, '; nothing sent to AWS'));
    ctx.exit(1);
    return undefined;
  }
  const model = result.models.find((m) => m.environment.name === env);
  if (!model) {
    const all = compile(text, { file, emitters: [] }).models.map((m) => m.environment.name);
    ctx.print().err(unknownEnvironments(file, [env], all));
    ctx.exit(EXIT_USAGE);
    return undefined;
  }
  return { model, targets: stackTargets(result.artifacts, env), diagnostics: result.diagnostics };
}

/** The AWS settings innovate takes from environment variables (read here, in bin/, and passed down). */
function sessionOptions(ctx: Context, opts: CommonOptions): SessionOptions {
  const pollSeconds = Number(ctx.env.INNOVATE_AWS_POLL_SECONDS);
  const maxAttempts = Number(ctx.env.AWS_MAX_ATTEMPTS);
  return {
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
    ...(pollSeconds > 0 ? { pollSeconds } : {}),
    ...(maxAttempts > 0 ? { maxAttempts: Math.floor(maxAttempts) } : {}),
  };
}

async function openAws(ctx: Context, options: SessionOptions): Promise<AwsApi> {
  const io = ctx.io as AwsCliIO;
  if (io.openAws) return io.openAws(options);
  // The SDK warns on Node 20 about its releases after January 2027; innovate pins its SDK
  // version exactly, so the warning is not actionable here (set the variable to false to see it).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return (await import('../../src/aws/driver.js')).openSession(options);
}

/**
 * Everything a plan, deploy or drift run needs, or undefined (exit code set). With `--format
 * json` the run's report is held back and printed by `finish` inside the envelope.
 */
export async function prepare(ctx: Context, file: string, opts: CommonOptions, json = false): Promise<(Prepared & { finish(): void }) | undefined> {
  const loaded = await load(ctx, file, opts.env);
  if (!loaded) return undefined;
  const { out, err } = ctx.print();
  let api: AwsApi;
  try {
    api = await openAws(ctx, sessionOptions(ctx, opts));
  } catch (e) {
    err(`innovate: cannot load the AWS SDK: ${(e as Error).message}`);
    ctx.exit(EXIT_USAGE);
    return undefined;
  }
  const io = ctx.io as AwsCliIO;
  const regions = [...new Set(loaded.targets.map((t) => t.region))].join(', ');
  const templateBucket = templateBucketFrom(opts.templateBucket, ctx.env[TEMPLATE_BUCKET_VARIABLE], opts.templatePrefix ?? DEFAULT_TEMPLATE_PREFIX, opts.templateKmsKey);
  let held = '';
  return {
    diagnostics: loaded.diagnostics,
    run: {
      model: loaded.model,
      targets: loaded.targets,
      api,
      out: json ? (s: string) => void (held += s) : out,
      err,
      now: io.now ?? (() => new Date()),
      endpoint: opts.endpointUrl ?? `AWS (${regions})`,
      ...(templateBucket ? { templateBucket } : {}),
    },
    finish: () => {
      if (!json || held === '') return;
      const report = JSON.parse(held) as Record<string, unknown>;
      out(envelope(loaded.diagnostics, report));
    },
  };
}

/** The arguments and options plan, deploy and drift all take. */
export const common = (cmd: Command): Command =>
  cmd
    .argument('[file]', 'spec file', DEFAULT_FILE)
    .requiredOption('--env <name>', required('environment'))
    .option('--profile <name>', 'AWS profile (default: the standard credential chain)')
    .option('--endpoint-url <url>', 'send every AWS request to this endpoint (testing)');

/** plan and deploy: where templates over CloudFormation's inline limit go. */
export const templateOptions = (cmd: Command): Command =>
  cmd
    .option('--template-bucket <name>', `S3 bucket for templates over 51,200 bytes, in the stack's account and region; {region} and {account} are replaced per stack (default: $${TEMPLATE_BUCKET_VARIABLE})`)
    .option('--template-prefix <prefix>', 'key prefix in the template bucket', DEFAULT_TEMPLATE_PREFIX)
    .option('--template-kms-key <key>', "encrypt uploaded templates with this KMS key (id, ARN or alias; default: the bucket's default encryption)");

export const AWS_EXIT_CODES = '\nExit codes: 0 done, 1 findings (changes rejected, a failed deployment, drift), 2 usage (options, the spec, a wrong account or bucket), 3 an AWS call failed (credentials, access, network, throttling).';
