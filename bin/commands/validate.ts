/**
 * innovate validate: the spec, then the invariant rules over the deployable artifacts compiled
 * in memory, then the budget. The report goes to stdout (`validate > report.txt` keeps it, as
 * with cfn-lint, checkov and eslint); the one-line summary to stderr.
 */
import { Command, Option } from 'commander';
import { compile, DEPLOYABLE_EMITTERS, parseSpec, validateSpec } from '../../src/index.js';
import { hasErrors, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { budgetDiagnostics, estimateModels } from '../../src/cost/index.js';
import type { Context } from '../context.js';
import { exitFor, machineReport, type ReportFormat } from '../output.js';
import { DEFAULT_FILE, summaryLine } from './shared.js';

interface Options {
  format: ReportFormat;
  policies: boolean;
  budget: boolean;
}

async function check(ctx: Context, file: string, opts: Options): Promise<readonly Diagnostic[]> {
  const read = await ctx.readSpec(file);
  if (!read.ok) {
    ctx.exit(read.exitCode);
    return [read.diagnostic];
  }
  // The invariants concern what is deployed; compile checks its other artifacts too.
  const { diagnostics: found, models } = opts.policies
    ? compile(read.text, { file, policies: true, today: ctx.today, emitters: DEPLOYABLE_EMITTERS, output: false })
    : validateSpec(parseSpec(read.text, { file }));
  // The budget check: the estimate of innovate cost against each environment's monthly budget.
  const diagnostics = opts.budget && models.length > 0 && !hasErrors(found) ? [...found, ...budgetDiagnostics(parseSpec(read.text, { file }), estimateModels(models))] : found;
  ctx.exit(exitFor(diagnostics));
  return diagnostics;
}

export function registerValidate(program: Command, ctx: Context): void {
  program
    .command('validate')
    .summary('check specs: schema, cross-field rules and the invariant rules over the compiled output')
    .description('Check specs, compile them in memory and run the invariant rules; report every finding with file:line:column (exit 1 on errors).')
    .argument('[files...]', 'spec files', [DEFAULT_FILE])
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'sarif', 'junit']).default('text'))
    .option('--no-policies', 'check the spec only, without compiling and running the invariant rules')
    .option('--no-budget', 'skip the budget check (INN080: the likely monthly estimate of `innovate cost` above cost.monthlyBudgetUsd)')
    .addHelpText('after', '\nExamples:\n  innovate validate                                  # ./innovate.yaml\n  innovate validate --format sarif > innovate.sarif  # for GitHub code scanning\n  innovate validate a.yaml b.yaml --format junit > report.xml')
    .action(async (files: string[], opts: Options) => {
      ctx.running(opts.format, files);
      const all: Diagnostic[] = [];
      for (const file of files) {
        ctx.running(opts.format, files, file);
        all.push(...(await check(ctx, file, opts)));
      }
      const report = machineReport(all, opts.format, { files, srcRoot: ctx.io.cwd, policies: opts.policies });
      if (report !== undefined) ctx.print().out(report);
      else ctx.report(all, 'out');
      ctx.print().err(summaryLine(ctx, files.length === 1 ? files[0]! : `${files.length} files`, all));
    });
}

