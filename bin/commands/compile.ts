/**
 * innovate compile: the artifacts under --out, written atomically into a folder innovate owns,
 * or compared with it (--check). Diagnostics are the report (stdout); what was written or what
 * is stale goes to stderr in text, or into the JSON envelope with --format json.
 */
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { compile, compileStream } from '../../src/index.js';
import { hasErrors, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { diffTree, isClean } from '../../src/writer/index.js';
import { recoverBeforeCheck, writeOutput } from '../compile-output.js';
import type { Context } from '../context.js';
import { envelope, exitFor } from '../output.js';
import { DEFAULT_FILE, summaryLine, unknownEnvironments } from './shared.js';

interface Options {
  out: string;
  env?: string[];
  check?: boolean;
  force?: boolean;
  format: 'text' | 'json';
}

export function registerCompile(program: Command, ctx: Context): void {
  program
    .command('compile')
    .summary('compile a spec into artifacts under --out (or compare with --check)')
    .description('Compile a spec into artifacts under --out, atomically, only into a folder innovate owns (or compare with --check: exit 1 when it is stale).')
    .argument('[file]', 'spec file', DEFAULT_FILE)
    .option('--out <dir>', 'output folder', 'out')
    .option('--env <name...>', 'only these environments (the other environments\' files are kept)')
    .option('--check', 'write nothing; exit 1 when the output folder differs from what would be written')
    .option('--force', 'replace an output folder innovate wrote even though it now holds files innovate did not write')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  innovate compile innovate.yaml --out out\n  innovate compile --env staging            # only staging; production\'s files are kept\n  innovate compile --check --format json    # CI: the missing, changed and extra files')
    .action((file: string, opts: Options) => runCompile(ctx, file, opts));
}

async function runCompile(ctx: Context, file: string, opts: Options): Promise<void> {
  ctx.running(opts.format, [file], file);
  const { out, err } = ctx.print();
  const json = opts.format === 'json';
  /** The report: diagnostics (text on stdout) or the envelope with what the command adds. */
  const report = (diagnostics: readonly Diagnostic[], more: Parameters<typeof envelope>[1] = {}) => {
    if (json) out(envelope(diagnostics, more));
    else ctx.report(diagnostics, 'out');
  };
  const read = await ctx.readSpec(file);
  if (!read.ok) {
    report([read.diagnostic]);
    ctx.exit(read.exitCode);
    return;
  }
  // Streamed: each artifact is rendered, written (or compared) and dropped, so memory holds
  // one batch's data, never all the text. The invariant rules judge each batch as it passes;
  // the writer stages everything and keeps it only if their verdict has no error.
  const result = compileStream(read.text, { file, policies: true, today: ctx.today, ...(opts.env ? { environments: opts.env } : {}) });
  const refuse = (diagnostics: readonly Diagnostic[], what: string) => {
    err(summaryLine(ctx, file, diagnostics, `; ${what}`));
    ctx.exit(Math.max(1, exitFor(diagnostics)));
  };
  const unknown = (opts.env ?? []).filter((e) => !result.models.some((m) => m.environment.name === e));
  if (result.models.length === 0 || unknown.length > 0) {
    // With no model the diagnostics are final; with some, they come only as artifacts stream.
    const diagnostics = result.models.length === 0 ? result.diagnostics() : [];
    if (hasErrors(diagnostics)) {
      report(diagnostics);
      return refuse(diagnostics, 'nothing written');
    }
    // Every --env must name an environment: a typo among several would silently compile fewer.
    const have = compile(read.text, { file, emitters: [] }).models.map((m) => m.environment.name);
    err(unknownEnvironments(file, unknown, have));
    ctx.exit(2);
    return;
  }
  const outDir = resolve(ctx.io.cwd, opts.out);
  const shown = opts.out.replace(/\/+$/, '') || '.';
  const envs = result.models.map((m) => m.environment.name).join(', ');
  if (opts.check) {
    const recovery = await recoverBeforeCheck(outDir, shown);
    if (!recovery.ok) {
      err(recovery.message);
      ctx.exit(2);
      return;
    }
    recovery.notes.forEach(err);
    const diff = await diffTree(outDir, result.artifacts);
    const diagnostics = result.diagnostics();
    if (hasErrors(diagnostics)) {
      report(diagnostics);
      return refuse(diagnostics, 'nothing compared');
    }
    const files = { missing: diff.added, changed: diff.changed, extra: diff.removed };
    report(diagnostics, { summary: { compared: diff.compared, missing: files.missing.length, changed: files.changed.length, extra: files.extra.length }, out: shown, files });
    if (isClean(diff)) {
      err(`${shown}/ is up to date (${diff.compared} artifacts, ${envs})`);
      return;
    }
    if (!json) {
      const c = ctx.print().colour;
      for (const p of diff.added) err(`  ${c.red('missing')}  ${shown}/${p}`);
      for (const p of diff.changed) err(`  ${c.yellow('changed')}  ${shown}/${p}`);
      for (const p of diff.removed) err(`  ${c.red('extra')}    ${shown}/${p}`);
    }
    err(`${shown}/ is stale: ${diff.added.length} missing, ${diff.changed.length} changed, ${diff.removed.length} extra; run \`innovate compile ${file} --out ${opts.out}\``);
    ctx.exit(1);
    return;
  }
  // The folder is replaced only if innovate owns it, one compile at a time; --env keeps the others' files.
  const written = await writeOutput({
    cwd: ctx.io.cwd, file, outDir, shown, force: opts.force === true, environments: opts.env,
    artifacts: result.artifacts, commit: () => !hasErrors(result.diagnostics()),
  });
  if (!written.ok) {
    err(written.message);
    ctx.exit(2);
    return;
  }
  written.notes.forEach(err);
  const outcome = written.value;
  const diagnostics = result.diagnostics();
  if (!outcome.committed) {
    report(diagnostics);
    return refuse(diagnostics, 'nothing written');
  }
  report(diagnostics, { summary: { written: outcome.written, kept: outcome.kept }, out: shown });
  err(`wrote ${outcome.written} artifacts for ${envs} to ${shown}/${outcome.kept > 0 ? ` (kept ${outcome.kept} of other environments)` : ''}`);
}
