/**
 * The AWS SDK is loaded only by plan, deploy and drift: the shipped bundle
 * (dist/innovate-cli.cjs, built by `npm run build`, which `npm test` runs first) keeps
 * @aws-sdk/* external and requires it only inside those commands, so validate and compile
 * never load it. Checks the bundle's text and a real process started by bin/innovate.cjs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PATH, ROOT } from '../helpers.js';

const BUNDLE = join(ROOT, 'dist', 'innovate-cli.cjs');
const LAUNCHER = join(ROOT, 'bin', 'innovate.cjs');
const DIR = mkdtempSync(join(tmpdir(), 'innovate-lazy-'));
const PROBE = join(DIR, 'probe.cjs');
// Preloaded with -r: on exit, lists the @aws-sdk packages in the CommonJS module cache.
writeFileSync(PROBE, `process.on('exit', () => {
  const loaded = Object.keys(require.cache).map((k) => /@aws-sdk[\\\\/]([^\\\\/]+)/.exec(k)?.[1]).filter(Boolean);
  process.stderr.write('\\nSDK ' + JSON.stringify([...new Set(loaded)].sort()) + '\\n');
});\n`);

afterAll(() => rmSync(DIR, { recursive: true, force: true }));

function sdkLoaded(args: readonly string[]): { status: number | null; packages: string[]; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', PROBE, LAUNCHER, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true' },
  });
  const packages = JSON.parse(/SDK (\[.*\])/.exec(r.stderr)?.[1] ?? 'null') as string[];
  return { status: r.status, packages, stderr: r.stderr };
}

describe.skipIf(!existsSync(BUNDLE))('lazy AWS SDK (the built bundle)', () => {
  it('the bundle requires @aws-sdk only inside functions, never at the top level', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    expect(text).not.toMatch(/import\s*[\w{},*\s$]*from\s*["']@aws-sdk\//);
    expect(text).toContain('require("@aws-sdk/client-cloudformation")');
    expect(text).toContain('require("@aws-sdk/client-s3")'); // external too, not bundled
    // Every SDK require sits inside a promise callback (the lowered import()), not in module scope.
    for (const m of text.matchAll(/require\("@aws-sdk\/[^"]+"\)/g)) expect(text.slice(Math.max(0, m.index! - 80), m.index)).toMatch(/then\(/);
  });

  it('validate and compile load no SDK module; plan does', () => {
    const validate = sdkLoaded(['validate', EXAMPLE_PATH]);
    expect(validate.status, validate.stderr).toBe(0);
    expect(validate.packages).toEqual([]);
    const compiled = sdkLoaded(['compile', EXAMPLE_PATH, '--out', join(DIR, 'out')]);
    expect(compiled.status, compiled.stderr).toBe(0);
    expect(compiled.packages).toEqual([]);
    // Nothing listens on port 9: the SDK loads, the request fails, exit 3 (a failed AWS call).
    const plan = sdkLoaded(['plan', EXAMPLE_PATH, '--env', 'staging', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(plan.status).toBe(3);
    expect(plan.stderr).toContain('network failure');
    expect(plan.packages).toEqual(expect.arrayContaining(['client-cloudformation', 'client-sts']));
    expect(plan.packages).not.toContain('client-rds'); // only a deploy that changes the database needs it
    expect(plan.packages).not.toContain('client-s3'); // only a template over 51,200 bytes needs it
  });

  it('cost loads no SDK module; only cost --live asks for the Price List client', () => {
    const cost = sdkLoaded(['cost', EXAMPLE_PATH]);
    expect(cost.status, cost.stderr).toBe(0);
    expect(cost.packages).toEqual([]);
    // Against a closed port: with @aws-sdk/client-pricing installed the request fails (network), without
    // it the module is missing: exit 3 (a failed AWS call) or 2 (not installed) after the snapshot
    // estimate, and nothing else loads.
    const live = sdkLoaded(['cost', EXAMPLE_PATH, '--live', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(live.status).toBe(live.packages.includes('client-pricing') ? 3 : 2);
    expect(live.stderr).toMatch(/innovate cost --live: (network failure|cannot load @aws-sdk\/client-pricing)/);
    expect(live.packages.filter((p) => p.startsWith('client-'))).toEqual(live.packages.includes('client-pricing') ? ['client-pricing'] : []);
  });
});
