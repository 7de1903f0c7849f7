/**
 * The published surface: `import … from 'innovate'` resolves through package.json "exports" to the
 * built library (npm test builds first), and the `innovate` bin runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

  it('the bin validates the example', () => {
    const r = spawnSync(process.execPath, [`${ROOT}${pkg.bin.innovate}`, 'validate', EXAMPLE_PATH], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('0 errors');
  });
});
