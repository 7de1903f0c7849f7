/** Named trees the writer tests write and recognise: each file's content names its tree. */
import type { Artifact } from '../../src/emitters/artifact.js';
import { art, withLock } from './helpers.js';

/** 60 files in a few folders, plus the lock; every content says which tree it belongs to. */
export function tree(name: string): Artifact[] {
  const files = Array.from({ length: 60 }, (_, i) => art(`${name}/d${i % 4}/f${i}.txt`, `${name} ${i}\n`));
  return withLock([...files, art('shared.txt', `${name}\n`)]);
}

/** path -> content, as the tree would be on disk. */
export const treeFiles = (name: string): Record<string, string> => Object.fromEntries(tree(name).map((a) => [a.path, a.content]));
