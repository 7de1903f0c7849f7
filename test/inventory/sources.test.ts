import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM scripts without type declarations
import { generateAll, ROOT } from '../../scripts/inventory/generate.mjs';
// @ts-expect-error plain ESM scripts without type declarations
import { currentLock, sourceRows } from '../../scripts/inventory/lock.mjs';
import lock from './sources.lock.json' with { type: 'json' };

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));

type Lock = Record<string, { source: string; sha256: string }>;

describe('vendored inventory', () => {
  const rows: Map<string, string> = sourceRows(ROOT);
  const now: Lock = currentLock(ROOT);
  const locked = lock as Lock;

  it('names every vendored file in inventory/SOURCES.md, and every named file exists', () => {
    const vendored = walk(join(ROOT, 'inventory'))
      .map((p) => relative(ROOT, p))
      .filter((p) => p !== 'inventory/SOURCES.md')
      .sort();
    expect(vendored.filter((f) => !rows.has(f))).toEqual([]);
    expect([...rows.keys()].filter((f) => !statSync(join(ROOT, f), { throwIfNoEntry: false }))).toEqual([]);
  });

  it('holds each file with its source line: a file changed without a new SOURCES.md line fails', () => {
    expect(Object.keys(now).sort()).toEqual(Object.keys(locked).sort());
    for (const [file, { source, sha256 }] of Object.entries(now)) {
      const was = locked[file]!;
      if (sha256 !== was.sha256 && source === was.source) {
        throw new Error(`${file} changed but its line in inventory/SOURCES.md did not: state the new source, version and date, then run node scripts/inventory/lock.mjs`);
      }
      expect({ file, source, sha256 }).toEqual({ file, ...was });
    }
  });

  it('the generated modules are what scripts/inventory/generate.mjs makes of the vendored files', () => {
    for (const [path, content] of Object.entries(generateAll(ROOT) as Record<string, string>)) {
      expect(readFileSync(join(ROOT, path), 'utf8'), `${path} is stale: run node scripts/inventory/generate.mjs`).toBe(content);
    }
  });
});
