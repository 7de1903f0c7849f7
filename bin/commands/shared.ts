/** Small pieces the command files share: the default spec, the summary line, unknown environments. */
import type { Model } from '../../src/compiler/model.js';
import { hasErrors, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatSummary } from '../../src/diagnostics/format.js';
import { parseSpec, validateSpec } from '../../src/pipeline.js';
import type { Context } from '../context.js';
import { exitFor } from '../output.js';

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

/**
 * The validated models of the spec and the one of `env`, for the commands whose stdout is data
 * (platform, resolve): diagnostics go to stderr; on a read error, spec errors or an unknown
 * environment the exit code is raised and undefined returned.
 */
export async function environmentModel(ctx: Context, file: string, env: string): Promise<{ model: Model; models: readonly Model[] } | undefined> {
  const text = await ctx.specText(file);
  if (text === undefined) return undefined;
  const { models, diagnostics } = validateSpec(parseSpec(text, { file }));
  ctx.report(diagnostics, 'err');
  if (hasErrors(diagnostics)) {
    ctx.exit(exitFor(diagnostics));
    return undefined;
  }
  const model = models.find((m) => m.environment.name === env);
  if (!model) {
    ctx.print().err(unknownEnvironments(file, [env], models.map((m) => m.environment.name)));
    ctx.exit(2);
    return undefined;
  }
  return { model, models };
}
