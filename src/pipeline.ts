/**
 * The pipeline, stage by stage:
 *   text --parseSpec--> LoadedSpec (YAML with positions, zod-decoded per environment)
 *        --validateSpec--> semantic findings + one Model per environment
 *        --compile--> artifacts from every emitter + innovate.lock.json
 * Pure: strings in, data out. The CLI and the writer do all I/O.
 */
import { buildModel } from './compiler/build.js';
import type { Model } from './compiler/model.js';
import { hasErrors, sortAndMerge, type Diagnostic } from './diagnostics/diagnostic.js';
import type { Artifact, Emitter } from './emitters/artifact.js';
import { EMITTERS } from './emitters/index.js';
import { toJson } from './emitters/serialize.js';
import { loadSpec, placer, type LoadedSpec } from './schema/load.js';
import { parseSource } from './source/parse.js';
import { checkBatch, policyDiagnostics, settleExceptions, type PolicyBatch, type PolicyOptions } from './validators/policies/index.js';
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

/** compile() as a one-pass stream: see compileStream. */
export interface CompileStream {
  readonly models: readonly Model[];
  readonly artifacts: Iterable<Artifact>;
  /**
   * Every diagnostic, the invariant rules' included. The rules run batch by batch as
   * `artifacts` is read, so this is complete (and callable) only once it has been read to the end.
   */
  diagnostics(): readonly Diagnostic[];
}

export const LOCK_FILE = 'innovate.lock.json';

const byPath = <T extends { readonly path: string }>(a: T, b: T): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * Validates, builds the models, runs every emitter and then the invariant rules over
 * what they emitted. Artifacts (in path order, the lock file last) are returned even when
 * a rule fails, for inspection; the CLI writes nothing unless the diagnostics are free of errors.
 */
export function compile(text: string, options: CompileOptions = {}): CompileResult {
  const stream = compileStream(text, options);
  const artifacts = [...stream.artifacts];
  const lock = artifacts.pop();
  return { artifacts: lock ? [...artifacts.sort(byPath), lock] : [], diagnostics: stream.diagnostics(), models: stream.models };
}

/**
 * compile() for output too large to hold as text at once. Artifacts come in batches: those
 * of emitters that need every environment (CloudFormation, CI, Docker, docs), then, one
 * environment at a time, those of per-environment emitters (Kubernetes, Helm). Each batch is
 * emitted, checked by the invariant rules, then rendered artifact by artifact as the stream is
 * read; the stream keeps nothing it has handed over. A consumer that writes and drops each
 * artifact (the CLI's writer) holds one batch's data and a few texts at a time. Since the rules'
 * verdict is known only at the end, such a consumer stages what it writes and keeps it only if
 * diagnostics() has no error. The lock file comes last.
 */
export function compileStream(text: string, options: CompileOptions = {}): CompileStream {
  const { loaded, models: all, diagnostics } = validateSpec(parseSpec(text, options));
  const file = loaded.file;
  const models = options.environments ? all.filter((m) => options.environments!.includes(m.environment.name)) : all;
  // Shared emitters (CloudFormation, CI, Docker, docs) see every environment, so what describes the
  // whole platform (deploy manifest, workflows, docs) is the same whichever are selected; of their
  // per-environment files only the selected ones are kept (the writer keeps the others' from disk).
  const isSelected = (a: Artifact): boolean => a.environment === undefined || models.some((m) => m.environment.name === a.environment);
  if (models.length === 0) return { models, artifacts: [], diagnostics: () => diagnostics };
  const emitters = options.emitters ?? EMITTERS;
  const policy: PolicyOptions = options.today ? { today: options.today } : {};
  const checked: PolicyBatch[] = [];
  const environmentOf = new Map<string, string | undefined>();
  let finished = false;

  function* batches(): Generator<Artifact[]> {
    yield emitters.filter((e) => !e.perEnvironment).flatMap((e) => e.emit(all)).filter(isSelected);
    for (const m of models) yield emitters.flatMap((e) => (e.perEnvironment ? e.perEnvironment(m) : []));
  }
  function* stream(render: boolean): Generator<Artifact> {
    const locked: LockEntry[] = [];
    for (const batch of batches()) {
      const pending: (Artifact | undefined)[] = batch.sort(byPath);
      if (options.policies === true) {
        checked.push(checkBatch(batch, models, policy));
        for (const a of batch) environmentOf.set(a.path, a.environment);
      }
      if (!render) continue;
      for (let i = 0; i < pending.length; i++) {
        const { path, kind, environment, content } = pending[i]!;
        pending[i] = undefined; // the rules are done with its data: let both go once the consumer has the text
        const digest = sha256(content);
        locked.push(environment ? { path, kind, environment, sha256: digest } : { path, kind, sha256: digest });
        yield environment ? { path, kind, environment, content } : { path, kind, content };
      }
    }
    finished = true;
    if (render) yield lockFile(locked.sort(byPath), options.version ?? VERSION);
  }
  let verdict: readonly Diagnostic[] | undefined;
  const settled = (): readonly Diagnostic[] => {
    if (!finished) throw new Error('compileStream: read the artifacts to the end before asking for the diagnostics');
    return (verdict ??= settle());
  };
  const settle = (): readonly Diagnostic[] => {
    if (options.policies !== true) return diagnostics;
    const { findings } = settleExceptions(checked, models, policy);
    if (findings.length === 0) return diagnostics;
    // The parsed YAML is let go once the models are built (after the data, it is the largest thing
    // a large spec holds while its artifacts stream); findings are rare, so it is parsed again to place them.
    const source = parseSource(text);
    const place = (path: readonly (string | number)[], env?: string) => {
      const d = placer(source, file, env)({ code: 'INN018', path, message: '' });
      return { file: d.file, line: d.line, column: d.column };
    };
    return sortAndMerge([...diagnostics, ...policyDiagnostics(findings, place, (p) => environmentOf.get(p))]);
  };
  if (options.output === false) {
    for (const _ of stream(false)); // checking only: nothing is rendered
    return { models, artifacts: [], diagnostics: settled };
  }
  return { models, artifacts: stream(true), diagnostics: settled };
}

/**
 * One-shot crypto.hash (a third faster than a Hash object per artifact at 17,564 artifacts), with
 * node:crypto loaded on first use: `innovate validate` hashes nothing, and loading it costs ~2 ms.
 */
let hash: typeof import('node:crypto').hash | undefined;
export const sha256 = (content: string): string => (hash ??= process.getBuiltinModule('node:crypto').hash)('sha256', content, 'hex');

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
