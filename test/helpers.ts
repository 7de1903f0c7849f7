/** Shared test helpers: the example spec, a minimal spec, and an in-process CLI runner. */
import { readdirSync, readFileSync } from 'node:fs';
import { parse, parseDocument, stringify } from 'yaml';
import { fileURLToPath } from 'node:url';
import { runCli } from '../bin/cli.js';
import { starterSpec } from '../bin/starter.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const EXAMPLE_PATH = `${ROOT}examples/innovate.yaml`;
export const EXAMPLE = readFileSync(EXAMPLE_PATH, 'utf8');
/** The second example: a service, a worker and a cronjob (issue 16, README "Workload kinds"). */
export const WORKERS_EXAMPLE_PATH = `${ROOT}examples/workers.yaml`;
export const WORKERS_EXAMPLE = readFileSync(WORKERS_EXAMPLE_PATH, 'utf8');
export const MINIMAL = starterSpec('./innovate.schema.json');

/** The example with an edit applied to its data (comments are not kept). */
export function exampleVariant(edit: (spec: Record<string, any>) => void): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const d = parse(EXAMPLE) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  edit(d);
  return stringify(d);
}

/** The example with `policy.exceptions` set (its comments kept). */
export function withExceptions(exceptions: object[]): string {
  const doc = parseDocument(EXAMPLE);
  doc.setIn(['policy'], doc.createNode({ exceptions }));
  return doc.toString();
}

/** An exception for INV007 on the trail that expired long ago: an error (INV900) whenever rules run. */
export const EXPIRED_EXCEPTION = { rule: 'INV007', target: 'Trail', reason: 'migrating (TICKET-1)', expires: '2020-01-01' };

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(argv: readonly string[], cwd = ROOT): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd });
  return { code, stdout, stderr };
}

/**
 * Golden files under `dir` (relative to ROOT; subfolders in `skip` left out) that no test wrote:
 * an artifact renamed or dropped leaves its old golden behind, which toMatchFileSnapshot never sees.
 */
export function staleGoldens(dir: string, written: Iterable<string>, skip: readonly string[] = []): string[] {
  const root = `${ROOT}${dir}`;
  const expected = new Set(written);
  const found: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(`${root}/${rel}`, { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (skip.includes(path)) continue;
      if (e.isDirectory()) walk(path);
      else found.push(path);
    }
  };
  walk('');
  return found.filter((p) => !expected.has(p)).sort();
}
