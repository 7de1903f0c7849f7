/**
 * The CLI, built by a factory that takes its I/O (streams, cwd) so tests run it
 * in-process. Exit codes: 0 success, 1 findings (errors in the spec, stale output),
 * 2 usage or I/O problems.
 */
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { stringify } from 'yaml';
import { compile, compileStream, DEPLOYABLE_EMITTERS, parseSpec, validateSpec, VERSION } from '../src/index.js';
import { hasErrors, type Diagnostic } from '../src/diagnostics/diagnostic.js';
import { diagnosticsToJson, formatDiagnostic, formatSummary } from '../src/diagnostics/format.js';
import { internalError, isInternal } from '../src/diagnostics/internal.js';
import { toJunit } from '../src/diagnostics/junit.js';
import { toSarif } from '../src/diagnostics/sarif.js';
import { RULES } from '../src/validators/policies/index.js';
import { canonical } from '../src/emitters/serialize.js';
import { specJsonSchema } from '../src/schema/json-schema.js';
import { diffTree, isClean } from '../src/writer/index.js';
import { recoverBeforeCheck, writeOutput } from './compile-output.js';
import { registerAwsCommands } from './aws-commands.js';
import { budgetDiagnostics, estimateModels } from '../src/cost/index.js';
import { registerCostCommand } from './cost-command.js';
import { registerDiffCommand } from './diff-command.js';
import { registerPlatformCommand } from './platform-command.js';
import { readSpecFile } from './io.js';
import { starterSpec } from './starter.js';

export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Today's date (YYYY-MM-DD) for policy exception expiry. @default the system clock */
  readonly today?: string;
}

const DEFAULT_FILE = 'innovate.yaml';
const DEFAULT_SCHEMA_REF = './node_modules/innovate/schema/innovate.schema.json';

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  const out = (s: string) => io.stdout(s.endsWith('\n') ? s : `${s}\n`);
  const err = (s: string) => io.stderr(s.endsWith('\n') ? s : `${s}\n`);
  const today = io.today ?? new Date().toISOString().slice(0, 10);
  /** The format and files of the running command: an internal error is printed in that format. */
  let active: { format: string; files: readonly string[]; file?: string } = { format: 'text', files: [] };
  /** Exit code for a run's diagnostics: 2 for a bug in innovate (INN999), 1 for errors in the spec. */
  const exitFor = (diags: readonly Diagnostic[]): number => (diags.some(isInternal) ? 2 : hasErrors(diags) ? 1 : 0);
  const printDiagnostics = (diags: readonly Diagnostic[], format: string, files: readonly string[] = []) => {
    if (format === 'json') out(diagnosticsToJson(diags));
    else if (format === 'sarif') out(toSarif(diags, RULES, VERSION));
    else if (format === 'junit') out(toJunit(files, diags, RULES));
    else for (const d of diags) err(formatDiagnostic(d));
  };

  const program = new Command('innovate')
    .description('Compile innovate.yaml into CloudFormation, Kubernetes manifests and Helm values for every environment.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError(true);

  const formatOption = () => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

  program
    .command('validate')
    .description('Check specs, compile them in memory and run the invariant rules; report every finding with file:line:column (exit 1 on errors).')
    .argument('[files...]', 'spec files', [DEFAULT_FILE])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif', 'junit']).default('text'))
    .option('--no-policies', 'check the spec only, without compiling and running the invariant rules')
    .option('--no-budget', 'skip the budget check (INN080: the likely monthly estimate of `innovate cost` above cost.monthlyBudgetUsd)')
    .action(async (files: string[], opts: { format: string; policies: boolean; budget: boolean }) => {
      active = { format: opts.format, files };
      const all: Diagnostic[] = [];
      for (const file of files) {
        active = { format: opts.format, files, file };
        const read = await readSpecFile(io.cwd, file);
        if (!read.ok) {
          all.push(read.diagnostic);
          exitCode = Math.max(exitCode, read.exitCode);
          continue;
        }
        // The invariants concern what is deployed; compile checks its other artifacts too.
        const { diagnostics: found, models } = opts.policies ? compile(read.text, { file, policies: true, today, emitters: DEPLOYABLE_EMITTERS, output: false }) : validateSpec(parseSpec(read.text, { file }));
        // The budget check: the estimate of innovate cost against each environment's monthly budget.
        const diagnostics = opts.budget && models.length > 0 && !hasErrors(found) ? [...found, ...budgetDiagnostics(parseSpec(read.text, { file }), estimateModels(models))] : found;
        all.push(...diagnostics);
        exitCode = Math.max(exitCode, exitFor(diagnostics));
      }
      printDiagnostics(all, opts.format, files);
      if (opts.format === 'text') err(`${files.length === 1 ? files[0] : `${files.length} files`}: ${formatSummary(all)}`);
    });

  program
    .command('compile')
    .description('Compile a spec into artifacts under --out, atomically (or compare with --check).')
    .argument('[file]', 'spec file', DEFAULT_FILE)
    .option('--out <dir>', 'output folder', 'out')
    .option('--env <name...>', 'only these environments')
    .option('--check', 'write nothing; exit 1 when the output folder differs from what would be written')
    .option('--force', 'replace an output folder innovate wrote even though it now holds files innovate did not write')
    .addOption(formatOption())
    .action(async (file: string, opts: { out: string; env?: string[]; check?: boolean; force?: boolean; format: string }) => {
      active = { format: opts.format, files: [file], file };
      const read = await readSpecFile(io.cwd, file);
      if (!read.ok) {
        printDiagnostics([read.diagnostic], opts.format);
        exitCode = read.exitCode;
        return;
      }
      // Streamed: each artifact is rendered, written (or compared) and dropped, so memory holds
      // one batch's data, never all the text. The invariant rules judge each batch as it passes;
      // the writer stages everything and keeps it only if their verdict has no error.
      const result = compileStream(read.text, { file, policies: true, today, ...(opts.env ? { environments: opts.env } : {}) });
      const refuse = (diagnostics: readonly Diagnostic[], what: string) => {
        if (opts.format === 'text') err(`${file}: ${formatSummary(diagnostics)}; ${what}`);
        exitCode = Math.max(1, exitFor(diagnostics));
      };
      if (result.models.length === 0) {
        const diagnostics = result.diagnostics();
        printDiagnostics(diagnostics, opts.format);
        if (hasErrors(diagnostics)) refuse(diagnostics, 'nothing written');
        else {
          err(`${file}: no environment matches --env ${opts.env?.join(' ')}`);
          exitCode = 2;
        }
        return;
      }
      const outDir = resolve(io.cwd, opts.out);
      const shown = opts.out.replace(/\/+$/, '') || '.';
      const envs = result.models.map((m) => m.environment.name).join(', ');
      if (opts.check) {
        const recovery = await recoverBeforeCheck(outDir, shown);
        if (!recovery.ok) {
          err(recovery.message);
          exitCode = 2;
          return;
        }
        recovery.notes.forEach(err);
        const diff = await diffTree(outDir, result.artifacts);
        const diagnostics = result.diagnostics();
        printDiagnostics(diagnostics, opts.format);
        if (hasErrors(diagnostics)) return refuse(diagnostics, 'nothing compared');
        if (isClean(diff)) {
          err(`${shown}/ is up to date (${diff.compared} artifacts, ${envs})`);
          return;
        }
        for (const p of diff.added) err(`  missing  ${shown}/${p}`);
        for (const p of diff.changed) err(`  changed  ${shown}/${p}`);
        for (const p of diff.removed) err(`  extra    ${shown}/${p}`);
        err(`${shown}/ is stale: ${diff.added.length} missing, ${diff.changed.length} changed, ${diff.removed.length} extra; run \`innovate compile ${file} --out ${opts.out}\``);
        exitCode = 1;
        return;
      }
      // The folder is replaced only if innovate owns it, one compile at a time; --env keeps the others' files.
      const written = await writeOutput({
        cwd: io.cwd, file, outDir, shown, force: opts.force === true, environments: opts.env,
        artifacts: result.artifacts, commit: () => !hasErrors(result.diagnostics()),
      });
      if (!written.ok) {
        err(written.message);
        exitCode = 2;
        return;
      }
      written.notes.forEach(err);
      const outcome = written.value;
      const diagnostics = result.diagnostics();
      printDiagnostics(diagnostics, opts.format);
      if (!outcome.committed) return refuse(diagnostics, 'nothing written');
      err(`wrote ${outcome.written} artifacts for ${envs} to ${shown}/${outcome.kept > 0 ? ` (kept ${outcome.kept} of other environments)` : ''}`);
    });

  program
    .command('resolve')
    .description('Print the merged, fully defaulted model of one environment: what the emitters see.')
    .argument('[file]', 'spec file', DEFAULT_FILE)
    .requiredOption('--env <name>', 'environment')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .action(async (file: string, opts: { env: string; format: string }) => {
      const read = await readSpecFile(io.cwd, file);
      if (!read.ok) {
        printDiagnostics([read.diagnostic], 'text');
        exitCode = read.exitCode;
        return;
      }
      const { models, diagnostics } = validateSpec(parseSpec(read.text, { file }));
      printDiagnostics(diagnostics, 'text');
      if (hasErrors(diagnostics)) {
        exitCode = exitFor(diagnostics);
        return;
      }
      const model = models.find((m) => m.environment.name === opts.env);
      if (!model) {
        err(`${file}: no environment "${opts.env}" (have: ${models.map((m) => m.environment.name).join(', ')})`);
        exitCode = 2;
        return;
      }
      out(opts.format === 'json' ? JSON.stringify(canonical(model), null, 2) : stringify(canonical(model), { lineWidth: 0, aliasDuplicateObjects: false }));
    });

  program
    .command('schema')
    .description('Print the JSON Schema of innovate.yaml (for editors and other tools).')
    .action(() => out(JSON.stringify(specJsonSchema(), null, 2)));

  program
    .command('init')
    .description('Write a starter innovate.yaml that compiles as it is.')
    .argument('[file]', 'where to write it', DEFAULT_FILE)
    .option('--schema <ref>', 'JSON Schema path or URL for the yaml-language-server comment', DEFAULT_SCHEMA_REF)
    .option('--force', 'overwrite an existing file')
    .action(async (file: string, opts: { schema: string; force?: boolean }) => {
      const full = resolve(io.cwd, file);
      const exists = await access(full).then(
        () => true,
        () => false,
      );
      if (exists && !opts.force) {
        err(`${file} already exists; use --force to overwrite it`);
        exitCode = 2;
        return;
      }
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, starterSpec(opts.schema), 'utf8');
      err(`wrote ${file}; next: innovate validate ${file} && innovate compile ${file} --out out`);
    });

  registerAwsCommands(program, io, (code) => (exitCode = Math.max(exitCode, code)));
  registerDiffCommand(program, io, (code) => (exitCode = Math.max(exitCode, code)));
  registerPlatformCommand(program, io, (code) => (exitCode = Math.max(exitCode, code)));
  registerCostCommand(program, io, (code) => (exitCode = Math.max(exitCode, code)));

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    // A bug outside the library (which never throws): one INN999 diagnostic, in the command's format.
    const { format, files, file } = active;
    const d = internalError('cli', e, file ?? DEFAULT_FILE);
    printDiagnostics([d], format, files);
    if (format !== 'text') err(formatDiagnostic(d));
    return 2;
  }
  return exitCode;
}
