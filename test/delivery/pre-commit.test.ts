/** The pre-commit hook definition: the right id, language, entry and file pattern. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers.js';

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
});
