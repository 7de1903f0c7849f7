/**
 * The published surface: `import … from 'innovate'` resolves through package.json "exports" to the
 * built library (npm test builds first), and the `innovate` bin runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
    expect(r.stdout).toBe(''); // the report: no findings
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

describe('the package as published', () => {
  const full = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('carries the Apache-2.0 licence text, and says where the project lives', () => {
    const license = readFileSync(`${ROOT}LICENSE`, 'utf8');
    expect(full.license).toBe('Apache-2.0');
    expect(license).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(full.files).toContain('LICENSE');
    expect(full.repository.url).toMatch(/^git\+https:\/\/github\.com\/[\w-]+\/innovate\.git$/);
    expect(full.bugs.url).toBe(full.repository.url.replace(/^git\+/, '').replace(/\.git$/, '/issues'));
  });

  it.skipIf(!built)("require('innovate') works (require of the ES module, Node >= 20.19)", () => {
    const r = spawnSync(process.execPath, ['-e', "const m = require('innovate'); process.stdout.write(typeof m.compile)"], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).not.toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(r.stdout).toBe('function');
  });

  it('validate and compile need only the light dependencies: the AWS SDK and the CloudFormation differ are optional', () => {
    const optional = Object.keys(full.optionalDependencies);
    expect(optional.sort()).toEqual(Object.keys(full.optionalDependencies).filter((n) => n.startsWith('@aws-sdk/') || n === '@aws-cdk/cloudformation-diff').sort());
    expect(optional).toContain('@aws-sdk/client-cloudformation');
    expect(Object.keys(full.dependencies).some((n) => n.startsWith('@aws-'))).toBe(false);
    // ajv checks the JSON Schema in tests only.
    expect(full.dependencies).not.toHaveProperty('ajv');
    expect(full.devDependencies).toHaveProperty('ajv');
    // Each optional package is loaded through loadOptional (a clear message when missing), never imported statically.
    const sources = spawnSync('grep', ['-rn', '--include=*.ts', '-E', "from '@aws-(sdk|cdk)/|import\\('@aws-(sdk|cdk)/|from 'ajv'", `${ROOT}src`, `${ROOT}bin`], { encoding: 'utf8' }).stdout;
    const lines = sources.split('\n').filter((l) => l && !l.includes('import type') && !l.includes('typeof import('));
    expect(lines.filter((l) => !l.includes('loadOptional('))).toEqual([]);
  });

  it('a missing optional package is named with the command that installs it', async () => {
    const { loadOptional, MissingDependencyError } = await import('../src/util/optional.js');
    const missing = loadOptional('@aws-sdk/client-nothing', () => import(String('@aws-sdk/client-nothing')));
    await expect(missing).rejects.toBeInstanceOf(MissingDependencyError);
    await expect(missing).rejects.toThrow(/npm install --include=optional innovate/);
  });

  it.skipIf(!built)('the first run writes the start-up code cache into the user cache folder; the next runs use it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'innovate-cache-'));
    const env = { ...process.env, INNOVATE_CACHE_DIR: dir };
    const run = () => spawnSync(process.execPath, [`${ROOT}${pkg.bin.innovate}`, 'validate', EXAMPLE_PATH], { encoding: 'utf8', env });
    expect(run().status).toBe(0);
    const [file] = readdirSync(dir);
    expect(file).toMatch(/^innovate-cli-.*\.cache$/);
    const written = statSync(join(dir, file!));
    expect(written.size).toBeGreaterThan(100_000);
    expect(written.mode & 0o077).toBe(0); // this user's only
    expect(run().status).toBe(0);
    expect(statSync(join(dir, file!)).mtimeMs).toBe(written.mtimeMs); // accepted by V8, so not rewritten
    const accepted = spawnSync(process.execPath, ['-e', `const { loadBundle } = require(${JSON.stringify(`${ROOT}bin/load-bundle.cjs`)}); process.stdout.write(String(loadBundle().script.cachedDataRejected))`], { encoding: 'utf8', env });
    expect(accepted.stdout).toBe('false');
    expect(existsSync(`${ROOT}dist/innovate-cli.cjs.cache`)).toBe(false); // nothing shipped that fits one Node.js only
  });
});
