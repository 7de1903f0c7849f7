/**
 * Whether innovate may replace an output folder. It may only when it owns it: the folder is absent
 * or empty, or holds an innovate.lock.json that innovate wrote and nothing but what that lock lists.
 * The judgement is pure (facts in, a typed refusal or undefined out); gathering the facts is the
 * only I/O here, and it reads without changing anything.
 */
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { LOCK_FILE } from '../pipeline.js';
import { parseLock, type LockData } from './lockfile.js';

/** A folder the output must not be, nor contain: the spec's folder, the working folder. */
export interface ProtectedFolder {
  readonly path: string;
  /** How the message names it, e.g. "the folder of the spec innovate.yaml". */
  readonly name: string;
}

/** Why a folder is refused. Only `stray` may be overridden (--force). */
export type Refusal =
  | { readonly kind: 'root' }
  | { readonly kind: 'home' }
  | { readonly kind: 'protected'; readonly folder: ProtectedFolder; readonly same: boolean }
  | { readonly kind: 'symlink' }
  | { readonly kind: 'not-a-folder' }
  | { readonly kind: 'git' }
  | { readonly kind: 'not-owned'; readonly files: readonly string[] }
  | { readonly kind: 'foreign-lock' }
  | { readonly kind: 'stray'; readonly files: readonly string[] };

/** Where the output would go, every path real (symbolic links of the parents resolved). */
export interface Place {
  readonly target: string;
  /** Where a symbolic link at `target` leads (judged too). */
  readonly real?: string;
  readonly home: string;
  readonly protect: readonly ProtectedFolder[];
  readonly isSymlink: boolean;
  readonly isFolder: boolean | undefined; // undefined: absent
}

const within = (folder: string, path: string): boolean => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

/** Refusals that depend on the path alone, decided before the lock is taken or anything touched. */
export function judgePlace(p: Place): Refusal | undefined {
  for (const t of p.real && p.real !== p.target ? [p.target, p.real] : [p.target]) {
    if (dirname(t) === t) return { kind: 'root' };
    if (within(t, p.home)) return { kind: 'home' };
    for (const folder of p.protect) if (within(t, folder.path)) return { kind: 'protected', folder, same: folder.path === t };
  }
  if (p.isSymlink) return { kind: 'symlink' };
  if (p.isFolder === false) return { kind: 'not-a-folder' };
  return undefined;
}

/** What the folder holds: every file (not folder) under it, '/'-separated, and its lock if readable. */
export interface Contents {
  readonly files: readonly string[];
  readonly hasGit: boolean;
  /** undefined: no lock file; null: a lock file innovate did not write. */
  readonly lock: LockData | null | undefined;
}

/** Refusals that depend on what the folder holds (read under the lock). */
export function judgeContents(c: Contents, force: boolean): Refusal | undefined {
  if (c.hasGit) return { kind: 'git' };
  if (c.files.length === 0) return undefined;
  if (c.lock === undefined) return { kind: 'not-owned', files: c.files };
  if (c.lock === null) return { kind: 'foreign-lock' };
  const listed = new Set(c.lock.artifacts.map((e) => e.path));
  const stray = c.files.filter((f) => f !== LOCK_FILE && !listed.has(f));
  return stray.length > 0 && !force ? { kind: 'stray', files: stray } : undefined;
}

const sample = (files: readonly string[]): string => (files.length <= 5 ? files.join(', ') : `${files.slice(0, 5).join(', ')} and ${files.length - 5} more`);
const count = (n: number) => (n === 1 ? '1 file' : `${n} files`);

/** One line naming the folder and the reason. */
export function describeRefusal(target: string, r: Refusal): string {
  const why = ((): string => {
    switch (r.kind) {
      case 'root':
        return 'it is the root folder';
      case 'home':
        return 'it is the home folder or one of its parents';
      case 'protected':
        return r.same ? `it is ${r.folder.name}` : `it contains ${r.folder.name}`;
      case 'symlink':
        return 'it is a symbolic link; give the folder it points to';
      case 'not-a-folder':
        return 'it exists and is not a folder';
      case 'git':
        return 'it holds a .git repository';
      case 'not-owned':
        return `it holds ${count(r.files.length)} and no ${LOCK_FILE}, so innovate did not write it (${sample(r.files)}); choose an empty or new folder`;
      case 'foreign-lock':
        return `its ${LOCK_FILE} was not written by innovate`;
      case 'stray':
        return `it holds ${count(r.files.length)} innovate did not write: ${sample(r.files)}; move them away, or pass --force to delete them`;
    }
  })();
  return `refusing to replace ${target}: ${why}`;
}

/** Resolves symbolic links in `path`'s parents (the last component stays as named). */
async function realParent(path: string): Promise<string> {
  const parent = dirname(path);
  if (parent === path) return path;
  const real = await realpath(parent).catch(async () => join(await realParent(parent), basename(parent)));
  return join(real, basename(path));
}

const realOr = (path: string) => realpath(path).catch(() => resolve(path));

export async function readPlace(outDir: string, home: string, protect: readonly ProtectedFolder[]): Promise<Place> {
  const target = await realParent(resolve(outDir));
  const info = await lstat(target).catch(() => undefined);
  return {
    target,
    ...(info?.isSymbolicLink() ? { real: await realOr(target) } : {}),
    home: await realOr(home),
    protect: await Promise.all(protect.map(async (f) => ({ ...f, path: await realOr(f.path) }))),
    isSymlink: info?.isSymbolicLink() ?? false,
    isFolder: info ? info.isDirectory() : undefined,
  };
}

export async function readContents(target: string): Promise<Contents> {
  const files: string[] = [];
  let hasGit = false;
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = join(dir, e.name);
      if (dir === target && e.name === '.git') hasGit = true;
      else if (e.isDirectory()) await walk(full);
      else files.push(relative(target, full).split(sep).join('/'));
    }
  };
  await walk(target);
  files.sort();
  if (!files.includes(LOCK_FILE)) return { files, hasGit, lock: undefined };
  const text = await readFile(join(target, LOCK_FILE), 'utf8').catch(() => '');
  return { files, hasGit, lock: parseLock(text) ?? null };
}
