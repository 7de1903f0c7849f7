/** innovate diff --against-ref: the monthly cost change of a spec change, per line item and environment. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costChanges, estimate, formatCostChanges } from '../../src/cost/index.js';
import { cli, EXAMPLE } from '../helpers.js';

const PER_ZONE = EXAMPLE.replace('natGateways: single', 'natGateways: perZone');

describe('the monthly cost change of a spec change', () => {
  it('NAT gateway per zone in staging: +2 gateways × $0.045 × 730', () => {
    const changes = costChanges(estimate(EXAMPLE).estimate, estimate(PER_ZONE).estimate!);
    expect(changes.filter((c) => c.environment === 'staging' && c.item === 'NAT gateways')).toEqual([{ environment: 'staging', item: 'NAT gateways', beforeUsd: 37.35, afterUsd: 103.05, deltaUsd: 65.7 }]);
    expect(formatCostChanges(changes)).toContain('+$65.70/month: NAT gateways in staging ($37.35 → $103)');
    expect(changes.every((c) => c.environment === 'staging')).toBe(true);
  });

  it('innovate diff --against-ref prints it', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'innovate-diff-cost-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    writeFileSync(join(dir, 'innovate.yaml'), EXAMPLE);
    git('add', 'innovate.yaml');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'spec');
    writeFileSync(join(dir, 'innovate.yaml'), PER_ZONE);
    const r = await cli(['diff', 'innovate.yaml', '--against-ref', 'HEAD', '--env', 'staging'], dir);
    expect(r.stdout).toContain('+$65.70/month: NAT gateways in staging');
    expect(r.stdout).toMatch(/monthly cost of staging: \+\$[\d.]+\/month/);
    const j = await cli(['diff', 'innovate.yaml', '--against-ref', 'HEAD', '--env', 'staging', '--format', 'json'], dir);
    expect(JSON.parse(j.stdout).cost).toContainEqual({ environment: 'staging', item: 'NAT gateways', beforeUsd: 37.35, afterUsd: 103.05, deltaUsd: 65.7 });
  });
});
