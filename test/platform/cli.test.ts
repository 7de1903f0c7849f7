/** `innovate platform` in-process: the three formats, and the exits for a wrong environment or file. */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

describe('innovate platform', () => {
  it('prints node kinds with the arithmetic, the flows and the principals', async () => {
    const r = await cli(['platform', 'examples/innovate.yaml', '--env', 'production']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Platform of production \(account 200000000002, us-east-1\), cluster innovate-production$/m);
    expect(r.stdout).toMatch(/^ {2}managed:system: t3\.small × 2 \(min 2, max 3\), on-demand$/m);
    expect(r.stdout).toMatch(/t3\.small: 2 vCPU, 2Gi, max 11 pods; kube-reserved 70m CPU, 376Mi; allocatable 1930m CPU, 1418Mi/);
    expect(r.stdout).toMatch(/^ {4}pods \d+ \/ 22 (ok|OVER); CPU .* \/ 3860m (ok|OVER); memory .* \/ 2836Mi (ok|OVER)$/m);
    expect(r.stdout).toContain('Flows (security-group rules)');
    expect(r.stdout).toMatch(/innovate-production-db +ingress +tcp 5432 +from innovate-production-app/);
    expect(r.stdout).toContain('Principals (roles)');
  });

  it('--format json is the model, parseable and stable', async () => {
    const a = await cli(['platform', 'examples/innovate.yaml', '--env', 'staging', '--format', 'json']);
    const b = await cli(['platform', 'examples/innovate.yaml', '--env', 'staging', '--format', 'json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const p = JSON.parse(a.stdout) as { environment: string; nodeKinds: { id: string }[] };
    expect(p.environment).toBe('staging');
    expect(p.nodeKinds[0]?.id).toBe('managed:system');
  });

  it('--format markdown has the tables and the Mermaid diagram of where each pod runs', async () => {
    const r = await cli(['platform', 'examples/innovate.yaml', '--env', 'production', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('```mermaid\nflowchart LR\n  subgraph n_managed_system[');
    expect(r.stdout).toContain('| pod | kind | replicas | cpu | memory | placement | requests from |');
  });

  it('an unknown environment is a usage error (exit 2); a missing file too', async () => {
    const r = await cli(['platform', 'examples/innovate.yaml', '--env', 'qa']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no environment "qa" (have: production, staging)');
    expect((await cli(['platform', 'nope.yaml', '--env', 'production'])).code).toBe(2);
  });
});
