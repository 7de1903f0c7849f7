/**
 * The pipeline, stage by stage:
 *   text --parseSpec--> LoadedSpec (YAML with positions, zod-decoded per environment)
 *        --validateSpec--> semantic findings + one Model per environment
 *        --compile--> artifacts from every emitter + innovate.lock.json
 * Pure: strings in, data out. The CLI and the writer do all I/O.
 *
 * Never throws: every stage (parse, decode, validate, build, emit, rules) runs under
 * `attempt`, so an unexpected exception becomes one INN999 diagnostic naming the stage
 * (src/diagnostics/internal.ts) and the stages after it do not run.
 */
import { buildModel } from './compiler/build.js';
import type { Model } from './compiler/model.js';
import { hasErrors, sortAndMerge, type Diagnostic } from './diagnostics/diagnostic.js';
import { attempt, internalError, isInternal } from './diagnostics/internal.js';
import type { Artifact, Emitter } from './emitters/artifact.js';
import { EMITTERS } from './emitters/index.js';
import { toJson } from './emitters/serialize.js';
import { loadSpec, placer, type LoadedSpec } from './schema/load.js';
import { causedBySetAside } from './schema/salvage.js';
import { parseSource } from './source/parse.js';
import { isAccessArtifact } from './platform/access.js';
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
  const file = loaded.file;
  for (const [env, partial] of loaded.partials) {
    // One validator that throws is reported and skipped; the others still run.
    const failed = (name: string, e: unknown) => diagnostics.push(internalError('validate', e, file, `validator ${name}, environment ${env}`));
    const placed = attempt(diagnostics, 'validate', file, `environment ${env}`, () => {
      const place = placer(loaded.source, file, env);
      const aside = loaded.setAside?.get(env) ?? [];
      return runValidators(partial, env, failed)
        .filter((f) => !causedBySetAside(f, partial, aside))
        .map((f) => place(f));
    });
    if (placed) diagnostics.push(...placed);
  }
  const sorted = sortAndMerge(diagnostics);
  if (hasErrors(sorted) || loaded.environments.size === 0) return { loaded, models: [], diagnostics: sorted };
  const built: Diagnostic[] = [];
  const models: Model[] = [];
  for (const [env, spec] of loaded.environments) {
    const model = attempt(built, 'build', file, `environment ${env}`, () => buildModel(spec, env));
    if (!model) break; // one internal error is enough: the other environments would most likely repeat it
    models.push(model);
  }
  if (built.length > 0) return { loaded, models: [], diagnostics: sortAndMerge([...sorted, ...built]) };
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
  const diagnostics = stream.diagnostics();
  // After an internal error the output is incomplete (and has no lock file): none of it is returned.
  if (diagnostics.some(isInternal)) return { artifacts: [], diagnostics, models: stream.models };
  const lock = artifacts.pop();
  return { artifacts: lock ? [...artifacts.sort(byPath), lock] : [], diagnostics, models: stream.models };
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
  /** Internal errors of the emitters and the rules: once there is one, the stream ends. */
  const internal: Diagnostic[] = [];

  /** One emitter's artifacts, or undefined when it threw (recorded in `internal`). */
  const run = (what: string, emit: () => Artifact[]): Artifact[] | undefined => attempt(internal, 'emit', file, what, emit);
  function* batches(): Generator<Artifact[]> {
    const shared: Artifact[] = [];
    for (const e of emitters.filter((x) => !x.perEnvironment)) {
      const artifacts = run(`emitter ${e.name}`, () => e.emit(all));
      if (!artifacts) return;
      shared.push(...artifacts.filter(isSelected));
    }
    yield shared;
    for (const m of models) {
      const batch: Artifact[] = [];
      for (const e of emitters) {
        if (!e.perEnvironment) continue;
        const artifacts = run(`emitter ${e.name}, environment ${m.environment.name}`, () => e.perEnvironment!(m));
        if (!artifacts) return;
        batch.push(...artifacts);
      }
      yield batch;
    }
  }
  function* stream(render: boolean): Generator<Artifact> {
    const locked: LockEntry[] = [];
    const templatesOf = new Map<string, Artifact[]>();
    const access: Artifact[] = [];
    for (const batch of batches()) {
      const pending: (Artifact | undefined)[] = batch.sort(byPath);
      if (options.policies === true) {
        // The liveness rules judge an environment's platform when its Kubernetes batch comes; they
        // need its CloudFormation, from the shared batch: kept until then (templates, not texts).
        const env = batch.find((a) => a.kind === 'kubernetes' || a.kind === 'helm-values')?.environment;
        // organization.json and the workflows (spec-wide) tell every platform who may get in (src/platform/access.ts).
        const related = env ? [...(templatesOf.get(env) ?? []), ...access] : [];
        if (env) templatesOf.delete(env);
        const verdict = attempt(internal, 'rules', file, undefined, () => checkBatch(batch, models, related.length > 0 ? { ...policy, related } : policy));
        if (!env) {
          for (const a of batch) if (a.kind === 'cloudformation' && a.environment) (templatesOf.get(a.environment) ?? templatesOf.set(a.environment, []).get(a.environment)!).push(a);
          access.push(...batch.filter(isAccessArtifact));
        }
        if (!verdict) break;
        checked.push(verdict);
        for (const a of batch) environmentOf.set(a.path, a.environment);
      }
      if (!render) continue;
      for (let i = 0; i < pending.length; i++) {
        // Rendering runs the emitter's serializer (content is rendered on first read).
        const out = attempt(internal, 'emit', file, `rendering ${pending[i]!.path}`, () => {
          const { path, kind, environment, content } = pending[i]!;
          const digest = sha256(content);
          locked.push(environment ? { path, kind, environment, sha256: digest } : { path, kind, sha256: digest });
          return environment ? { path, kind, environment, content } : { path, kind, content };
        });
        pending[i] = undefined; // the rules are done with its data: let both go once the consumer has the text
        if (!out) break;
        yield out;
      }
      if (internal.length > 0) break;
    }
    finished = true;
    if (render && internal.length === 0) yield lockFile(locked.sort(byPath), options.version ?? VERSION);
  }
  let verdict: readonly Diagnostic[] | undefined;
  const settled = (): readonly Diagnostic[] => {
    if (!finished) throw new Error('compileStream: read the artifacts to the end before asking for the diagnostics');
    return (verdict ??= settle());
  };
  const settle = (): readonly Diagnostic[] => {
    if (internal.length > 0) return sortAndMerge([...diagnostics, ...internal]);
    if (options.policies !== true) return diagnostics;
    const failed: Diagnostic[] = [];
    const ruled = attempt(failed, 'rules', file, undefined, () => {
      const { findings } = settleExceptions(checked, models, policy);
      if (findings.length === 0) return [];
      // The parsed YAML is let go once the models are built (after the data, it is the largest thing
      // a large spec holds while its artifacts stream); findings are rare, so it is parsed again to place them.
      const source = parseSource(text);
      const place = (path: readonly (string | number)[], env?: string) => {
        const d = placer(source, file, env)({ code: 'INN018', path, message: '' });
        return { file: d.file, line: d.line, column: d.column };
      };
      return policyDiagnostics(findings, place, (p) => environmentOf.get(p));
    });
    if (ruled?.length === 0) return diagnostics;
    return sortAndMerge([...diagnostics, ...(ruled ?? failed)]);
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
