/**
 * The monthly estimate of one environment, from its compiled model, the artifacts innovate emits
 * for it (the CloudFormation resources are counted, not guessed) and the deployed-platform model
 * (which instance types each Karpenter pool can launch, what each pod requests). Prices come from
 * the vendored snapshot (src/inventory/prices.ts); a price the snapshot lacks is a named gap and
 * its line stays out of the totals, never a guess. Every other input is a named assumption
 * (assumptions.ts). Pure.
 */
import type { Model } from '../compiler/model.js';
import type { Artifact } from '../emitters/artifact.js';
import { INSTANCE_TYPES } from '../inventory/instance-types.js';
import { PRICES, ec2HourlyPrice, priceOf, type PriceItem } from '../inventory/prices.js';
import { capacityOf, cpuMilli, memoryMiB } from '../platform/capacity.js';
import type { InstanceCapacity, NodeKind, Platform, Pod } from '../platform/types.js';
import { ASSUMPTIONS, type AssumptionName, type AssumptionValue } from './assumptions.js';
import { LINE, PRICE_RULES } from './rules.js';

export interface Range {
  readonly low: number;
  readonly likely: number;
  readonly high: number;
}

export interface PriceUsed {
  readonly id: string;
  readonly region: string;
  readonly usd: number;
  readonly unit: string;
  readonly url: string;
  readonly date: string;
}

export interface LineItem {
  readonly name: string;
  readonly category: 'compute' | 'network' | 'database' | 'observability' | 'security' | 'registry' | 'audit';
  readonly monthlyUsd: Range;
  /** How the figure is made, in words a platform engineer can check by hand. */
  readonly detail: string;
  readonly assumptions: readonly AssumptionName[];
  readonly prices: readonly PriceUsed[];
  /** The resource types it prices (CloudFormation types; `Ingress` for the ALB the controller creates). */
  readonly resources: readonly string[];
  /** Prices the snapshot lacks for this line: its figure leaves them out. */
  readonly gaps: readonly string[];
}

export interface Saving {
  readonly name: string;
  /** What it saves per month at the likely figures (negative: it would cost more). */
  readonly monthlyUsd: number;
  /** true: the spec already takes it (the estimate includes the saving); false: what it would save. */
  readonly applied: boolean;
  readonly detail: string;
}

export interface NotEstimated {
  readonly type: string;
  readonly count: number;
  readonly why: string;
}

export interface EnvironmentEstimate {
  readonly environment: string;
  readonly region: string;
  readonly drRegion?: string;
  readonly production: boolean;
  readonly monthlyUsd: Range;
  readonly budgetUsd: number;
  readonly items: readonly LineItem[];
  readonly savings: readonly Saving[];
  /** Resources AWS bills by usage the estimate does not model. */
  readonly notEstimated: readonly NotEstimated[];
  /** "no sourced price for X in region Y", one per missing price. */
  readonly gaps: readonly string[];
  /** False when some price is missing: the totals then leave those items (or parts of them) out. */
  readonly complete: boolean;
  /** The same gaps as price ids and regions (what `innovate cost --live` asks the Price List API for). */
  readonly missingPrices: readonly { readonly id: string; readonly region: string }[];
  /** Resource types of the templates with no price rule (test/cost/rules.test.ts keeps this empty). */
  readonly unruled: readonly string[];
}

export type Assumptions = Readonly<Record<AssumptionName, AssumptionValue>>;

const round2 = (n: number): number => Math.round(n * 100) / 100;
const range = (low: number, likely: number, high: number): Range => ({ low: round2(low), likely: round2(likely), high: round2(high) });
const ZERO: Range = { low: 0, likely: 0, high: 0 };
const sumRanges = (rs: readonly Range[]): Range => range(rs.reduce((s, r) => s + r.low, 0), rs.reduce((s, r) => s + r.likely, 0), rs.reduce((s, r) => s + r.high, 0));
const usd = (n: number): string => `$${n.toFixed(n < 10 ? 2 : 0)}`;

interface CfnResource {
  readonly id: string;
  readonly type: string;
  readonly props: Readonly<Record<string, unknown>>;
  readonly template: string;
  readonly region: string;
}

/** The CloudFormation resources of one environment, each with the region its stack deploys to. */
export function cfnResources(model: Model, artifacts: readonly Artifact[]): CfnResource[] {
  const env = model.environment;
  const out: CfnResource[] = [];
  for (const a of artifacts) {
    if (!a.path.startsWith(`cloudformation/${env.name}/`) || !a.path.endsWith('.json')) continue;
    let t: { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
    try {
      t = JSON.parse(a.content) as typeof t;
    } catch {
      continue;
    }
    const region = a.path.endsWith('/dr.json') && env.drRegion ? env.drRegion : env.region;
    for (const [id, r] of Object.entries(t.Resources ?? {})) if (r.Type) out.push({ id, type: r.Type, props: r.Properties ?? {}, template: a.path, region });
  }
  return out;
}

/** One node kind's pods to place: what each requests and how many. */
interface PodDemand {
  readonly cpuMilli: number;
  readonly memoryMiB: number;
  readonly count: number;
}

export interface Packing {
  readonly instanceType: string;
  readonly nodes: number;
  /** Per hour, all nodes. */
  readonly hourlyUsd: number;
  /** The pool limits stopped the node count short of the demand. */
  readonly capped: boolean;
}

/**
 * The cheapest way to run `demand` on one instance type of `types`: for each type with a price, the
 * nodes needed are the largest of CPU, memory and pod slots demanded over what one node leaves after
 * the DaemonSets (every pod must also fit one node alone), capped by the pool limits; the type with
 * the lowest total wins (ties: fewer nodes, then name); when every type hits the limits, the pool at its
 * limit on the type with the lowest price per vCPU. No demand: no nodes. Undefined when no type
 * has a price or fits.
 */
export function pack(
  types: readonly InstanceCapacity[],
  demand: readonly PodDemand[],
  daemonSets: { cpuMilli: number; memoryMiB: number; pods: number },
  hourly: (t: string) => number | undefined,
  limits?: { cpuMilli?: number; memoryMiB?: number },
): Packing | undefined {
  const total = demand.reduce((s, d) => ({ cpu: s.cpu + d.cpuMilli * d.count, mem: s.mem + d.memoryMiB * d.count, pods: s.pods + d.count }), { cpu: 0, mem: 0, pods: 0 });
  if (total.pods === 0) return { instanceType: '-', nodes: 0, hourlyUsd: 0, capped: false };
  let best: Packing | undefined;
  let bestPrice = 0;
  let bestVcpu = 1;
  for (const t of types) {
    const price = hourly(t.instanceType);
    if (price === undefined) continue;
    const cpu = t.allocatable.cpuMilli - daemonSets.cpuMilli;
    const mem = t.allocatable.memoryMiB - daemonSets.memoryMiB;
    const slots = t.maxPods - daemonSets.pods;
    if (cpu <= 0 || mem <= 0 || slots <= 0) continue;
    if (demand.some((d) => d.count > 0 && (d.cpuMilli > cpu || d.memoryMiB > mem))) continue;
    let nodes = Math.max(Math.ceil(total.cpu / cpu), Math.ceil(total.mem / mem), Math.ceil(total.pods / slots));
    let capped = false;
    if (limits) {
      const byCpu = limits.cpuMilli === undefined ? Infinity : Math.floor(limits.cpuMilli / (t.vcpu * 1000));
      const byMem = limits.memoryMiB === undefined ? Infinity : Math.floor(limits.memoryMiB / t.memoryMiB);
      const max = Math.min(byCpu, byMem);
      if (max < 1) continue;
      if (nodes > max) {
        nodes = max;
        capped = true;
      }
    }
    const cost = nodes * price;
    // An uncapped packing beats a capped one; capped ones (the pool at its limit) compare by price per vCPU.
    const key = capped ? price / t.vcpu : cost;
    const bestKey = best && (best.capped ? bestPrice / bestVcpu : best.hourlyUsd);
    const better =
      !best ||
      (best.capped && !capped) ||
      (best.capped === capped && (key < bestKey! - 1e-12 || (Math.abs(key - bestKey!) < 1e-12 && (nodes < best.nodes || (nodes === best.nodes && t.instanceType < best.instanceType)))));
    if (better) {
      best = { instanceType: t.instanceType, nodes, hourlyUsd: cost, capped };
      bestPrice = price;
      bestVcpu = t.vcpu;
    }
  }
  return best;
}

export interface EstimateInput {
  readonly model: Model;
  /** The environment's artifacts (its CloudFormation templates, manifests and values). */
  readonly artifacts: readonly Artifact[];
  readonly platform: Platform;
  readonly assumptions: Assumptions;
}

/** Which node kind a (non-DaemonSet) pod is counted on: its workload's preferred pool, a managed group it may use, else the heaviest pool it may use. */
function homeOf(pod: Pod, model: Model, kinds: ReadonlyMap<string, NodeKind>): string | undefined {
  if (pod.placement.length === 0) return undefined;
  if (pod.origin === 'workload') {
    const w = model.workloads.find((x) => x.name === pod.owner);
    const preferred = w && `karpenter:${w.pool}`;
    if (preferred && pod.placement.includes(preferred)) return preferred;
  }
  const managed = pod.placement.find((id) => kinds.get(id)?.kind === 'managed');
  if (managed) return managed;
  return [...pod.placement].sort((a, b) => (kinds.get(b)?.weight ?? 0) - (kinds.get(a)?.weight ?? 0) || (a < b ? -1 : 1))[0];
}

export function estimateEnvironment(input: EstimateInput): EnvironmentEstimate {
  const { model: m, platform, assumptions: A } = input;
  const env = m.environment;
  const region = env.region;
  const H = A.hoursPerMonth;
  const gaps = new Set<string>();
  const missing = new Map<string, { id: string; region: string }>();
  const items: LineItem[] = [];
  const savings: Saving[] = [];
  const resources = cfnResources(m, input.artifacts);
  const ofType = (type: string, where?: string) => resources.filter((r) => r.type === type && (where === undefined || r.region === where));

  /** A price, recorded with the line that uses it, or a gap. */
  const lookup = (used: PriceUsed[], lineGaps: string[], r: string, id: string, label = id): PriceItem | undefined => {
    const p = priceOf(r, id);
    if (!p) {
      const g = `no sourced price for ${label} in ${r}`;
      gaps.add(g);
      missing.set(`${r} ${id}`, { id, region: r });
      if (!lineGaps.includes(g)) lineGaps.push(g);
      return undefined;
    }
    if (!used.some((u) => u.id === id && u.region === r)) used.push({ id, region: r, usd: p.usd, unit: p.unit, url: p.url, date: p.date });
    return p;
  };
  const ec2 = (used: PriceUsed[], lineGaps: string[], r: string) => (t: string): number | undefined => {
    const p = ec2HourlyPrice(r, t);
    if (p === undefined) {
      const g = PRICES.ec2OnDemandHourly[r] ? `no sourced price for EC2 ${t} in ${r}` : `no sourced price for EC2 On-Demand instances in ${r}`;
      gaps.add(g);
      missing.set(`${r} ec2:${t}`, { id: `ec2:${t}`, region: r });
      if (!lineGaps.includes(g)) lineGaps.push(g);
      return undefined;
    }
    if (!used.some((u) => u.id === `ec2:${t}` && u.region === r)) used.push({ id: `ec2:${t}`, region: r, usd: p, unit: 'On-Demand Linux instance-hour', url: 'https://github.com/aws/karpenter-provider-aws/blob/main/pkg/providers/pricing/zz_generated.pricing_aws.go', date: PRICES.date });
    return p;
  };
  const add = (item: Omit<LineItem, 'monthlyUsd'> & { monthlyUsd: Range }) => items.push(item);

  // EKS control plane.
  for (const c of ofType('AWS::EKS::Cluster')) {
    const used: PriceUsed[] = [];
    const g: string[] = [];
    const p = lookup(used, g, c.region, 'eks-cluster-hour');
    const v = p ? p.usd * H.likely : 0;
    add({ name: LINE.eks, category: 'compute', monthlyUsd: p ? range(p.usd * H.low, v, p.usd * H.high) : ZERO, detail: `1 cluster × ${p ? `$${p.usd}` : '?'}/hour × ${H.likely} h (Kubernetes ${m.cluster.version} in standard support)`, assumptions: ['hoursPerMonth'], prices: used, resources: ['AWS::EKS::Cluster'], gaps: g });
  }

  // Node kinds: the system group by node count, the Karpenter pools by packing their pods.
  const kinds = new Map(platform.nodeKinds.map((k) => [k.id, k]));
  const baseline = new Map<string, PodDemand[]>();
  const ceiling = new Map<string, PodDemand[]>();
  for (const pod of platform.pods) {
    if (pod.controller === 'DaemonSet' || pod.controller === 'Job') continue;
    const home = homeOf(pod, m, kinds);
    if (!home) continue;
    const w = pod.origin === 'workload' ? m.workloads.find((x) => x.name === pod.owner) : undefined;
    const min = w ? w.replicas.min : pod.replicas;
    const max = w ? w.replicas.max : pod.replicas;
    (baseline.get(home) ?? baseline.set(home, []).get(home)!).push({ cpuMilli: pod.requests.cpuMilli, memoryMiB: pod.requests.memoryMiB, count: min });
    (ceiling.get(home) ?? ceiling.set(home, []).get(home)!).push({ cpuMilli: pod.requests.cpuMilli, memoryMiB: pod.requests.memoryMiB, count: max });
  }
  const daemonSetsOn = (kind: string) =>
    platform.pods
      .filter((p) => p.controller === 'DaemonSet' && p.placement.includes(kind))
      .reduce((s, p) => ({ cpuMilli: s.cpuMilli + p.requests.cpuMilli, memoryMiB: s.memoryMiB + p.requests.memoryMiB, pods: s.pods + 1 }), { cpuMilli: 0, memoryMiB: 0, pods: 0 });
  const spot = A.spotDiscountPercent;
  /** Likely compute figures per pool, for the savings below. */
  const poolFacts: { name: string; spot: boolean; arch: readonly string[]; onDemandLikely: number; likely: number; baselineOnDemand: number; demand: PodDemand[]; ds: ReturnType<typeof daemonSetsOn>; role: string }[] = [];
  let managedOnDemandLikely = 0;

  for (const ng of ofType('AWS::EKS::Nodegroup')) {
    const used: PriceUsed[] = [];
    const g: string[] = [];
    const types = (ng.props['InstanceTypes'] as string[] | undefined) ?? m.cluster.systemNodeGroup.instanceTypes;
    const sc = (ng.props['ScalingConfig'] as { MinSize?: number; DesiredSize?: number; MaxSize?: number } | undefined) ?? {};
    const min = sc.MinSize ?? m.cluster.systemNodeGroup.minSize;
    const desired = sc.DesiredSize ?? min;
    const max = sc.MaxSize ?? m.cluster.systemNodeGroup.maxSize;
    const hourly = types[0] ? ec2(used, g, ng.region)(types[0]) : undefined;
    const disk = m.cluster.systemNodeGroup.diskSizeGiB;
    const gp3 = lookup(used, g, ng.region, 'ebs-gp3-gb-month', `EBS gp3 storage (${disk} GiB root volume per node)`);
    const v = hourly ?? 0;
    // Each node's root volume (gp3 at its free baseline of 3,000 IOPS and 125 MB/s: storage only).
    const volume = (gp3?.usd ?? 0) * disk;
    managedOnDemandLikely += v * desired * H.likely;
    add({
      name: `${LINE.system} (${types.join(', ')})`,
      category: 'compute',
      monthlyUsd: range((v * H.low + volume) * min, (v * H.likely + volume) * desired, (v * H.high + volume) * max),
      detail: `${min}–${max} nodes (desired ${desired}) × (${hourly !== undefined ? `$${hourly}` : '?'}/hour On-Demand + ${disk} GiB gp3 root volume × ${gp3 ? `$${gp3.usd}` : '?'}/GB-month)`,
      assumptions: ['hoursPerMonth'],
      prices: used,
      resources: ['AWS::EKS::Nodegroup', 'AWS::EC2::LaunchTemplate'],
      gaps: g,
    });
  }

  for (const pool of m.cluster.nodePools) {
    const id = `karpenter:${pool.name}`;
    const kind = kinds.get(id);
    if (!kind) continue;
    const used: PriceUsed[] = [];
    const g: string[] = [];
    const isSpot = pool.capacityTypes.includes('spot');
    const od = ec2(used, g, region);
    const ds = daemonSetsOn(id);
    const limits = { cpuMilli: cpuMilli(pool.limits.cpu), memoryMiB: memoryMiB(pool.limits.memory) };
    const base = pack(kind.instanceTypes, baseline.get(id) ?? [], ds, od, limits);
    const top = pack(kind.instanceTypes, ceiling.get(id) ?? [], ds, od, limits);
    const rootGiB = m.cluster.karpenter.rootVolumeGiB;
    const gp3 = lookup(used, g, region, 'ebs-gp3-gb-month', `EBS gp3 storage (${rootGiB} GiB root volume per node)`);
    const factor = (d: number) => (isSpot ? 1 - d / 100 : 1);
    const baseH = base?.hourlyUsd ?? 0;
    const topH = Math.max(top?.hourlyUsd ?? 0, baseH);
    const at = (burst: number) => baseH + (topH - baseH) * (burst / 100);
    // Root volumes: every node's gp3 volume, billed in full whatever the capacity type (Spot discounts the instance only).
    const baseNodes = base?.nodes ?? 0;
    const topNodes = Math.max(top?.nodes ?? 0, baseNodes);
    const volumes = (nodes: number) => (gp3?.usd ?? 0) * rootGiB * nodes;
    const likelyNodes = baseNodes + (topNodes - baseNodes) * (A.karpenterBurstPercent.likely / 100);
    const low = baseH * factor(spot.low) * H.low + volumes(baseNodes);
    const likely = at(A.karpenterBurstPercent.likely) * factor(spot.likely) * H.likely + volumes(likelyNodes);
    const high = topH * factor(spot.high) * H.high + volumes(topNodes);
    poolFacts.push({ name: pool.name, spot: isSpot, arch: pool.architectures, onDemandLikely: at(A.karpenterBurstPercent.likely) * H.likely, likely, baselineOnDemand: baseH * H.likely, demand: baseline.get(id) ?? [], ds, role: pool.role });
    const describe = (p: Packing | undefined) => (!p ? 'no priced instance type fits' : p.nodes === 0 ? 'no pods, no nodes' : `${p.nodes} × ${p.instanceType}${p.capped ? ' (capped by the pool limits)' : ''}`);
    add({
      name: `${LINE.pool} ${pool.name}`,
      category: 'compute',
      monthlyUsd: range(low, likely, high),
      detail: `baseline ${describe(base)}, ceiling ${describe(top)} (limits ${pool.limits.cpu} CPU, ${pool.limits.memory}); each node's ${rootGiB} GiB gp3 root volume × ${gp3 ? `$${gp3.usd}` : '?'}/GB-month; ${isSpot ? `Spot at ${spot.likely} % off On-Demand (range ${spot.high}–${spot.low} %)` : 'On-Demand'}; likely = baseline + ${A.karpenterBurstPercent.likely} % of the range`,
      assumptions: isSpot ? ['hoursPerMonth', 'karpenterBurstPercent', 'spotDiscountPercent'] : ['hoursPerMonth', 'karpenterBurstPercent'],
      prices: used,
      resources: ['Karpenter NodePool'],
      gaps: g,
    });
  }

  // NAT gateways, their Elastic IPs.
  const nats = ofType('AWS::EC2::NatGateway', region);
  if (nats.length) {
    const used: PriceUsed[] = [];
    const g: string[] = [];
    const hour = lookup(used, g, region, 'nat-gateway-hour', 'NAT gateway-hours');
    const gb = lookup(used, g, region, 'nat-gateway-gb', 'NAT gateway data processed');
    const f = (h: number, gbs: number) => (hour ? hour.usd * nats.length * h : 0) + (gb ? gb.usd * gbs : 0);
    add({
      name: LINE.nat,
      category: 'network',
      monthlyUsd: range(f(H.low, A.natGbPerMonth.low), f(H.likely, A.natGbPerMonth.likely), f(H.high, A.natGbPerMonth.high)),
      detail: `${nats.length} gateway${nats.length === 1 ? '' : 's'} (${m.network.natGateways === 'perZone' ? 'one per zone' : 'single'}) × ${hour ? `$${hour.usd}` : '?'}/hour + ${A.natGbPerMonth.likely} GB × ${gb ? `$${gb.usd}` : '?'}/GB processed`,
      assumptions: ['hoursPerMonth', 'natGbPerMonth'],
      prices: used,
      resources: ['AWS::EC2::NatGateway'],
      gaps: g,
    });
    if (hour) {
      const perGateway = hour.usd * H.likely;
      savings.push(
        m.network.natGateways === 'perZone'
          ? { name: 'Single NAT gateway instead of one per zone', monthlyUsd: round2(perGateway * (nats.length - 1)), applied: false, detail: `${nats.length - 1} fewer gateway${nats.length - 1 === 1 ? '' : 's'} × ${usd(perGateway)}/month (traffic of the other zones then crosses zones, and one zone's outage cuts egress)` }
          : { name: 'Single NAT gateway instead of one per zone', monthlyUsd: round2(perGateway * (m.network.zones.length - 1)), applied: true, detail: `${m.network.zones.length - 1} gateway${m.network.zones.length - 1 === 1 ? '' : 's'} not run × ${usd(perGateway)}/month` },
      );
    }
  }
  const eips = ofType('AWS::EC2::EIP');
  if (eips.length) {
    const used: PriceUsed[] = [];
    const g: string[] = [];
    const p = lookup(used, g, region, 'public-ipv4-month', 'public IPv4 addresses');
    const v = p ? p.usd * eips.length : 0;
    add({ name: LINE.ipv4, category: 'network', monthlyUsd: range(v, v, v), detail: `${eips.length} Elastic IP${eips.length === 1 ? '' : 's'} (the NAT gateways') × ${p ? `$${p.usd}` : '?'}/month`, assumptions: [], prices: used, resources: ['AWS::EC2::EIP'], gaps: g });
  }

  // Interface endpoints: per endpoint per zone, plus data processed.
  const interfaces = resources.filter((r) => r.type === 'AWS::EC2::VPCEndpoint' && r.props['VpcEndpointType'] === 'Interface');
  if (interfaces.length) {
    const used: PriceUsed[] = [];
    const g: string[] = [];
    const byRegion = new Map<string, number>();
    for (const e of interfaces) {
      const subnets = e.props['SubnetIds'];
      const zones = Array.isArray(subnets) ? subnets.length : m.network.zones.length;
      byRegion.set(e.region, (byRegion.get(e.region) ?? 0) + zones);
    }
    let perHour = 0;
    for (const [r, n] of byRegion) {
      const p = lookup(used, g, r, 'vpc-endpoint-hour', 'interface endpoint-hours');
      if (p) perHour += p.usd * n;
    }
    const gb = lookup(used, g, region, 'vpc-endpoint-gb', 'interface endpoint data processed');
    const f = (h: number, gbs: number) => perHour * h + (gb ? gb.usd * gbs : 0);
    const azs = [...byRegion.values()].reduce((s, n) => s + n, 0);
    add({
      name: LINE.endpoints,
      category: 'network',
      monthlyUsd: range(f(H.low, A.endpointGbPerMonth.low), f(H.likely, A.endpointGbPerMonth.likely), f(H.high, A.endpointGbPerMonth.high)),
      detail: `${interfaces.length} endpoints in ${azs} endpoint-zones (${interfaces.map((e) => String(e.props['ServiceName'] ?? e.id).split('.').slice(3).join('.') || e.id).join(', ')}) × ${perHour && azs ? `$${round2((perHour / azs) * 1000) / 1000}` : '?'}/hour + ${A.endpointGbPerMonth.likely} GB processed; gateway endpoints (s3) cost nothing`,
      assumptions: ['hoursPerMonth', 'endpointGbPerMonth'],
      prices: used,
      resources: ['AWS::EC2::VPCEndpoint'],
      gaps: g,
    });
  }

  // The ALB the AWS Load Balancer Controller creates for the ingress group.
  if (m.workloads.some((w) => w.ingress)) {
    const used: PriceUsed[] = [];
    const g: string[] = [];
    const hour = lookup(used, g, region, 'alb-hour', 'Application Load Balancer-hours');
    const lcu = lookup(used, g, region, 'alb-lcu-hour', 'ALB LCU-hours');
    const f = (h: number, l: number) => ((hour?.usd ?? 0) + (lcu?.usd ?? 0) * l) * h;
    add({
      name: LINE.alb,
      category: 'network',
      monthlyUsd: range(f(H.low, A.albLcuPerHour.low), f(H.likely, A.albLcuPerHour.likely), f(H.high, A.albLcuPerHour.high)),
      detail: `1 ALB (ingress group ${m.names.ingressGroup}) × ${hour ? `$${hour.usd}` : '?'}/hour + ${A.albLcuPerHour.likely} LCU × ${lcu ? `$${lcu.usd}` : '?'}/LCU-hour`,
      assumptions: ['hoursPerMonth', 'albLcuPerHour'],
      prices: used,
      resources: ['Ingress'],
      gaps: g,
    });
  }

  // Aurora: instances (or Serverless v2 ACUs), storage and I/O, backup, the DR replica.
  const db = m.database;
  const primaryInstances = ofType('AWS::RDS::DBInstance', region);
  const classHour = (used: PriceUsed[], g: string[], r: string, cls: string) => lookup(used, g, r, `rds-db-hour:${cls}`, `Aurora ${cls} instance-hours`);
  const provisionedMonthly = (cls: string, n: number): number | undefined => {
    const p = priceOf(region, `rds-db-hour:${cls}`);
    return p ? p.usd * n * H.likely : undefined;
  };
  if (primaryInstances.length) {
    const used: PriceUsed[] = [];
    const g: string[] = [];
    if (db.serverlessV2) {
      const acu = lookup(used, g, region, 'aurora-serverless-acu-hour', 'Aurora Serverless v2 ACU-hours');
      const n = primaryInstances.length;
      const { minCapacity: lo, maxCapacity: hi } = db.serverlessV2;
      const at = (u: number) => lo + (hi - lo) * (u / 100);
      const f = (h: number, a: number) => (acu ? acu.usd * a * n * h : 0);
      add({ name: `${LINE.auroraInstances} (Serverless v2, ${lo}–${hi} ACU × ${n})`, category: 'database', monthlyUsd: range(f(H.low, lo), f(H.likely, at(A.serverlessUtilizationPercent.likely)), f(H.high, hi)), detail: `${n} instance${n === 1 ? '' : 's'} × ${at(A.serverlessUtilizationPercent.likely)} ACU (${A.serverlessUtilizationPercent.likely} % of ${lo}–${hi}) × ${acu ? `$${acu.usd}` : '?'}/ACU-hour`, assumptions: ['hoursPerMonth', 'serverlessUtilizationPercent'], prices: used, resources: ['AWS::RDS::DBInstance'], gaps: g });
    } else {
      const classes = primaryInstances.map((i) => String(i.props['DBInstanceClass'] ?? db.instanceClass));
      let perHour = 0;
      for (const cls of classes) perHour += classHour(used, g, region, cls)?.usd ?? 0;
      add({ name: `${LINE.auroraInstances} (${classes.length} × ${[...new Set(classes)].join(', ')})`, category: 'database', monthlyUsd: range(perHour * H.low, perHour * H.likely, perHour * H.high), detail: `${classes.length} instance${classes.length === 1 ? '' : 's'} × ${perHour && classes.length ? `$${round2((perHour / classes.length) * 1000) / 1000}` : '?'}/hour On-Demand (Aurora Standard)`, assumptions: ['hoursPerMonth'], prices: used, resources: ['AWS::RDS::DBInstance'], gaps: g });
    }
    {
      const used2: PriceUsed[] = [];
      const g2: string[] = [];
      const storage = lookup(used2, g2, region, 'aurora-storage-gb-month', 'Aurora storage');
      const io = lookup(used2, g2, region, 'aurora-io-million', 'Aurora I/O');
      const f = (gb: number, ios: number) => (storage?.usd ?? 0) * gb + (io?.usd ?? 0) * ios;
      add({ name: LINE.auroraStorage, category: 'database', monthlyUsd: range(f(A.databaseStorageGb.low, A.databaseIoMillionsPerMonth.low), f(A.databaseStorageGb.likely, A.databaseIoMillionsPerMonth.likely), f(A.databaseStorageGb.high, A.databaseIoMillionsPerMonth.high)), detail: `${A.databaseStorageGb.likely} GB × ${storage ? `$${storage.usd}` : '?'}/GB-month + ${A.databaseIoMillionsPerMonth.likely} M I/Os × ${io ? `$${io.usd}` : '?'}/million`, assumptions: ['databaseStorageGb', 'databaseIoMillionsPerMonth'], prices: used2, resources: ['AWS::RDS::DBCluster'], gaps: g2 });
    }
    {
      const used3: PriceUsed[] = [];
      const g3: string[] = [];
      const backup = lookup(used3, g3, region, 'aurora-backup-gb-month', 'Aurora backup storage');
      const days = Math.max(db.backupRetentionDays, db.snapshotRetentionDays);
      const f = (gb: number, change: number) => (backup?.usd ?? 0) * gb * (change / 100) * days;
      add({ name: LINE.auroraBackup, category: 'database', monthlyUsd: range(f(A.databaseStorageGb.low, A.backupDailyChangePercent.low), f(A.databaseStorageGb.likely, A.backupDailyChangePercent.likely), f(A.databaseStorageGb.high, A.backupDailyChangePercent.high)), detail: `beyond the free amount (the cluster's size): ${A.databaseStorageGb.likely} GB × ${A.backupDailyChangePercent.likely} %/day × ${days} days retained × ${backup ? `$${backup.usd}` : '?'}/GB-month`, assumptions: ['databaseStorageGb', 'backupDailyChangePercent'], prices: used3, resources: ['AWS::RDS::DBCluster', 'AWS::Backup::BackupVault', 'AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection'], gaps: g3 });
    }
    if (!db.serverlessV2 && !env.production) {
      const prov = provisionedMonthly(db.instanceClass, primaryInstances.length);
      const acu = priceOf(region, 'aurora-serverless-acu-hour');
      if (prov !== undefined && acu) {
        const lo = 0.5;
        const hi = 4;
        const avg = lo + (hi - lo) * (A.serverlessUtilizationPercent.likely / 100);
        const sv = acu.usd * avg * primaryInstances.length * H.likely;
        savings.push({ name: 'Aurora Serverless v2 instead of provisioned', monthlyUsd: round2(prov - sv), applied: false, detail: `${primaryInstances.length} × ${db.instanceClass} ${usd(prov)}/month vs Serverless v2 ${lo}–${hi} ACU at ${A.serverlessUtilizationPercent.likely} % (${avg} ACU) ${usd(sv)}/month` });
      }
    }
  }
  const drInstances = env.drRegion ? ofType('AWS::RDS::DBInstance', env.drRegion) : [];
  if (env.drRegion && drInstances.length) {
    const used: PriceUsed[] = [];
    const g: string[] = [];
    let perHour = 0;
    for (const i of drInstances) perHour += classHour(used, g, env.drRegion, String(i.props['DBInstanceClass'] ?? db.instanceClass))?.usd ?? 0;
    const storage = lookup(used, g, env.drRegion, 'aurora-storage-gb-month', 'Aurora storage');
    const xfer = lookup(used, g, region, `inter-region-gb:${env.drRegion}`, `data transfer to ${env.drRegion}`);
    const f = (h: number, gb: number, repl: number) => perHour * h + (storage?.usd ?? 0) * gb + (xfer?.usd ?? 0) * repl;
    add({
      name: `${LINE.auroraDr} (${env.drRegion})`,
      category: 'database',
      monthlyUsd: range(f(H.low, A.databaseStorageGb.low, A.drReplicationGbPerMonth.low), f(H.likely, A.databaseStorageGb.likely, A.drReplicationGbPerMonth.likely), f(H.high, A.databaseStorageGb.high, A.drReplicationGbPerMonth.high)),
      detail: `${drInstances.length} replica instance${drInstances.length === 1 ? '' : 's'} in ${env.drRegion} + its storage + ${A.drReplicationGbPerMonth.likely} GB replicated from ${region} × ${xfer ? `$${xfer.usd}` : '?'}/GB`,
      assumptions: ['hoursPerMonth', 'databaseStorageGb', 'drReplicationGbPerMonth'],
      prices: used,
      resources: ['AWS::RDS::GlobalCluster', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
      gaps: g,
    });
  }

  // CloudWatch Logs: container logs of every pod, flow logs, control-plane logs, kept as the spec says.
  {
    const used: PriceUsed[] = [];
    const g: string[] = [];
    const ingest = lookup(used, g, region, 'cloudwatch-logs-ingest-gb', 'CloudWatch Logs ingestion');
    const store = lookup(used, g, region, 'cloudwatch-logs-storage-gb-month', 'CloudWatch Logs storage');
    const pods = (which: 'min' | 'max') =>
      platform.pods.filter((p) => p.controller !== 'Job' && p.controller !== 'DaemonSet').reduce((s, p) => {
        const w = p.origin === 'workload' ? m.workloads.find((x) => x.name === p.owner) : undefined;
        return s + (w ? (which === 'min' ? w.replicas.min : w.replicas.max) : p.replicas);
      }, 0);
    const controlTypes = m.cluster.controlPlaneLogs.length;
    const flow = m.network.flowLogs.enabled;
    const gbOf = (perPod: number, podCount: number, flowGb: number, cp: number) => perPod * podCount + (flow ? flowGb : 0) + cp * controlTypes;
    const appMonths = m.observability.logRetentionDays / 30.4;
    const flowMonths = m.network.flowLogs.retentionDays / 30.4;
    const f = (perPod: number, podCount: number, flowGb: number, cp: number) => {
      const gb = gbOf(perPod, podCount, flowGb, cp);
      const stored = (perPod * podCount + cp * controlTypes) * appMonths + (flow ? flowGb * flowMonths : 0);
      return (ingest?.usd ?? 0) * gb + (store?.usd ?? 0) * stored;
    };
    const lo = f(A.logGbPerPodPerMonth.low, pods('min'), A.flowLogGbPerMonth.low, A.controlPlaneLogGbPerMonth.low);
    const li = f(A.logGbPerPodPerMonth.likely, pods('min'), A.flowLogGbPerMonth.likely, A.controlPlaneLogGbPerMonth.likely);
    const hi = f(A.logGbPerPodPerMonth.high, pods('max'), A.flowLogGbPerMonth.high, A.controlPlaneLogGbPerMonth.high);
    const groups = ofType('AWS::Logs::LogGroup').length;
    add({
      name: LINE.logs,
      category: 'observability',
      monthlyUsd: range(lo, li, hi),
      detail: `${round2(gbOf(A.logGbPerPodPerMonth.likely, pods('min'), A.flowLogGbPerMonth.likely, A.controlPlaneLogGbPerMonth.likely))} GB/month ingested × ${ingest ? `$${ingest.usd}` : '?'}/GB (${pods('min')} pods × ${A.logGbPerPodPerMonth.likely} GB${flow ? `, flow logs ${A.flowLogGbPerMonth.likely} GB` : ''}, ${controlTypes} control-plane log types × ${A.controlPlaneLogGbPerMonth.likely} GB), kept ${m.observability.logRetentionDays} days${flow ? ` (flow logs ${m.network.flowLogs.retentionDays})` : ''} × ${store ? `$${store.usd}` : '?'}/GB-month; ${groups} log groups`,
      assumptions: ['logGbPerPodPerMonth', 'flowLogGbPerMonth', 'controlPlaneLogGbPerMonth'],
      prices: used,
      resources: ['AWS::Logs::LogGroup', 'AWS::EC2::FlowLog'],
      gaps: g,
    });
  }

  // Prometheus's persistent volume (kube-prometheus-stack's volumeClaimTemplate: an encrypted gp3 volume, at its free baseline).
  if (m.platform.monitoring) {
    const used: PriceUsed[] = [];
    const g: string[] = [];
    const gib = m.observability.prometheus.storageGiB;
    const p = lookup(used, g, region, 'ebs-gp3-gb-month', `EBS gp3 storage (Prometheus volume, ${gib} GiB)`);
    const v = (p?.usd ?? 0) * gib;
    add({ name: LINE.prometheusVolume, category: 'observability', monthlyUsd: range(v, v, v), detail: `1 gp3 volume of ${gib} GiB (observability.prometheus.storageGiB) × ${p ? `$${p.usd}` : '?'}/GB-month`, assumptions: [], prices: used, resources: ['PersistentVolumeClaim'], gaps: g });
  }

  // Count-priced items: alarms, keys, secrets.
  const countItem = (name: string, category: LineItem['category'], type: string, id: string, label: string, unit: string) => {
    const all = ofType(type);
    if (!all.length) return;
    const used: PriceUsed[] = [];
    const g: string[] = [];
    let v = 0;
    const byRegion = new Map<string, number>();
    for (const r of all) byRegion.set(r.region, (byRegion.get(r.region) ?? 0) + 1);
    for (const [r, n] of byRegion) v += (lookup(used, g, r, id, label)?.usd ?? 0) * n;
    const per = used[0]?.usd;
    add({ name, category, monthlyUsd: range(v, v, v), detail: `${all.length} ${unit}${all.length === 1 ? '' : 's'}${byRegion.size > 1 ? ` (${[...byRegion].map(([r, n]) => `${n} in ${r}`).join(', ')})` : ''} × ${per !== undefined ? `$${per}` : '?'}/month`, assumptions: [], prices: used, resources: [type], gaps: g });
  };
  countItem(LINE.alarms, 'observability', 'AWS::CloudWatch::Alarm', 'cloudwatch-alarm-month', 'CloudWatch alarms', 'alarm');
  countItem(LINE.kms, 'security', 'AWS::KMS::Key', 'kms-key-month', 'KMS keys', 'customer managed key');
  countItem(LINE.secrets, 'security', 'AWS::SecretsManager::Secret', 'secret-month', 'Secrets Manager secrets', 'secret');

  // ECR: storage per repository, enhanced scanning per push.
  const repos = ofType('AWS::ECR::Repository');
  if (repos.length) {
    const used: PriceUsed[] = [];
    const g: string[] = [];
    const p = lookup(used, g, region, 'ecr-storage-gb-month', 'ECR storage');
    const f = (gb: number) => (p?.usd ?? 0) * gb * repos.length;
    add({ name: LINE.ecr, category: 'registry', monthlyUsd: range(f(A.ecrGbPerRepository.low), f(A.ecrGbPerRepository.likely), f(A.ecrGbPerRepository.high)), detail: `${repos.length} repositor${repos.length === 1 ? 'y' : 'ies'} × ${A.ecrGbPerRepository.likely} GB (lifecycle: untagged after ${m.registry.lifecycle.untaggedExpireDays} d, ${m.registry.lifecycle.devTagPrefix}* after ${m.registry.lifecycle.devExpireDays} d) × ${p ? `$${p.usd}` : '?'}/GB-month`, assumptions: ['ecrGbPerRepository'], prices: used, resources: ['AWS::ECR::Repository', 'AWS::ECR::ReplicationConfiguration'], gaps: g });
    if (m.registry.enhancedScanning && ofType('AWS::ECR::RegistryScanningConfiguration').length) {
      const used2: PriceUsed[] = [];
      const g2: string[] = [];
      const s = lookup(used2, g2, region, 'inspector-ecr-image-scan', 'Amazon Inspector ECR image scans');
      const f2 = (n: number) => (s?.usd ?? 0) * n * repos.length;
      add({ name: LINE.scanning, category: 'registry', monthlyUsd: range(f2(A.imagePushesPerRepositoryPerMonth.low), f2(A.imagePushesPerRepositoryPerMonth.likely), f2(A.imagePushesPerRepositoryPerMonth.high)), detail: `${repos.length} repositories × ${A.imagePushesPerRepositoryPerMonth.likely} pushes × ${s ? `$${s.usd}` : '?'}/image scanned (Amazon Inspector)`, assumptions: ['imagePushesPerRepositoryPerMonth'], prices: used2, resources: ['AWS::ECR::RegistryScanningConfiguration'], gaps: g2 });
    }
  }

  // CloudTrail: the first copy of management events is free; its S3 storage is usage.
  const trails = ofType('AWS::CloudTrail::Trail');
  if (trails.length) {
    const used: PriceUsed[] = [];
    const g: string[] = [];
    lookup(used, g, region, 'cloudtrail-management-first-copy', 'CloudTrail management events');
    add({ name: LINE.cloudtrail, category: 'audit', monthlyUsd: ZERO, detail: `${trails.length} trail${trails.length === 1 ? '' : 's'}: the first copy of management events is free; the S3 storage of the log files is not estimated; its CloudWatch Logs delivery is in ${LINE.logs}`, assumptions: [], prices: used, resources: ['AWS::CloudTrail::Trail'], gaps: g });
  }

  // Savings the document names, for this spec.
  for (const p of poolFacts) {
    if (p.onDemandLikely <= 0) continue;
    const spotLikely = p.onDemandLikely * (1 - spot.likely / 100);
    savings.push(p.spot ? { name: `Spot in pool ${p.name}`, monthlyUsd: round2(p.onDemandLikely - spotLikely), applied: true, detail: `On-Demand ${usd(p.onDemandLikely)}/month vs Spot ${usd(spotLikely)}/month at ${spot.likely} % off` } : { name: `Spot in pool ${p.name}`, monthlyUsd: round2(p.onDemandLikely - spotLikely), applied: false, detail: `On-Demand ${usd(p.onDemandLikely)}/month vs Spot ${usd(spotLikely)}/month at ${spot.likely} % off (interruptions: keep a baseline On-Demand)` });
  }
  for (const p of poolFacts) {
    if (p.arch.length !== 1 || p.demand.every((d) => d.count === 0)) continue;
    const pool = m.cluster.nodePools.find((x) => x.name === p.name)!;
    const other = p.arch[0] === 'amd64' ? 'arm64' : 'amd64';
    const alt = INSTANCE_TYPES.filter(
      (t) => t.architecture === other && !t.bareMetal && pool.instanceCategories.includes(t.category) && (pool.instanceGeneration === undefined || t.generation > pool.instanceGeneration.greaterThan) && (pool.instanceFamilies === undefined || pool.instanceFamilies.includes(t.family)),
    ).map(capacityOf);
    const price = (t: string) => ec2HourlyPrice(region, t);
    const kind = kinds.get(`karpenter:${p.name}`)!;
    const mine = pack(kind.instanceTypes, p.demand, p.ds, price);
    const theirs = pack(alt, p.demand, p.ds, price);
    if (!mine || !theirs || mine.nodes === 0) continue;
    const f = (p.spot ? 1 - spot.likely / 100 : 1) * H.likely;
    const a = mine.hourlyUsd * f;
    const b = theirs.hourlyUsd * f;
    savings.push(
      other === 'arm64'
        ? { name: `Graviton for pool ${p.name}`, monthlyUsd: round2(a - b), applied: false, detail: `the baseline on ${mine.nodes} × ${mine.instanceType} ${usd(a)}/month vs ${theirs.nodes} × ${theirs.instanceType} (arm64) ${usd(b)}/month` }
        : { name: `Graviton for pool ${p.name}`, monthlyUsd: round2(b - a), applied: true, detail: `the baseline on ${mine.nodes} × ${mine.instanceType} (arm64) ${usd(a)}/month vs ${theirs.nodes} × ${theirs.instanceType} (x86) ${usd(b)}/month` },
    );
  }
  if (env.production) {
    const base = managedOnDemandLikely + poolFacts.filter((p) => !p.spot).reduce((s, p) => s + p.baselineOnDemand, 0);
    if (base > 0) savings.push({ name: 'Compute Savings Plan on the production baseline', monthlyUsd: round2((base * A.savingsPlanPercent.likely) / 100), applied: false, detail: `${A.savingsPlanPercent.likely} % (range ${A.savingsPlanPercent.high}–${A.savingsPlanPercent.low} %) of the On-Demand baseline ${usd(base)}/month (system nodes + On-Demand pools at their baseline)` });
  }

  // What the estimate leaves out: usage-billed resources, and any type without a rule.
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const notEstimated: NotEstimated[] = [];
  const unruled: string[] = [];
  for (const [type, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const rule = PRICE_RULES[type];
    if (!rule) unruled.push(type);
    else if (rule.billing === 'usage') notEstimated.push({ type, count, why: rule.why });
  }
  if (m.cluster.nodePools.length) notEstimated.push({ type: 'EC2 data transfer', count: 0, why: 'cross-zone and internet egress traffic is billed per GB and not estimated' });

  return {
    environment: env.name,
    region,
    ...(env.drRegion ? { drRegion: env.drRegion } : {}),
    production: env.production,
    monthlyUsd: sumRanges(items.map((i) => i.monthlyUsd)),
    budgetUsd: m.cost.monthlyBudgetUsd,
    items,
    savings,
    notEstimated,
    gaps: [...gaps].sort(),
    complete: gaps.size === 0,
    missingPrices: [...missing.keys()].sort().map((k) => missing.get(k)!),
    unruled,
  };
}

export const describeAssumptions = (a: Assumptions) =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, { ...v, unit: ASSUMPTIONS[k as AssumptionName].unit, description: ASSUMPTIONS[k as AssumptionName].description }]));
