/**
 * innovate plan / deploy / drift: the CLI side of the AWS integration. The spec is compiled in
 * memory (CloudFormation emitter only); the AWS SDK is loaded with import() only when one of
 * these commands runs, so validate and compile never pay for it.
 */
import { Command, Option } from 'commander';
import { compile } from '../src/pipeline.js';
import { hasErrors } from '../src/diagnostics/diagnostic.js';
import { formatDiagnostic, formatSummary } from '../src/diagnostics/format.js';
import { cloudformationEmitter } from '../src/emitters/cloudformation/index.js';
import type { Model } from '../src/compiler/model.js';
import type { AwsApi } from '../src/aws/api.js';
import { EXIT_USAGE } from '../src/aws/decide.js';
import type { RunContext } from '../src/aws/run.js';
import { stackTargets, type StackTarget } from '../src/aws/targets.js';
import { DEFAULT_TEMPLATE_PREFIX, TEMPLATE_BUCKET_VARIABLE, templateBucketFrom } from '../src/aws/templates.js';
import type { CliIO } from './cli.js';
import { readSpecFile } from './io.js';

/** Optional extras tests (or embedders) can pass along with the CLI's I/O. */
export interface AwsCliIO extends CliIO {
  /** Whether someone can answer a confirmation. @default process.stdin.isTTY */
  readonly interactive?: boolean;
  /** Asks a question; resolves true for yes. @default a prompt on stdin/stderr */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Clock for change set and snapshot names. */
  readonly now?: () => Date;
  /** Replaces the SDK driver (tests). */
  readonly openAws?: (options: { profile?: string; endpointUrl?: string; pollSeconds?: number }) => Promise<AwsApi>;
}

interface CommonOptions {
  env: string;
  profile?: string;
  endpointUrl?: string;
  /** plan and deploy only. */
  templateBucket?: string;
  templatePrefix?: string;
  templateKmsKey?: string;
}

const DEFAULT_FILE = 'innovate.yaml';

async function promptYes(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const controller = new AbortController();
  rl.on('SIGINT', () => controller.abort()); // Ctrl-C at the prompt is a "no"
  try {
    const answer = await rl.question(question, { signal: controller.signal });
    return /^(y|yes)$/i.test(answer.trim());
  } catch {
    return false;
  } finally {
    rl.close();
  }
}

export function registerAwsCommands(program: Command, cliIO: CliIO, setExitCode: (code: number) => void): void {
  const io = cliIO as AwsCliIO;
  const out = (s: string) => io.stdout(s.endsWith('\n') ? s : `${s}\n`);
  const err = (s: string) => io.stderr(s.endsWith('\n') ? s : `${s}\n`);

  /** Compiles the spec and picks the environment; undefined (exit code set) when that fails. */
  async function load(file: string, env: string): Promise<{ model: Model; targets: StackTarget[] } | undefined> {
    const read = await readSpecFile(io.cwd, file);
    if (!read.ok) {
      err(formatDiagnostic(read.diagnostic));
      setExitCode(read.exitCode);
      return undefined;
    }
    const result = compile(read.text, { file, environments: [env], emitters: [cloudformationEmitter] });
    for (const d of result.diagnostics) err(formatDiagnostic(d));
    if (hasErrors(result.diagnostics)) {
      err(`${file}: ${formatSummary(result.diagnostics)}; nothing sent to AWS`);
      setExitCode(1);
      return undefined;
    }
    const model = result.models.find((m) => m.environment.name === env);
    if (!model) {
      const all = compile(read.text, { file, emitters: [] }).models.map((m) => m.environment.name);
      err(`${file}: no environment "${env}" (have: ${all.join(', ')})`);
      setExitCode(EXIT_USAGE);
      return undefined;
    }
    return { model, targets: stackTargets(result.artifacts, env) };
  }

  async function context(file: string, opts: CommonOptions): Promise<RunContext | undefined> {
    const loaded = await load(file, opts.env);
    if (!loaded) return undefined;
    const pollSeconds = Number(process.env.INNOVATE_AWS_POLL_SECONDS);
    const sessionOptions = {
      ...(opts.profile ? { profile: opts.profile } : {}),
      ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
      ...(pollSeconds > 0 ? { pollSeconds } : {}),
    };
    let api: AwsApi;
    try {
      // The only place the SDK gets loaded.
      api = io.openAws ? await io.openAws(sessionOptions) : await (await import('../src/aws/driver.js')).openSession(sessionOptions);
    } catch (e) {
      err(`innovate: cannot load the AWS SDK (${(e as Error).message}); reinstall innovate with its dependencies`);
      setExitCode(EXIT_USAGE);
      return undefined;
    }
    const regions = [...new Set(loaded.targets.map((t) => t.region))].join(', ');
    const templateBucket = templateBucketFrom(opts.templateBucket, process.env[TEMPLATE_BUCKET_VARIABLE], opts.templatePrefix ?? DEFAULT_TEMPLATE_PREFIX, opts.templateKmsKey);
    return {
      model: loaded.model,
      targets: loaded.targets,
      api,
      out,
      err,
      now: io.now ?? (() => new Date()),
      endpoint: opts.endpointUrl ?? `AWS (${regions})`,
      ...(templateBucket ? { templateBucket } : {}),
    };
  }

  const common = (cmd: Command) =>
    cmd
      .argument('[file]', 'spec file', DEFAULT_FILE)
      .requiredOption('--env <name>', 'environment')
      .option('--profile <name>', 'AWS profile (default: the standard credential chain)')
      .option('--endpoint-url <url>', 'send every AWS request to this endpoint (testing)');
  const format = () => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');
  const templateOptions = (cmd: Command) =>
    cmd
      .option('--template-bucket <name>', `S3 bucket for templates over 51,200 bytes, in the stack's account and region; {region} and {account} are replaced per stack (default: $${TEMPLATE_BUCKET_VARIABLE})`)
      .option('--template-prefix <prefix>', 'key prefix in the template bucket', DEFAULT_TEMPLATE_PREFIX)
      .option('--template-kms-key <key>', "encrypt uploaded templates with this KMS key (id, ARN or alias; default: the bucket's default encryption)");

  templateOptions(common(program.command('plan').description('Show what deploy would change: one change set per stack of the environment, in deploy order (nothing is changed).')))
    .addOption(format())
    .option('--keep', 'keep the change sets (default: delete them)')
    .action(async (file: string, opts: CommonOptions & { format: 'text' | 'json'; keep?: boolean }) => {
      const ctx = await context(file, opts);
      if (!ctx) return;
      const { runPlan } = await import('../src/aws/run.js');
      setExitCode(await runPlan(ctx, { keep: !!opts.keep, format: opts.format }));
    });

  templateOptions(common(program.command('deploy').description('Create and execute change sets stack by stack, streaming events; stops at the first failure.')))
    .option('--approve', 'deploy a production environment without asking')
    .option('--no-snapshot', 'do not take a manual database cluster snapshot before changing the cluster')
    .action(async (file: string, opts: CommonOptions & { approve?: boolean; snapshot: boolean }) => {
      const ctx = await context(file, opts);
      if (!ctx) return;
      const { runDeploy } = await import('../src/aws/run.js');
      // Ctrl-C stops innovate, not CloudFormation: say so instead of dying silently mid-stack.
      const onInterrupt = () => {
        err('innovate: interrupted; a stack operation already started goes on in CloudFormation on its own. Check it with aws cloudformation describe-stacks, then run innovate deploy again.');
        process.exit(130);
      };
      process.once('SIGINT', onInterrupt);
      try {
        setExitCode(
          await runDeploy(ctx, {
            approve: !!opts.approve,
            snapshot: opts.snapshot !== false,
            interactive: io.interactive ?? process.stdin.isTTY === true,
            confirm: io.confirm ?? promptYes,
          }),
        );
      } finally {
        process.removeListener('SIGINT', onInterrupt);
      }
    });

  common(program.command('drift').description('Detect drift on every stack of the environment and report property differences (exit 1 when anything drifted).'))
    .addOption(format())
    .action(async (file: string, opts: CommonOptions & { format: 'text' | 'json' }) => {
      const ctx = await context(file, opts);
      if (!ctx) return;
      const { runDrift } = await import('../src/aws/run.js');
      setExitCode(await runDrift(ctx, { format: opts.format }));
    });
}
