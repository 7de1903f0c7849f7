/**
 * innovate cost: the monthly estimate of each environment, before anything is deployed — line
 * items with low / likely / high, the savings the architecture document names, every price with
 * its page and date, and what is left out for want of a price (src/cost). Offline: prices come
 * from the vendored snapshot. Exit 0 printed, 1 spec errors, 2 usage or I/O problems.
 */
import { Command, Option } from 'commander';
import { formatDiagnostic } from '../src/diagnostics/format.js';
import { estimate, formatCost, parseAssumeFlags, type CostFormat } from '../src/cost/index.js';
import type { CliIO } from './cli.js';
import { readSpecFile } from './io.js';

export function registerCostCommand(program: Command, io: CliIO, setExitCode: (code: number) => void): void {
  const err = (s: string) => io.stderr(s.endsWith('\n') ? s : `${s}\n`);
  program
    .command('cost')
    .description('Estimate what each environment will cost per month (low / likely / high), the savings the document names, and the prices used with their sources.')
    .argument('[file]', 'spec file', 'innovate.yaml')
    .option('--env <name...>', 'only these environments')
    .option('--assume <name=value...>', 'override an assumption: name=value (the likely figure) or name=low..high (see docs/cost.md)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .action(async (file: string, opts: { env?: string[]; assume?: string[]; format: CostFormat }) => {
      const { overrides, problems } = parseAssumeFlags(opts.assume ?? []);
      if (problems.length) {
        for (const p of problems) err(`innovate cost: ${p}`);
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
      io.stdout(formatCost(r.estimate, opts.format));
    });
}
