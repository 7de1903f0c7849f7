#!/usr/bin/env node
// The lock test/inventory/sources.test.ts compares against: for every row of inventory/SOURCES.md, the
// row itself and the sha256 of the file it names. `node scripts/inventory/lock.mjs` rewrites
// test/inventory/sources.lock.json; run it only after updating the row for a changed file.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './generate.mjs';

/** Rows of inventory/SOURCES.md's table: file (repository-relative) -> the whole row. */
export function sourceRows(root = ROOT) {
  const rows = new Map();
  for (const line of readFileSync(join(root, 'inventory/SOURCES.md'), 'utf8').split('\n')) {
    const m = /^\| `([^`]+)` \|/.exec(line);
    if (m) {
      if (rows.has(m[1])) throw new Error(`inventory/SOURCES.md lists ${m[1]} twice`);
      rows.set(m[1], line);
    }
  }
  return rows;
}

export const sha256 = (root, file) => createHash('sha256').update(readFileSync(join(root, file))).digest('hex');

export function currentLock(root = ROOT) {
  const lock = {};
  for (const [file, source] of sourceRows(root)) lock[file] = { source, sha256: sha256(root, file) };
  return lock;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = join(ROOT, 'test/inventory/sources.lock.json');
  const previous = JSON.parse(readFileSync(path, 'utf8'));
  const next = currentLock();
  const stale = Object.keys(next).filter((f) => previous[f] && previous[f].sha256 !== next[f].sha256 && previous[f].source === next[f].source);
  if (stale.length > 0) {
    console.error(`changed without a new line in inventory/SOURCES.md (source, version, date): ${stale.join(', ')}`);
    process.exit(1);
  }
  writeFileSync(path, `${JSON.stringify(next, null, 2)}\n`);
  console.log('wrote test/inventory/sources.lock.json');
}
