/**
 * npm run bench: in-process compile() per spec size, whole-process CLI runs against
 * `node -e 0` (alternating, so each ratio comes from one machine state), and the CLI's
 * peak RSS. Medians throughout; writes bench/results.json. Never part of npm test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compile } from '../dist/src/index.js';
import { generateSpec } from './specs.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin/innovate.cjs');
const EXAMPLE = join(ROOT, 'examples/innovate.yaml');
const quick = process.argv.includes('--quick');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function timeInProcess(text, runs) {
  for (let i = 0; i < Math.min(5, runs); i++) compile(text);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = compile(text);
    times.push(performance.now() - t);
    if (r.models.length === 0) throw new Error(`spec does not compile: ${r.diagnostics[0]?.message}`);
  }
  return median(times);
}

function wall(args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return performance.now() - t;
}

function versusNode(args, runs) {
  const node = [];
  const cmd = [];
  for (let i = 0; i < runs; i++) {
    node.push(wall(['-e', '0']));
    cmd.push(wall(args));
  }
  return { ms: round(median(cmd)), nodeMs: round(median(node)), ratio: round(median(cmd) / median(node), 2) };
}

/** Peak RSS of the CLI in MiB: a preloaded probe reports the process's own maxRSS on exit. */
function peakRss(args) {
  const probe = join(out, 'rss-probe.cjs');
  writeFileSync(probe, "process.on('exit',()=>process.stderr.write('\\nRSS '+process.resourceUsage().maxRSS+'\\n'));\n");
  const r = spawnSync(process.execPath, ['-r', probe, CLI, ...args], { encoding: 'utf8' });
  const kb = Number(/RSS (\d+)/.exec(r.stderr)?.[1]);
  return round(kb / 1024);
}

const out = mkdtempSync(join(tmpdir(), 'innovate-bench-'));
// The example first: timed after the 1,000-workload runs, it also paid for collecting their heap.
const exampleText = (await import('node:fs')).readFileSync(EXAMPLE, 'utf8');
const exampleCompileMs = round(timeInProcess(exampleText, 50), 2);
const sizes = quick ? [1, 10, 100] : [1, 10, 100, 1000];
const envCounts = [2, 5];
const rows = [];
for (const environments of envCounts) {
  for (const workloads of sizes) {
    const text = generateSpec({ workloads, environments });
    const file = join(out, `spec-${workloads}-${environments}.yaml`);
    writeFileSync(file, text);
    const runs = workloads >= 1000 ? 5 : workloads >= 100 ? 15 : 40;
    const compileMs = timeInProcess(text, runs);
    const artifacts = compile(text).artifacts.length;
    const rssMiB = peakRss(['compile', file, '--out', join(out, `o-${workloads}-${environments}`)]);
    rows.push({ workloads, environments, artifacts, compileMs: round(compileMs, 2), cliPeakRssMiB: rssMiB });
    console.log(`compile ${String(workloads).padStart(5)} workloads x ${environments} envs: ${round(compileMs, 2)} ms in-process, ${artifacts} artifacts, CLI peak RSS ${rssMiB} MiB`);
  }
}
const runs = quick ? 7 : 21;
const validate = versusNode([CLI, 'validate', EXAMPLE], runs);
const compileCli = versusNode([CLI, 'compile', EXAMPLE, '--out', join(out, 'example')], runs);
const growth = rows.filter((r) => r.environments === 2);
const t = (n) => growth.find((r) => r.workloads === n)?.compileMs;
const results = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  example: { inProcessCompileMs: exampleCompileMs, validate, compile: compileCli },
  growth: t(1000) && t(100) ? round(t(1000) / t(100), 2) : undefined,
  sizes: rows,
};
console.log(`\nexample, in-process compile: ${exampleCompileMs} ms (median of 50)`);
console.log(`innovate validate (whole process): ${validate.ms} ms vs node -e 0 ${validate.nodeMs} ms -> ${validate.ratio}x (median of ${runs})`);
console.log(`innovate compile  (whole process): ${compileCli.ms} ms vs node -e 0 ${compileCli.nodeMs} ms -> ${compileCli.ratio}x (median of ${runs})`);
if (results.growth) console.log(`growth t(1000)/t(100): ${results.growth}`);
if (!quick) writeFileSync(new URL('results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
