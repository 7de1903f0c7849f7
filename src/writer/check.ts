/** What `compile --check` compares: the artifacts against the files on disk, one at a time. */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Artifact } from '../emitters/artifact.js';
import { forEachLimit, PARALLEL_IO } from './parallel.js';

export interface TreeDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export const isClean = (d: TreeDiff): boolean => d.added.length + d.removed.length + d.changed.length === 0;

/**
 * What `compile --check` reports: artifacts missing from, extra in, or different on disk.
 * Like writeArtifacts, it takes a lazy iterable one artifact at a time.
 */
export async function diffTree(outDir: string, artifacts: Iterable<Artifact>): Promise<TreeDiff & { readonly compared: number }> {
  const target = resolve(outDir);
  const onDisk = await listFiles(target);
  const seen = new Set<string>();
  const added: string[] = [];
  const changed: string[] = [];
  await forEachLimit(artifacts, PARALLEL_IO, async (a) => {
    seen.add(a.path);
    if (!onDisk.has(a.path)) added.push(a.path);
    else if ((await readFile(join(target, ...a.path.split('/')), 'utf8')) !== a.content) changed.push(a.path);
  });
  const removed = [...onDisk].filter((p) => !seen.has(p));
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort(), compared: seen.size };
}

async function listFiles(root: string): Promise<Set<string>> {
  const out = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else out.add(relative(root, full).split(sep).join('/'));
    }
  };
  await walk(root);
  return out;
}
