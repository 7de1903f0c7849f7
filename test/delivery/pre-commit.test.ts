/** The pre-commit hook definition: the right id, language, entry and file pattern. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, MINIMAL, ROOT } from '../helpers.js';

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(readFileSync(`${ROOT}.pre-commit-hooks.yaml`, 'utf8')) as Record<string, any>[];
  const hook = hooks.find((h) => h.id === 'innovate-validate')!;
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { bin: Record<string, string> };

  it('declares innovate-validate as a node hook running the package binary', () => {
    expect(hook).toMatchObject({ language: 'node', entry: 'innovate validate', pass_filenames: true });
    expect(Object.keys(pkg.bin)).toContain(hook.entry.split(' ')[0]);
  });

  it('matches innovate.yaml and innovate.yml anywhere, and nothing else', () => {
    const re = new RegExp(hook.files as string);
    for (const p of ['innovate.yaml', 'innovate.yml', 'deploy/innovate.yaml', 'a/b/innovate.yml']) expect(re.test(p), p).toBe(true);
    for (const p of ['myinnovate.yaml', 'innovate.yaml.bak', 'innovate.json', 'examples/other.yaml']) expect(re.test(p), p).toBe(false);
  });

  it('declares innovate-compile-check, which runs compile --check once per commit, and the command it runs works', async () => {
    const check = hooks.find((h) => h.id === 'innovate-compile-check')!;
    expect(check).toMatchObject({ language: 'node', entry: 'innovate compile --check', pass_filenames: false, require_serial: true });
    const re = new RegExp(check.files as string);
    for (const p of ['innovate.yaml', 'deploy/innovate.yml', 'out/innovate.lock.json', 'deploy/out/kubernetes/x.yaml']) expect(re.test(p), p).toBe(true);
    for (const p of ['README.md', 'src/output.ts']) expect(re.test(p), p).toBe(false);
    // The entry, as pre-commit runs it in a repository: exit 1 on a stale folder, 0 once compiled.
    const dir = mkdtempSync(join(tmpdir(), 'innovate-hook-'));
    writeFileSync(join(dir, 'innovate.yaml'), MINIMAL);
    const entry = (check.entry as string).split(' ').slice(1);
    expect((await cli(entry, dir)).code).toBe(1);
    expect((await cli(['compile'], dir)).code).toBe(0);
    const ok = await cli(entry, dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/^out\/ is up to date/);
  });
});
