/**
 * The one place artifacts reach the disk, and the owner of out/.
 * - Ownership (ownership.ts): a folder is replaced only when innovate owns it; anything else is
 *   refused, with a reason, before anything is touched.
 * - One writer at a time (lock.ts): a lock file beside out/; a second run says who holds it.
 * - Crash safety (swap.ts): the tree is staged beside out/ and swapped in by two journaled renames;
 *   after a kill at any step the next compile or --check finishes the swap (or keeps the old tree)
 *   and removes the leftovers, so out/ is always one whole tree, old or new.
 * - Narrowed compiles (lockfile.ts): files of environments not compiled are kept, with their lock entries.
 * Paths that would escape out/ are refused before anything is written.
 */
import { copyFile, lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import type { Artifact } from '../emitters/artifact.js';
import { forEachLimit, PARALLEL_IO } from './parallel.js';
import { LOCK_FILE } from '../pipeline.js';
import { acquireLock, OutputBusyError, type Lock } from './lock.js';
import { mergeLock, type LockData, type LockEntry } from './lockfile.js';
import { describeRefusal, judgeContents, judgePlace, readContents, readPlace, type ProtectedFolder, type Refusal } from './ownership.js';
import { finishSwap, leftovers, recover, rollBack, swapPaths, writeJournal, type OnStep, type Recovery, type SwapPaths } from './swap.js';

export { OutputBusyError } from './lock.js';
export { entriesToKeep, mergeLock, parseLock, type LockData, type LockEntry } from './lockfile.js';
export { describeRefusal, judgeContents, judgePlace, type ProtectedFolder, type Refusal } from './ownership.js';
export { recovered, WRITE_STEPS, type OnStep, type Recovery, type WriteStep } from './swap.js';
export { diffTree, isClean, type TreeDiff } from './check.js';

export class UnsafePathError extends Error {}

/** innovate does not own the folder: nothing was touched. */
export class OutputRefusedError extends Error {
  constructor(
    readonly target: string,
    readonly refusal: Refusal,
  ) {
    super(describeRefusal(target, refusal));
  }
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

export interface OpenOptions {
  /** Folders out/ may neither be nor contain (the spec's folder, the working folder). @default none */
  readonly protect?: readonly ProtectedFolder[];
  /** Replace an owned folder even though it holds files innovate did not write. @default false */
  readonly force?: boolean;
  /** The home folder, never replaced. @default os.homedir() */
  readonly home?: string;
  /** Called after each step of the write (tests stop the process there). */
  readonly onStep?: OnStep;
}

export interface WriteOptions {
  /**
   * Asked once every artifact is staged (after a lazy iterable has been read to its end):
   * false discards the staged tree and leaves `outDir` as it was. @default always true
   */
  readonly commit?: () => boolean;
  /**
   * Files of the previous tree to keep, by their lock entries (see entriesToKeep): copied into the
   * new tree and listed in its lock. A path the artifacts also write is taken from the artifacts.
   * @default none
   */
  readonly keep?: readonly LockEntry[];
}

export interface WriteResult {
  /** How many files were staged from the artifacts. */
  readonly written: number;
  /** How many files were kept from the previous tree. */
  readonly kept: number;
  /** Whether they replaced `outDir` (false when `commit` declined). */
  readonly committed: boolean;
}

/** An output folder opened for writing: owned, locked, recovered. Close it when done. */
export interface Output {
  readonly target: string;
  /** The lock of the tree in place, when there is one. */
  readonly previous: LockData | undefined;
  /** What was done to finish or clean up after a killed run. */
  readonly recovery: Recovery;
  write(artifacts: Iterable<Artifact>, options?: WriteOptions): Promise<WriteResult>;
  close(): Promise<void>;
}

/**
 * Opens `outDir` for writing: refuses a folder innovate does not own (OutputRefusedError, nothing
 * touched), takes its lock (OutputBusyError when another run holds it), then finishes or undoes
 * what a killed run left and checks ownership of what is there.
 */
export async function openOutput(outDir: string, options: OpenOptions = {}): Promise<Output> {
  const place = await readPlace(outDir, options.home ?? homedir(), options.protect ?? []);
  const early = judgePlace(place);
  if (early) throw new OutputRefusedError(place.target, early);
  const p = swapPaths(place.target);
  const step: OnStep = options.onStep ?? (() => undefined);
  await mkdir(p.parent, { recursive: true });
  const lock = await acquireLock(p.lock, place.target);
  try {
    await step('locked');
    const recovery = await recover(p);
    await step('recovered');
    const contents = await readContents(p.target);
    const refusal = judgeContents(contents, options.force ?? false);
    if (refusal) throw new OutputRefusedError(p.target, refusal);
    const previous = contents.lock ?? undefined;
    let used = false;
    return {
      target: p.target,
      previous,
      recovery,
      write: (artifacts, o = {}) => {
        if (used) throw new Error('an Output writes once');
        used = true;
        return stageAndSwap(p, artifacts, o, step);
      },
      close: () => lock.release(),
    };
  } catch (e) {
    await lock.release();
    throw e;
  }
}

async function stageAndSwap(p: SwapPaths, artifacts: Iterable<Artifact>, options: WriteOptions, step: OnStep): Promise<WriteResult> {
  // mkdir (not mkdtemp, whose folders are 0700): the tree gets the modes the umask gives.
  const name = `${p.prefix}${randomBytes(6).toString('hex')}`;
  const staging = join(p.parent, name);
  await mkdir(staging);
  await step('staging');
  const seen = new Set<string>();
  let journal: { staging: string; old: string | null } | undefined;
  try {
    // Each folder is created once, by the first file that needs it; the others wait for it.
    const folders = new Map<string, Promise<unknown>>();
    const folder = (dir: string): Promise<unknown> => {
      let made = folders.get(dir);
      if (!made) folders.set(dir, (made = mkdir(dir, { recursive: true })));
      return made;
    };
    const fileOf = (path: string) => {
      const file = join(staging, ...path.split('/'));
      if (!file.startsWith(staging + sep)) throw new UnsafePathError(`refusing to write "${path}"`);
      return file;
    };
    // Kept files first, so the lock (the last artifact) lists only those really copied.
    const kept: LockEntry[] = [];
    for (const e of options.keep ?? []) {
      checkArtifactPath(e.path);
      const file = fileOf(e.path);
      await folder(dirname(file));
      const copied = await copyFile(join(p.target, ...e.path.split('/')), file).then(
        () => true,
        () => false, // deleted by hand since: nothing to keep
      );
      if (copied) kept.push(e);
    }
    const keptPaths = new Set(kept.map((e) => e.path));
    let first = true;
    await forEachLimit(artifacts, PARALLEL_IO, async (a) => {
      checkArtifactPath(a.path);
      if (seen.has(a.path)) throw new UnsafePathError(`two artifacts share the path "${a.path}"`);
      seen.add(a.path);
      const file = fileOf(a.path);
      await folder(dirname(file));
      const content = a.path === LOCK_FILE ? mergeLock(a, kept.filter((e) => !seen.has(e.path))).content : a.content;
      if (keptPaths.has(a.path)) await rm(file, { force: true }); // the artifact wins over a kept file
      await writeFile(file, content, 'utf8');
      if (first) {
        first = false;
        await step('writing');
      }
    });
    const keptCount = kept.filter((e) => !seen.has(e.path)).length;
    if (options.commit && !options.commit()) {
      await rm(staging, { recursive: true, force: true });
      return { written: seen.size, kept: keptCount, committed: false };
    }
    await step('staged');
    const hadOld = await lstat(p.target).then(
      () => true,
      () => false,
    );
    journal = { staging: name, old: hadOld ? `${name}.old` : null };
    await writeJournal(p, journal);
    await step('journaled');
    await finishSwap(p, journal, step);
    await step('done');
    return { written: seen.size, kept: keptCount, committed: true };
  } catch (e) {
    if (journal) await rollBack(p, journal).catch(() => undefined);
    else await rm(staging, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Writes the artifacts as the whole content of `outDir` (open, write, close). `artifacts` may be
 * lazy (compileStream): each is taken, written and let go, so a large platform is never held in
 * memory as text all at once. A duplicate or escaping path, like any failed write, aborts the
 * run and leaves the previous `outDir` as it was.
 */
export async function writeArtifacts(outDir: string, artifacts: Iterable<Artifact>, options: WriteOptions & OpenOptions = {}): Promise<WriteResult> {
  const output = await openOutput(outDir, options);
  try {
    return await output.write(artifacts, options);
  } finally {
    await output.close();
  }
}

/**
 * For --check, which writes no output: if a killed run left anything beside `outDir` (a journal,
 * a staged or old tree, a lock), takes the lock and recovers as the next compile would. Undefined
 * when there was nothing to do; OutputBusyError while another run writes the folder.
 */
export async function recoverOutput(outDir: string): Promise<Recovery | undefined> {
  const p = swapPaths(resolve(outDir));
  const left = await leftovers(p);
  const hasLock = await readFile(p.lock).then(
    () => true,
    () => false,
  );
  if (left.length === 0 && !hasLock) return undefined;
  let lock: Lock;
  try {
    lock = await acquireLock(p.lock, p.target);
  } catch (e) {
    if (e instanceof OutputBusyError) throw e;
    return undefined; // cannot write beside it (a read-only checkout): compare what is there
  }
  try {
    return await recover(p);
  } finally {
    await lock.release();
  }
}
