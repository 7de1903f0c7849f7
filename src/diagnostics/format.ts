import type { Diagnostic } from './diagnostic.js';
import { formatPath } from './diagnostic.js';

/** `innovate.yaml:12:7 error INN020 network.subnets.public[1]: … (hint: …)` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const path = d.path.length > 0 ? ` ${formatPath(d.path)}:` : '';
  const envs = d.environments && d.environments.length > 0 ? ` [${d.environments.join(', ')}]` : '';
  const at = d.artifact ? ` -> ${d.artifact}${d.target ? `#${d.target}` : ''}` : '';
  return `${where} ${d.severity} ${d.code}${path} ${d.message}${envs}${at} (hint: ${d.hint})`;
}

export function formatSummary(diags: readonly Diagnostic[]): string {
  const errors = diags.filter((d) => d.severity === 'error').length;
  const warnings = diags.length - errors;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

/** One diagnostic as plain data for JSON output: stable keys, no undefined, the path as text. */
export function diagnosticToJson(d: Diagnostic): Record<string, unknown> {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    hint: d.hint,
    path: formatPath(d.path),
    file: d.file,
    line: d.line,
    column: d.column,
    ...(d.environments ? { environments: d.environments } : {}),
    ...(d.artifact ? { artifact: d.artifact } : {}),
    ...(d.target ? { target: d.target } : {}),
  };
}

/** The diagnostics as a JSON array (the library's form; the CLI wraps them in an envelope). */
export function diagnosticsToJson(diags: readonly Diagnostic[]): string {
  return JSON.stringify(diags.map(diagnosticToJson), null, 2);
}
