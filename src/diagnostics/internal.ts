/**
 * An unexpected exception is a bug in innovate, never in the spec. Each stage of the pipeline
 * runs under `attempt`, which turns such an exception into one INN999 diagnostic (the stage,
 * what was being done, the exception's message, "please report") instead of letting it escape:
 * compile() and validateSpec() return it like any other finding, and every output format
 * (text, json, sarif, junit) prints it.
 */
import { diagnosticAt, type Diagnostic } from './diagnostic.js';

/** The pipeline's stages, in order; `cli` is anything in the command-line tool around them. */
export type Stage = 'parse' | 'decode' | 'validate' | 'build' | 'emit' | 'rules' | 'cli';

export const REPORT_URL = 'https://github.com/innovate-inc/innovate/issues';

export const INTERNAL_CODE = 'INN999';

/** The exception's own message, first line only (a stack trace is never printed). */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? `${error.name !== 'Error' ? `${error.name}: ` : ''}${error.message}` : String(error);
  return text.split('\n')[0]!.trim() || 'no message';
}

/** One positionless error diagnostic for an exception thrown in `stage` while doing `what`. */
export function internalError(stage: Stage, error: unknown, file: string, what?: string): Diagnostic {
  const doing = what ? ` (${what})` : '';
  return diagnosticAt(
    { code: INTERNAL_CODE, path: [], message: `internal error in stage "${stage}"${doing}: ${errorMessage(error)}` },
    file,
    0,
    0,
  );
}

export const isInternal = (d: Pick<Diagnostic, 'code'>): boolean => d.code === INTERNAL_CODE;

/**
 * Runs `run`; when it throws, records the internal error in `sink` and returns undefined.
 * Callers stop the stage there: what follows would work on a partial result.
 */
export function attempt<T>(sink: Diagnostic[], stage: Stage, file: string, what: string | undefined, run: () => T): T | undefined {
  try {
    return run();
  } catch (e) {
    sink.push(internalError(stage, e, file, what));
    return undefined;
  }
}
