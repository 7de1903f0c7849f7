/**
 * Golden files: every Kubernetes manifest, workload chart file and Helm values file of the example, committed under
 * __golden__/ with the artifact's path. Refresh with `npm run goldens` and read the diff; in CI
 * (CI set) a missing or different golden fails.
 */
import { describe, expect, it } from 'vitest';
import { compileOk } from './support.js';

describe('goldens of examples/innovate.yaml', () => {
  const { artifacts } = compileOk();
  const ours = artifacts.filter((a) => a.kind === 'kubernetes' || a.kind === 'helm-values' || a.kind === 'helm-chart');
  it('covers both targets of every environment', () => {
    expect(ours.some((a) => a.path.startsWith('kubernetes/production/'))).toBe(true);
    expect(ours.some((a) => a.path.startsWith('helm/staging/'))).toBe(true);
    expect(ours.some((a) => a.path.startsWith('charts/api/templates/'))).toBe(true);
  });
  for (const a of ours) {
    it(a.path, async () => {
      await expect(a.content).toMatchFileSnapshot(`./__golden__/${a.path}`);
    });
  }
});
