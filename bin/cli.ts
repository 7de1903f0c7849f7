/**
 * The CLI, built by a factory that takes its I/O (streams, cwd, environment) so tests run it
 * in-process. One file per command in bin/commands; this file wires them, the global options,
 * the help text and what happens to an exception nobody expected.
 */
import { Command, CommanderError, Option } from 'commander';
import { VERSION } from '../src/index.js';
import { formatDiagnostic } from '../src/diagnostics/format.js';
import { internalError } from '../src/diagnostics/internal.js';
import { makeContext, ENVIRONMENT_VARIABLES, type CliIO, type Running } from './context.js';
import { machineReport, type ReportFormat } from './output.js';
import { registerCompile } from './commands/compile.js';
import { registerCompletion } from './commands/completion.js';
import { registerCost } from './commands/cost.js';
import { registerDeploy } from './commands/deploy.js';
import { registerDiff } from './commands/diff.js';
import { registerDrift } from './commands/drift.js';
import { registerInit } from './commands/init.js';
import { registerPlan } from './commands/plan.js';
import { registerPlatform } from './commands/platform.js';
import { registerResolve } from './commands/resolve.js';
import { registerSchema } from './commands/schema.js';
import { DEFAULT_FILE } from './commands/shared.js';
import { registerValidate } from './commands/validate.js';

export type { CliIO } from './context.js';
export type { AwsCliIO } from './commands/aws-session.js';

export const EXIT_CODES: readonly [number, string][] = [
  [0, 'success'],
  [1, 'findings: errors in the spec, stale output (compile --check), changes (diff), drift'],
  [2, 'usage or I/O problems, and internal errors (INN999, a bug in innovate)'],
  [3, 'plan/deploy/drift: an AWS call failed (credentials, access, network, throttling)'],
];

const HELP_AFTER = `
Examples:
  innovate init                                   # a starter innovate.yaml
  innovate validate                               # check ./innovate.yaml; the report on stdout
  innovate compile --out out                      # write the artifacts of every environment
  innovate compile --out out --check              # CI: exit 1 when out/ is stale
  innovate diff --against-ref origin/main         # review: what this change does to out/
  innovate plan --env staging                     # CloudFormation change sets, nothing changed

Environment variables:
${ENVIRONMENT_VARIABLES.map(([name, what]) => `  ${name.padEnd(28)}${what}`).join('\n')}

Exit codes:
${EXIT_CODES.map(([code, what]) => `  ${code}  ${what}`).join('\n')}

Run \`innovate <command> --help\` for a command's options and examples.`;

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const state: { exitCode: number; running: Running } = { exitCode: 0, running: { format: 'text', files: [] } };
  const width = () => io.columns ?? 80;
  const output = { writeOut: io.stdout, writeErr: io.stderr, getOutHelpWidth: width, getErrHelpWidth: width };
  const program = new Command('innovate')
    .description('Compile innovate.yaml into CloudFormation, Kubernetes manifests and Helm values for every environment.')
    .version(VERSION)
    .addOption(new Option('--no-color', 'no colour, even on a terminal (also NO_COLOR=1)'))
    .exitOverride()
    .configureOutput(output)
    .showSuggestionAfterError(true)
    .addHelpText('after', HELP_AFTER);
  const ctx = makeContext(io, () => (program.opts() as { color?: boolean }).color !== false, state);

  for (const register of [registerValidate, registerCompile, registerResolve, registerDiff, registerPlan, registerDeploy, registerDrift, registerPlatform, registerCost, registerSchema, registerInit, registerCompletion]) {
    register(program, ctx);
  }
  // Every subcommand reports its errors the same way and inherits the global options.
  for (const command of program.commands) command.exitOverride().configureOutput(output).showSuggestionAfterError(true);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    // A bug outside the library (which never throws): one INN999 diagnostic, in the command's format.
    const { format, files, file } = state.running;
    const d = internalError('cli', e, file ?? DEFAULT_FILE);
    const report = machineReport([d], format as ReportFormat, { files, srcRoot: io.cwd });
    if (report !== undefined) io.stdout(report.endsWith('\n') ? report : `${report}\n`);
    io.stderr(`${formatDiagnostic(d)}\n`);
    return 2;
  }
  return state.exitCode;
}
