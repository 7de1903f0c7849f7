/**
 * innovate platform: the deployed platform of one environment as the compiled output describes
 * it — node kinds and what is placed on each with the arithmetic, the security-group flows, the
 * principals (src/platform). Exit 0 printed, 1 spec errors, 2 usage or I/O problems.
 */
import { Command, Option } from 'commander';
import { hasErrors } from '../src/diagnostics/diagnostic.js';
import { formatDiagnostic } from '../src/diagnostics/format.js';
import { DEPLOYABLE_EMITTERS } from '../src/emitters/index.js';
import { parseSpec, validateSpec } from '../src/pipeline.js';
import { buildPlatform, formatPlatform, type PlatformFormat } from '../src/platform/index.js';
import type { CliIO } from './cli.js';
import { readSpecFile } from './io.js';

export function registerPlatformCommand(program: Command, io: CliIO, setExitCode: (code: number) => void): void {
  const err = (s: string) => io.stderr(s.endsWith('\n') ? s : `${s}\n`);
  program
    .command('platform')
    .description('Print the deployed platform of one environment: node kinds and the pods placed on each (pods, CPU, memory vs capacity), the flows, the principals.')
    .argument('[file]', 'spec file', 'innovate.yaml')
    .requiredOption('--env <name>', 'environment')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .action(async (file: string, opts: { env: string; format: PlatformFormat }) => {
      const read = await readSpecFile(io.cwd, file);
      if (!read.ok) {
        err(formatDiagnostic(read.diagnostic));
        setExitCode(read.exitCode);
        return;
      }
      const { models, diagnostics } = validateSpec(parseSpec(read.text, { file }));
      for (const d of diagnostics) err(formatDiagnostic(d));
      if (hasErrors(diagnostics)) {
        setExitCode(1);
        return;
      }
      const model = models.find((m) => m.environment.name === opts.env);
      if (!model) {
        err(`${file}: no environment "${opts.env}" (have: ${models.map((m) => m.environment.name).join(', ')})`);
        setExitCode(2);
        return;
      }
      // CloudFormation needs every model (replication, DR); Kubernetes and Helm only this one.
      const artifacts = DEPLOYABLE_EMITTERS.flatMap((e) => (e.perEnvironment ? e.perEnvironment(model) : e.emit(models).filter((a) => a.environment === opts.env)));
      io.stdout(formatPlatform(buildPlatform(model, artifacts), opts.format));
    });
}
