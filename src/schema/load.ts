/**
 * Text -> one validated Spec per environment. Each environment's overrides are merged
 * over the base (src/source/merge.ts) and the result is decoded by the same schema, so
 * overrides get the same checks as the base. A finding in merged data is placed at the
 * override that set the value when there is one, else at the base.
 */
import { LineCounter } from 'yaml';
import { diagnosticAt, sortAndMerge, type Diagnostic, type Finding, type SpecPath } from '../diagnostics/diagnostic.js';
import { attempt } from '../diagnostics/internal.js';
import { locate } from '../source/locate.js';
import { mergeOverride } from '../source/merge.js';
import { parseSource, type ParsedSource } from '../source/parse.js';
import { didYouMean } from '../util/suggest.js';
import { decodeSpec } from './decode.js';
import type { SetAside } from './salvage.js';
import { OVERRIDABLE_SECTIONS, type Spec } from './spec.js';

export interface LoadedSpec {
  readonly file: string;
  readonly source: ParsedSource;
  /** Validated spec per environment name, sorted by name. Empty when the shape is wrong. */
  readonly environments: ReadonlyMap<string, Spec>;
  /** Per environment, the sections that decoded (for validators to run despite other errors). */
  readonly partials: ReadonlyMap<string, Partial<Spec>>;
  /** Per environment, the collection entries left out of its partial spec for their own errors. */
  readonly setAside?: ReadonlyMap<string, readonly SetAside[]>;
  readonly diagnostics: readonly Diagnostic[];
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Places findings for one environment (or the base when env is undefined). */
export function placer(source: ParsedSource, file: string, env?: string) {
  return (f: Finding, wantKey = f.atKey === true || f.code === 'INN011' || f.code === 'INN009' || f.code === 'INN019'): Diagnostic => {
    const { offset } = locateIn(source, f.path, env, wantKey);
    const { line, col } = source.lineCounter.linePos(offset);
    return diagnosticAt(f, file, source.doc ? line : 0, source.doc ? col : 0, env ? [env] : undefined);
  };
}

function locateIn(source: ParsedSource, path: SpecPath, env: string | undefined, wantKey: boolean) {
  const base = locate(source.doc, path, wantKey);
  if (env === undefined || path.length === 0 || path[0] === 'environments') return base;
  const prefix = ['environments', env, 'overrides'];
  const over = locate(source.doc, [...prefix, ...path], wantKey);
  const overDepth = over.depth - prefix.length;
  return overDepth >= 1 && overDepth >= base.depth ? over : base;
}

/** What loadSpec holds when the parser itself failed: no document, nothing to place. */
const unparsed = (text: string): ParsedSource => ({ text, doc: undefined, lineCounter: new LineCounter(), value: undefined, findings: [] });

/** Never throws: an exception of the parser or the decoder is an INN999 diagnostic. */
export function loadSpec(text: string, file = 'innovate.yaml'): LoadedSpec {
  const failed: Diagnostic[] = [];
  const source = attempt(failed, 'parse', file, undefined, () => parseSource(text));
  if (!source) return { file, source: unparsed(text), environments: new Map(), partials: new Map(), diagnostics: failed };
  const loaded = attempt(failed, 'decode', file, undefined, () => decodeAll(source, file));
  return loaded ?? { file, source, environments: new Map(), partials: new Map(), diagnostics: failed };
}

function decodeAll(source: ParsedSource, file: string): LoadedSpec {
  const diagnostics: Diagnostic[] = source.findings.map((f) => {
    const { line, col } = source.lineCounter.linePos(f.offset);
    // File-level findings (too large, empty) have no position; a document refused before
    // it was composed (nesting too deep) still has a meaningful offset.
    const positioned = source.doc !== undefined || f.offset > 0;
    return diagnosticAt({ code: f.code, path: f.path, message: f.message }, file, positioned ? line : 0, positioned ? col : 0);
  });
  const environments = new Map<string, Spec>();
  const partials = new Map<string, Partial<Spec>>();
  const value = source.value;
  if (value === undefined) return { file, source, environments, partials, diagnostics: sortAndMerge(diagnostics) };

  const envs = isMap(value) && isMap(value.environments) ? Object.entries(value.environments).filter(([, e]) => isMap(e)) : [];
  if (envs.length === 0) {
    const place = placer(source, file);
    diagnostics.push(...decodeSpec(value).findings.map((f) => place(f)));
    return { file, source, environments, partials, diagnostics: sortAndMerge(diagnostics) };
  }

  const specs: [string, Spec][] = [];
  const setAside = new Map<string, readonly SetAside[]>();
  for (const [name, env] of envs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const place = placer(source, file, name);
    const overrides = isMap(env) && isMap(env.overrides) ? env.overrides : {};
    const merged: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [section, v] of Object.entries(overrides)) {
      if (!(OVERRIDABLE_SECTIONS as readonly string[]).includes(section)) {
        const guess = didYouMean(section, OVERRIDABLE_SECTIONS);
        diagnostics.push(
          diagnosticAt(
            { code: 'INN019', path: ['environments', name, 'overrides', section], message: `"${section}" cannot be overridden per environment${guess ? `; did you mean "${guess}"?` : ''}` },
            file,
            ...lineCol(source, ['environments', name, 'overrides', section]),
          ),
        );
        continue;
      }
      const next = mergeOverride(merged[section], v);
      if (next === undefined) delete merged[section];
      else merged[section] = next;
    }
    const decoded = decodeSpec(merged);
    diagnostics.push(...decoded.findings.map((f) => place(f)));
    partials.set(name, decoded.partial);
    setAside.set(name, decoded.setAside);
    if (decoded.spec) specs.push([name, decoded.spec]);
  }
  // An environment is only usable when every environment decoded: a partial set would
  // make cross-environment checks (replication, accounts) lie.
  if (specs.length === envs.length) for (const [n, s] of specs) environments.set(n, s);
  return { file, source, environments, partials, setAside, diagnostics: sortAndMerge(diagnostics) };
}

function lineCol(source: ParsedSource, path: SpecPath): [number, number] {
  const { line, col } = source.lineCounter.linePos(locate(source.doc, path, true).offset);
  return [line, col];
}
