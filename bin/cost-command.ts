/**
 * innovate cost: the monthly estimate of each environment, before anything is deployed — line
 * items with low / likely / high, the savings the architecture document names, every price with
 * its page and date, and what is left out for want of a price (src/cost). Offline: prices come
 * from the vendored snapshot. `--live` also asks the AWS Price List API and reports where its
 * prices differ from the snapshot (src/cost/live.ts, src/aws/pricing.ts); it never changes the
 * estimate. Exit 0 printed, 1 spec errors, 2 usage or I/O problems (a failed --live included).
 */
import { Command, Option } from 'commander';
import { formatDiagnostic } from '../src/diagnostics/format.js';
import { estimate, formatCost, parseAssumeFlags, type CostFormat } from '../src/cost/index.js';
import { formatLiveText, type LiveReport } from '../src/cost/live.js';
import type { PriceListApi } from '../src/aws/pricing.js';
import type { CliIO } from './cli.js';
import { readSpecFile } from './io.js';

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

export function registerCostCommand(program: Command, io: CostCliIO, setExitCode: (code: number) => void): void {
  const err = (s: string) => io.stderr(s.endsWith('\n') ? s : `${s}\n`);
  program
    .command('cost')
    .description('Estimate what each environment will cost per month (low / likely / high), the savings the document names, and the prices used with their sources.')
    .argument('[file]', 'spec file', 'innovate.yaml')
    .option('--env <name...>', 'only these environments')
    .option('--assume <name=value...>', 'override an assumption: name=value (the likely figure) or name=low..high (see docs/cost.md)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--live', 'also ask the AWS Price List API (needs AWS credentials with pricing:GetProducts) and report where its prices differ from the snapshot; the estimate itself is unchanged')
    .option('--profile <name>', 'AWS profile for --live')
    .option('--endpoint-url <url>', 'Price List API endpoint for --live (an emulator)')
    .action(async (file: string, opts: CostOptions) => {
      const { overrides, problems } = parseAssumeFlags(opts.assume ?? []);
      if (problems.length) {
        for (const p of problems) err(`innovate cost: ${p}`);
        setExitCode(2);
        return;
      }
      if (!opts.live && (opts.profile || opts.endpointUrl)) {
        err('innovate cost: --profile and --endpoint-url are for --live');
        setExitCode(2);
        return;
      }
      const read = await readSpecFile(io.cwd, file);
      if (!read.ok) {
        err(formatDiagnostic(read.diagnostic));
        setExitCode(read.exitCode);
        return;
      }
      const r = estimate(read.text, { file, assumptions: overrides, ...(opts.env ? { environments: opts.env } : {}) });
      for (const d of r.diagnostics) err(formatDiagnostic(d));
      if (!r.estimate) {
        setExitCode(1);
        return;
      }
      const unknown = (opts.env ?? []).filter((e) => !r.models.some((m) => m.environment.name === e));
      if (unknown.length) {
        err(`${file}: no environment ${unknown.map((e) => `"${e}"`).join(', ')} (have: ${r.models.map((m) => m.environment.name).join(', ')})`);
        setExitCode(2);
        return;
      }
      if (!opts.live) {
        io.stdout(formatCost(r.estimate, opts.format));
        return;
      }
      const live = await askLive(io, opts, r.estimate, err);
      if (!live) {
        // The estimate still prints: only the comparison failed.
        io.stdout(formatCost(r.estimate, opts.format));
        setExitCode(2);
        return;
      }
      if (opts.format === 'json') io.stdout(`${JSON.stringify({ ...r.estimate, live }, null, 2)}\n`);
      else io.stdout(`${formatCost(r.estimate, opts.format)}\n${opts.format === 'markdown' ? '```\n' : ''}${formatLiveText(live)}${opts.format === 'markdown' ? '```\n' : ''}`);
    });
}

/** Opens the Price List API (loading the SDK only now) and compares; undefined after printing why it failed. */
async function askLive(io: CostCliIO, opts: CostOptions, est: NonNullable<ReturnType<typeof estimate>['estimate']>, err: (s: string) => void): Promise<LiveReport | undefined> {
  const options = { ...(opts.profile ? { profile: opts.profile } : {}), ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}) };
  const pricing = await import('../src/aws/pricing.js');
  let api: PriceListApi;
  try {
    api = io.openPricing ? await io.openPricing(options) : await pricing.openPricing(options);
  } catch (e) {
    err(`innovate cost --live: cannot load ${pricing.PRICING_SDK} (${String((e as Error).message).split('\n')[0]}); install it next to innovate (npm install ${pricing.PRICING_SDK}) or run without --live`);
    return undefined;
  }
  try {
    return await pricing.askLivePrices(api, est, io.today ?? new Date().toISOString().slice(0, 10));
  } catch (e) {
    const { explainAwsError } = await import('../src/aws/errors.js');
    const x = explainAwsError(e, 'asking the AWS Price List API (pricing:GetProducts)', `the Price List API in ${pricing.PRICING_REGION}${opts.endpointUrl ? ` (${opts.endpointUrl})` : ''}`);
    err(`innovate cost --live: ${x.message}; the estimate below uses the snapshot only`);
    return undefined;
  }
}
