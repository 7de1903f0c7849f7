/**
 * Golden files of the delivery artifacts of the example (workflows, renovate.json, bootstrap scripts, Dockerfiles, nginx.conf,
 * docs/ARCHITECTURE.md), committed under __golden__/ with the artifact's path. Refresh with
 * `npm run goldens` and read the diff; in CI a missing or different golden fails.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLE, staleGoldens, WORKERS_EXAMPLE } from '../helpers.js';
import { compileOk } from './support.js';

/** Every golden path a test below writes, for the stale-file check at the end. */
const written: string[] = [];

describe('delivery goldens of examples/innovate.yaml', () => {
  const ours = compileOk(EXAMPLE).artifacts.filter((a) => a.kind === 'ci' || a.kind === 'config' || a.kind === 'script' || a.kind === 'dockerfile' || a.kind === 'docs');
  it('covers workflows, Dockerfiles and the architecture document', () => {
    expect(ours.map((a) => a.path.split('/')[0])).toEqual(expect.arrayContaining(['github', 'docker', 'docs']));
  });
  for (const a of ours) {
    written.push(a.path);
    it(a.path, async () => {
      await expect(a.content).toMatchFileSnapshot(`./__golden__/${a.path}`);
    });
  }
});

describe('delivery goldens of examples/workers.yaml', () => {
  const ours = compileOk(WORKERS_EXAMPLE).artifacts.filter((a) => a.kind === 'ci' || a.kind === 'dockerfile');
  it('generates a Dockerfile for the flask worker only: the container workloads build their own', () => {
    expect(ours.filter((a) => a.path.endsWith('/Dockerfile')).map((a) => a.path)).toEqual(['docker/order-events/Dockerfile']);
  });
  for (const a of ours) {
    written.push(`workers/${a.path}`);
    it(a.path, async () => {
      await expect(a.content).toMatchFileSnapshot(`./__golden__/workers/${a.path}`);
    });
  }
});

it('no golden file is left that no artifact writes (a renamed or dropped artifact)', () => {
  expect(staleGoldens('test/delivery/__golden__', written)).toEqual([]);
});
