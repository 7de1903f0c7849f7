/** The writer: atomic swap, refusal of escaping paths, and the --check tree diff. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../src/emitters/artifact.js';
import { checkArtifactPath, diffTree, isClean, writeArtifacts } from '../src/writer/index.js';
import { art, owned, tmp, withLock } from './writer/helpers.js';

describe('writer', () => {
  it.each(['../escape.json', '/etc/passwd', 'a/../../b', 'a\\b', 'C:/x', '', 'a//b', './a', 'a/\0'])('refuses the path %j', (p) => {
    expect(() => checkArtifactPath(p)).toThrow(/inside the output folder/);
  });

  it('writes a tree and replaces the previous one whole', async () => {
    const out = join(tmp(), 'out');
    await writeArtifacts(out, withLock([art('a.json'), art('k/prod/b.yaml')]));
    expect(readFileSync(join(out, 'k/prod/b.yaml'), 'utf8')).toBe('k/prod/b.yaml\n');
    await writeArtifacts(out, withLock([art('c.json')]));
    expect(readdirSync(out)).toEqual(['c.json', 'innovate.lock.json']);
    expect(readdirSync(join(out, '..'))).toEqual(['out']); // no staging folders left behind
  });

  it('leaves the previous out/ untouched when writing fails part-way', async () => {
    const out = join(tmp(), 'out');
    owned(out, ['old.txt']);
    // "x" as a file and as a folder cannot both exist: the second write fails mid-tree.
    await expect(writeArtifacts(out, [art('a.json'), art('x'), art('x/y')])).rejects.toThrow();
    expect(readdirSync(out)).toEqual(['innovate.lock.json', 'old.txt']);
    expect(readdirSync(join(out, '..'))).toEqual(['out']);
  });

  it('refuses duplicate paths and escaping paths, and leaves nothing behind', async () => {
    const out = join(tmp(), 'out');
    await expect(writeArtifacts(out, [art('a'), art('a')])).rejects.toThrow(/share the path/);
    await expect(writeArtifacts(out, [art('ok'), art('../evil')])).rejects.toThrow(/inside the output folder/);
    expect(readdirSync(join(out, '..'))).toEqual([]);
  });

  it('diffs the tree on disk against the artifacts', async () => {
    const out = join(tmp(), 'out');
    await writeArtifacts(out, [art('same'), art('changed'), art('extra')]);
    const diff = await diffTree(out, [art('same'), art('changed', 'new\n'), art('missing')]);
    expect(diff).toEqual({ added: ['missing'], removed: ['extra'], changed: ['changed'], compared: 3 });
    expect(isClean(await diffTree(out, [art('same'), art('changed'), art('extra')]))).toBe(true);
  });

  it('takes a lazy iterable a few artifacts at a time, never all of it up front', async () => {
    const out = join(tmp(), 'out');
    let taken = 0;
    let read = 0;
    let mostAhead = 0;
    function* many(): Generator<Artifact> {
      for (let i = 0; i < 500; i++) {
        taken++;
        mostAhead = Math.max(mostAhead, taken - read);
        const path = `d${i % 7}/f${i}.txt`;
        yield { path, kind: 'manifest', get content() { read++; return `${path}\n`; } };
      }
    }
    expect(await writeArtifacts(out, many())).toEqual({ written: 500, kept: 0, committed: true });
    expect(mostAhead).toBeLessThanOrEqual(64); // at most one per write in flight
    expect(readdirSync(join(out, 'd3')).length).toBe(71);
    expect(readFileSync(join(out, 'd2/f499.txt'), 'utf8')).toBe('d2/f499.txt\n');
    expect((await diffTree(out, many())).compared).toBe(500);
  });

  it('discards the staged tree when commit declines, after reading every artifact', async () => {
    const out = join(tmp(), 'out');
    owned(out, ['old.txt']);
    let read = 0;
    function* two(): Generator<Artifact> {
      yield art('a.txt');
      yield art('b.txt');
      read = 2;
    }
    expect(await writeArtifacts(out, two(), { commit: () => read === 0 })).toEqual({ written: 2, kept: 0, committed: false });
    expect(readdirSync(out)).toEqual(['innovate.lock.json', 'old.txt']);
    expect(readdirSync(join(out, '..'))).toEqual(['out']);
  });

  it('fails cleanly when the lazy iterable throws part-way', async () => {
    const out = join(tmp(), 'out');
    owned(out, ['old.txt']);
    function* broken(): Generator<Artifact> {
      yield art('a.txt');
      throw new Error('render failed');
    }
    await expect(writeArtifacts(out, broken())).rejects.toThrow('render failed');
    expect(readdirSync(out)).toEqual(['innovate.lock.json', 'old.txt']);
    expect(readdirSync(join(out, '..'))).toEqual(['out']);
  });
});
