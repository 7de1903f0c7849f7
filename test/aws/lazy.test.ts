/**
 * The AWS SDK is loaded only by plan, deploy and drift: the bundled CLI keeps @aws-sdk/* external
 * and reaches it through import() alone, so validate and compile never load it. Bundles the CLI
 * with the flags of `npm run bundle` and checks both the text and a real process.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PATH, ROOT } from '../helpers.js';

// Inside the repository so that the bundle resolves node_modules as the real one does.
const DIR = join(ROOT, 'node_modules', '.cache', 'innovate-aws-test');
const BUNDLE = join(DIR, `innovate-${process.pid}.mjs`);

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { bundle: string } };
  expect(pkg.scripts.bundle).toContain('--external:@aws-sdk/*');
  // The same externals as `npm run bundle`.
  const external = [...pkg.scripts.bundle.matchAll(/--external:(\S+)/g)].map((m) => m[1]!);
  await build({
    entryPoints: [join(ROOT, 'bin/innovate.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    external,
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    outfile: BUNDLE,
    logLevel: 'silent',
  });
});

afterAll(() => {
  rmSync(BUNDLE, { force: true });
  rmSync(join(DIR, `out-${process.pid}`), { recursive: true, force: true });
});

/** Runs the bundle and reports which @aws-sdk packages the process loaded. */
function sdkLoaded(args: readonly string[]): { status: number | null; packages: string[]; stderr: string } {
  const probe = `
    import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    process.on('exit', () => {
      const loaded = Object.keys(require('node:module')._cache).map((k) => /@aws-sdk\\/([^/]+)/.exec(k)?.[1]).filter(Boolean);
      process.stderr.write('\\nSDK ' + JSON.stringify([...new Set(loaded)].sort()) + '\\n');
    });
    process.argv = [process.argv[0], ${JSON.stringify(BUNDLE)}, ...${JSON.stringify(args)}];
    await import(${JSON.stringify(BUNDLE)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true' },
  });
  const packages = JSON.parse(/SDK (\[.*\])/.exec(r.stderr)?.[1] ?? 'null') as string[];
  return { status: r.status, packages, stderr: r.stderr };
}

describe('lazy AWS SDK', () => {
  it('the bundle imports @aws-sdk only through import()', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    expect(text).not.toMatch(/import\s*[\w{},*\s$]*from\s*["']@aws-sdk\//); // no static import
    expect(text).not.toMatch(/import\s*["']@aws-sdk\//); // no side-effect import
    expect(text).not.toMatch(/require\(["']@aws-sdk\//);
    expect(text).toContain('import("@aws-sdk/client-cloudformation")');
  });

  it('validate and compile load no SDK module; plan does', () => {
    const validate = sdkLoaded(['validate', EXAMPLE_PATH]);
    expect(validate.status, validate.stderr).toBe(0);
    expect(validate.packages).toEqual([]);
    const compiled = sdkLoaded(['compile', EXAMPLE_PATH, '--out', join(DIR, `out-${process.pid}`)]);
    expect(compiled.status, compiled.stderr).toBe(0);
    expect(compiled.packages).toEqual([]);
    // Nothing listens on port 9: the SDK loads, the request fails, exit 2.
    const plan = sdkLoaded(['plan', EXAMPLE_PATH, '--env', 'staging', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(plan.status).toBe(2);
    expect(plan.stderr).toContain('network failure');
    expect(plan.packages).toEqual(expect.arrayContaining(['client-cloudformation', 'client-sts']));
    expect(plan.packages).not.toContain('client-rds'); // only a deploy that changes the database needs it
  });
});
