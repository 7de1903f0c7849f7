/** Shared helpers of the diagnostics and property suites. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSpec, validateSpec } from '../../src/pipeline.js';
import { formatDiagnostic } from '../../src/diagnostics/format.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { runCli } from '../../bin/cli.js';

/**
 * The starter spec of `innovate init` without its schema comment and its workload: 12
 * lines, so text appended with `base(...)` starts on line 13.
 */
export const BASE_LINES = [
  'apiVersion: innovate.dev/v1alpha1',
  'kind: Platform',
  'metadata:',
  '  name: myapp',
  '  owner: platform-team',
  '  costCenter: cc-0000',
  'environments:',
  '  production: { accountId: "111111111111", region: us-east-1, production: true }',
  '  staging: { accountId: "222222222222", region: us-east-1 }',
  'delivery:',
  '  appRepository: my-org/myapp',
  '  configRepository: my-org/myapp-config',
] as const;

/** A whole spec from its lines (line n of the file is argument n). */
export const lines = (...l: string[]): string => `${l.join('\n')}\n`;

/**
 * Who hears the alarms, budget and anomaly alerts, as the starter spec says (without it a
 * production environment is INN092's error). `base` appends it after the test's own lines, so
 * those still start on line 13, unless they declare observability themselves.
 */
export const ALERT_LINES = ['observability:', '  alerts: { emails: [platform-team@example.com] }'] as const;

/** The base spec followed by these lines (the first one is line 13), then ALERT_LINES. */
export const base = (...l: string[]): string => lines(...BASE_LINES, ...l, ...(l.some((x) => /^observability:/.test(x)) ? [] : ALERT_LINES));

/** parseSpec + validateSpec: every diagnostic of one run. */
export const diagnose = (text: string): readonly Diagnostic[] => validateSpec(parseSpec(text)).diagnostics;

/** Diagnostics as printed, for readable assertion messages. */
export const show = (diags: readonly Diagnostic[]): string => diags.map((d) => `  ${formatDiagnostic(d)}`).join('\n') || '  (no diagnostics)';

/** The text at a 1-based line and column. */
export const textAt = (text: string, line: number, column: number): string => (text.split('\n')[line - 1] ?? '').slice(column - 1);

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI in-process, with captured streams. */
export async function cli(argv: readonly string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd });
  return { code, stdout, stderr };
}

/** A fresh temporary directory and its removal. */
export function tempDir(prefix = 'innovate-diag-'): { dir: string; file: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A stack-trace line as Node prints it. */
export const STACK_LINE = /^\s{4}at /m;
