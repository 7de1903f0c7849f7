/**
 * `innovate cost --live`: which AWS Price List API products stand for each price the estimate
 * uses (or lacks), how to read a price from the API's answer, and how live prices compare with the
 * vendored snapshot. Pure: the calls themselves are in src/aws/pricing.ts. Live prices are only
 * reported, never written into the estimate or the snapshot: the estimate stays offline and
 * deterministic, and a maintainer updates inventory/aws-pricing from a sourced page or file.
 */
import type { CostEstimate } from './models.js';

/** A GetProducts filter (TERM_MATCH: the attribute equals the value). */
export interface PriceFilter {
  readonly field: string;
  readonly value: string;
}

/** One GetProducts request, and how to pick the product and turn its price into the snapshot's unit. */
export interface LiveQuery {
  /** The snapshot's price id (`nat-gateway-hour`, `rds-db-hour:db.r6g.large`, `ec2:m7g.large`). */
  readonly id: string;
  readonly region: string;
  readonly serviceCode: string;
  readonly filters: readonly PriceFilter[];
  /** The product's usagetype, without its region prefix ("EUC1-"), must match this. */
  readonly usagetype?: RegExp;
  /** The snapshot's unit per the API's unit (1,000,000 for "million I/Os" against a price per I/O). */
  readonly scale: number;
}

/** How each kind of price id is asked for. Usage types are matched without their region prefix. */
interface Rule {
  readonly serviceCode: string;
  readonly filters?: readonly PriceFilter[];
  readonly usagetype?: RegExp;
  readonly scale?: number;
}

const f = (field: string, value: string): PriceFilter => ({ field, value });
const AURORA = f('databaseEngine', 'Aurora PostgreSQL');

/** Price ids with a fixed product. Ids not here (inter-region transfer, CloudTrail, Inspector) are not checked live. */
export const LIVE_RULES: Readonly<Record<string, Rule>> = {
  'eks-cluster-hour': { serviceCode: 'AmazonEKS', usagetype: /^AmazonEKS-Hours:perCluster$/ },
  'nat-gateway-hour': { serviceCode: 'AmazonEC2', filters: [f('productFamily', 'NAT Gateway')], usagetype: /^NatGateway-Hours$/ },
  'nat-gateway-gb': { serviceCode: 'AmazonEC2', filters: [f('productFamily', 'NAT Gateway')], usagetype: /^NatGateway-Bytes$/ },
  'public-ipv4-month': { serviceCode: 'AmazonVPC', usagetype: /^PublicIPv4:InUseAddress$/, scale: 730 },
  'vpc-endpoint-hour': { serviceCode: 'AmazonVPC', filters: [f('productFamily', 'VpcEndpoint')], usagetype: /^VpcEndpoint-Hours$/ },
  'vpc-endpoint-gb': { serviceCode: 'AmazonVPC', filters: [f('productFamily', 'VpcEndpoint')], usagetype: /^VpcEndpoint-Bytes$/ },
  'alb-hour': { serviceCode: 'AWSELB', filters: [f('productFamily', 'Load Balancer-Application')], usagetype: /^LoadBalancerUsage$/ },
  'alb-lcu-hour': { serviceCode: 'AWSELB', filters: [f('productFamily', 'Load Balancer-Application')], usagetype: /^LCUUsage$/ },
  'aurora-storage-gb-month': { serviceCode: 'AmazonRDS', filters: [AURORA], usagetype: /^Aurora:StorageUsage$/ },
  'aurora-io-million': { serviceCode: 'AmazonRDS', filters: [AURORA], usagetype: /^Aurora:StorageIOUsage$/, scale: 1_000_000 },
  'aurora-serverless-acu-hour': { serviceCode: 'AmazonRDS', filters: [AURORA], usagetype: /^Aurora:ServerlessV2Usage$/ },
  'aurora-backup-gb-month': { serviceCode: 'AmazonRDS', filters: [AURORA], usagetype: /^Aurora:BackupUsage$/ },
  'ebs-gp3-gb-month': { serviceCode: 'AmazonEC2', filters: [f('productFamily', 'Storage'), f('volumeApiName', 'gp3')], usagetype: /^EBS:VolumeUsage\.gp3$/ },
  'cloudwatch-logs-ingest-gb': { serviceCode: 'AmazonCloudWatch', usagetype: /^DataProcessing-Bytes$/ },
  'cloudwatch-logs-storage-gb-month': { serviceCode: 'AmazonCloudWatch', usagetype: /^TimedStorage-ByteHrs$/ },
  'cloudwatch-alarm-month': { serviceCode: 'AmazonCloudWatch', usagetype: /^CW:AlarmMonitorUsage$/ },
  'kms-key-month': { serviceCode: 'awskms', usagetype: /^KMS-Keys$/ },
  'secret-month': { serviceCode: 'AWSSecretsManager', usagetype: /^AWSSecretsManager-Secrets$/ },
  'ecr-storage-gb-month': { serviceCode: 'AmazonECR', usagetype: /^TimedStorage-ByteHrs$/ },
};

/** The query for a price id in a region, or undefined when innovate does not check it live. */
export function liveQuery(id: string, region: string): LiveQuery | undefined {
  const regionFilter = f('regionCode', region);
  if (id.startsWith('ec2:')) {
    const type = id.slice(4);
    return {
      id,
      region,
      serviceCode: 'AmazonEC2',
      // On-Demand Linux, shared tenancy, no pre-installed software: what Karpenter's table holds.
      filters: [regionFilter, f('instanceType', type), f('operatingSystem', 'Linux'), f('tenancy', 'Shared'), f('preInstalledSw', 'NA'), f('capacitystatus', 'Used'), f('licenseModel', 'No License required')],
      scale: 1,
    };
  }
  if (id.startsWith('rds-db-hour:')) {
    const cls = id.slice('rds-db-hour:'.length);
    // Aurora Standard (not I/O-Optimized, whose usage type ends in IOOptimized).
    return { id, region, serviceCode: 'AmazonRDS', filters: [regionFilter, f('instanceType', cls), AURORA, f('deploymentOption', 'Single-AZ')], usagetype: /^InstanceUsage:db\./, scale: 1 };
  }
  const rule = LIVE_RULES[id];
  if (!rule) return undefined;
  return { id, region, serviceCode: rule.serviceCode, filters: [regionFilter, ...(rule.filters ?? [])], ...(rule.usagetype ? { usagetype: rule.usagetype } : {}), scale: rule.scale ?? 1 };
}

/**
 * A usage type without its region prefix: "EUC1-NatGateway-Hours" → "NatGateway-Hours" (us-east-1 often
 * has none); a few services spell the region out ("eu-west-1-KMS-Keys").
 */
export const withoutRegionPrefix = (usagetype: string): string => usagetype.replace(/^(?:[A-Z]{2,4}\d?|[a-z]{2}(?:-[a-z]+)+-\d)-(?=[A-Za-z])/, '');

interface PriceListItem {
  product?: { productFamily?: string; attributes?: Record<string, string | undefined> };
  terms?: { OnDemand?: Record<string, { effectiveDate?: string; priceDimensions?: Record<string, { unit?: string; beginRange?: string; description?: string; pricePerUnit?: Record<string, string> }> }> };
  publicationDate?: string;
}

export interface LivePrice {
  readonly usd: number;
  readonly unit: string;
  readonly description: string;
  readonly usagetype: string;
  readonly effectiveDate?: string;
  readonly publicationDate?: string;
}

/**
 * The On-Demand price of the first product in `priceList` (the API's JSON strings) that the query
 * picks: its lowest non-zero tier (a free tier such as CloudWatch Logs' first 5 GB is skipped),
 * in USD, scaled to the snapshot's unit. Undefined when no product matches.
 */
export function pickLivePrice(query: LiveQuery, priceList: readonly string[]): LivePrice | undefined {
  const candidates: LivePrice[] = [];
  for (const text of priceList) {
    let item: PriceListItem;
    try {
      item = JSON.parse(text) as PriceListItem;
    } catch {
      continue;
    }
    const usagetype = item.product?.attributes?.['usagetype'] ?? '';
    // Test both: "KMS-Keys" (us-east-1) has no region prefix but looks like one.
    if (query.usagetype && !query.usagetype.test(usagetype) && !query.usagetype.test(withoutRegionPrefix(usagetype))) continue;
    if (/IOOptimized/.test(usagetype)) continue;
    for (const term of Object.values(item.terms?.OnDemand ?? {})) {
      const dims = Object.values(term.priceDimensions ?? {})
        .map((d) => ({ d, usd: Number(d.pricePerUnit?.['USD']), begin: Number(d.beginRange ?? 0) }))
        .filter((x) => Number.isFinite(x.usd) && x.usd > 0)
        .sort((a, b) => a.begin - b.begin);
      const first = dims[0];
      if (!first) continue;
      candidates.push({
        usd: Math.round(first.usd * query.scale * 1e8) / 1e8,
        unit: first.d.unit ?? '?',
        description: first.d.description ?? '',
        usagetype,
        ...(term.effectiveDate ? { effectiveDate: term.effectiveDate.slice(0, 10) } : {}),
        ...(item.publicationDate ? { publicationDate: item.publicationDate.slice(0, 10) } : {}),
      });
    }
  }
  // Several products can match (one per capacity reservation status, say): the lowest price is the On-Demand list price.
  return candidates.sort((a, b) => a.usd - b.usd || (a.usagetype < b.usagetype ? -1 : 1))[0];
}

export type LiveStatus = 'same' | 'differs' | 'new' | 'not found' | 'not checked';

export interface LiveRow {
  readonly id: string;
  readonly region: string;
  readonly status: LiveStatus;
  /** The snapshot's price, when it has one. */
  readonly snapshotUsd?: number;
  readonly liveUsd?: number;
  readonly unit?: string;
  readonly description?: string;
  readonly effectiveDate?: string;
}

export interface LiveReport {
  /** When the API was asked (YYYY-MM-DD). */
  readonly asked: string;
  readonly rows: readonly LiveRow[];
}

/** Every price the estimate uses, and every sourced price it lacks (except EC2 instance types, see below), once per region. */
export function livePriceKeys(estimate: CostEstimate): { id: string; region: string; snapshotUsd?: number }[] {
  const out = new Map<string, { id: string; region: string; snapshotUsd?: number }>();
  for (const e of Object.values(estimate.environments)) {
    for (const i of e.items) for (const p of i.prices) out.set(`${p.region} ${p.id}`, { id: p.id, region: p.region, snapshotUsd: p.usd });
    // Missing EC2 prices are every candidate type of every pool (hundreds of requests): only the types the estimate priced are checked.
    for (const m of e.missingPrices) if (!m.id.startsWith('ec2:') && !out.has(`${m.region} ${m.id}`)) out.set(`${m.region} ${m.id}`, { id: m.id, region: m.region });
  }
  return [...out.keys()].sort().map((k) => out.get(k)!);
}

/** Live against snapshot: equal within half a tenth of a cent per unit counts as the same. */
export function compareLive(keys: readonly { id: string; region: string; snapshotUsd?: number }[], live: ReadonlyMap<string, LivePrice | undefined | 'not checked'>, asked: string): LiveReport {
  const rows: LiveRow[] = keys.map((k) => {
    const l = live.get(`${k.region} ${k.id}`);
    const base = { id: k.id, region: k.region, ...(k.snapshotUsd !== undefined ? { snapshotUsd: k.snapshotUsd } : {}) };
    if (l === 'not checked' || (l === undefined && !live.has(`${k.region} ${k.id}`))) return { ...base, status: 'not checked' };
    if (!l) return { ...base, status: 'not found' };
    const extra = { liveUsd: l.usd, unit: l.unit, description: l.description, ...(l.effectiveDate ? { effectiveDate: l.effectiveDate } : {}) };
    if (k.snapshotUsd === undefined) return { ...base, ...extra, status: 'new' };
    return { ...base, ...extra, status: Math.abs(l.usd - k.snapshotUsd) < 0.0005 * Math.max(1, k.snapshotUsd) ? 'same' : 'differs' };
  });
  return { asked, rows };
}

const usd = (n: number | undefined) => (n === undefined ? '-' : `$${n}`);

/** The report as text: differences and new prices first, then a count of the rest. */
export function formatLiveText(report: LiveReport): string {
  const by = (s: LiveStatus) => report.rows.filter((r) => r.status === s);
  const lines = [`Live prices (AWS Price List API, asked ${report.asked}) against the snapshot; nothing was written:`];
  for (const r of by('differs')) lines.push(`  differs    ${r.id} in ${r.region}: snapshot ${usd(r.snapshotUsd)}, live ${usd(r.liveUsd)}${r.effectiveDate ? ` (effective ${r.effectiveDate})` : ''} — ${r.description}`);
  for (const r of by('new')) lines.push(`  no snapshot ${r.id} in ${r.region}: live ${usd(r.liveUsd)}${r.effectiveDate ? ` (effective ${r.effectiveDate})` : ''} — ${r.description}; the estimate still leaves it out until it is vendored with its source`);
  for (const r of by('not found')) lines.push(`  not found  ${r.id} in ${r.region}: the API returned no matching On-Demand product`);
  const same = by('same').length;
  const unchecked = by('not checked');
  lines.push(`  ${same} price${same === 1 ? '' : 's'} the same as the snapshot${unchecked.length ? `; not checked live: ${unchecked.map((r) => `${r.id} (${r.region})`).join(', ')}` : ''}`);
  return `${lines.join('\n')}\n`;
}
