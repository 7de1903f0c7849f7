/**
 * The pipeline, stage by stage:
 *   text --parseSpec--> LoadedSpec (YAML with positions, zod-decoded per environment)
 *        --validateSpec--> semantic findings + one Model per environment
 *        --compile--> artifacts from every emitter + innovate.lock.json
 * Pure: strings in, data out. The CLI and the writer do all I/O.
 */
import { createHash } from 'node:crypto';
import { buildModel } from './compiler/build.js';
import type { Model } from './compiler/model.js';
import { hasErrors, sortAndMerge, type Diagnostic } from './diagnostics/diagnostic.js';
import type { Artifact, Emitter } from './emitters/artifact.js';
import { EMITTERS } from './emitters/index.js';
import { toJson } from './emitters/serialize.js';
import { loadSpec, placer, type LoadedSpec } from './schema/load.js';
import { policyDiagnostics, runPolicies } from './validators/policies/index.js';
import { runValidators } from './validators/registry.js';
import { VERSION } from './version.js';

export interface ParseOptions {
  /** File name used in diagnostics. @default innovate.yaml */
  readonly file?: string;
}

export function parseSpec(text: string, options: ParseOptions = {}): LoadedSpec {
  return loadSpec(text, options.file ?? 'innovate.yaml');
}

export interface Validated {
  readonly loaded: LoadedSpec;
  /** One model per environment, sorted by name; empty when any error was found. */
  readonly models: readonly Model[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Runs the semantic validators on every environment, then builds the models if nothing is wrong. */
export function validateSpec(loaded: LoadedSpec): Validated {
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  for (const [env, partial] of loaded.partials) {
    const place = placer(loaded.source, loaded.file, env);
    diagnostics.push(...runValidators(partial, env).map((f) => place(f)));
  }
  const sorted = sortAndMerge(diagnostics);
  if (hasErrors(sorted) || loaded.environments.size === 0) return { loaded, models: [], diagnostics: sorted };
  const models = [...loaded.environments].map(([env, spec]) => buildModel(spec, env));
  return { loaded, models, diagnostics: sorted };
}

export interface CompileOptions extends ParseOptions {
  /** Only these environments (all when absent). */
  readonly environments?: readonly string[];
  /** Version written to the lock file. @default this package's version */
  readonly version?: string;
  /** Emitters to run. @default every target */
  readonly emitters?: readonly Emitter[];
  /** Run the invariant rules over the artifacts. @default false (the CLI turns them on) */
  readonly policies?: boolean;
  /** Today's date (YYYY-MM-DD), for the expiry of policy exceptions. Not checked when absent. */
  readonly today?: string;
  /**
   * Return the artifacts (and the lock file). @default true. `false` is for checking only: the
   * emitters' data is checked by the rules and no text is ever rendered.
   */
  readonly output?: boolean;
}

export interface CompileResult {
  readonly artifacts: readonly Artifact[];
  readonly diagnostics: readonly Diagnostic[];
  readonly models: readonly Model[];
}

/** compile() with the artifacts as a one-pass stream: see compileStream. */
export interface CompileStream extends Omit<CompileResult, 'artifacts'> {
  readonly artifacts: Iterable<Artifact>;
}

export const LOCK_FILE = 'innovate.lock.json';

/**
 * Validates, builds the models, runs every emitter and then the invariant rules over
 * what they emitted. Artifacts are returned even when a rule fails (for inspection);
 * the CLI writes nothing unless the diagnostics are free of errors.
 */
export function compile(text: string, options: CompileOptions = {}): CompileResult {
  const result = compileStream(text, options);
  return { ...result, artifacts: [...result.artifacts] };
}

/**
 * compile(), except that the artifacts (in path order, then the lock file) are rendered one by
 * one as the stream is read, and the stream lets go of each, with the data it was rendered from,
 * once it is handed over: a consumer that writes and drops them (the CLI's writer) never holds
 * a large platform's text all at once. The stream can be read once.
 */
export function compileStream(text: string, options: CompileOptions = {}): CompileStream {
  const { loaded, models: all, diagnostics } = validateSpec(parseSpec(text, options));
  if (all.length === 0) return { artifacts: [], diagnostics, models: [] };
  const models = options.environments ? all.filter((m) => options.environments!.includes(m.environment.name)) : all;
  const sorted = (options.emitters ?? EMITTERS).flatMap((e) => e.emit(models)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let allDiagnostics = diagnostics;
  if (options.policies === true && models.length > 0) {
    const { findings } = runPolicies(sorted, models, options.today ? { today: options.today } : {});
    const envOf = new Map(sorted.map((a) => [a.path, a.environment]));
    const place = (path: readonly (string | number)[], env?: string) => {
      const d = placer(loaded.source, loaded.file, env)({ code: 'INN018', path, message: '' });
      return { file: d.file, line: d.line, column: d.column };
    };
    allDiagnostics = sortAndMerge([...diagnostics, ...policyDiagnostics(findings, place, (p) => envOf.get(p))]);
  }
  if (options.output === false) return { artifacts: [], diagnostics: allDiagnostics, models };
  return { artifacts: rendering(sorted, options.version ?? VERSION), diagnostics: allDiagnostics, models };
}

/** Renders each artifact as it is reached (without its data: that served the rules), then the lock file. */
function* rendering(pending: (Artifact | undefined)[], version: string): Generator<Artifact> {
  const locked: LockEntry[] = [];
  for (let i = 0; i < pending.length; i++) {
    const { path, kind, environment, content } = pending[i]!;
    pending[i] = undefined; // the artifact and its data can go as soon as the consumer is done with the text
    const env = environment ? { environment } : {};
    locked.push({ path, kind, ...env, sha256: sha256(content) });
    yield { path, kind, ...env, content };
  }
  yield lockFile(locked, version);
}

export const sha256 = (content: string): string => createHash('sha256').update(content, 'utf8').digest('hex');

interface LockEntry {
  readonly path: string;
  readonly kind: Artifact['kind'];
  readonly environment?: string;
  readonly sha256: string;
}

/** Every artifact with its digest: what `compile --check` and reviewers compare. */
function lockFile(artifacts: readonly LockEntry[], version: string): Artifact {
  return { path: LOCK_FILE, kind: 'manifest', content: toJson({ innovateVersion: version, artifacts }) };
}
