/**
 * innovate diff: what compiling now would change in an output folder, on disk or at a git
 * ref, per resource, document and field; stateful CloudFormation resources that would be
 * replaced or deleted are flagged loudly. Exit 0 no change, 1 changes or spec errors (as every
 * command), 2 usage or I/O problems (a missing --out folder among them). All reading (the
 * folder, `git show`) happens here; the diff itself is src/diff.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { Command, Option } from 'commander';
import { compile } from '../../src/pipeline.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { diffArtifacts, formatDiff, summarize, type DiffReport } from '../../src/diff/index.js';
import { hazardLine } from '../../src/diff/format.js';
import { costChanges, estimate, formatCostChanges, type CostChange } from '../../src/cost/index.js';
import { MissingDependencyError } from '../../src/util/optional.js';
import type { Context } from '../context.js';
import { envelope, exitFor } from '../output.js';
import { DEFAULT_FILE, summaryLine, unknownEnvironments } from './shared.js';

const run = promisify(execFile);

async function readTree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.set(relative(root, full).split(sep).join('/'), await readFile(full, 'utf8'));
    }
  };
  await walk(root);
  return out;
}

/** The output folder as committed at `ref`: `git ls-tree` for the paths, `git show` for each file. */
async function readRef(cwd: string, ref: string, dir: string): Promise<Map<string, string>> {
  const git = (...args: string[]) => run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  await git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  const prefix = dir === '' ? '' : `${dir}/`;
  const { stdout } = await git('ls-tree', '-r', '-z', '--name-only', ref, '--', dir === '' ? '.' : dir);
  const paths = stdout.split('\0').filter((p) => p.length > 0 && p.startsWith(prefix));
  const out = new Map<string, string>();
  for (let i = 0; i < paths.length; i += 16) {
    const chunk = paths.slice(i, i + 16);
    const texts = await Promise.all(chunk.map((p) => git('show', `${ref}:./${p}`).then((r) => r.stdout)));
    chunk.forEach((p, j) => out.set(p.slice(prefix.length), texts[j]!));
  }
  return out;
}

/** The output folder on disk; a missing one is an error (comparing with nothing would list every file as added). */
async function readFolder(dir: string, shown: string): Promise<Map<string, string>> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new Error(`${shown} does not exist; compile into it first (innovate compile --out ${shown}), or pass --out`);
  if (!info.isDirectory()) throw new Error(`${shown} is not a folder`);
  return readTree(dir);
}

interface Options {
  out: string;
  env?: string;
  againstRef?: string;
  format: 'text' | 'json';
}

export function registerDiff(program: Command, ctx: Context): void {
  program
    .command('diff')
    .summary('show what compiling now would change in --out')
    .description('Show what compiling now would change in --out (or in it at a git ref): resources, documents and fields; flags stateful resources replaced or deleted (exit 1 on changes).')
    .argument('[file]', 'spec file', DEFAULT_FILE)
    .option('--out <dir>', 'output folder to compare with', 'out')
    .option('--env <name>', 'only this environment')
    .option('--against-ref <ref>', 'compare with the output folder as committed at this git ref instead of the files on disk')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExamples:\n  innovate diff --out out\n  innovate diff --against-ref origin/main   # review: what this branch changes')
    .action((file: string, opts: Options) => runDiff(ctx, file, opts));
}

/** The monthly cost change (innovate cost): the spec now against the spec at the ref. */
async function costAgainst(ctx: Context, file: string, text: string, opts: Options): Promise<CostChange[] | undefined> {
  if (!opts.againstRef) return undefined;
  const was = await run('git', ['show', `${opts.againstRef}:./${file}`], { cwd: ctx.io.cwd, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }).then((r) => r.stdout, () => undefined);
  const envs = opts.env ? { environments: [opts.env] } : {};
  const before = was === undefined ? undefined : estimate(was, { file, ...envs }).estimate;
  const now = estimate(text, { file, ...envs }).estimate;
  return now && (was === undefined || before) ? costChanges(before, now) : undefined;
}

async function runDiff(ctx: Context, file: string, opts: Options): Promise<void> {
  ctx.running(opts.format, [file], file);
  const { out, err } = ctx.print();
  const text = await ctx.specText(file);
  if (text === undefined) return;
  const result = compile(text, { file, policies: false, ...(opts.env ? { environments: [opts.env] } : {}) });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (hasErrors(result.diagnostics)) {
    if (opts.format === 'json') out(envelope(errors));
    else ctx.report(errors, 'err');
    err(summaryLine(ctx, file, result.diagnostics, '; nothing to compare'));
    ctx.exit(exitFor(result.diagnostics));
    return;
  }
  if (result.models.length === 0) {
    err(unknownEnvironments(file, [opts.env ?? ''], compile(text, { file, emitters: [] }).models.map((m) => m.environment.name)));
    ctx.exit(2);
    return;
  }
  const outDir = resolve(ctx.io.cwd, opts.out);
  const shown = opts.out.replace(/\/+$/, '') || '.';
  let before: Map<string, string>;
  try {
    before = opts.againstRef ? await readRef(ctx.io.cwd, opts.againstRef, relative(ctx.io.cwd, outDir).split(sep).join('/')) : await readFolder(outDir, shown);
  } catch (e) {
    const detail = (e as { stderr?: string }).stderr?.trim() || (e as Error).message;
    err(`innovate diff: cannot read ${opts.againstRef ? `${opts.out} at ${opts.againstRef}` : opts.out}${opts.againstRef ? ` (${detail || 'unknown revision'})` : `: ${detail}`}`);
    ctx.exit(2);
    return;
  }
  const artifacts = opts.env ? result.artifacts.filter((a) => a.environment === opts.env) : result.artifacts;
  let report: DiffReport;
  try {
    report = await diffArtifacts(before, artifacts, { ...(opts.env ? { environment: opts.env } : {}), environments: result.models.map((m) => m.environment.name) });
  } catch (e) {
    if (!(e instanceof MissingDependencyError)) throw e;
    err(`innovate diff: ${e.message}`);
    ctx.exit(2);
    return;
  }
  const cost = await costAgainst(ctx, file, text, opts);
  if (opts.format === 'json') out(envelope(result.diagnostics, { summary: { files: report.files.length, hazards: report.hazards.length }, ...report, ...(cost ? { cost } : {}) }));
  else {
    if (report.files.length > 0) out(formatDiff(report));
    if (cost) out(formatCostChanges(cost));
  }
  for (const h of report.hazards) err(`${ctx.print().colour.red('WARNING')} ${hazardLine(h)}`);
  err(`${shown}/${opts.againstRef ? ` at ${opts.againstRef}` : ''}: ${summarize(report)}`);
  ctx.exit(report.files.length > 0 ? 1 : 0);
}
