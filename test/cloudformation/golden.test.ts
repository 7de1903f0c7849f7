/**
 * The example's CloudFormation output, committed under test/cloudformation/__golden__/
 * (same relative paths as the artifacts). `npm run goldens` rewrites them; read the diff
 * before committing. Under CI a missing golden fails.
 */
import { describe, expect, it } from 'vitest';
import { staleGoldens } from '../helpers.js';
import { compileCfn, EXAMPLE, VARIANTS } from './fixtures.js';

/** Every golden path a test below writes, for the stale-file check at the end. */
const written: string[] = [];

describe('example goldens', () => {
  const { artifacts } = compileCfn(EXAMPLE);
  for (const a of artifacts.filter((x) => x.path.startsWith('cloudformation/'))) {
    written.push(a.path.slice('cloudformation/'.length));
    it(a.path, async () => {
      await expect(a.content).toMatchFileSnapshot(`./__golden__/${a.path.slice('cloudformation/'.length)}`);
    });
  }
});

// The promotion chain's side of the registry: dev's replication rule to both other accounts, each
// target's registry policy, and each CI role's part (build, hop with or without the CVE gate).
describe('three-account promotion chain goldens (registry)', () => {
  const { artifacts } = compileCfn(VARIANTS.chain!);
  for (const a of artifacts.filter((x) => /^cloudformation\/[^/]+\/registry\.json$/.test(x.path))) {
    written.push(`chain/${a.path.slice('cloudformation/'.length)}`);
    it(a.path, async () => {
      await expect(a.content).toMatchFileSnapshot(`./__golden__/chain/${a.path.slice('cloudformation/'.length)}`);
    });
  }
});

it('no golden file is left that no artifact writes (a renamed or dropped artifact)', () => {
  expect(staleGoldens('test/cloudformation/__golden__', written)).toEqual([]);
});
