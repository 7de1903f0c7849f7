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
 * Runs `task` over `items` with at most `limit` in flight, taking items from the iterable only
 * as a slot frees up (a lazy iterable is rendered a few items at a time, never all at once).
 * After a failure no new task starts, and it rejects only once every task in flight has
 * settled, so cleanup never races a write.
 */
async function forEachLimit<T>(items: Iterable<T>, limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  const it = items[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure) {
      try {
        const next = it.next();
        if (next.done) return;
        await task(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
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

export interface WriteOptions {
  /**
   * Asked once every artifact is staged (after a lazy iterable has been read to its end):
   * false discards the staged tree and leaves `outDir` as it was. @default always true
   */
  readonly commit?: () => boolean;
}

export interface WriteResult {
  /** How many files were staged. */
  readonly written: number;
  /** Whether they replaced `outDir` (false when `commit` declined). */
  readonly committed: boolean;
}

/**
 * Writes the artifacts as the whole content of `outDir`. `artifacts` may be lazy
 * (compileStream): each is taken, written and let go, so a large platform is never held in
 * memory as text all at once. A duplicate or escaping path, like any failed write, aborts the
 * run and leaves the previous `outDir` as it was.
 */
export async function writeArtifacts(outDir: string, artifacts: Iterable<Artifact>, options: WriteOptions = {}): Promise<WriteResult> {
  const target = resolve(outDir);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const existing = await stat(target).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new Error(`${outDir} exists and is not a folder`);
  const staging = await mkdtemp(join(parent, `.${basename(target)}.innovate-`));
  const seen = new Set<string>();
  try {
    // Each folder is created once, by the first file that needs it; the others wait for it.
    const folders = new Map<string, Promise<unknown>>();
    const folder = (dir: string): Promise<unknown> => {
      let made = folders.get(dir);
      if (!made) folders.set(dir, (made = mkdir(dir, { recursive: true })));
      return made;
    };
    await forEachLimit(artifacts, PARALLEL_IO, async (a) => {
      checkArtifactPath(a.path);
      if (seen.has(a.path)) throw new UnsafePathError(`two artifacts share the path "${a.path}"`);
      seen.add(a.path);
      const file = join(staging, ...a.path.split('/'));
      if (!file.startsWith(staging + sep)) throw new UnsafePathError(`refusing to write "${a.path}"`);
      await folder(dirname(file));
      await writeFile(file, a.content, 'utf8');
    });
    if (options.commit && !options.commit()) {
      await rm(staging, { recursive: true, force: true });
      return { written: seen.size, committed: false };
    }
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
  return { written: seen.size, committed: true };
}

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
