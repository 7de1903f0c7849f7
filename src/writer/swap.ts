/**
 * Replacing out/ by a staged tree so that a kill at any step leaves something the next run can
 * finish. Node has no atomic exchange of two folders, so the swap is two renames, recorded first
 * in a journal beside the target (`.out.innovate.journal`, written whole by rename):
 *
 *   staged   the new tree is complete in `.out.innovate-<id>`      (no journal: old tree wins)
 *   journal  { staging, old } written                               (from here the new tree wins)
 *   b        out/ renamed to `.out.innovate-<id>.old` (if there was one)
 *   c        staging renamed to out/
 *   d        the old tree removed, then the journal
 *
 * recover() (run under the folder's lock by the next compile or --check) reads the journal and
 * redoes what is left of b–d, which are idempotent; without a journal it keeps out/ as it is. Then
 * it removes every `.out.innovate-*` beside out/: only a writer holding the lock makes them, so
 * under the lock they are all leftovers of a killed run.
 */
import { lstat, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { isAlive } from './lock.js';
import { hostname } from 'node:os';

/** The names beside a target folder that belong to its writer. */
export interface SwapPaths {
  readonly target: string;
  readonly parent: string;
  readonly lock: string;
  readonly journal: string;
  /** Staging folders, old trees and temporary journals start with this. */
  readonly prefix: string;
}

export function swapPaths(target: string): SwapPaths {
  const parent = dirname(target);
  const base = basename(target);
  return { target, parent, lock: join(parent, `.${base}.innovate.lock`), journal: join(parent, `.${base}.innovate.journal`), prefix: `.${base}.innovate-` };
}

/** Names (in the parent folder) of the staged tree and of where the old tree goes (null: none). */
export interface Journal {
  readonly staging: string;
  readonly old: string | null;
}

/** The steps a write goes through; a test kills the writer at each. */
export const WRITE_STEPS = ['locked', 'recovered', 'staging', 'writing', 'staged', 'journaled', 'moved-old', 'swapped', 'removed-old', 'done'] as const;
export type WriteStep = (typeof WRITE_STEPS)[number];
export type OnStep = (step: WriteStep) => void | Promise<void>;

const exists = (path: string) => lstat(path).then(
  () => true,
  () => false,
);

export async function writeJournal(p: SwapPaths, j: Journal): Promise<void> {
  const tmp = join(p.parent, `${p.prefix}journal-${randomBytes(4).toString('hex')}`);
  await writeFile(tmp, `${JSON.stringify(j)}\n`, { flag: 'wx' });
  await rename(tmp, p.journal);
}

/** The journal, if there is one that names folders of this target (anything else is ignored). */
async function readJournal(p: SwapPaths): Promise<Journal | 'corrupt' | undefined> {
  const text = await readFile(p.journal, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const j = JSON.parse(text) as Partial<Journal>;
    const ours = (n: unknown): n is string => typeof n === 'string' && n.startsWith(p.prefix) && !n.includes('/') && !n.includes('\\');
    if (ours(j.staging) && (j.old === null || ours(j.old))) return { staging: j.staging, old: j.old };
  } catch {
    // fall through
  }
  return 'corrupt';
}

/** Steps b–d from wherever a run stopped: idempotent, so recovery and a normal write share it. */
export async function finishSwap(p: SwapPaths, j: Journal, onStep: OnStep = () => undefined): Promise<void> {
  const staging = join(p.parent, j.staging);
  const old = j.old === null ? undefined : join(p.parent, j.old);
  if (await exists(staging)) {
    if (old && !(await exists(old)) && (await exists(p.target))) {
      await rename(p.target, old);
      await onStep('moved-old');
    }
    await rename(staging, p.target);
    await onStep('swapped');
  } else if (old && !(await exists(p.target)) && (await exists(old))) {
    await rename(old, p.target); // the new tree is gone (removed by hand): the old one is whole
  }
  if (old) {
    await rm(old, { recursive: true, force: true });
    await onStep('removed-old');
  }
  await rm(p.journal, { force: true });
}

/** After a failure of b–d in this process: the old tree back in place, the staged one dropped. */
export async function rollBack(p: SwapPaths, j: Journal): Promise<void> {
  const old = j.old === null ? undefined : join(p.parent, j.old);
  if (old && !(await exists(p.target)) && (await exists(old))) await rename(old, p.target);
  await rm(join(p.parent, j.staging), { recursive: true, force: true });
  await rm(p.journal, { force: true });
}

export interface Recovery {
  /** An interrupted swap was finished: out/ now holds the tree that run had staged. */
  readonly finished: boolean;
  /** out/ was missing and the old tree left by an earlier innovate version was put back. */
  readonly restoredOld: boolean;
  /** Leftovers removed (names beside out/). */
  readonly removed: readonly string[];
}

export const recovered = (r: Recovery): boolean => r.finished || r.restoredOld || r.removed.length > 0;

/** Lists what a killed run left beside out/, without changing anything. */
export async function leftovers(p: SwapPaths): Promise<string[]> {
  const lockName = basename(p.lock);
  const names = await readdir(p.parent).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(p.prefix) || n === basename(p.journal) || n.startsWith(`${lockName}.`)).sort();
}

/** Run under the lock: finish or undo what a killed run left, then remove its leftovers. */
export async function recover(p: SwapPaths): Promise<Recovery> {
  const journal = await readJournal(p);
  let finished = false;
  if (journal === 'corrupt') await rm(p.journal, { force: true });
  else if (journal) {
    await finishSwap(p, journal);
    finished = true;
  }
  let restoredOld = false;
  const rest = (await leftovers(p)).filter((n) => n !== basename(p.journal));
  if (!journal && !(await exists(p.target))) {
    // Only writers before the journal left an old tree without one (killed between their renames).
    const olds = rest.filter((n) => n.startsWith(p.prefix) && n.endsWith('.old'));
    const newest = (await Promise.all(olds.map(async (n) => ({ n, t: (await stat(join(p.parent, n))).mtimeMs })))).sort((a, b) => b.t - a.t)[0];
    if (newest) {
      await rename(join(p.parent, newest.n), p.target);
      restoredOld = true;
      rest.splice(rest.indexOf(newest.n), 1);
    }
  }
  const removed: string[] = [];
  const lockName = basename(p.lock);
  for (const n of rest) {
    if (n.startsWith(`${lockName}.`)) {
      // A lock's private file (`.out.innovate.lock.<pid>.<hex>`) or a takeover: only a dead pid's.
      const pid = Number(/^\.[^]*\.innovate\.lock\.(\d+)\.[0-9a-f]+$/.exec(n)?.[1] ?? NaN);
      if (!Number.isInteger(pid) || pid === process.pid || isAlive({ pid, host: hostname(), token: '' })) continue;
    }
    await rm(join(p.parent, n), { recursive: true, force: true });
    removed.push(n);
  }
  return { finished, restoredOld, removed };
}
