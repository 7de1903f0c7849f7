/**
 * innovate diff: what compiling now would change in an output folder, on disk or at a git
 * ref, per resource, document and field; stateful CloudFormation resources that would be
 * replaced or deleted are flagged loudly. Exit 0 no change, 1 changes, 2 usage, I/O or spec
 * errors. All reading (the folder, `git show`) happens here; the diff itself is src/diff.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { Command, Option } from 'commander';
import { compile } from '../src/pipeline.js';
import { hasErrors } from '../src/diagnostics/diagnostic.js';
import { formatDiagnostic, formatSummary } from '../src/diagnostics/format.js';
import { diffArtifacts, formatDiff, summarize } from '../src/diff/index.js';
import { hazardLine } from '../src/diff/format.js';
import { costChanges, estimate, formatCostChanges, type CostChange } from '../src/cost/index.js';
import type { CliIO } from './cli.js';
import { readSpecFile } from './io.js';

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

export function registerDiffCommand(program: Command, io: CliIO, setExitCode: (code: number) => void): void {
  const out = (s: string) => io.stdout(s.endsWith('\n') ? s : `${s}\n`);
  const err = (s: string) => io.stderr(s.endsWith('\n') ? s : `${s}\n`);
  program
    .command('diff')
    .description('Show what compiling now would change in --out (or in it at a git ref): resources, documents and fields; flags stateful resources replaced or deleted (exit 1 on changes).')
    .argument('[file]', 'spec file', 'innovate.yaml')
    .option('--out <dir>', 'output folder to compare with', 'out')
    .option('--env <name>', 'only this environment')
    .option('--against-ref <ref>', 'compare with the output folder as committed at this git ref instead of the files on disk')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (file: string, opts: { out: string; env?: string; againstRef?: string; format: string }) => {
      const read = await readSpecFile(io.cwd, file);
      if (!read.ok) {
        err(formatDiagnostic(read.diagnostic));
        setExitCode(2);
        return;
      }
      const result = compile(read.text, { file, policies: false, ...(opts.env ? { environments: [opts.env] } : {}) });
      for (const d of result.diagnostics) if (d.severity === 'error') err(formatDiagnostic(d));
      if (hasErrors(result.diagnostics)) {
        err(`${file}: ${formatSummary(result.diagnostics)}; nothing to compare`);
        setExitCode(2);
        return;
      }
      if (result.models.length === 0) {
        err(`${file}: no environment matches --env ${opts.env}`);
        setExitCode(2);
        return;
      }
      const outDir = resolve(io.cwd, opts.out);
      let before: Map<string, string>;
      try {
        before = opts.againstRef ? await readRef(io.cwd, opts.againstRef, relative(io.cwd, outDir).split(sep).join('/')) : await readTree(outDir);
      } catch (e) {
        const detail = (e as { stderr?: string }).stderr?.trim() || (e as Error).message;
        err(`innovate diff: cannot read ${opts.againstRef ? `${opts.out} at ${opts.againstRef}` : opts.out} (${detail || 'unknown revision'})`);
        setExitCode(2);
        return;
      }
      const artifacts = opts.env ? result.artifacts.filter((a) => a.environment === opts.env) : result.artifacts;
      const report = await diffArtifacts(before, artifacts, { ...(opts.env ? { environment: opts.env } : {}), environments: result.models.map((m) => m.environment.name) });
      // The monthly cost change (innovate cost): the spec now against the spec at the ref.
      let cost: CostChange[] | undefined;
      if (opts.againstRef) {
        const was = await run('git', ['show', `${opts.againstRef}:./${file}`], { cwd: io.cwd, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }).then((r) => r.stdout, () => undefined);
        const before = was === undefined ? undefined : estimate(was, { file, ...(opts.env ? { environments: [opts.env] } : {}) }).estimate;
        const now = estimate(read.text, { file, ...(opts.env ? { environments: [opts.env] } : {}) }).estimate;
        if (now && (was === undefined || before)) cost = costChanges(before, now);
      }
      if (opts.format === 'json') out(JSON.stringify(cost ? { ...report, cost } : report, null, 2));
      else {
        if (report.files.length > 0) out(formatDiff(report));
        if (cost) out(formatCostChanges(cost));
      }
      for (const h of report.hazards) err(`WARNING ${hazardLine(h)}`);
      const against = `${opts.out.replace(/\/+$/, '') || '.'}/${opts.againstRef ? ` at ${opts.againstRef}` : ''}`;
      err(`${against}: ${summarize(report)}`);
      setExitCode(report.files.length > 0 ? 1 : 0);
    });
}
