/**
 * innovate platform: the deployed platform of one environment as the compiled output describes
 * it — node kinds and what is placed on each with the arithmetic, the security-group flows, the
 * principals (src/platform). Its stdout is data, so diagnostics go to stderr.
 * Exit 0 printed, 1 spec errors, 2 usage or I/O problems.
 */
import { Command, Option } from 'commander';
import { DEPLOYABLE_EMITTERS } from '../../src/emitters/index.js';
import { buildPlatform, formatPlatform, type PlatformFormat } from '../../src/platform/index.js';
import type { Context } from '../context.js';
import { DEFAULT_FILE, environmentModel, required } from './shared.js';

export function registerPlatform(program: Command, ctx: Context): void {
  program
    .command('platform')
    .summary('print the deployed platform of one environment (nodes, pods, flows, principals)')
    .description('Print the deployed platform of one environment: node kinds and the pods placed on each (pods, CPU, memory vs capacity), the flows, the principals.')
    .argument('[file]', 'spec file', DEFAULT_FILE)
    .requiredOption('--env <name>', required('environment'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .addHelpText('after', '\nExamples:\n  innovate platform --env production\n  innovate platform --env staging --format markdown > PLATFORM.md')
    .action(async (file: string, opts: { env: string; format: PlatformFormat }) => {
      const found = await environmentModel(ctx, file, opts.env);
      if (!found) return;
      const { model, models } = found;
      // CloudFormation needs every model (replication, DR); Kubernetes and Helm only this one.
      const artifacts = DEPLOYABLE_EMITTERS.flatMap((e) => (e.perEnvironment ? e.perEnvironment(model) : e.emit(models).filter((a) => a.environment === opts.env)));
      ctx.io.stdout(formatPlatform(buildPlatform(model, artifacts), opts.format));
    });
}
