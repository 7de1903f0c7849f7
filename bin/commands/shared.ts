/** Small pieces the command files share: the default spec, the summary line, unknown environments. */
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatSummary } from '../../src/diagnostics/format.js';
import type { Context } from '../context.js';

export const DEFAULT_FILE = 'innovate.yaml';

/** `file: 2 errors, 1 warning`, red when there are errors, green when there is nothing. */
export function summaryLine(ctx: Context, what: string, diags: readonly Diagnostic[], tail = ''): string {
  const c = ctx.print().colour;
  const errors = diags.some((d) => d.severity === 'error');
  const text = formatSummary(diags);
  return `${what}: ${errors ? c.red(text) : diags.length === 0 ? c.green(text) : c.yellow(text)}${tail}`;
}

/** `no environment "prod" (have: production, staging)`, for every command that takes --env. */
export function unknownEnvironments(file: string, asked: readonly string[], have: readonly string[]): string {
  const names = asked.map((e) => `"${e}"`).join(', ');
  return `${file}: no environment ${names} (have: ${have.join(', ')})`;
}

/** Commander prints no mark on a required option: the description carries it. */
export const required = (description: string): string => `${description} (required)`;
