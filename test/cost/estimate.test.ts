/**
 * innovate cost: the arithmetic checked by hand against the vendored prices, the JSON shape of the
 * issue, determinism, gaps named instead of guessed, and the packing of Karpenter pools.
 */
import { describe, expect, it } from 'vitest';
import { estimate, pack, parseAssumeFlags, resolveAssumptions, type CostEstimate, type EnvironmentEstimate } from '../../src/cost/index.js';
import { cli, EXAMPLE, exampleVariant } from '../helpers.js';

const run = (text: string, options: Parameters<typeof estimate>[1] = {}): CostEstimate => {
  const r = estimate(text, options);
  if (!r.estimate) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.estimate;
};
const item = (e: EnvironmentEstimate, prefix: string) => {
  const i = e.items.find((x) => x.name.startsWith(prefix));
  if (!i) throw new Error(`no item ${prefix} in ${e.environment}: ${e.items.map((x) => x.name).join(', ')}`);
  return i;
};

describe('innovate cost on the example, by hand', () => {
  const est = run(EXAMPLE);
  const prod = est.environments['production']!;
  const staging = est.environments['staging']!;

  it('EKS control plane: $0.10/cluster-hour × 730 h', () => {
    expect(item(prod, 'EKS control plane').monthlyUsd).toEqual({ low: 73, likely: 73, high: 73 });
  });

  it('NAT gateways: 3 × $0.045 × 730 + 100 GB × $0.045 in production, 1 gateway in staging', () => {
    expect(item(prod, 'NAT gateways').monthlyUsd.likely).toBe(Math.round((3 * 0.045 * 730 + 100 * 0.045) * 100) / 100); // 103.05
    expect(item(staging, 'NAT gateways').monthlyUsd.likely).toBe(37.35); // 32.85 + 4.50
    expect(item(staging, 'NAT gateways').monthlyUsd.high).toBe(Math.round((0.045 * 730 + 1000 * 0.045) * 100) / 100);
  });

  it('interface endpoints: 5 endpoints × 3 zones × $0.01 × 730 + 50 GB × $0.01', () => {
    expect(item(prod, 'Interface VPC endpoints').monthlyUsd.likely).toBe(110); // 109.50 + 0.50
  });

  it('Aurora: 2 × db.r6g.large × $0.300 × 730 in production, 1 × db.t4g.medium × $0.090 in staging', () => {
    expect(item(prod, 'Aurora instances').monthlyUsd.likely).toBe(438);
    expect(item(staging, 'Aurora instances').monthlyUsd.likely).toBe(65.7);
  });

  it('system node group: 2–3 × (t3.small × $0.0208 × 730 + 20 GiB gp3 × $0.08)', () => {
    // per node: 15.184 + 1.60 = 16.784; 2 nodes = 33.568, 3 nodes = 50.352
    expect(item(prod, 'System node group').monthlyUsd).toEqual({ low: 33.57, likely: 33.57, high: 50.35 });
  });

  it('Karpenter pool platform in production: 3 × t4g.medium × $0.0336 × 730 + 3 × 50 GiB gp3 × $0.08', () => {
    // 73.584 + 12.00 = 85.584 (baseline = ceiling: 3 nodes either way)
    expect(item(prod, 'Karpenter pool platform').monthlyUsd).toEqual({ low: 85.58, likely: 85.58, high: 85.58 });
  });

  it('ALB: ($0.0225 + 1 LCU × $0.008) × 730', () => {
    expect(item(prod, 'Application Load Balancer').monthlyUsd.likely).toBe(22.27);
  });

  it('KMS keys and secrets are counted in the templates, DR region included', () => {
    const kms = item(prod, 'KMS keys');
    expect(kms.monthlyUsd.likely).toBe(Number(/^(\d+) customer managed keys/.exec(kms.detail)![1]));
    expect(kms.detail).toMatch(/in us-west-2/);
    expect(item(prod, 'Secrets Manager secrets').monthlyUsd.likely).toBe(1.2); // 3 × $0.40
  });

  it('the totals are the sums of the items', () => {
    for (const e of [prod, staging]) {
      for (const k of ['low', 'likely', 'high'] as const) expect(e.monthlyUsd[k]).toBeCloseTo(e.items.reduce((s, i) => s + i.monthlyUsd[k], 0), 1);
      expect(e.monthlyUsd.low).toBeLessThanOrEqual(e.monthlyUsd.likely);
      expect(e.monthlyUsd.likely).toBeLessThanOrEqual(e.monthlyUsd.high);
    }
  });

  it('the DR replica in us-west-2 is a named gap, not a guess; EBS gp3 is priced in us-east-1', () => {
    expect(prod.gaps).toContain('no sourced price for Aurora db.r6g.large instance-hours in us-west-2');
    expect(item(prod, 'Aurora cross-region replica').monthlyUsd.likely).toBe(0.4); // only the 20 GB × $0.02 transfer is priced
    expect(prod.gaps.some((g) => g.startsWith('no sourced price for EBS gp3'))).toBe(false);
  });

  it('savings: single NAT (2 × $32.85 in production, taken in staging), Spot, Graviton, Serverless v2 in staging, Savings Plan in production', () => {
    const nat = prod.savings.find((s) => s.name.startsWith('Single NAT'))!;
    expect(nat).toMatchObject({ monthlyUsd: 65.7, applied: false });
    expect(staging.savings.find((s) => s.name.startsWith('Single NAT'))).toMatchObject({ monthlyUsd: 65.7, applied: true });
    expect(staging.savings.some((s) => s.name.startsWith('Aurora Serverless v2'))).toBe(true);
    expect(prod.savings.some((s) => s.name.startsWith('Aurora Serverless v2'))).toBe(false);
    expect(prod.savings.some((s) => s.name.startsWith('Compute Savings Plan'))).toBe(true);
    expect(staging.savings.filter((s) => s.name.startsWith('Spot in pool') && s.applied).length).toBeGreaterThan(0);
    expect(staging.savings.some((s) => s.name.startsWith('Graviton'))).toBe(true);
  });

  it('JSON: { environments: { <env>: { monthlyUsd: { low, likely, high }, items: [ { name, monthlyUsd, assumptions } ], savings } }, prices: { source, date } }', () => {
    const j = JSON.parse(JSON.stringify(est)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(Object.keys(j['environments'])).toEqual(['production', 'staging']);
    for (const e of Object.values(j['environments']) as any[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(Object.keys(e.monthlyUsd).sort()).toEqual(['high', 'likely', 'low']);
      for (const i of e.items) {
        expect(typeof i.name).toBe('string');
        expect(Object.keys(i.monthlyUsd).sort()).toEqual(['high', 'likely', 'low']);
        expect(Array.isArray(i.assumptions)).toBe(true);
      }
      expect(Array.isArray(e.savings)).toBe(true);
    }
    expect(j['prices']).toMatchObject({ source: expect.stringContaining('inventory/aws-pricing'), date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });

  it('is deterministic', () => {
    expect(JSON.stringify(run(EXAMPLE))).toBe(JSON.stringify(est));
  });
});

describe('assumptions', () => {
  it('a spec override and a command-line override change the figure they feed, and nothing else', () => {
    const spec = exampleVariant((d) => {
      d.cost.assumptions = { natGbPerMonth: 500 };
    });
    const a = run(spec).environments['staging']!;
    expect(item(a, 'NAT gateways').monthlyUsd.likely).toBe(Math.round((0.045 * 730 + 500 * 0.045) * 100) / 100);
    const b = run(EXAMPLE, { assumptions: { natGbPerMonth: 500 } }).environments['staging']!;
    expect(item(b, 'NAT gateways').monthlyUsd).toEqual(item(a, 'NAT gateways').monthlyUsd);
    expect(item(b, 'EKS').monthlyUsd).toEqual(item(run(EXAMPLE).environments['staging']!, 'EKS').monthlyUsd);
  });

  it('--assume parses name=value and name=low..high, and names what it does not know', () => {
    expect(parseAssumeFlags(['natGbPerMonth=500', 'spotDiscountPercent=60..80'])).toEqual({ overrides: { natGbPerMonth: 500, spotDiscountPercent: { low: 60, likely: 70, high: 80 } }, problems: [] });
    expect(parseAssumeFlags(['natGb=5']).problems[0]).toMatch(/no assumption "natGb"/);
    expect(parseAssumeFlags(['natGbPerMonth=lots']).problems[0]).toMatch(/not a non-negative number/);
    expect(resolveAssumptions({ natGbPerMonth: 5000 }).natGbPerMonth).toEqual({ low: 10, likely: 5000, high: 5000 });
  });
});

describe('regions without prices', () => {
  it('say so per price, never a zero that looks like a price', () => {
    const spec = exampleVariant((d) => {
      d.organization.allowedRegions = ['us-east-1', 'us-west-2', 'eu-west-1'];
      d.environments.staging.region = 'eu-west-1';
    });
    const e = run(spec).environments['staging']!;
    expect(e.gaps).toContain('no sourced price for EC2 On-Demand instances in eu-west-1');
    expect(e.gaps).toContain('no sourced price for NAT gateway-hours in eu-west-1');
    expect(item(e, 'NAT gateways').gaps.length).toBeGreaterThan(0);
    expect(item(e, 'EKS control plane').monthlyUsd.likely).toBe(73); // the EKS price holds in every region
  });
});

describe('pack', () => {
  const t = (name: string, vcpu: number, cpu: number, mem: number, pods: number) => ({ instanceType: name, architecture: 'amd64' as const, vcpu, memoryMiB: mem + 500, maxPods: pods, allocatable: { cpuMilli: cpu, memoryMiB: mem }, kubeReserved: { cpuMilli: 0, memoryMiB: 0 } });
  const types = [t('a.large', 2, 2000, 4000, 10), t('a.xlarge', 4, 4000, 8000, 20)];
  const price = (n: string) => ({ 'a.large': 0.1, 'a.xlarge': 0.15 })[n];
  const ds = { cpuMilli: 100, memoryMiB: 100, pods: 1 };

  it('takes the cheapest total: 5 × 500m needs 2 × a.large ($0.20) or 1 × a.xlarge ($0.15)', () => {
    expect(pack(types, [{ cpuMilli: 500, memoryMiB: 512, count: 5 }], ds, price)).toEqual({ instanceType: 'a.xlarge', nodes: 1, hourlyUsd: 0.15, capped: false });
  });
  it('no pods, no nodes; a pod larger than a node rules the type out; the pool limits cap the nodes', () => {
    expect(pack(types, [], ds, price)?.nodes).toBe(0);
    expect(pack(types, [{ cpuMilli: 2500, memoryMiB: 100, count: 1 }], ds, price)?.instanceType).toBe('a.xlarge');
    expect(pack(types, [{ cpuMilli: 1000, memoryMiB: 512, count: 20 }], ds, price, { cpuMilli: 8000 })).toEqual({ instanceType: 'a.xlarge', nodes: 2, hourlyUsd: 0.3, capped: true }); // both hit 8 vCPU: the lower price per vCPU
    expect(pack(types, [{ cpuMilli: 500, memoryMiB: 512, count: 5 }], ds, () => undefined)).toBeUndefined();
  });
});

describe('innovate cost (CLI)', () => {
  it('prints a table per environment, JSON in the issue shape, and refuses unknown assumptions', async () => {
    const text = await cli(['cost', 'examples/innovate.yaml']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^production \(us-east-1, DR us-west-2\): likely \$[\d,]+\+\/month .*; INCOMPLETE: 2 prices missing/m); // the DR replica in us-west-2
    expect(text.stdout).toMatch(/^  Aurora cross-region replica \(us-west-2\) +\$0\.10\+ +\$0\.40\+ +\$4\.00\+$/m);
    expect(text.stdout).toMatch(/^staging \(us-east-1\): likely/m);
    const json = await cli(['cost', 'examples/innovate.yaml', '--format', 'json', '--env', 'staging']);
    expect(Object.keys(JSON.parse(json.stdout).environments)).toEqual(['staging']);
    const md = await cli(['cost', 'examples/innovate.yaml', '--format', 'markdown']);
    expect(md.stdout).toContain('```mermaid\npie showData title production');
    const bad = await cli(['cost', 'examples/innovate.yaml', '--assume', 'nope=1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no assumption "nope"/);
  });
});

describe('a region without prices', () => {
  const eu = exampleVariant((spec) => {
    spec.organization.allowedRegions = ['eu-central-1', 'eu-west-1'];
    for (const env of Object.values(spec.environments) as { region?: string; drRegion?: string }[]) {
      env.region = 'eu-central-1';
      if (env.drRegion) env.drRegion = 'eu-west-1';
    }
  });

  it('is a clear message, never a zero that reads as a price', async () => {
    const e = run(eu).environments['staging']!;
    expect(e.complete).toBe(false);
    expect(e.gaps).toContain('no sourced price for EC2 On-Demand instances in eu-central-1');
    expect(e.gaps).toContain('no sourced price for NAT gateway-hours in eu-central-1');
    expect(e.missingPrices).toContainEqual({ id: 'nat-gateway-hour', region: 'eu-central-1' });
    expect(e.monthlyUsd.likely).toBe(84); // only EKS ($73) and KMS (11 × $1) are priced there
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'innovate-cost-eu-'));
    writeFileSync(join(dir, 'innovate.yaml'), eu);
    const r = await cli(['cost', 'innovate.yaml', '--env', 'staging'], dir);
    expect(r.stdout).toMatch(/^staging \(eu-central-1\): likely \$84\.00\+\/month .*INCOMPLETE: \d+ prices missing/m);
    expect(r.stdout).toMatch(/^  NAT gateways +no price +no price +no price$/m);
    expect(r.stdout).not.toMatch(/^  NAT gateways +\$0\.00/m);
  });
});

describe('the budget check of validate (INN080)', () => {
  it('warns at the budget line that applies when the likely estimate exceeds it, and --no-budget turns it off', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'innovate-cost-'));
    const text = EXAMPLE.replace(/monthlyBudgetUsd: 1500/, 'monthlyBudgetUsd: 100');
    writeFileSync(join(dir, 'innovate.yaml'), text);
    const line = text.split('\n').findIndex((l) => l.includes('monthlyBudgetUsd: 100')) + 1;
    const r = await cli(['validate', 'innovate.yaml', '--format', 'json'], dir);
    const found = (JSON.parse(r.stdout) as { diagnostics: { code: string; line: number; message: string }[] }).diagnostics.filter((d) => d.code === 'INN080');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line, message: expect.stringMatching(/environment "staging" is estimated at \$\d+\/month .*above its budget of \$100/) });
    const off = await cli(['validate', 'innovate.yaml', '--format', 'json', '--no-budget'], dir);
    expect((JSON.parse(off.stdout) as { diagnostics: { code: string }[] }).diagnostics.some((d) => d.code === 'INN080')).toBe(false);
    const example = await cli(['validate', 'examples/innovate.yaml', '--format', 'json']);
    expect((JSON.parse(example.stdout) as { diagnostics: { code: string }[] }).diagnostics.some((d) => d.code === 'INN080')).toBe(false);
  });
});
