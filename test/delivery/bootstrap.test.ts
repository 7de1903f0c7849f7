/**
 * Issue 20 §3: the bootstrap is a command. bootstrap/<env>.sh carries the pinned chart versions and
 * the environment's file names, and runs against stand-in aws/helm/kubectl (test/fixtures/bootstrap/bin)
 * that record every call and every change and refuse what the real ones would (a NodePool before
 * Karpenter's CRDs, a client-side apply). Run twice, the second run changes nothing. shellcheck runs
 * when it is on the PATH (apt-get install shellcheck).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapPath } from '../../src/emitters/bootstrap/index.js';
import { EXAMPLE } from '../helpers.js';
import fc from 'fast-check';
import { compile } from '../../src/pipeline.js';
import { specArbitrary } from '../invariants/arbitrary.js';
import { compileOk, VARIANTS } from './support.js';

const STANDINS = fileURLToPath(new URL('../fixtures/bootstrap/bin', import.meta.url));
const result = compileOk(EXAMPLE);
const scripts = result.artifacts.filter((a) => a.kind === 'script');
const tmp = mkdtempSync(join(tmpdir(), 'innovate-bootstrap-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The compiled output written to a folder, as `innovate compile --out` would. */
function writeOutput(dir: string): void {
  for (const a of result.artifacts) {
    mkdirSync(dirname(join(dir, a.path)), { recursive: true });
    writeFileSync(join(dir, a.path), a.content);
  }
}

function run(out: string, env: string, state: string, account: string) {
  mkdirSync(state, { recursive: true });
  const r = spawnSync('bash', [join(out, bootstrapPath(env))], {
    encoding: 'utf8',
    env: { PATH: `${STANDINS}:${process.env.PATH}`, STANDIN_STATE: state, STANDIN_ACCOUNT: account, HOME: tmp },
  });
  const read = (f: string) => (existsSync(join(state, f)) ? readFileSync(join(state, f), 'utf8') : '');
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls: read('calls.log'), changes: read('changes.log') };
}

describe('bootstrap script (issue 20 §3)', () => {
  it('one per environment, pinned versions and the environment\'s own file names filled in', () => {
    expect(scripts.map((s) => s.path)).toEqual(result.models.map((m) => bootstrapPath(m.environment.name)));
    for (const m of result.models) {
      const text = scripts.find((s) => s.environment === m.environment.name)!.content;
      expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
      expect(text).toContain('\nset -euo pipefail\n');
      expect(text).not.toMatch(/<pinned>|<[a-z]+>/);
      expect(text).toContain(`'karpenter' 'kube-system' '${m.platform.karpenter.version}'`);
      expect(text).toContain(`'argo-cd' 'argocd' '${m.platform.argocd.version}'`);
      const files = result.artifacts.filter((a) => a.environment === m.environment.name && /^kubernetes\/[^/]+\/\d\d-(namespaces|karpenter|argocd)\.yaml$/.test(a.path));
      expect(files).toHaveLength(3);
      for (const f of files) expect(text).toContain(`"$OUT"/'${f.path}'`);
    }
  });

  it('staging: the first run installs in order; the second changes nothing', () => {
    const out = join(tmp, 'out');
    writeOutput(out);
    const state = join(tmp, 'state-staging');
    const account = result.models.find((m) => m.environment.name === 'staging')!.environment.accountId;
    const first = run(out, 'staging', state, account);
    expect(first.status, first.stderr).toBe(0);
    const upgrades = first.calls.split('\n').filter((l) => l.startsWith('helm upgrade'));
    expect(upgrades).toHaveLength(2);
    expect(upgrades[0]).toMatch(/^helm upgrade --install karpenter oci:\/\/public\.ecr\.aws\/karpenter\/karpenter --version 1\.14\.1 --namespace kube-system --kube-context innovate-staging --values \S+\/helm\/staging\/karpenter\.values\.yaml --wait/);
    expect(upgrades[1]).toMatch(/^helm upgrade --install argo-cd argo-cd --repo https:\/\/argoproj\.github\.io\/argo-helm --version \d+\.\d+\.\d+ .* --wait/);
    expect(first.changes.split('\n').filter(Boolean)).toEqual([
      'helm release kube-system/karpenter oci://public.ecr.aws/karpenter/karpenter 1.14.1',
      'kubectl applied 00-namespaces.yaml',
      'kubectl applied 05-karpenter.yaml',
      expect.stringMatching(/^helm release argocd\/argo-cd https:\/\/argoproj\.github\.io\/argo-helm\/argo-cd \d+\.\d+\.\d+$/),
      'kubectl applied 04-argocd.yaml',
    ]);

    const second = run(out, 'staging', state, account);
    expect(second.status, second.stderr).toBe(0);
    expect(second.changes).toBe(first.changes); // nothing new was changed
    const secondCalls = second.calls.slice(first.calls.length).split('\n').filter(Boolean);
    expect(secondCalls.some((l) => l.startsWith('helm upgrade'))).toBe(false);
    expect(second.stdout).toMatch(/karpenter: release deployed already/);
    expect(second.stdout.match(/: unchanged/g)).toHaveLength(3);
  });

  it('refuses to act in another account than the environment\'s', () => {
    const out = join(tmp, 'out');
    writeOutput(out);
    const r = run(out, 'production', join(tmp, 'state-wrong'), '999999999999');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/signed in to account 999999999999, but the cluster is in \d{12}/);
    expect(r.calls).not.toMatch(/^(helm|kubectl) /m);
  });

  it('every variant gets a script per environment', () => {
    for (const text of Object.values(VARIANTS)) {
      const r = compileOk(text);
      expect(r.artifacts.filter((a) => a.kind === 'script').map((a) => a.environment)).toEqual(r.models.map((m) => m.environment.name));
    }
  });

  it('random specs: a script per environment, never an internal error', () => {
    let checked = 0;
    for (const s of fc.sample(specArbitrary, { numRuns: 12, seed: 20 })) {
      const r = compile(s.yaml);
      expect(r.diagnostics.filter((d) => d.code === 'INN999')).toEqual([]);
      if (r.diagnostics.some((d) => d.severity === 'error')) continue;
      expect(r.artifacts.filter((a) => a.kind === 'script').map((a) => a.environment)).toEqual(r.models.map((m) => m.environment.name));
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  const shellcheck = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
  if (shellcheck.status !== 0) console.warn('shellcheck is not on the PATH (apt-get install shellcheck): the bootstrap scripts are not linted');
  it.skipIf(shellcheck.status !== 0)('shellcheck finds nothing in any script or stand-in', () => {
    const dir = join(tmp, 'lint');
    mkdirSync(dir, { recursive: true });
    const files = scripts.map((s) => {
      const f = join(dir, s.path.replace(/\//g, '_'));
      writeFileSync(f, s.content);
      return f;
    });
    const r = spawnSync('shellcheck', ['--severity=style', ...files, ...['aws', 'helm', 'kubectl'].map((t) => join(STANDINS, t))], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
