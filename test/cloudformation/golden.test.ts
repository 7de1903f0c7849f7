/**
 * The example's CloudFormation output, committed under test/cloudformation/__golden__/
 * (same relative paths as the artifacts). `npm run goldens` rewrites them; read the diff
 * before committing. Under CI a missing golden fails.
 */
import { describe, expect, it } from 'vitest';
import { compileCfn, EXAMPLE } from './fixtures.js';

describe('example goldens', () => {
  const { artifacts } = compileCfn(EXAMPLE);
  for (const a of artifacts.filter((x) => x.path.startsWith('cloudformation/'))) {
    it(a.path, async () => {
      await expect(a.content).toMatchFileSnapshot(`./__golden__/${a.path.slice('cloudformation/'.length)}`);
    });
  }
});
