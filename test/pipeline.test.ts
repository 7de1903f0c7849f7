/**
 * The pipeline's two shapes: compile() (everything in memory, path order, lock file last) and
 * compileStream() (batches rendered as read, the rules' verdict at the end). Both must give the
 * same artifacts and the same diagnostics, and emitters that split by environment must keep
 * their promise that emit() is the concatenation of perEnvironment().
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { REPORT_URL } from '../src/diagnostics/internal.js';
import { EMITTERS, type Artifact, type Emitter } from '../src/emitters/index.js';
import { compile, compileStream, LOCK_FILE, parseSpec, sha256, validateSpec } from '../src/pipeline.js';
import { VALIDATORS, type RegisteredValidator } from '../src/validators/registry.js';
import { EXAMPLE, EXPIRED_EXCEPTION, withExceptions } from './helpers.js';


describe('pipeline', () => {
  const whole = compile(EXAMPLE, { policies: true, today: '2026-11-26' });

  it('compile returns the artifacts in path order, then a lock file with the digest of each', () => {
    const paths = whole.artifacts.map((a) => a.path);
    expect(paths.at(-1)).toBe(LOCK_FILE);
    expect(paths.slice(0, -1)).toEqual([...paths.slice(0, -1)].sort());
    const lock = JSON.parse(whole.artifacts.at(-1)!.content) as { artifacts: { path: string; sha256: string }[] };
    expect(lock.artifacts.map((e) => e.path)).toEqual(paths.slice(0, -1));
    for (const [i, e] of lock.artifacts.entries()) expect(e.sha256).toBe(sha256(whole.artifacts[i]!.content));
  });

  it('compileStream yields the same artifacts, shared ones first and then one environment at a time', () => {
    const stream = compileStream(EXAMPLE, { policies: true, today: '2026-11-26' });
    expect(() => stream.diagnostics()).toThrow(/read the artifacts to the end/);
    const streamed = [...stream.artifacts];
    expect(stream.diagnostics()).toEqual(whole.diagnostics);
    expect(streamed.at(-1)).toEqual(whole.artifacts.at(-1)); // the same lock file, byte for byte
    expect([...streamed].sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual(whole.artifacts.slice().sort((a, b) => (a.path < b.path ? -1 : 1)));
    const batchOf = (p: string) => (/^(kubernetes|helm)\/production\//.test(p) ? 1 : /^(kubernetes|helm)\/staging\//.test(p) ? 2 : 0);
    const order = streamed.slice(0, -1).map((a) => batchOf(a.path));
    expect(order).toEqual([...order].sort());
    expect(new Set(order)).toEqual(new Set([0, 1, 2]));
    expect(streamed.every((a) => !('data' in a))).toBe(true); // data served the rules and is not handed out
  });

  it('an invariant error is in the diagnostics of every shape, with or without output', () => {
    const text = withExceptions([EXPIRED_EXCEPTION]);
    const codes = (d: readonly { code: string }[]) => d.map((x) => x.code);
    const full = compile(text, { policies: true, today: '2026-11-26' });
    expect(codes(full.diagnostics)).toContain('INV900');
    const checkOnly = compile(text, { policies: true, today: '2026-11-26', output: false });
    expect(checkOnly.artifacts).toEqual([]);
    expect(checkOnly.diagnostics).toEqual(full.diagnostics);
    const stream = compileStream(text, { policies: true, today: '2026-11-26' });
    for (const _ of stream.artifacts); // read to the end
    expect(stream.diagnostics()).toEqual(full.diagnostics);
  });

  it.each(EMITTERS.filter((e) => e.perEnvironment).map((e) => [e.name, e] as const))('%s: emit(models) is perEnvironment of each model, in order', (_name, emitter) => {
    const strip = (a: { path: string; content: string }) => [a.path, a.content];
    expect(emitter.emit(whole.models).map(strip)).toEqual(whole.models.flatMap((m) => emitter.perEnvironment!(m)).map(strip));
  });
});

/** An emitter that throws, as a bug in a real one would. */
const throwing = (name: string, where: 'shared' | 'perEnvironment'): Emitter => {
  const boom = (): Artifact[] => {
    throw new TypeError(`cannot read properties of undefined (reading 'x')\n    at ${name} (emitter.ts:1:1)`);
  };
  return where === 'shared' ? { name, emit: boom } : { name, emit: boom, perEnvironment: boom };
};

describe('compile() never throws: an exception in a stage is one INN999 diagnostic', () => {
  const internal = (diags: readonly Diagnostic[]) => diags.filter((d) => d.code === 'INN999');

  it.each([
    ['a shared emitter', throwing('boom', 'shared'), /^internal error in stage "emit" \(emitter boom\): TypeError: cannot read properties of undefined \(reading 'x'\)$/],
    ['a per-environment emitter', throwing('boom-env', 'perEnvironment'), /^internal error in stage "emit" \(emitter boom-env, environment production\): TypeError: /],
  ])('%s that throws', (_, emitter, message) => {
    const emitters = [EMITTERS[0]!, emitter];
    let result: ReturnType<typeof compile> | undefined;
    expect(() => (result = compile(EXAMPLE, { emitters, policies: true, today: '2026-11-26' }))).not.toThrow();
    const found = internal(result!.diagnostics);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(message);
    expect(found[0]!.message).not.toMatch(/\n/); // the first line only: no stack trace
    expect(found[0]!.severity).toBe('error');
    expect(found[0]!.hint).toContain(REPORT_URL);
    expect(found[0]!.line).toBe(0);
    expect(result!.artifacts, 'incomplete output is never handed out').toEqual([]);
    // The same through the stream (no lock file at the end) and the check-only shape.
    const stream = compileStream(EXAMPLE, { emitters, policies: true, today: '2026-11-26' });
    const streamed = [...stream.artifacts];
    expect(streamed.map((a) => a.path)).not.toContain(LOCK_FILE);
    expect(internal(stream.diagnostics())).toEqual(found);
    expect(internal(compile(EXAMPLE, { emitters, policies: true, output: false }).diagnostics)).toEqual(found);
  });

  it('an artifact whose rendering throws', () => {
    const lazy: Emitter = {
      name: 'lazy',
      emit: () => [
        {
          path: 'lazy.yaml',
          kind: 'docs',
          get content(): string {
            throw new RangeError('Invalid string length');
          },
        },
      ],
    };
    const result = compile(EXAMPLE, { emitters: [lazy] });
    expect(result.artifacts).toEqual([]);
    expect(internal(result.diagnostics).map((d) => d.message)).toEqual(['internal error in stage "emit" (rendering lazy.yaml): RangeError: Invalid string length']);
  });

  it('a semantic validator that throws is reported, and the other validators still run', () => {
    const validators = VALIDATORS as RegisteredValidator[];
    validators.push(['boom', () => { throw new Error('validator bug'); }, []]);
    try {
      const spec = EXAMPLE.replace('replicas: { min: 2, max: 20 }', 'replicas: { min: 30, max: 20 }');
      const { diagnostics, models } = validateSpec(parseSpec(spec));
      expect(models).toEqual([]);
      expect(internal(diagnostics).map((d) => d.message)).toEqual([
        'internal error in stage "validate" (validator boom, environment production): validator bug',
        'internal error in stage "validate" (validator boom, environment staging): validator bug',
      ]);
      expect(diagnostics.map((d) => d.code)).toContain('INN030');
    } finally {
      validators.pop();
    }
  });
});
