/** innovate deploy: change sets created and executed stack by stack, events streamed; stops at the first failure. */
import { Command } from 'commander';
import type { Context } from '../context.js';
import { AWS_EXIT_CODES, common, prepare, templateOptions, type AwsCliIO, type CommonOptions } from './aws-session.js';

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

export function registerDeploy(program: Command, ctx: Context): void {
  templateOptions(common(program.command('deploy').summary('create and execute change sets, stack by stack').description('Create and execute change sets stack by stack, streaming events; stops at the first failure.')))
    .option('--approve', 'deploy a production environment without asking')
    .option('--no-snapshot', 'do not take a manual database cluster snapshot before changing the cluster')
    .addHelpText('after', `\nExamples:\n  innovate deploy --env staging\n  innovate deploy --env production --approve   # in CI, where nobody can answer\n${AWS_EXIT_CODES}`)
    .action(async (file: string, opts: CommonOptions & { approve?: boolean; snapshot: boolean }) => {
      const prepared = await prepare(ctx, file, opts);
      if (!prepared) return;
      const io = ctx.io as AwsCliIO;
      const { runDeploy } = await import('../../src/aws/run.js');
      // Ctrl-C stops innovate, not CloudFormation: say so instead of dying silently mid-stack.
      const onInterrupt = () => {
        ctx.print().err('innovate: interrupted; a stack operation already started goes on in CloudFormation on its own. Check it with aws cloudformation describe-stacks, then run innovate deploy again.');
        process.exit(130);
      };
      process.once('SIGINT', onInterrupt);
      try {
        ctx.exit(
          await runDeploy(prepared.run, {
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
}
