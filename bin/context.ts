/**
 * What every command of the CLI is handed: the I/O it may use (streams, working folder, the
 * environment variables, today's date), the printer, the exit code to raise, and the spec
 * reading they share. Only bin/ reads environment variables; it passes their values down.
 */
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { readSpecFile, type ReadResult } from './io.js';
import { colouredDiagnostic, COLOURS, NO_COLOURS, printer, wantsColour, type Printer } from './output.js';

export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Today's date (YYYY-MM-DD) for policy exception expiry. @default the system clock */
  readonly today?: string;
  /** Environment variables. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Width of the terminal, for --help. @default 80 */
  readonly columns?: number;
  /** Which streams are terminals: each is coloured only then. @default neither */
  readonly isTTY?: { readonly stdout?: boolean; readonly stderr?: boolean };
}

/** The environment variables innovate reads (listed in --help). */
export const ENVIRONMENT_VARIABLES: readonly [string, string][] = [
  ['NO_COLOR', 'any non-empty value turns colour off (as --no-color does)'],
  ['INNOVATE_TEMPLATE_BUCKET', 'plan/deploy: the S3 bucket for templates over 51,200 bytes (as --template-bucket)'],
  ['INNOVATE_AWS_POLL_SECONDS', 'plan/deploy/drift: seconds between polls of long AWS operations (default 5)'],
  ['AWS_MAX_ATTEMPTS', 'plan/deploy/drift: attempts per AWS request, retries included (default 8)'],
  ['AWS_PROFILE, AWS_REGION, …', 'read by the AWS SDK itself (the standard credential chain)'],
  ['INNOVATE_CACHE_DIR', "where the start-up code cache is kept (default: $XDG_CACHE_HOME/innovate or ~/.cache/innovate)"],
];

export interface Context {
  readonly io: CliIO;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly today: string;
  /** The printer, with colour as the global options and the terminal say. */
  print(): Printer;
  /** Raises the exit code (the highest one of a run wins). */
  exit(code: number): void;
  /** Records the running command's format and files: an internal error is printed in that format. */
  running(format: string, files: readonly string[], file?: string): void;
  readSpec(file: string): Promise<ReadResult>;
  /** The spec's text; when it cannot be read, its diagnostic is printed on stderr, the exit code raised, and undefined returned. */
  specText(file: string): Promise<string | undefined>;
  /**
   * Prints diagnostics as text, one per line: on stdout where they are the command's report
   * (validate, compile), on stderr where stdout carries data (resolve, diff, plan, …).
   */
  report(diags: readonly Diagnostic[], to: 'out' | 'err'): void;
}

export interface Running {
  format: string;
  files: readonly string[];
  file?: string;
}

export function makeContext(io: CliIO, colourFlag: () => boolean, state: { exitCode: number; running: Running }): Context {
  const env = io.env ?? process.env;
  let cached: Printer | undefined;
  const print = (): Printer => {
    const palette = (isTTY: boolean | undefined) => (wantsColour({ isTTY: isTTY === true, env, flag: colourFlag() }) ? COLOURS : NO_COLOURS);
    cached ??= printer(io.stdout, io.stderr, palette(io.isTTY?.stderr), palette(io.isTTY?.stdout));
    return cached;
  };
  return {
    io,
    env,
    today: io.today ?? new Date().toISOString().slice(0, 10),
    print,
    exit: (code) => {
      state.exitCode = Math.max(state.exitCode, code);
    },
    running: (format, files, file) => {
      state.running = file === undefined ? { format, files } : { format, files, file };
    },
    readSpec: (file) => readSpecFile(io.cwd, file),
    specText: async (file) => {
      const read = await readSpecFile(io.cwd, file);
      if (read.ok) return read.text;
      const p = print();
      p.err(colouredDiagnostic(read.diagnostic, p.colour));
      state.exitCode = Math.max(state.exitCode, read.exitCode);
      return undefined;
    },
    report: (diags, to) => {
      const p = print();
      for (const d of diags) p[to](colouredDiagnostic(d, to === 'out' ? p.outColour : p.colour));
    },
  };
}
