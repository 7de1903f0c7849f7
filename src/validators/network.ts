import { finding, formatPath, type Finding } from '../diagnostics/diagnostic.js';
import { contains, formatCidr, hasHostBits, overlaps, parseCidr, planSubnets } from '../compiler/cidr.js';
import type { Validator } from './registry.js';

const TIERS = ['public', 'private', 'isolated'] as const;

/** Every subnet inside the VPC, not overlapping another, aligned to its prefix, one per zone. */
const subnetLayout: Validator = ({ spec }) => {
  const out: Finding[] = [];
  const { vpcCidr, zones, subnets } = spec.network;
  if (hasHostBits(vpcCidr)) out.push(finding('INN015', ['network', 'vpcCidr'], `${vpcCidr} has host bits set; the network address is ${formatNet(vpcCidr)}`));
  const vpc = parseCidr(vpcCidr);
  if (vpc.prefix < 16 || vpc.prefix > 28) out.push(finding('INN014', ['network', 'vpcCidr'], `a VPC CIDR must be between /16 and /28, got /${vpc.prefix}`));
  const seen: { path: (string | number)[]; cidr: string }[] = [];
  for (const tier of TIERS) {
    const list = subnets[tier];
    if (!list) continue;
    if (list.length !== zones.length) {
      out.push(finding('INN022', ['network', 'subnets', tier], `${list.length} ${tier} subnet${list.length === 1 ? '' : 's'} for ${zones.length} zones (${zones.join(', ')})`));
    }
    list.forEach((cidr, i) => {
      const path = ['network', 'subnets', tier, i];
      if (hasHostBits(cidr)) out.push(finding('INN015', path, `${cidr} has host bits set; the network address is ${formatNet(cidr)}`));
      const block = parseCidr(cidr);
      if (block.prefix > 28) out.push(finding('INN014', path, `${cidr} is smaller than /28, the smallest subnet AWS allows`));
      if (!contains(vpc, block)) out.push(finding('INN020', path, `${cidr} is outside the VPC ${vpcCidr}`));
      const clash = seen.find((s) => overlaps(parseCidr(s.cidr), block));
      if (clash) out.push(finding('INN021', path, `${cidr} overlaps ${clash.cidr} at ${formatPath(clash.path)}`));
      seen.push({ path, cidr });
    });
  }
  if (TIERS.some((t) => !subnets[t]) && !planSubnets(vpcCidr, zones.length)) {
    out.push(finding('INN024', ['network', 'vpcCidr'], `${vpcCidr} cannot hold three /28-or-larger subnets per zone for ${zones.length} zones`));
  }
  return out;
};

const formatNet = (cidr: string): string => formatCidr(parseCidr(cidr));

const zoneRules: Validator = ({ spec, env }) => {
  const out: Finding[] = [];
  const zones = spec.network.zones;
  zones.forEach((z, i) => {
    if (zones.indexOf(z) !== i) out.push(finding('INN025', ['network', 'zones', i], `zone "${z}" is listed twice`));
  });
  if (spec.environments[env]?.production && new Set(zones).size < 3) {
    const n = new Set(zones).size;
    out.push(finding('INN023', ['network', 'zones'], `a production environment spans ${n} zone${n === 1 ? '' : 's'} here; at least 3 are required`));
  }
  return out;
};

/** Flow logs are part of the audit invariant: a spec cannot switch them off. */
const flowLogsOn: Validator = ({ spec }) =>
  spec.network.flowLogs.enabled ? [] : [finding('INN061', ['network', 'flowLogs', 'enabled'], 'VPC flow logs cannot be switched off: traffic auditing is an invariant of the platform')];

/**
 * The DR VPC (environments.<env>.drVpcCidr) overlaps no environment's VPC, primary or DR, so it can
 * be peered or routed to. Each run sees one environment's merged network, so every environment's
 * DR CIDR is checked against this environment's VPC here, and the DR CIDRs against each other in
 * their own environment's run. Without drVpcCidr the DR VPC keeps the primary's CIDR (what earlier
 * versions deployed): a warning, since setting it replaces the DR VPC and the DR database.
 */
const drNetwork: Validator = ({ spec, env }) => {
  const out: Finding[] = [];
  const vpc = spec.network.vpcCidr;
  const envs = Object.entries(spec.environments);
  const me = spec.environments[env];
  if (me?.drRegion && !me.drVpcCidr) {
    out.push(
      finding(
        'INN065',
        ['environments', env, 'drRegion'],
        `the DR VPC in ${me.drRegion} reuses network.vpcCidr ${vpc}: it overlaps this environment's VPC and can never be peered with it`,
        `set environments.${env}.drVpcCidr to a block no environment uses${suggestDrCidr(spec, vpc)}; this replaces the DR VPC and everything in it, the DR database secondary included (\`innovate diff\` flags the VPC), so plan it as a DR rebuild`,
      ),
    );
  }
  if (me?.drVpcCidr) {
    const at = ['environments', env, 'drVpcCidr'];
    const dr = parseCidr(me.drVpcCidr);
    if (hasHostBits(me.drVpcCidr)) out.push(finding('INN015', at, `${me.drVpcCidr} has host bits set; the network address is ${formatNet(me.drVpcCidr)}`));
    if (dr.prefix < 16 || dr.prefix > 28) out.push(finding('INN014', at, `a VPC CIDR must be between /16 and /28, got /${dr.prefix}`));
    else if (!planSubnets(me.drVpcCidr, spec.network.zones.length)) out.push(finding('INN024', at, `${me.drVpcCidr} cannot hold three /28-or-larger subnets per zone for ${spec.network.zones.length} zones`));
    for (const [other, e] of envs) {
      if (other !== env && e.drRegion && e.drVpcCidr && overlaps(dr, parseCidr(e.drVpcCidr))) out.push(finding('INN064', at, `${me.drVpcCidr} overlaps the DR VPC ${e.drVpcCidr} of environment ${other}`));
    }
  }
  for (const [name, e] of envs) {
    if (!e.drRegion || !e.drVpcCidr || !overlaps(parseCidr(e.drVpcCidr), parseCidr(vpc))) continue;
    const whose = name === env ? "this environment's" : `environment ${env}'s`;
    out.push(finding('INN064', ['environments', name, 'drVpcCidr'], `${e.drVpcCidr} overlaps ${whose} VPC ${vpc}`));
  }
  return out;
};

/** A /16 (or the VPC's size) next to the VPC that no environment's CIDR touches, as a hint. */
function suggestDrCidr(spec: { environments: Record<string, { drVpcCidr?: string | undefined }> }, vpc: string): string {
  const block = parseCidr(vpc);
  const size = 2 ** (32 - block.prefix);
  const taken = [block, ...Object.values(spec.environments).flatMap((e) => (e.drVpcCidr ? [parseCidr(e.drVpcCidr)] : []))];
  for (let i = 1; i < 16; i++) {
    const candidate = { base: (block.base + i * size) >>> 0, prefix: block.prefix };
    if (candidate.base < block.base) break;
    if (!taken.some((t) => overlaps(t, candidate))) return ` (for example ${formatCidr(candidate)})`;
  }
  return '';
}

type ZoneOf = { readonly zone: string | undefined; readonly path: (string | number)[] } | 'base';

/**
 * The hosted zone an environment's ingress names, as its overrides set it: the override's value
 * (absent when an override removes the ingress or the zone), or 'base' when it inherits the base
 * spec's `ingress.hostedZoneId`.
 */
function zoneOverride(name: string, overrides: Readonly<Record<string, unknown>> | undefined): ZoneOf {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const path = ['environments', name, 'overrides', 'ingress', 'hostedZoneId'];
  if (!overrides || !Object.hasOwn(overrides, 'ingress')) return 'base';
  const ingress = overrides.ingress;
  if (!isMap(ingress)) return { zone: undefined, path };
  if (!Object.hasOwn(ingress, 'hostedZoneId')) return 'base';
  return { zone: typeof ingress.hostedZoneId === 'string' ? ingress.hostedZoneId : undefined, path };
}

/**
 * A Route 53 hosted zone belongs to one account: two environments in different accounts cannot both
 * validate their certificate and write their host's record in the same zone (one stack would wait
 * for validation records it can never write). Each pair is reported once, at the second
 * environment's zone (spec order), from the run that knows both zones: this environment's merged
 * spec gives its own zone, the others' overrides theirs, and the base zone is this one's when this
 * environment inherits it.
 */
const hostedZonesPerAccount: Validator = ({ spec, env }) => {
  const out: Finding[] = [];
  const envs = Object.entries(spec.environments);
  const mine = zoneOverride(env, spec.environments[env]?.overrides);
  const base = mine === 'base' ? spec.ingress?.hostedZoneId : undefined;
  const zoneOf = (name: string): { zone: string | undefined; path: (string | number)[] } | undefined => {
    if (name === env) return { zone: spec.ingress?.hostedZoneId, path: mine === 'base' ? ['ingress', 'hostedZoneId'] : mine.path };
    const z = zoneOverride(name, spec.environments[name]?.overrides);
    if (z !== 'base') return z;
    return mine === 'base' ? { zone: base, path: ['ingress', 'hostedZoneId'] } : undefined;
  };
  const me = envs.findIndex(([n]) => n === env);
  for (let i = 0; i < envs.length; i++) {
    for (let j = i + 1; j < envs.length; j++) {
      // This run reports the pair when this environment is the second, or the first and the second
      // overrides a zone equal to this one's inherited base zone (its own run cannot see the base).
      const [first, a] = envs[i]!;
      const [second, b] = envs[j]!;
      if (j !== me && !(i === me && mine === 'base' && zoneOverride(second, b.overrides) !== 'base')) continue;
      if (a.accountId === b.accountId) continue;
      const za = zoneOf(first);
      const zb = zoneOf(second);
      if (!za?.zone || za.zone !== zb?.zone) continue;
      out.push(
        finding(
          'INN075',
          zb.path,
          `environments "${first}" (account ${a.accountId}) and "${second}" (account ${b.accountId}) both use hosted zone ${zb.zone}, which only one account can own: the other's certificate never validates and its host gets no record`,
          `give each account its own public zone: create one for ${second}'s host in account ${b.accountId} (e.g. staging.example.com, delegated from example.com with an NS record) and set environments.${second}.overrides.ingress.hostedZoneId to it`,
        ),
      );
    }
  }
  return out;
};

export const networkValidators = [
  ['flow-logs', flowLogsOn, ['network']],
  ['subnet-layout', subnetLayout, ['network']],
  ['zones', zoneRules, ['network', 'environments']],
  ['dr-network', drNetwork, ['network', 'environments']],
  ['hosted-zones', hostedZonesPerAccount, ['environments']],
] as const;
