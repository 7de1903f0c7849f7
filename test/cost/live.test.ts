/**
 * innovate cost --live: reading prices out of Price List API products (region prefixes, sibling
 * products, free tiers, units), comparing them with the snapshot, and the command's output and
 * failures — against a stand-in for the API (test/cost/fake-pricing.ts). The prices below are test
 * values, not AWS's.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../bin/cli.js';
import type { CostCliIO } from '../../bin/commands/cost.js';
import { askLivePrices } from '../../src/aws/pricing.js';
import { estimate } from '../../src/cost/index.js';
import { compareLive, liveQuery, livePriceKeys, pickLivePrice, withoutRegionPrefix } from '../../src/cost/live.js';
import { EXAMPLE_PATH, ROOT, EXAMPLE } from '../helpers.js';
import { fakePriceList, priceListItem, product, type FakeProduct } from './fake-pricing.js';

const items = (...ps: FakeProduct[]) => ps.map((p, i) => priceListItem(p, `S${i}`));

describe('reading a price out of Price List API products', () => {
  it('strips region prefixes, but a us-east-1 usage type that looks like one still matches', () => {
    expect(withoutRegionPrefix('EU-NatGateway-Hours')).toBe('NatGateway-Hours');
    expect(withoutRegionPrefix('EUC1-NatGateway-Bytes')).toBe('NatGateway-Bytes');
    expect(withoutRegionPrefix('USW2-LCUUsage')).toBe('LCUUsage');
    expect(withoutRegionPrefix('eu-west-1-KMS-Keys')).toBe('KMS-Keys');
    expect(withoutRegionPrefix('EBS:VolumeUsage.gp3')).toBe('EBS:VolumeUsage.gp3');
    const q = liveQuery('kms-key-month', 'us-east-1')!;
    expect(pickLivePrice(q, items(product('awskms', { usagetype: 'KMS-Keys', regionCode: 'us-east-1' }, 'Keys', [['1.0000000000', '0', '$1 per customer master key']])))?.usd).toBe(1);
    expect(pickLivePrice(liveQuery('kms-key-month', 'eu-west-1')!, items(product('awskms', { usagetype: 'EU-KMS-Keys', regionCode: 'eu-west-1' }, 'Keys', [['1.0000000000', '0', 'x']])))?.usd).toBe(1);
  });

  it('NAT gateway-hours: the zonal product, not the regional NAT or provisioned-bandwidth siblings', () => {
    const q = liveQuery('nat-gateway-hour', 'eu-west-1')!;
    expect(q.filters).toEqual([{ field: 'regionCode', value: 'eu-west-1' }, { field: 'productFamily', value: 'NAT Gateway' }]);
    const list = items(
      product('AmazonEC2', { usagetype: 'EU-NatGateway-Prvd-Gbps', regionCode: 'eu-west-1' }, 'Gbps-hrs', [['1.1640000000', '0', 'provisioned bandwidth']], 'NAT Gateway'),
      product('AmazonEC2', { usagetype: 'EU-RegionalNatGateway-Hours', regionCode: 'eu-west-1' }, 'Hrs', [['0.0470000000', '0', 'regional']], 'NAT Gateway'),
      product('AmazonEC2', { usagetype: 'EU-NatGateway-Hours', regionCode: 'eu-west-1' }, 'Hrs', [['0.0480000000', '0', '$0.048 per NAT Gateway Hour']], 'NAT Gateway'),
    );
    expect(pickLivePrice(q, list)).toMatchObject({ usd: 0.048, unit: 'Hrs', usagetype: 'EU-NatGateway-Hours', effectiveDate: '2026-11-01' });
  });

  it('skips a free tier (CloudWatch Logs: first 5 GB free, then $0.50/GB)', () => {
    const q = liveQuery('cloudwatch-logs-ingest-gb', 'us-east-1')!;
    const list = items(product('AmazonCloudWatch', { usagetype: 'DataProcessing-Bytes', regionCode: 'us-east-1' }, 'GB', [['0.0000000000', '0', 'first 5 GB free'], ['0.5000000000', '5', '$0.50 per GB custom log data ingested']]));
    expect(pickLivePrice(q, list)?.usd).toBe(0.5);
  });

  it('scales to the snapshot unit: Aurora I/O per request × 1,000,000 = per million', () => {
    const q = liveQuery('aurora-io-million', 'us-east-1')!;
    const list = items(product('AmazonRDS', { usagetype: 'Aurora:StorageIOUsage', databaseEngine: 'Aurora PostgreSQL', regionCode: 'us-east-1' }, 'IOs', [['0.0000002000', '0', '$0.20 per 1 million I/O requests']]));
    expect(pickLivePrice(q, list)?.usd).toBe(0.2);
  });

  it('Aurora instances: Aurora Standard, not I/O-Optimized; EC2: On-Demand Linux shared', () => {
    const q = liveQuery('rds-db-hour:db.r6g.large', 'us-west-2')!;
    expect(q.filters).toContainEqual({ field: 'instanceType', value: 'db.r6g.large' });
    const list = items(
      product('AmazonRDS', { usagetype: 'USW2-InstanceUsageIOOptimized:db.r6g.large', instanceType: 'db.r6g.large', regionCode: 'us-west-2' }, 'Hrs', [['0.3900000000', '0', 'io-optimized']]),
      product('AmazonRDS', { usagetype: 'USW2-InstanceUsage:db.r6g.large', instanceType: 'db.r6g.large', regionCode: 'us-west-2' }, 'Hrs', [['0.2900000000', '0', 'standard']]),
    );
    expect(pickLivePrice(q, list)?.usd).toBe(0.29);
    expect(liveQuery('ec2:m7g.large', 'eu-central-1')!.filters).toEqual(expect.arrayContaining([{ field: 'operatingSystem', value: 'Linux' }, { field: 'tenancy', value: 'Shared' }, { field: 'preInstalledSw', value: 'NA' }, { field: 'capacitystatus', value: 'Used' }]));
    expect(liveQuery('inter-region-gb:us-west-2', 'us-east-1')).toBeUndefined(); // not checked live
    expect(pickLivePrice(q, ['not json'])).toBeUndefined();
  });

  it('compares: same within half a tenth of a cent, differs, new (no snapshot price), not found, not checked', () => {
    const keys = [
      { id: 'a', region: 'r', snapshotUsd: 0.045 },
      { id: 'b', region: 'r', snapshotUsd: 0.045 },
      { id: 'c', region: 'r' },
      { id: 'd', region: 'r', snapshotUsd: 1 },
      { id: 'e', region: 'r', snapshotUsd: 2 },
    ];
    const p = (usd: number) => ({ usd, unit: 'Hrs', description: '', usagetype: 'x' });
    const live = new Map<string, ReturnType<typeof p> | undefined | 'not checked'>([
      ['r a', p(0.045)],
      ['r b', p(0.048)],
      ['r c', p(0.29)],
      ['r d', undefined],
      ['r e', 'not checked'],
    ]);
    expect(compareLive(keys, live, '2026-12-06').rows.map((r) => r.status)).toEqual(['same', 'differs', 'new', 'not found', 'not checked']);
  });
});

/** The example's us-east-1 prices as the snapshot has them, except NAT gateway-hours, plus the DR replica's class in us-west-2. */
const LIVE: FakeProduct[] = [
  product('AmazonEKS', { usagetype: 'AmazonEKS-Hours:perCluster', regionCode: 'us-east-1' }, 'Hours', [['0.1000000000', '0', '$0.10 per hour per cluster']]),
  product('AmazonEC2', { usagetype: 'NatGateway-Hours', regionCode: 'us-east-1' }, 'Hrs', [['0.0480000000', '0', '$0.048 per NAT Gateway Hour']], 'NAT Gateway'),
  product('AmazonEC2', { usagetype: 'NatGateway-Bytes', regionCode: 'us-east-1' }, 'GB', [['0.0450000000', '0', '$0.045 per GB Data Processed by NAT Gateways']], 'NAT Gateway'),
  product('AmazonRDS', { usagetype: 'USW2-InstanceUsage:db.r6g.large', instanceType: 'db.r6g.large', databaseEngine: 'Aurora PostgreSQL', deploymentOption: 'Single-AZ', regionCode: 'us-west-2' }, 'Hrs', [['0.2900000000', '0', 'test price']]),
];

async function runCost(args: string[], io: Partial<CostCliIO>) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['cost', EXAMPLE_PATH, ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: ROOT, today: '2026-12-06', ...io } as CostCliIO);
  return { code, stdout, stderr };
}

describe('innovate cost --live', () => {
  it('asks once per service and filters, and only for what the estimate uses or lacks', async () => {
    const est = estimate(EXAMPLE).estimate!;
    const api = fakePriceList(LIVE);
    const report = await askLivePrices(api, est, '2026-12-06');
    const keys = new Set(api.requests.map((r) => `${r.serviceCode} ${JSON.stringify(r.filters)}`));
    expect(keys.size).toBe(api.requests.length); // no request twice
    expect(livePriceKeys(est).length).toBe(report.rows.length);
    expect(report.rows.some((r) => r.id.startsWith('ec2:') && r.region === 'us-west-2')).toBe(false); // missing EC2 types are not asked one by one
    expect(report.rows.find((r) => r.id === 'nat-gateway-hour')).toMatchObject({ status: 'differs', snapshotUsd: 0.045, liveUsd: 0.048 });
    expect(report.rows.find((r) => r.id === 'eks-cluster-hour')).toMatchObject({ status: 'same' });
    expect(report.rows.find((r) => r.id === 'rds-db-hour:db.r6g.large' && r.region === 'us-west-2')).toMatchObject({ status: 'new', liveUsd: 0.29 });
  });

  it('reports differences and leaves the estimate as it is', async () => {
    const plain = await runCost([], {});
    const live = await runCost(['--live'], { openPricing: async () => fakePriceList(LIVE) });
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout.startsWith(plain.stdout)).toBe(true);
    expect(live.stdout).toContain('Live prices (AWS Price List API, asked 2026-12-06) against the snapshot; nothing was written:');
    expect(live.stdout).toContain('differs    nat-gateway-hour in us-east-1: snapshot $0.045, live $0.048 (effective 2026-11-01)');
    expect(live.stdout).toContain('no snapshot rds-db-hour:db.r6g.large in us-west-2: live $0.29');
    expect(live.stdout).toMatch(/not checked live: .*inter-region-gb:us-west-2 \(us-east-1\)/);
    const json = await runCost(['--live', '--format', 'json'], { openPricing: async () => fakePriceList(LIVE) });
    const parsed = JSON.parse(json.stdout) as { environments: object; prices: object; live: { asked: string; rows: { status: string }[] } };
    expect(Object.keys(parsed)).toEqual(['environments', 'prices', 'assumptions', 'live']);
    expect(parsed.live.asked).toBe('2026-12-06');
  });

  it('says why it failed (credentials, network: exit 3, a failed AWS call; no SDK: exit 2), still prints the estimate', async () => {
    const creds = await runCost(['--live'], { openPricing: async () => fakePriceList([], Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })) });
    expect(creds.code).toBe(3);
    expect(creds.stderr).toMatch(/innovate cost --live: no AWS credentials found while asking the AWS Price List API \(pricing:GetProducts\).*--profile/);
    expect(creds.stdout).toContain('production (us-east-1, DR us-west-2)');
    const net = await runCost(['--live'], { openPricing: async () => fakePriceList([], Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })) });
    expect(net.code).toBe(3);
    expect(net.stderr).toMatch(/network failure \(ECONNREFUSED\).*Price List API in us-east-1/);
    const sdk = await runCost(['--live'], { openPricing: async () => Promise.reject(new Error("Cannot find module '@aws-sdk/client-pricing'")) });
    expect(sdk.code).toBe(2);
    expect(sdk.stderr).toContain('innovate cost --live: cannot load @aws-sdk/client-pricing');
  });

  it('--profile and --endpoint-url only go with --live', async () => {
    const r = await runCost(['--profile', 'x'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--profile and --endpoint-url are for --live');
  });
});
