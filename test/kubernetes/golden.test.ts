/**
 * Golden files: every Kubernetes manifest, workload chart file and Helm values file of the example, committed under
 * __golden__/ with the artifact's path. Refresh with `npm run goldens` and read the diff; in CI
 * (CI set) a missing or different golden fails.
 *
 * examples/workers.yaml (a service of type container, a worker, a cronjob) goes under __golden__/workers/,
 * with what its charts render once CI has promoted an image (rendered/<env>/<workload>.yaml): the
 * Deployment without a Service of the worker, the CronJob, for a reviewer to read.
 */
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { staleGoldens } from '../helpers.js';
import { compileOk, promoted, renderChart, WORKERS_EXAMPLE } from './support.js';

/** Every golden path a test below writes, for the stale-file check at the end. */
const written: string[] = [];

describe('goldens of examples/innovate.yaml', () => {
  const { artifacts } = compileOk();
  const ours = artifacts.filter((a) => a.kind === 'kubernetes' || a.kind === 'helm-values' || a.kind === 'helm-chart');
  it('covers both targets of every environment', () => {
    expect(ours.some((a) => a.path.startsWith('kubernetes/production/'))).toBe(true);
    expect(ours.some((a) => a.path.startsWith('helm/staging/'))).toBe(true);
    expect(ours.some((a) => a.path.startsWith('charts/api/templates/'))).toBe(true);
  });
  for (const a of ours) {
    written.push(a.path);
    it(a.path, async () => {
      await expect(a.content).toMatchFileSnapshot(`./__golden__/${a.path}`);
    });
  }
});

describe('goldens of examples/workers.yaml', () => {
  const { artifacts, models } = compileOk(WORKERS_EXAMPLE);
  // Not the platform's own charts' values (the same as the first example's): the workloads and the manifests.
  const ours = artifacts.filter((a) => a.kind === 'kubernetes' || a.kind === 'helm-chart' || (a.kind === 'helm-values' && a.path.includes('/workloads/')));
  for (const a of ours) {
    written.push(`workers/${a.path}`);
    it(a.path, async () => {
      await expect(a.content).toMatchFileSnapshot(`./__golden__/workers/${a.path}`);
    });
  }
  const after = compileOk(promoted(WORKERS_EXAMPLE)).artifacts;
  for (const m of models) {
    for (const w of m.workloads) {
      const env = m.environment.name;
      written.push(`workers/rendered/${env}/${w.name}.yaml`);
      it(`rendered/${env}/${w.name}.yaml (once promoted)`, async () => {
        const docs = renderChart(after, w.name, `helm/${env}/workloads/${w.name}.values.yaml`);
        const text = docs.map((d) => `# ${d.path.split('/').pop()}\n${stringify(d.doc, { lineWidth: 0 })}`).join('---\n');
        await expect(text).toMatchFileSnapshot(`./__golden__/workers/rendered/${env}/${w.name}.yaml`);
      });
    }
  }
});

it('no golden file is left that no artifact writes (a renamed or dropped artifact)', () => {
  expect(staleGoldens('test/kubernetes/__golden__', written)).toEqual([]);
});
