/**
 * innovate cost: the monthly estimate of each environment, before anything is deployed — line
 * items with low / likely / high, the savings the architecture document names, every price with
 * its page and date, and what is left out for want of a price (src/cost). Offline: prices come
 * from the vendored snapshot. Its stdout is data, so diagnostics go to stderr.
 * Exit 0 printed, 1 spec errors, 2 usage or I/O problems.
 */
import { Command, Option } from 'commander';
import { estimate, formatCost, parseAssumeFlags, type CostFormat } from '../../src/cost/index.js';
import type { Context } from '../context.js';
import { DEFAULT_FILE, unknownEnvironments } from './shared.js';

export function registerCost(program: Command, ctx: Context): void {
  program
    .command('cost')
    .summary('estimate the monthly cost of each environment')
    .description('Estimate what each environment will cost per month (low / likely / high), the savings the document names, and the prices used with their sources.')
    .argument('[file]', 'spec file', DEFAULT_FILE)
    .option('--env <name...>', 'only these environments')
    .option('--assume <name=value...>', 'override an assumption: name=value (the likely figure) or name=low..high (see docs/cost.md)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .addHelpText('after', '\nExamples:\n  innovate cost --env production\n  innovate cost --assume natGbPerMonth=50..400 --format markdown')
    .action(async (file: string, opts: { env?: string[]; assume?: string[]; format: CostFormat }) => {
      const { err } = ctx.print();
      const { overrides, problems } = parseAssumeFlags(opts.assume ?? []);
      if (problems.length) {
        for (const p of problems) err(`innovate cost: ${p}`);
        ctx.exit(2);
        return;
      }
      const read = await ctx.readSpec(file);
      if (!read.ok) {
        ctx.report([read.diagnostic], 'err');
        ctx.exit(read.exitCode);
        return;
      }
      const r = estimate(read.text, { file, assumptions: overrides, ...(opts.env ? { environments: opts.env } : {}) });
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
      ctx.io.stdout(formatCost(r.estimate, opts.format));
    });
}
