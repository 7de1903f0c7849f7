/** innovate plan: one change set per stack of the environment, in deploy order; nothing is changed. */
import { Command, Option } from 'commander';
import type { Context } from '../context.js';
import { AWS_EXIT_CODES, common, prepare, templateOptions, type CommonOptions } from './aws-session.js';

export function registerPlan(program: Command, ctx: Context): void {
  templateOptions(common(program.command('plan').summary('show what deploy would change (change sets; nothing is changed)').description('Show what deploy would change: one change set per stack of the environment, in deploy order (nothing is changed).')))
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json']).default('text'))
    .option('--keep', 'keep the change sets (default: delete them)')
    .addHelpText('after', `\nExamples:\n  innovate plan --env staging\n  innovate plan --env production --format json > plan.json\n${AWS_EXIT_CODES}`)
    .action(async (file: string, opts: CommonOptions & { format: 'text' | 'json'; keep?: boolean }) => {
      const prepared = await prepare(ctx, file, opts, opts.format === 'json');
      if (!prepared) return;
      const { runPlan } = await import('../../src/aws/run.js');
      ctx.exit(await runPlan(prepared.run, { keep: !!opts.keep, format: opts.format }));
      prepared.finish();
    });
}
