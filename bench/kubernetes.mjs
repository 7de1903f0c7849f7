// Benchmark (not a test): in-process emission of every Kubernetes manifest and Helm values file
// of examples/innovate.yaml from its compiled models. Median after warm-up; target <= 20 ms.
// Run: npm run build && node bench/kubernetes.mjs
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { helmEmitter } from '../dist/src/emitters/helm/index.js';
import { kubernetesEmitter } from '../dist/src/emitters/kubernetes/index.js';
import { parseSpec, validateSpec } from '../dist/src/pipeline.js';

const WARMUP = 50;
const RUNS = 200;
const text = readFileSync(new URL('../examples/innovate.yaml', import.meta.url), 'utf8');
const { models } = validateSpec(parseSpec(text));
if (models.length === 0) throw new Error('the example does not compile');

// Artifacts render their text on first read: read it, so the figure includes serialization.
const emit = () => [...kubernetesEmitter.emit(models), ...helmEmitter.emit(models)].filter((a) => a.content.length >= 0);
for (let i = 0; i < WARMUP; i++) emit();
const times = [];
let files = 0;
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  files = emit().length;
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const p95 = times[Math.floor(times.length * 0.95)];
console.log(`kubernetes + helm emission of the example (${models.length} environments, ${files} files): median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms over ${RUNS} runs (target <= 20 ms)`);
