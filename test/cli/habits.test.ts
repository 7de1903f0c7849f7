/**
 * The CLI's habits, as cfn-lint, checkov, eslint and helm users expect them: the report on
 * stdout and progress on stderr, one JSON envelope, colour only on a terminal, completion
 * scripts, unknown environments listed, and diff's edge cases.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIO } from '../../bin/cli.js';
import { VERSION } from '../../src/version.js';
import { cli, ROOT } from '../helpers.js';

const MANY = 'test/fixtures/cli/many-errors.yaml';
const MINIMAL = 'test/fixtures/cli/valid-minimal.yaml';
const ESC = '\u001b[';

async function run(argv: string[], extra: Partial<CliIO> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: ROOT, env: {}, ...extra });
  return { code, stdout, stderr };
}

describe('report on stdout, summary on stderr', () => {
  it('validate > report.txt keeps every finding; the summary stays on the terminal', async () => {
    const r = await cli(['validate', MANY]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(10);
    expect(r.stderr).toBe(`${MANY}: 10 errors, 0 warnings\n`);
  });
});

describe('--format json: one envelope for every reporting command', () => {
  const shape = (text: string) => {
    const o = JSON.parse(text) as { version: string; summary: { errors: number; warnings: number }; diagnostics: { code: string }[] };
    expect(o.version).toBe(VERSION);
    expect(typeof o.summary.errors).toBe('number');
    expect(Array.isArray(o.diagnostics)).toBe(true);
    return o;
  };

  it('validate and compile', async () => {
    expect(shape((await cli(['validate', MANY, '--format', 'json'])).stdout).summary).toEqual({ errors: 10, warnings: 0 });
    const out = join(mkdtempSync(join(tmpdir(), 'innovate-env-')), 'out');
    const compiled = shape((await cli(['compile', MINIMAL, '--out', out, '--format', 'json'])).stdout);
    expect(compiled.summary).toMatchObject({ errors: 0, written: expect.any(Number) });
    const refused = shape((await cli(['compile', MANY, '--out', out, '--format', 'json'])).stdout);
    expect(refused.summary.errors).toBe(10);
  });

  it('compile --check lists the missing files of a folder that is not there', async () => {
    const r = await cli(['compile', MINIMAL, '--out', join(mkdtempSync(join(tmpdir(), 'innovate-env-')), 'none'), '--check', '--format', 'json']);
    expect(r.code).toBe(1);
    const o = shape(r.stdout) as unknown as { files: { missing: string[]; changed: string[]; extra: string[] }; summary: { missing: number } };
    expect(o.files.missing).toContain('innovate.lock.json');
    expect(o.summary.missing).toBe(o.files.missing.length);
    expect(o.files.changed).toEqual([]);
  });

  it('diff: the envelope with the files; spec errors exit 1 (as every command), in the envelope', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'innovate-diff-'));
    writeFileSync(join(dir, 'innovate.yaml'), spawnSync('cat', [join(ROOT, MINIMAL)], { encoding: 'utf8' }).stdout);
    mkdirSync(join(dir, 'out'));
    const r = await cli(['diff', '--out', 'out', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const o = shape(r.stdout) as unknown as { files: unknown[]; summary: { files: number } };
    expect(o.summary.files).toBe(o.files.length);
    const bad = await cli(['diff', MANY, '--out', 'out', '--format', 'json']);
    expect(bad.code).toBe(1);
    expect(shape(bad.stdout).summary.errors).toBe(10);
    const text = await cli(['diff', MANY, '--out', 'out']);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('10 errors, 0 warnings; nothing to compare');
  });

  it('resolve keeps printing the bare model (the promotion workflow pipes it into jq)', async () => {
    const o = JSON.parse((await cli(['resolve', MINIMAL, '--env', 'staging', '--format', 'json'])).stdout) as Record<string, unknown>;
    expect(o).not.toHaveProperty('version');
    expect(o).toHaveProperty('environment');
  });
});

describe('diff --out on a folder that does not exist', () => {
  it('says so (exit 2) instead of listing every file as added', async () => {
    const r = await cli(['diff', MINIMAL, '--out', join(tmpdir(), 'innovate-no-such-folder')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/innovate-no-such-folder does not exist; compile into it first/);
    expect(r.stdout).toBe('');
  });
});

describe('unknown --env lists the environments that exist', () => {
  it.each([
    [['compile', MINIMAL, '--out', 'never-written', '--env', 'qa']],
    [['resolve', MINIMAL, '--env', 'qa']],
    [['platform', MINIMAL, '--env', 'qa']],
    [['cost', MINIMAL, '--env', 'qa']],
    [['diff', MINIMAL, '--env', 'qa']],
  ])('%j', async (argv) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no environment "qa" (have: production, staging)');
  });
});

describe('colour', () => {
  it('on a terminal, severities and the summary are coloured', async () => {
    const r = await run(['validate', MANY], { isTTY: { stdout: true, stderr: true } });
    expect(r.stdout).toContain(`${ESC}31merror INN013${ESC}39m`);
    expect(r.stderr).toContain(`${ESC}31m10 errors, 0 warnings${ESC}39m`);
  });

  it('off when the stream is not a terminal, with NO_COLOR, with --no-color, and with TERM=dumb', async () => {
    const piped = await run(['validate', MANY], { isTTY: { stdout: false, stderr: true } });
    expect(piped.stdout).not.toContain(ESC);
    expect(piped.stderr).toContain(ESC);
    for (const r of [
      await run(['validate', MANY], { isTTY: { stdout: true, stderr: true }, env: { NO_COLOR: '1' } }),
      await run(['--no-color', 'validate', MANY], { isTTY: { stdout: true, stderr: true } }),
      await run(['validate', MANY], { isTTY: { stdout: true, stderr: true }, env: { TERM: 'dumb' } }),
    ]) expect(r.stdout + r.stderr).not.toContain(ESC);
  });

  it('never in machine formats', async () => {
    const r = await run(['validate', MANY, '--format', 'json'], { isTTY: { stdout: true, stderr: true } });
    expect(r.stdout).not.toContain(ESC);
  });
});

describe('innovate completion', () => {
  it.each(['bash', 'zsh', 'fish'])('%s: every command and its options', async (shell) => {
    const r = await cli(['completion', shell]);
    expect(r.code).toBe(0);
    for (const word of ['validate', 'compile', 'resolve', 'diff', 'plan', 'deploy', 'drift', 'platform', 'cost', 'schema', 'init', 'completion']) expect(r.stdout).toContain(word);
    for (const word of ['sarif', 'junit', 'check', 'against-ref', 'template-bucket']) expect(r.stdout).toContain(word);
  });

  it('bash: the script parses, and completes commands and --format values', async () => {
    const script = (await cli(['completion', 'bash'])).stdout;
    const probe = (words: string[]) => {
      const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _innovate; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim().split('\n');
    };
    expect(probe(['innovate', 'com'])).toEqual(['compile', 'completion']);
    expect(probe(['innovate', 'validate', '--format', ''])).toEqual(['text', 'json', 'sarif', 'junit']);
    expect(probe(['innovate', 'compile', '--ch'])).toEqual(['--check']);
  });

  it('an unknown shell is a usage error', async () => {
    const r = await cli(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are bash, zsh, fish/);
  });
});
