import { CODES, type Code, type Severity } from './codes.js';

/** A path into the spec: map keys and list indices. */
export type SpecPath = readonly (string | number)[];

/** A catalogue code (INN…) or an invariant rule id (INV…). */
export type DiagnosticCode = Code | `INV${number}`;

/** One finding, as data. The wording is chosen here; printing is done by format.ts. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly hint: string;
  readonly path: SpecPath;
  readonly file: string;
  /** 1-based; 0 when the finding has no position (a file that cannot be read). */
  readonly line: number;
  readonly column: number;
  /** Environments the finding applies to, when it comes from a merged environment. */
  readonly environments?: readonly string[];
  /** For invariant findings: the artifact (path under out/) and the resource in it. */
  readonly artifact?: string;
  readonly target?: string;
}

/** A finding before it is placed in the file: what validators return. */
export interface Finding {
  readonly code: Code;
  readonly path: SpecPath;
  readonly message: string;
  readonly hint?: string;
  readonly severity?: Severity;
  /** Point at the map key named by the last path segment rather than at its value. */
  readonly atKey?: boolean;
}

export const finding = (code: Code, path: SpecPath, message: string, hint?: string): Finding =>
  hint === undefined ? { code, path, message } : { code, path, message, hint };

export function diagnosticAt(f: Finding, file: string, line: number, column: number, environments?: readonly string[]): Diagnostic {
  const info = CODES[f.code];
  const d: Diagnostic = {
    code: f.code,
    severity: f.severity ?? info.severity,
    message: f.message,
    hint: f.hint ?? info.hint,
    path: f.path,
    file,
    line,
    column,
  };
  return environments && environments.length > 0 ? { ...d, environments } : d;
}

/** "network.subnets.public[1]" */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * Sorted by file, position, then code; findings repeated by several environments are
 * merged into one that lists them.
 */
export function sortAndMerge(diags: readonly Diagnostic[]): Diagnostic[] {
  const byKey = new Map<string, Diagnostic>();
  for (const d of diags) {
    const key = [d.file, d.line, d.column, d.code, formatPath(d.path), d.message, d.artifact ?? '', d.target ?? ''].join('\u0000');
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, d);
      continue;
    }
    const envs = [...new Set([...(prev.environments ?? []), ...(d.environments ?? [])])].sort();
    byKey.set(key, envs.length > 0 ? { ...prev, environments: envs } : prev);
  }
  return [...byKey.values()].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

export const hasErrors = (diags: readonly Diagnostic[]): boolean => diags.some((d) => d.severity === 'error');
