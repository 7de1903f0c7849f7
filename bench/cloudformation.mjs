// Benchmark (not a test): in-process emission of every CloudFormation template of the example.
// Run after a build: `npx tsc -p tsconfig.build.json && node bench/cloudformation.mjs`.
// Measures the emitter alone (models compiled once), then the whole compile for reference.
// Target: median <= 20 ms for the emitter.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));
const { validateSpec, parseSpec, compile } = await import(`${root}dist/src/pipeline.js`);
const { cloudformationEmitter } = await import(`${root}dist/src/emitters/cloudformation/index.js`);

const text = readFileSync(`${root}examples/innovate.yaml`, 'utf8');
const { models } = validateSpec(parseSpec(text));
if (models.length === 0) throw new Error('the example does not compile');

function median(fn, runs = 200, warmup = 50) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], p95: times[Math.floor(runs * 0.95)] };
}

const artifacts = cloudformationEmitter.emit(models);
const bytes = artifacts.reduce((n, a) => n + a.content.length, 0);
// Artifacts render their text on first read: read it, so the figure includes serialization.
const emit = median(() => cloudformationEmitter.emit(models).reduce((n, a) => n + a.content.length, 0));
const whole = median(() => compile(text, { emitters: [cloudformationEmitter] }), 50, 10);
console.log(`cloudformation emitter: ${artifacts.length} files, ${(bytes / 1024).toFixed(0)} KiB`);
console.log(`  emit (models -> templates): median ${emit.median.toFixed(2)} ms, p95 ${emit.p95.toFixed(2)} ms (target <= 20 ms)`);
console.log(`  compile (YAML -> templates): median ${whole.median.toFixed(2)} ms, p95 ${whole.p95.toFixed(2)} ms`);
