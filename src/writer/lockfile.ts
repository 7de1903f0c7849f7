/**
 * Reading innovate.lock.json back from disk: how the writer knows which files of an output folder
 * innovate wrote (ownership), and which to keep when a compile is limited to some environments.
 * The pipeline writes the lock; this reads it and merges kept entries into a new one.
 */
import type { Artifact } from '../emitters/artifact.js';
import { toJson } from '../emitters/serialize.js';

/** One artifact as innovate.lock.json lists it. */
export interface LockEntry {
  readonly path: string;
  readonly kind: Artifact['kind'];
  readonly environment?: string;
  readonly sha256: string;
}

export interface LockData {
  readonly innovateVersion: string;
  readonly artifacts: readonly LockEntry[];
}

const isEntry = (e: unknown): e is LockEntry => {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Partial<Record<keyof LockEntry, unknown>>;
  return typeof x.path === 'string' && typeof x.kind === 'string' && typeof x.sha256 === 'string' && (x.environment === undefined || typeof x.environment === 'string');
};

/** The lock's data when `text` has the shape innovate writes; undefined for anything else. */
export function parseLock(text: string): LockData | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as { innovateVersion?: unknown; artifacts?: unknown };
  if (typeof d.innovateVersion !== 'string' || !Array.isArray(d.artifacts) || !d.artifacts.every(isEntry)) return undefined;
  return { innovateVersion: d.innovateVersion, artifacts: d.artifacts };
}

/**
 * What a compile limited to `selected` environments keeps from the previous lock: the entries of
 * every other environment. Shared files (no environment) are always rewritten.
 */
export function entriesToKeep(previous: LockData | undefined, selected: readonly string[]): LockEntry[] {
  if (!previous) return [];
  return previous.artifacts.filter((e) => e.environment !== undefined && !selected.includes(e.environment));
}

const byPath = (a: LockEntry, b: LockEntry): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * The new lock with the kept entries listed too, in path order; a kept entry for a path the new
 * lock already lists is dropped (what was just compiled wins). The lock unchanged when nothing is kept.
 */
export function mergeLock(lock: Artifact, kept: readonly LockEntry[]): Artifact {
  if (kept.length === 0) return lock;
  const data = parseLock(lock.content);
  if (!data) return lock;
  const have = new Set(data.artifacts.map((e) => e.path));
  const artifacts = [...data.artifacts, ...kept.filter((e) => !have.has(e.path))].sort(byPath);
  return { ...lock, content: toJson({ innovateVersion: data.innovateVersion, artifacts }) };
}
