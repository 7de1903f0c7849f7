/**
 * The CLI in-process, against committed golden output (stdout, stderr, exit code).
 * Goldens live in test/cli/__golden__; `npm run goldens` rewrites them, and they are
 * read before committing.
 */
import { mkdtempSync, readFileSync, existsSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { cli, EXPIRED_EXCEPTION, ROOT, withExceptions } from '../helpers.js';
import { owned } from '../writer/helpers.js';

const golden = (name: string) => `./__golden__/${name}.txt`;
const render = (r: { code: number; stdout: string; stderr: string }) => `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
const tmp = () => mkdtempSync(join(tmpdir(), 'innovate-cli-'));

describe('innovate CLI', () => {
  const cases: [string, string[]][] = [
    ['validate-example', ['validate', 'examples/innovate.yaml']],
    ['validate-many-errors', ['validate', 'test/fixtures/cli/many-errors.yaml']],
    ['validate-many-errors-json', ['validate', '--format', 'json', 'test/fixtures/cli/many-errors.yaml']],
    ['validate-several-files', ['validate', 'test/fixtures/cli/valid-minimal.yaml', 'test/fixtures/cli/many-errors.yaml', 'test/fixtures/cli/missing.yaml']],
    ['validate-directory', ['validate', 'test/fixtures']],
    ['resolve-minimal', ['resolve', 'test/fixtures/cli/valid-minimal.yaml', '--env', 'staging']],
    ['resolve-unknown-env', ['resolve', 'test/fixtures/cli/valid-minimal.yaml', '--env', 'prod']],
    ['unknown-command', ['frobnicate']],
    ['compile-invalid', ['compile', 'test/fixtures/cli/many-errors.yaml', '--out', 'never-written']],
    ['compile-unknown-env', ['compile', 'test/fixtures/cli/valid-minimal.yaml', '--out', 'never-written', '--env', 'prod', 'staging']],
    ['help', ['--help']],
    ['resolve-help', ['resolve', '--help']],
  ];
  it.each(cases)('%s', async (name, argv) => {
    const r = await cli(argv);
    await expect(render(r)).toMatchFileSnapshot(golden(name));
    expect(r.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  });

  it('prints the version of package.json', async () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect((await cli(['--version'])).stdout.trim()).toBe(pkg.version);
  });

  it('compiles, then --check passes; a changed or extra file makes --check fail', async () => {
    const out = join(tmp(), 'out');
    const first = await cli(['compile', 'examples/innovate.yaml', '--out', out]);
    expect(first.code).toBe(0);
    const lock = JSON.parse(readFileSync(join(out, 'innovate.lock.json'), 'utf8')) as { innovateVersion: string; artifacts: { path: string; sha256: string }[] };
    expect(lock.innovateVersion).toBe(VERSION);
    expect((await cli(['compile', 'examples/innovate.yaml', '--out', out, '--check'])).code).toBe(0);

    const victim = lock.artifacts[0]?.path ?? 'innovate.lock.json';
    writeFileSync(join(out, victim), 'tampered\n');
    writeFileSync(join(out, 'stray.txt'), 'x\n');
    const check = await cli(['compile', 'examples/innovate.yaml', '--out', out, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(`changed  ${out}/${victim}`);
    const json = await cli(['compile', 'examples/innovate.yaml', '--out', out, '--check', '--format', 'json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { version: string; summary: Record<string, number>; diagnostics: unknown[]; files: Record<string, string[]> };
    expect(report.version).toBe(VERSION);
    expect(report.files).toEqual({ missing: [], changed: [victim], extra: ['stray.txt'] });
    expect(report.summary).toMatchObject({ errors: 0, missing: 0, changed: 1, extra: 1 });
    expect(check.stderr).toContain(`extra    ${out}/stray.txt`);
    expect(readFileSync(join(out, victim), 'utf8')).toBe('tampered\n'); // --check writes nothing
  });

  it('--check against a missing folder reports every artifact missing', async () => {
    const r = await cli(['compile', 'examples/innovate.yaml', '--out', join(tmp(), 'none'), '--check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is stale: \d+ missing, 0 changed, 0 extra/);
  });

  it('a failed compile leaves the previous out/ exactly as it was', async () => {
    const out = join(tmp(), 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'previous\n');
    const r = await cli(['compile', 'test/fixtures/cli/many-errors.yaml', '--out', out]);
    expect(r.code).toBe(1);
    expect(readdirSync(out)).toEqual(['keep.txt']);
  });

  it('an invariant error found while the artifacts stream out discards what was staged', async () => {
    // The rules judge each batch as it is written to a staging folder; an expired exception (INV900)
    // is an error known only at the end, so the staged tree must go and out/ stay as it was.
    const dir = tmp();
    writeFileSync(join(dir, 'innovate.yaml'), withExceptions([EXPIRED_EXCEPTION]));
    owned(join(dir, 'out'), ['keep.txt']); // a folder innovate wrote (its lock lists keep.txt)
    const r = await cli(['compile', '--out', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/INV900/);
    expect(r.stderr).toMatch(/nothing written/);
    expect(readdirSync(join(dir, 'out'))).toEqual(['innovate.lock.json', 'keep.txt']);
    expect(readdirSync(dir).sort()).toEqual(['innovate.yaml', 'out']); // no staging folder left behind
    const check = await cli(['compile', '--out', 'out', '--check'], dir);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/nothing compared/);
  });

  it('--env limits the output to one environment', async () => {
    const out = join(tmp(), 'out');
    const r = await cli(['compile', 'examples/innovate.yaml', '--out', out, '--env', 'staging']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('for staging to');
    const lock = readFileSync(join(out, 'innovate.lock.json'), 'utf8');
    expect(lock).not.toContain('"environment": "production"');
  });

  it('init writes a starter spec that validates and compiles, and refuses to overwrite', async () => {
    const dir = tmp();
    expect((await cli(['init'], dir)).code).toBe(0);
    const text = readFileSync(join(dir, 'innovate.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/innovate/schema/innovate.schema.json');
    expect(text.split('\n').length).toBeLessThanOrEqual(20);
    expect((await cli(['validate'], dir)).code).toBe(0);
    expect((await cli(['compile', '--out', 'out'], dir)).code).toBe(0);
    expect(existsSync(join(dir, 'out', 'innovate.lock.json'))).toBe(true);
    const again = await cli(['init'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('schema prints the committed JSON Schema', async () => {
    const r = await cli(['schema']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(`${ROOT}schema/innovate.schema.json`, 'utf8'));
  });
});
