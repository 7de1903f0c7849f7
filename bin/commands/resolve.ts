/**
 * innovate resolve: the merged, fully defaulted model of one environment, what the emitters see.
 * Its stdout is data (the promotion workflow pipes `--format json` into jq), so it stays the
 * bare model; diagnostics go to stderr.
 */
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { canonical } from '../../src/emitters/serialize.js';
import type { Context } from '../context.js';
import { DEFAULT_FILE, environmentModel, required } from './shared.js';

export function registerResolve(program: Command, ctx: Context): void {
  program
    .command('resolve')
    .summary('print the fully defaulted model of one environment')
    .description('Print the merged, fully defaulted model of one environment: what the emitters see.')
    .argument('[file]', 'spec file', DEFAULT_FILE)
    .requiredOption('--env <name>', required('environment'))
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .addHelpText('after', '\nExamples:\n  innovate resolve --env staging\n  innovate resolve --env production --format json | jq .workloads')
    .action(async (file: string, opts: { env: string; format: string }) => {
      const found = await environmentModel(ctx, file, opts.env);
      if (!found) return;
      const { model } = found;
      const { out } = ctx.print();
      out(opts.format === 'json' ? JSON.stringify(canonical(model), null, 2) : stringify(canonical(model), { lineWidth: 0, aliasDuplicateObjects: false }));
    });
}
