/**
 * innovate cost: the monthly estimate of each environment, before anything is deployed — line
 * items with low / likely / high, the savings the architecture document names, every price with
 * its page and date, and what is left out for want of a price (src/cost). Offline: prices come
 * from the vendored snapshot. `--live` also asks the AWS Price List API and reports where its
 * prices differ from the snapshot (src/cost/live.ts, src/aws/pricing.ts); it never changes the
 * estimate. Its stdout is data, so diagnostics go to stderr.
 * Exit 0 printed, 1 spec errors, 2 usage or I/O problems, 3 a failed --live AWS call.
 */
import { Command, Option } from 'commander';
import { estimate, formatCost, parseAssumeFlags, type CostFormat } from '../../src/cost/index.js';
import { formatLiveText, type LiveReport } from '../../src/cost/live.js';
import type { PriceListApi, PricingOptions } from '../../src/aws/pricing.js';
import type { CliIO, Context } from '../context.js';
import { DEFAULT_FILE, unknownEnvironments } from './shared.js';

/** Optional extras tests (or embedders) can pass along with the CLI's I/O. */
export interface CostCliIO extends CliIO {
  /** Replaces the Price List API client (tests). */
  readonly openPricing?: (options: { profile?: string; endpointUrl?: string }) => Promise<PriceListApi>;
}

interface CostOptions {
  env?: string[];
  assume?: string[];
  format: CostFormat;
  live?: boolean;
  profile?: string;
  endpointUrl?: string;
}

export function registerCost(program: Command, ctx: Context): void {
  program
    .command('cost')
    .summary('estimate the monthly cost of each environment')
    .description('Estimate what each environment will cost per month (low / likely / high), the savings the document names, and the prices used with their sources.')
    .argument('[file]', 'spec file', DEFAULT_FILE)
    .option('--env <name...>', 'only these environments')
    .option('--assume <name=value...>', 'override an assumption: name=value (the likely figure) or name=low..high (see docs/cost.md)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--live', 'also ask the AWS Price List API (needs AWS credentials with pricing:GetProducts) and report where its prices differ from the snapshot; the estimate itself is unchanged')
    .option('--profile <name>', 'AWS profile for --live')
    .option('--endpoint-url <url>', 'Price List API endpoint for --live (an emulator)')
    .addHelpText('after', '\nExamples:\n  innovate cost --env production\n  innovate cost --assume natGbPerMonth=50..400 --format markdown\n  innovate cost --live   # compare the snapshot with the AWS Price List API')
    .action((file: string, opts: CostOptions) => runCost(ctx, file, opts));
}

async function runCost(ctx: Context, file: string, opts: CostOptions): Promise<void> {
  const { err } = ctx.print();
  const { overrides, problems } = parseAssumeFlags(opts.assume ?? []);
  if (problems.length) {
    for (const p of problems) err(`innovate cost: ${p}`);
    ctx.exit(2);
    return;
  }
  if (!opts.live && (opts.profile || opts.endpointUrl)) {
    err('innovate cost: --profile and --endpoint-url are for --live');
    ctx.exit(2);
    return;
  }
  const text = await ctx.specText(file);
  if (text === undefined) return;
  const r = estimate(text, { file, assumptions: overrides, ...(opts.env ? { environments: opts.env } : {}) });
  ctx.report(r.diagnostics, 'err');
  if (!r.estimate) {
    ctx.exit(1);
    return;
  }
  const unknown = (opts.env ?? []).filter((e) => !r.models.some((m) => m.environment.name === e));
  if (unknown.length) {
    err(unknownEnvironments(file, unknown, r.models.map((m) => m.environment.name)));
    ctx.exit(2);
    return;
  }
  if (!opts.live) {
    ctx.io.stdout(formatCost(r.estimate, opts.format));
    return;
  }
  const live = await askLive(ctx, opts, r.estimate);
  if (!live.ok) {
    // The estimate still prints: only the comparison failed.
    ctx.io.stdout(formatCost(r.estimate, opts.format));
    ctx.exit(live.exitCode);
    return;
  }
  const report = live.report;
  if (opts.format === 'json') ctx.io.stdout(`${JSON.stringify({ ...r.estimate, live: report }, null, 2)}\n`);
  else ctx.io.stdout(`${formatCost(r.estimate, opts.format)}\n${opts.format === 'markdown' ? '```\n' : ''}${formatLiveText(report)}${opts.format === 'markdown' ? '```\n' : ''}`);
}

/** Opens the Price List API (loading the SDK only now) and compares; on failure, says why and gives the exit code. */
async function askLive(ctx: Context, opts: CostOptions, est: NonNullable<ReturnType<typeof estimate>['estimate']>): Promise<{ ok: true; report: LiveReport } | { ok: false; exitCode: number }> {
  const { err } = ctx.print();
  const io = ctx.io as CostCliIO;
  const maxAttempts = Number(ctx.env.AWS_MAX_ATTEMPTS);
  const where = { ...(opts.profile ? { profile: opts.profile } : {}), ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}) };
  const options: PricingOptions = { ...where, ...(maxAttempts > 0 ? { maxAttempts: Math.floor(maxAttempts) } : {}) };
  const pricing = await import('../../src/aws/pricing.js');
  let api: PriceListApi;
  try {
    // The SDK warns on Node 20 about its releases after January 2027; not actionable here (see aws-session.ts).
    if (!io.openPricing) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    api = io.openPricing ? await io.openPricing(where) : await pricing.openPricing(options);
  } catch (e) {
    err(`innovate cost --live: cannot load ${pricing.PRICING_SDK} (${String((e as Error).message).split('\n')[0]}); install it next to innovate (npm install ${pricing.PRICING_SDK}) or run without --live`);
    return { ok: false, exitCode: 2 };
  }
  try {
    return { ok: true, report: await pricing.askLivePrices(api, est, ctx.today) };
  } catch (e) {
    const { explainAwsError } = await import('../../src/aws/errors.js');
    const x = explainAwsError(e, 'asking the AWS Price List API (pricing:GetProducts)', `the Price List API in ${pricing.PRICING_REGION}${opts.endpointUrl ? ` (${opts.endpointUrl})` : ''}`);
    err(`innovate cost --live: ${x.message}; the estimate below uses the snapshot only`);
    return { ok: false, exitCode: x.exitCode || 2 };
  }
}
