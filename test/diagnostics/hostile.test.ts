/**
 * Hostile input: every case ends in a clear diagnostic, never in an exception, and the
 * CLI prints no stack trace. Each case runs through the library (parseSpec, validateSpec,
 * compile) and through `innovate validate` in-process.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Code } from '../../src/diagnostics/codes.js';
import { mergeOverride } from '../../src/source/merge.js';
import { MAX_SOURCE_BYTES } from '../../src/source/parse.js';
import { compile, parseSpec, validateSpec } from '../../src/pipeline.js';
import { base, BASE_LINES, cli, lines, show, STACK_LINE, tempDir } from './helpers.js';

const blockMaps = (depth: number): string => Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';

const bomb = [
  'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
].join('\n');

interface Case {
  readonly name: string;
  /** Text, or bytes for the file-only cases. */
  readonly content: string | Buffer;
  readonly code: Code;
  /** Expected exit code of `innovate validate`. */
  readonly exit: 1 | 2;
  /** Line of the diagnostic; 0 for file-level findings. */
  readonly line?: number;
}

const CASES: readonly Case[] = [
  { name: 'file over the size limit', content: `a: "${'x'.repeat(MAX_SOURCE_BYTES)}"\n`, code: 'INN002', exit: 1, line: 0 },
  { name: 'YAML alias bomb (billion laughs)', content: bomb, code: 'INN007', exit: 1, line: 2 },
  { name: '10,000 nested [', content: '['.repeat(10_000), code: 'INN008', exit: 1, line: 1 },
  { name: '10,000 nested [ ] balanced', content: `${'['.repeat(10_000)}${']'.repeat(10_000)}`, code: 'INN008', exit: 1, line: 1 },
  { name: '10,000 nested flow maps', content: `a: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}`, code: 'INN008', exit: 1, line: 1 },
  { name: '10,000 nested {', content: '{'.repeat(10_000), code: 'INN008', exit: 1, line: 1 },
  { name: '10,000 nested compact sequences', content: `${'- '.repeat(10_000)}a\n`, code: 'INN008', exit: 1, line: 1 },
  { name: '1,000 nested block maps', content: blockMaps(1_000), code: 'INN008', exit: 1, line: 66 },
  { name: '__proto__ key', content: base('__proto__: { polluted: true }'), code: 'INN009', exit: 1, line: 13 },
  { name: 'quoted __proto__ key in a section', content: base('database:', '  "__proto__": { polluted: true }'), code: 'INN009', exit: 1, line: 14 },
  { name: '__proto__ inside an environment override', content: lines(...BASE_LINES.slice(0, 8), '  staging:', '    accountId: "222222222222"', '    region: us-east-1', '    overrides:', '      __proto__: { polluted: true }', ...BASE_LINES.slice(9)), code: 'INN009', exit: 1, line: 13 },
  { name: 'constructor key', content: base('constructor: { prototype: { polluted: true } }'), code: 'INN009', exit: 1, line: 13 },
  { name: 'prototype key', content: base('workloads:', '  prototype: { type: flask }'), code: 'INN009', exit: 1, line: 14 },
  { name: 'non-UTF-8 bytes', content: Buffer.concat([Buffer.from(base('metadata:', '  owner: ')), Buffer.from([0xff, 0xfe, 0xe9, 0x0a])]), code: 'INN003', exit: 1, line: 0 },
  { name: 'empty file', content: '', code: 'INN004', exit: 1, line: 0 },
  { name: 'comments-only file', content: '# innovate.yaml\n# to be written\n', code: 'INN004', exit: 1, line: 0 },
  { name: 'comment lines that backtracked a regular expression', content: `${'#'.repeat(60)}\nx`, code: 'INN012', exit: 1, line: 2 },
  { name: 'several YAML documents', content: `${base()}---\n${base()}`, code: 'INN010', exit: 1, line: 15 },
  { name: 'a scalar at top level', content: 'innovate\n', code: 'INN012', exit: 1, line: 1 },
  { name: 'a list at top level', content: '- apiVersion: innovate.dev/v1alpha1\n- kind: Platform\n', code: 'INN012', exit: 1, line: 1 },
  { name: 'a NUL byte', content: 'apiVersion: innovate.dev/v1alpha1\u0000\n', code: 'INN017', exit: 1, line: 1 },
  { name: 'unterminated quoted string', content: base('metadata:', '  owner: "platform'), code: 'INN005', exit: 1 },
];

const pollutionCheck = (): void => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
};

describe('hostile input through the library', () => {
  it.each(CASES.filter((c) => typeof c.content === 'string').map((c) => [c.name, c] as const))('%s', (_, c) => {
    const text = c.content as string;
    const started = Date.now();
    let diags: ReturnType<typeof validateSpec>['diagnostics'] = [];
    expect(() => {
      diags = validateSpec(parseSpec(text)).diagnostics;
    }).not.toThrow();
    const d = diags.find((x) => x.code === c.code);
    expect(d, show(diags)).toBeDefined();
    expect(d!.severity).toBe('error');
    if (c.line !== undefined) expect(d!.line, show(diags)).toBe(c.line);
    expect(d!.message).not.toMatch(STACK_LINE);
    // compile refuses the same input with the same findings and no artifacts
    const compiled = compile(text);
    expect(compiled.artifacts).toEqual([]);
    expect(compiled.diagnostics.map((x) => x.code)).toContain(c.code);
    expect(Date.now() - started, 'each hostile input is refused quickly').toBeLessThan(5_000);
    pollutionCheck();
  });

  it('non-UTF-8 bytes decoded leniently reach the library as U+FFFD and are just text', () => {
    const text = base('metadata:', '  owner: \uFFFD\uFFFD');
    expect(() => validateSpec(parseSpec(text))).not.toThrow();
  });

  it('merging an override with prototype keys never touches Object.prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "a": {"__proto__": {"polluted": true}}}');
    const merged = mergeOverride({ a: { b: 1 } }, hostile) as Record<string, unknown>;
    expect(merged).toBeDefined();
    pollutionCheck();
  });

  it('a parser that refused a document leaves the next parse unaffected', () => {
    validateSpec(parseSpec(`${'['.repeat(10_000)}${']'.repeat(10_000)}`));
    validateSpec(parseSpec(`${'['.repeat(10_000)}${']'.repeat(10_000)}`));
    expect(validateSpec(parseSpec(base('workloads:', '  api: { type: flask }'))).diagnostics).toEqual([]);
  });
});

describe('hostile input through `innovate validate` (in-process)', () => {
  const tmp = tempDir('innovate-hostile-');
  beforeAll(() => {
    CASES.forEach((c, i) => writeFileSync(tmp.file(`case-${i}.yaml`), c.content));
    mkdirSync(tmp.file('a-directory.yaml'));
  });
  afterAll(() => tmp.remove());

  const expectClean = (r: { stdout: string; stderr: string }): void => {
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toMatch(/internal error|TypeError|RangeError/);
  };

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_, c, i) => {
    const file = `case-${i}.yaml`;
    const r = await cli(['validate', file], tmp.dir);
    expect(r.code, r.stdout).toBe(c.exit);
    expect(r.stdout).toContain(` error ${c.code}`);
    expect(r.stdout).toMatch(new RegExp(`^${file.replace('.', '\\.')}[:\\s]`, 'm'));
    expectClean(r);
    pollutionCheck();
  });

  it('a directory instead of a file: INN001, exit 2', async () => {
    const r = await cli(['validate', 'a-directory.yaml'], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('a-directory.yaml error INN001 is a directory, not a file');
    expectClean(r);
  });

  it('a missing file: INN001, exit 2', async () => {
    const r = await cli(['validate', 'missing.yaml'], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('missing.yaml error INN001 no such file');
    expectClean(r);
  });

  it('several hostile files at once: each reported, the worst exit code wins', async () => {
    const r = await cli(['validate', 'case-0.yaml', 'case-1.yaml', 'missing.yaml'], tmp.dir);
    expect(r.code).toBe(2);
    for (const code of ['INN002', 'INN007', 'INN001']) expect(r.stdout).toContain(code);
    expectClean(r);
  });

  it('--format json reports hostile input as data', async () => {
    const r = await cli(['validate', '--format', 'json', `case-${CASES.findIndex((c) => c.code === 'INN008')}.yaml`], tmp.dir);
    expect(r.code).toBe(1);
    const parsed = (JSON.parse(r.stdout) as { diagnostics: { code: string; line: number }[] }).diagnostics;
    expect(parsed.map((d) => d.code)).toContain('INN008');
    expectClean(r);
  });

  it('compile refuses hostile input and writes nothing', async () => {
    const r = await cli(['compile', `case-${CASES.findIndex((c) => c.code === 'INN007')}.yaml`, '--out', 'out'], tmp.dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('INN007');
    expect(r.stderr).toContain('nothing written');
    expect(existsSync(tmp.file('out'))).toBe(false);
    expectClean(r);
  });

  it('compile and resolve on a missing file exit 2 without a stack trace', async () => {
    for (const argv of [['compile', 'missing.yaml', '--out', 'out'], ['resolve', 'missing.yaml', '--env', 'staging']]) {
      const r = await cli(argv, tmp.dir);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout + r.stderr).toContain('INN001');
      expectClean(r);
    }
  });
});
