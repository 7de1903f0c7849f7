/** innovate drift: drift detection on every stack of the environment (exit 1 when anything drifted). */
import { Command, Option } from 'commander';
import type { Context } from '../context.js';
import { AWS_EXIT_CODES, common, prepare, type CommonOptions } from './aws-session.js';

export function registerDrift(program: Command, ctx: Context): void {
  common(program.command('drift').summary('detect drift on every stack of an environment').description('Detect drift on every stack of the environment and report property differences (exit 1 when anything drifted).'))
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `\nExamples:\n  innovate drift --env production\n${AWS_EXIT_CODES}`)
    .action(async (file: string, opts: CommonOptions & { format: 'text' | 'json' }) => {
      const prepared = await prepare(ctx, file, opts, opts.format === 'json');
      if (!prepared) return;
      const { runDrift } = await import('../../src/aws/run.js');
      ctx.exit(await runDrift(prepared.run, { format: opts.format }));
      prepared.finish();
    });
}
