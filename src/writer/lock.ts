/**
 * One writer per output folder at a time: an exclusive lock file beside it (`.out.innovate.lock`)
 * holding the writer's pid, host and a random token.
 *
 * 1. The lock is created whole or not at all: written to a private file, then hard-linked to its
 *    name (link fails when the name exists), so nobody ever reads a half-written lock.
 * 2. A lock whose pid is dead on this host is stale (its writer was killed). It is removed only
 *    under a second lock (`….takeover`), and only if it still holds the token judged stale, so two
 *    runs that find the same stale lock cannot both take it.
 * 3. Released by the holder only if the file still holds its token. A lock with this process's pid
 *    and a token it does not hold is stale too (a pid reused, as pid 1 is in every container).
 * A lock from another host, or from a live pid, is never broken: the run says who holds it.
 */
import { randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

export interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

export class OutputBusyError extends Error {}

export interface Lock {
  readonly path: string;
  release(): Promise<void>;
}

const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;

/** Tokens of the locks this process holds or is taking: a lock with our pid and another token is a dead process's (pid reuse, e.g. pid 1 in containers). */
const held = new Set<string>();

/** Whether `holder` may still be writing: a live pid here, or any lock from another host. */
export function isAlive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  if (holder.pid === process.pid) return held.has(holder.token);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (e) {
    return errno(e) === 'EPERM';
  }
}

/** The lock's holder; 'gone' when there is no lock; a holder with pid 0 when unreadable (stale). */
async function readHolder(path: string): Promise<Holder | 'gone'> {
  try {
    const h = JSON.parse(await readFile(path, 'utf8')) as Partial<Holder>;
    return { pid: Number(h.pid), host: String(h.host), token: String(h.token) };
  } catch (e) {
    return errno(e) === 'ENOENT' ? 'gone' : { pid: 0, host: hostname(), token: '' };
  }
}

/** Creates `path` holding `text`, whole, unless it exists (then false). */
async function createWhole(path: string, text: string): Promise<boolean> {
  const own = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(own, text, { flag: 'wx' });
  try {
    await link(own, path);
    return true;
  } catch (e) {
    if (errno(e) === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(own).catch(() => undefined);
  }
}

async function unlinkIfHeldBy(path: string, token: string): Promise<void> {
  const now = await readHolder(path);
  if (now !== 'gone' && now.token === token) await unlink(path).catch(() => undefined);
}

const busy = (what: string, lockPath: string, h: Holder) =>
  new OutputBusyError(
    `${what} is being written by another innovate (pid ${h.pid}${h.host === hostname() ? '' : ` on ${h.host}`}); try again when it has finished, or remove ${lockPath} if no innovate is running`,
  );

/** Takes the lock at `path` for the folder `what`, or throws OutputBusyError naming its holder. */
export async function acquireLock(path: string, what: string): Promise<Lock> {
  const me: Holder = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  const text = `${JSON.stringify(me)}\n`;
  const lock: Lock = {
    path,
    release: async () => {
      await unlinkIfHeldBy(path, me.token);
      held.delete(me.token);
    },
  };
  held.add(me.token); // from now on, a lock or takeover file with this token is a live one
  try {
    return await take(path, text, what, lock);
  } catch (e) {
    held.delete(me.token);
    throw e;
  }
}

async function take(path: string, text: string, what: string, lock: Lock): Promise<Lock> {
  for (let attempt = 0; attempt < 8; attempt++) {
    if (await createWhole(path, text)) return lock;
    const holder = await readHolder(path);
    if (holder === 'gone') continue; // released meanwhile
    if (isAlive(holder)) throw busy(what, path, holder);
    const takeover = `${path}.takeover`;
    if (!(await createWhole(takeover, text))) {
      const other = await readHolder(takeover);
      if (other !== 'gone' && isAlive(other)) throw busy(what, path, other);
      if (other !== 'gone') await unlinkIfHeldBy(takeover, other.token); // its taker was killed in the act
      continue;
    }
    try {
      await unlinkIfHeldBy(path, holder.token); // still the stale lock judged above, or left alone
    } finally {
      await unlink(takeover).catch(() => undefined);
    }
  }
  const last = await readHolder(path);
  throw busy(what, path, last === 'gone' ? { pid: 0, host: hostname(), token: '' } : last);
}
