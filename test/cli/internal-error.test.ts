/**
 * An unexpected exception anywhere (parser, model builder, the CLI's own code) is one INN999
 * diagnostic, printed in the format asked for: never an empty stdout for json, sarif or junit,
 * never a stack trace, and exit 2 (a bug in innovate, not in the spec). The stages are made to
 * throw by mocking them for marked specs only, so every other spec still goes through the real code.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { REPORT_URL } from '../../src/diagnostics/internal.js';
import { ALERT_LINES, base, BASE_LINES, cli, lines, STACK_LINE, tempDir } from '../diagnostics/helpers.js';

vi.mock('../../src/source/parse.js', async (original) => {
  const real = await original<typeof import('../../src/source/parse.js')>();
  return { ...real, parseSource: (text: string) => (text.includes('# parse-boom') ? (null as unknown as { x: string }).x : real.parseSource(text)) };
});
vi.mock('../../src/compiler/build.js', async (original) => {
  const real = await original<typeof import('../../src/compiler/build.js')>();
  return {
    ...real,
    buildModel: (spec: Parameters<typeof real.buildModel>[0], env: string) => {
      if (spec.metadata.name === 'build-boom') throw new Error('model builder bug\n    at buildModel (build.ts:1:1)');
      return real.buildModel(spec, env);
    },
  };
});
vi.mock('../../bin/io.js', async (original) => {
  const real = await original<typeof import('../../bin/io.js')>();
  return { ...real, readSpecFile: (cwd: string, file: string) => (file.endsWith('cli-boom.yaml') ? Promise.reject(new TypeError('reader bug')) : real.readSpecFile(cwd, file)) };
});

const tmp = tempDir('innovate-internal-');
afterAll(() => tmp.remove());
const write = (name: string, text: string): string => {
  writeFileSync(tmp.file(name), text);
  return name;
};
const buildBoom = write('build-boom.yaml', lines(...BASE_LINES.slice(0, 3), '  name: build-boom', ...BASE_LINES.slice(4), ...ALERT_LINES));
const parseBoom = write('parse-boom.yaml', base('# parse-boom'));
const cliBoom = write('cli-boom.yaml', base());

const CASES = [
  ['build', buildBoom, 'internal error in stage "build" (environment production): model builder bug'],
  ['parse', parseBoom, /internal error in stage "parse": TypeError: Cannot read properties of null/],
  ['cli', cliBoom, 'internal error in stage "cli": TypeError: reader bug'],
] as const;

describe('an internal error is one INN999 diagnostic in every output format', () => {
  it.each(CASES)('stage %s, --format json', async (_stage, file, message) => {
    for (const argv of [['validate', file], ['validate', '--no-policies', file], ['compile', file, '--out', 'out']]) {
      const r = await cli([...argv, '--format', 'json'], tmp.dir);
      expect(r.code, argv.join(' ')).toBe(2);
      const printed = (JSON.parse(r.stdout) as { diagnostics: { code: string; message: string; hint: string; file: string; line: number }[] }).diagnostics;
      expect(printed.map((d) => d.code), argv.join(' ')).toEqual(['INN999']);
      expect(printed[0]!.message).toMatch(message);
      expect(printed[0]!.hint).toContain(REPORT_URL);
      expect(printed[0]!.file).toBe(file);
      expect(r.stdout + r.stderr).not.toMatch(STACK_LINE);
    }
  });

  it.each(CASES)('stage %s, --format sarif', async (_stage, file, message) => {
    const r = await cli(['validate', file, '--format', 'sarif'], tmp.dir);
    expect(r.code).toBe(2);
    const log = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; message: { text: string } }[] }[] };
    expect(log.runs[0]!.results.map((x) => x.ruleId)).toEqual(['INN999']);
    expect(log.runs[0]!.results[0]!.message.text).toMatch(message);
    expect(log.runs[0]!.tool.driver.rules.map((x) => x.id)).toContain('INN999');
  });

  it.each(CASES)('stage %s, --format junit', async (_stage, file) => {
    const r = await cli(['validate', file, '--format', 'junit'], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/<failure message="1 finding" type="spec">[^<]*INN999 internal error in stage/);
  });

  it.each(CASES)('stage %s, --format text', async (_stage, file, message) => {
    const r = await cli(['validate', file], tmp.dir);
    expect(r.code).toBe(2);
    // In the report on stdout when a stage caught it; on stderr when the CLI itself crashed.
    const printed = r.stdout + r.stderr;
    expect(printed).toContain(`${file} error INN999 `);
    expect(printed).toMatch(message);
    expect(printed).toContain(`(hint: this is a bug in innovate, not in your spec; please report it at ${REPORT_URL}`);
    expect(printed).not.toMatch(STACK_LINE);
  });

  it('one file with a bug does not hide the findings of the others, and exit is 2', async () => {
    const bad = write('bad.yaml', base('workloads:', '  api: { type: flask, replicas: { min: 3, max: 2 } }'));
    const r = await cli(['validate', bad, buildBoom, '--format', 'json'], tmp.dir);
    expect(r.code).toBe(2);
    const codes = (JSON.parse(r.stdout) as { diagnostics: { code: string; file: string }[] }).diagnostics.map((d) => `${d.file} ${d.code}`);
    expect(codes).toContain('bad.yaml INN030');
    expect(codes).toContain(`${buildBoom} INN999`);
  });
});
