/**
 * The one place artifacts reach the disk. The whole tree is written to a temporary
 * folder beside the target and swapped in with renames, so a failure at any point
 * leaves the previous out/ untouched. Paths that would escape out/ are refused before
 * anything is written.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Artifact } from '../emitters/artifact.js';

export class UnsafePathError extends Error {}

/** How many file operations run at once. */
const PARALLEL_IO = 64;

/**
 * Runs `task` over `items` with at most `limit` in flight. After a failure no new task starts,
 * and it rejects only once every task in flight has settled, so cleanup never races a write.
 */
async function forEachLimit<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      try {
        await task(items[next++]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

/** A relative, '/'-separated path with no '..', no absolute root, no backslash, no NUL. */
export function checkArtifactPath(path: string): void {
  const bad =
    path === '' ||
    path.startsWith('/') ||
    /^[A-Za-z]:/.test(path) ||
    path.includes('\\') ||
    path.includes('\0') ||
    path.split('/').some((seg) => seg === '..' || seg === '.' || seg === '');
  if (bad) throw new UnsafePathError(`refusing to write "${path}": artifact paths must stay inside the output folder`);
}

export async function writeArtifacts(outDir: string, artifacts: readonly Artifact[]): Promise<void> {
  const seen = new Set<string>();
  for (const a of artifacts) {
    checkArtifactPath(a.path);
    if (seen.has(a.path)) throw new UnsafePathError(`two artifacts share the path "${a.path}"`);
    seen.add(a.path);
  }
  const target = resolve(outDir);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const existing = await stat(target).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new Error(`${outDir} exists and is not a folder`);
  const staging = await mkdtemp(join(parent, `.${basename(target)}.innovate-`));
  try {
    const files = artifacts.map((a) => ({ file: join(staging, ...a.path.split('/')), content: a.content, path: a.path }));
    for (const f of files) if (!f.file.startsWith(staging + sep)) throw new UnsafePathError(`refusing to write "${f.path}"`);
    // Folders first (parents before children), then the files, many at a time: a large platform is
    // tens of thousands of files, and one write at a time left the disk idle between calls.
    const dirs = [...new Set(files.map((f) => dirname(f.file)))].sort();
    for (const d of dirs) await mkdir(d, { recursive: true });
    await forEachLimit(files, PARALLEL_IO, (f) => writeFile(f.file, f.content, 'utf8'));
    if (existing) {
      const old = `${staging}.old`;
      await rename(target, old);
      try {
        await rename(staging, target);
      } catch (e) {
        await rename(old, target); // put the previous tree back
        throw e;
      }
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(staging, target);
    }
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}

export interface TreeDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export const isClean = (d: TreeDiff): boolean => d.added.length + d.removed.length + d.changed.length === 0;

/** What `compile --check` reports: artifacts missing from, extra in, or different on disk. */
export async function diffTree(outDir: string, artifacts: readonly Artifact[]): Promise<TreeDiff> {
  const target = resolve(outDir);
  const onDisk = await listFiles(target);
  const wanted = new Map(artifacts.map((a) => [a.path, a.content]));
  const added = [...wanted.keys()].filter((p) => !onDisk.has(p));
  const changed: string[] = [];
  await forEachLimit(
    [...wanted].filter(([p]) => onDisk.has(p)),
    PARALLEL_IO,
    async ([path, content]) => {
      if ((await readFile(join(target, ...path.split('/')), 'utf8')) !== content) changed.push(path);
    },
  );
  const removed = [...onDisk].filter((p) => !wanted.has(p));
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
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
