/**
 * Issue 20 §2: every action the generated workflows use is pinned to the newest release of its own
 * repository (test/fixtures/actions/releases.json, read with git from the repositories by
 * scripts/actions/read-releases.mjs), on a node24 runtime, with the version beside the SHA.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ACTIONS } from '../../src/emitters/ci/index.js';
import { EXAMPLE } from '../helpers.js';
import { compileOk } from './support.js';

const releases = JSON.parse(readFileSync(new URL('../fixtures/actions/releases.json', import.meta.url), 'utf8')) as {
  retrieved: string;
  actions: Record<string, { version: string; sha: string; tagged: string; runtime: string }>;
};
const repoOf = (uses: string): string => uses.split('/').slice(0, 2).join('/');

describe('action pins (issue 20 §2)', () => {
  it.each(Object.entries(ACTIONS))('%s is the newest release of its repository, by SHA', (_name, a) => {
    const r = releases.actions[repoOf(a.uses)];
    expect(r, `${a.uses} missing from releases.json`).toBeDefined();
    expect({ version: a.version, sha: a.sha, tagged: a.tagged }).toEqual({ version: r!.version, sha: r!.sha, tagged: r!.tagged });
  });

  it('every pinned release runs on node24 or is a composite action (GitHub retires node20)', () => {
    for (const a of Object.values(ACTIONS)) expect(['node24', 'composite']).toContain(releases.actions[repoOf(a.uses)]!.runtime);
  });

  it('every uses: line of every generated workflow is a 40-hex SHA followed by its version comment', () => {
    const workflows = compileOk(EXAMPLE).artifacts.filter((a) => a.path.startsWith('github/workflows/'));
    expect(workflows.length).toBeGreaterThan(0);
    const bySha = new Map<string, string>(Object.values(ACTIONS).map((a) => [a.sha, a.version]));
    for (const w of workflows) {
      for (const line of w.content.split('\n').filter((l) => /^\s*(- )?uses: /.test(l))) {
        const m = /uses: ([^@\s]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
        expect(m, `${w.path}: ${line}`).not.toBeNull();
        expect(bySha.get(m![2]!)).toBe(m![3]);
      }
    }
  });
});
