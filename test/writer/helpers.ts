/** Shared by the writer tests: artifacts, an owned out/ (with a lock innovate would write), temp folders. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import type { Artifact } from '../../src/emitters/artifact.js';
import { sha256 } from '../../src/pipeline.js';
import { toJson } from '../../src/emitters/serialize.js';

export const art = (path: string, content = `${path}\n`, environment?: string): Artifact =>
  environment ? { path, content, kind: 'manifest', environment } : { path, content, kind: 'manifest' };

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'innovate-writer-'));

/** The lock file innovate writes for these artifacts. */
export function lockFor(artifacts: readonly Artifact[]): Artifact {
  const entries = [...artifacts]
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map((a) => ({ path: a.path, kind: a.kind, ...(a.environment ? { environment: a.environment } : {}), sha256: sha256(a.content) }));
  return { path: 'innovate.lock.json', kind: 'manifest', content: toJson({ innovateVersion: '0.1.0', artifacts: entries }) };
}

/** The artifacts followed by their lock, as the pipeline streams them. */
export const withLock = (artifacts: readonly Artifact[]): Artifact[] => [...artifacts, lockFor(artifacts)];

/** An out/ that innovate owns: these files (content = path + newline) and a lock listing them. */
export function owned(out: string, paths: readonly string[]): void {
  mkdirSync(out, { recursive: true });
  const arts = paths.map((p) => art(p));
  for (const a of withLock(arts)) {
    mkdirSync(dirname(join(out, a.path)), { recursive: true });
    writeFileSync(join(out, a.path), a.content);
  }
}

/** Every file under `root` (path -> content), for comparing whole trees. */
export function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isSymbolicLink()) out[relative(root, full).split(sep).join('/')] = `-> ${readlinkSync(full)}`;
      else out[relative(root, full).split(sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}
