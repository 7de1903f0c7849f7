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

export const networkValidators = [
  ['flow-logs', flowLogsOn, ['network']],
  ['subnet-layout', subnetLayout, ['network']],
  ['zones', zoneRules, ['network', 'environments']],
] as const;
