/**
 * The CLI's one way of printing: `out` for the report (stdout, what `> file` keeps), `err` for
 * progress, summaries and refusals (stderr), colour only on a terminal, and the envelope every
 * reporting command prints with `--format json`.
 */
import { hasErrors, type Diagnostic } from '../src/diagnostics/diagnostic.js';
import { diagnosticToJson, formatDiagnostic } from '../src/diagnostics/format.js';
import { isInternal } from '../src/diagnostics/internal.js';
import { toJunit } from '../src/diagnostics/junit.js';
import { toSarif } from '../src/diagnostics/sarif.js';
import { CATALOGUE, CATALOGUE_RULES } from '../src/catalogue.js';
import { VERSION } from '../src/version.js';

/** SGR codes for the few things coloured: severities and the summary's verdict. */
export interface Palette {
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly green: (s: string) => string;
  readonly dim: (s: string) => string;
}

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;
export const COLOURS: Palette = { red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), dim: sgr(2, 22) };
export const NO_COLOURS: Palette = { red: plain, yellow: plain, green: plain, dim: plain };

/**
 * Colour when the stream is a terminal (not TERM=dumb), unless NO_COLOR is set to anything
 * non-empty (https://no-color.org) or --no-color is given.
 */
export function wantsColour(options: { isTTY: boolean; env: Readonly<Record<string, string | undefined>>; flag: boolean }): boolean {
  if (!options.flag) return false;
  if (options.env.NO_COLOR) return false;
  return options.isTTY && options.env.TERM !== 'dumb';
}

export interface Printer {
  /** A line (or block) of the report, on stdout. */
  readonly out: (s: string) => void;
  /** Progress, summaries and refusals, on stderr. */
  readonly err: (s: string) => void;
  /** Colours for stderr, and for stdout (each on only when that stream is a terminal). */
  readonly colour: Palette;
  readonly outColour: Palette;
}

const line = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);

export function printer(stdout: (s: string) => void, stderr: (s: string) => void, colour: Palette, outColour: Palette): Printer {
  return { out: (s) => stdout(line(s)), err: (s) => stderr(line(s)), colour, outColour };
}

/** One diagnostic as text, its severity coloured. */
export function colouredDiagnostic(d: Diagnostic, c: Palette): string {
  const text = formatDiagnostic(d);
  const sev = ` ${d.severity} ${d.code}`;
  const at = text.indexOf(sev);
  if (at < 0) return text;
  const paint = d.severity === 'error' ? c.red : c.yellow;
  return `${text.slice(0, at)} ${paint(`${d.severity} ${d.code}`)}${text.slice(at + sev.length)}`;
}

export interface Summary {
  readonly errors: number;
  readonly warnings: number;
  readonly [more: string]: number;
}

export const summaryOf = (diags: readonly Diagnostic[], more: Record<string, number> = {}): Summary => {
  const errors = diags.filter((d) => d.severity === 'error').length;
  return { errors, warnings: diags.length - errors, ...more };
};

/**
 * `--format json` of every command that reports (validate, compile, diff, plan, drift): one
 * object, the innovate version, a summary of counts and the diagnostics, then what the command
 * adds (compile --check: the missing, changed and extra files; diff: the changes).
 */
export function envelope(diags: readonly Diagnostic[], more: { summary?: Record<string, number>; [key: string]: unknown } = {}): string {
  const { summary, ...rest } = more;
  return JSON.stringify({ version: VERSION, summary: summaryOf(diags, summary), diagnostics: diags.map(diagnosticToJson), ...rest }, null, 2);
}

export type ReportFormat = 'text' | 'json' | 'sarif' | 'junit';

export interface ReportOptions {
  readonly files?: readonly string[];
  /** For SARIF: file names are made relative to this folder (%SRCROOT%). */
  readonly srcRoot?: string;
  /** For JUnit: whether the invariant rules were asked for. */
  readonly policies?: boolean;
}

/** Diagnostics in a machine format, for stdout; undefined for text (printed line by line). */
export function machineReport(diags: readonly Diagnostic[], format: ReportFormat, options: ReportOptions = {}): string | undefined {
  if (format === 'json') return envelope(diags);
  if (format === 'sarif') return toSarif(diags, CATALOGUE, VERSION, options.srcRoot === undefined ? {} : { srcRoot: options.srcRoot });
  if (format === 'junit') return toJunit(options.files ?? [...new Set(diags.map((d) => d.file))], diags, CATALOGUE_RULES, { policies: options.policies ?? true });
  return undefined;
}

/** Exit code for a run's diagnostics: 2 for a bug in innovate (INN999), 1 for errors in the spec. */
export const exitFor = (diags: readonly Diagnostic[]): number => (diags.some(isInternal) ? 2 : hasErrors(diags) ? 1 : 0);
