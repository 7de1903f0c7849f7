/** The writer: atomic swap, refusal of escaping paths, and the --check tree diff. */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../src/emitters/artifact.js';
import { checkArtifactPath, diffTree, isClean, writeArtifacts } from '../src/writer/index.js';

const art = (path: string, content = `${path}\n`): Artifact => ({ path, content, kind: 'manifest' });
const tmp = () => mkdtempSync(join(tmpdir(), 'innovate-writer-'));

describe('writer', () => {
  it.each(['../escape.json', '/etc/passwd', 'a/../../b', 'a\\b', 'C:/x', '', 'a//b', './a', 'a/\0'])('refuses the path %j', (p) => {
    expect(() => checkArtifactPath(p)).toThrow(/inside the output folder/);
  });

  it('writes a tree and replaces the previous one whole', async () => {
    const out = join(tmp(), 'out');
    await writeArtifacts(out, [art('a.json'), art('k/prod/b.yaml')]);
    expect(readFileSync(join(out, 'k/prod/b.yaml'), 'utf8')).toBe('k/prod/b.yaml\n');
    await writeArtifacts(out, [art('c.json')]);
    expect(readdirSync(out)).toEqual(['c.json']);
    expect(readdirSync(join(out, '..'))).toEqual(['out']); // no staging folders left behind
  });

  it('leaves the previous out/ untouched when writing fails part-way', async () => {
    const out = join(tmp(), 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'old.txt'), 'old\n');
    // "x" as a file and as a folder cannot both exist: the second write fails mid-tree.
    await expect(writeArtifacts(out, [art('a.json'), art('x'), art('x/y')])).rejects.toThrow();
    expect(readdirSync(out)).toEqual(['old.txt']);
    expect(readdirSync(join(out, '..'))).toEqual(['out']);
  });

  it('refuses duplicate paths and escaping paths before writing anything', async () => {
    const out = join(tmp(), 'out');
    await expect(writeArtifacts(out, [art('a'), art('a')])).rejects.toThrow(/share the path/);
    await expect(writeArtifacts(out, [art('ok'), art('../evil')])).rejects.toThrow(/inside the output folder/);
    expect(readdirSync(join(out, '..'))).toEqual([]);
  });

  it('diffs the tree on disk against the artifacts', async () => {
    const out = join(tmp(), 'out');
    await writeArtifacts(out, [art('same'), art('changed'), art('extra')]);
    const diff = await diffTree(out, [art('same'), art('changed', 'new\n'), art('missing')]);
    expect(diff).toEqual({ added: ['missing'], removed: ['extra'], changed: ['changed'] });
    expect(isClean(await diffTree(out, [art('same'), art('changed'), art('extra')]))).toBe(true);
  });
});
