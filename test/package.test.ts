/**
 * The published surface: `import … from 'innovate'` resolves through package.json "exports" to the
 * built library (npm test builds first), and the `innovate` bin runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, EXAMPLE_PATH, ROOT } from './helpers.js';

const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { bin: Record<string, string>; exports: Record<string, { import: string; types: string }> };
const built = existsSync(`${ROOT}${pkg.exports['.']!.import}`);

describe.skipIf(!built)('the innovate package', () => {
  it('exports the pipeline from its entry point', async () => {
    const lib = await import('innovate');
    expect(Object.keys(lib)).toEqual(expect.arrayContaining(['parseSpec', 'validateSpec', 'compile', 'formatDiagnostic', 'EMITTERS', 'specSchema', 'VERSION']));
    const { artifacts, diagnostics, models } = lib.compile(EXAMPLE, { file: 'innovate.yaml' });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(models.map((m) => m.environment.name)).toEqual(['production', 'staging']);
    expect(artifacts.map((a) => a.path)).toContain('cloudformation/production/network.json');
    expect(existsSync(`${ROOT}${pkg.exports['.']!.types}`)).toBe(true);
  });

  it('the bin validates the example, printing its summary and nothing else', () => {
    // The launcher tunes V8 at run time: a flag V8 did not know would print an error here.
    const r = spawnSync(process.execPath, [`${ROOT}${pkg.bin.innovate}`, 'validate', EXAMPLE_PATH], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${EXAMPLE_PATH}: 0 errors, 0 warnings\n`);
  });

  it('the bin streams a compile to disk and exits with the CLI\'s code', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'innovate-bin-')), 'out');
    const r = spawnSync(process.execPath, [`${ROOT}${pkg.bin.innovate}`, 'compile', EXAMPLE_PATH, '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const lock = JSON.parse(readFileSync(join(out, 'innovate.lock.json'), 'utf8')) as { artifacts: unknown[] };
    expect(r.stderr).toContain(`wrote ${lock.artifacts.length + 1} artifacts`);
    const bad = spawnSync(process.execPath, [`${ROOT}${pkg.bin.innovate}`, 'validate', `${ROOT}test/fixtures/cli/many-errors.yaml`], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
  });
});
