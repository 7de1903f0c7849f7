/**
 * The network as a graph: security groups and their rules in both directions (inline and
 * standalone, plus what AWS adds without a template saying so), subnets per tier with their
 * NACL and route table, VPC endpoints, and NetworkPolicies per namespace.
 *
 * Implicit facts, each marked `implicit`:
 *   - The cluster security group EKS creates (`eks:cluster`): all traffic from itself in, all
 *     traffic out ("Default cluster security group rules",
 *     https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html). EKS tags it
 *     kubernetes.io/cluster/<name>=owned and aws:eks:cluster-name=<name>; the control plane's
 *     network interfaces carry it.
 *   - A security group created without egress rules allows all outbound traffic.
 *   - A subnet with no NACL association has the VPC's default NACL (allows everything); one with
 *     no route-table association has the main route table (the local route only).
 */
import { contains, parseCidr } from '../compiler/cidr.js';
import type { Model } from '../compiler/model.js';
import { networkInterfaces } from './interfaces.js';
import { at, flatten, isObj, kubeTarget, tagMap, type CfnEntry, type Sources } from './sources.js';
import type { Nacl, NaclEntry, NetworkGraph, NetworkPolicyFact, NetworkPolicyPeer, NetworkPolicyRule, Peer, Route, RouteTable, SecurityGroup, SecurityGroupRule, Source, Subnet, VpcEndpointFact } from './types.js';

export const CLUSTER_SG = 'eks:cluster';

const PROTOCOLS: Readonly<Record<string, string>> = { '-1': '-1', all: '-1', tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp' };
const protocol = (p: unknown): string => PROTOCOLS[String(p).toLowerCase()] ?? String(p);
const vpcOf = (e: CfnEntry): 'primary' | 'dr' => (/\/dr\.json$/.test(e.template.path) ? 'dr' : 'primary');
const tierOf = (e: CfnEntry): string => tagMap(e.props.Tags)['innovate.dev/tier'] ?? (/(public|private|isolated)/i.exec(e.id)?.[1]?.toLowerCase() ?? 'unknown');

export function securityGroups(model: Model, src: Sources): SecurityGroup[] {
  const out: SecurityGroup[] = src.of('AWS::EC2::SecurityGroup').map((e) => ({
    id: src.key(e.template.path, e.id),
    ...(typeof e.props.GroupName === 'string' ? { name: e.props.GroupName } : {}),
    ...(typeof e.props.GroupDescription === 'string' ? { description: e.props.GroupDescription } : {}),
    tags: tagMap(e.props.Tags),
    vpc: vpcOf(e),
    source: src.cfnSource(e, ['network']),
  }));
  const cluster = src.of('AWS::EKS::Cluster')[0];
  if (cluster) {
    const name = typeof cluster.props.Name === 'string' ? cluster.props.Name : model.cluster.name;
    out.push({ id: CLUSTER_SG, name: `eks-cluster-sg-${name}`, description: 'Cluster security group created by EKS', tags: { 'aws:eks:cluster-name': name, [`kubernetes.io/cluster/${name}`]: 'owned' }, vpc: 'primary', source: src.cfnSource(cluster, ['cluster']) });
  }
  return out;
}

function peerOf(src: Sources, e: CfnEntry, r: Record<string, unknown>, direction: 'ingress' | 'egress'): Peer {
  const group = direction === 'ingress' ? r.SourceSecurityGroupId : r.DestinationSecurityGroupId;
  if (group !== undefined) {
    const [id] = flatten(src.resolve(e.template, group), src.key);
    return id && !id.startsWith('?') ? { kind: 'security-group', group: id } : { kind: 'unresolved', value: JSON.stringify(group) };
  }
  const prefix = direction === 'ingress' ? r.SourcePrefixListId : r.DestinationPrefixListId;
  if (typeof prefix === 'string') return { kind: 'prefix-list', id: prefix };
  const cidr = r.CidrIp ?? r.CidrIpv6;
  return typeof cidr === 'string' ? { kind: 'cidr', cidr } : { kind: 'unresolved', value: JSON.stringify(cidr ?? null) };
}

function rule(src: Sources, e: CfnEntry, group: string, direction: 'ingress' | 'egress', r: Record<string, unknown>, resource: string): SecurityGroupRule {
  const proto = protocol(r.IpProtocol);
  const all = proto === '-1';
  return {
    group,
    direction,
    protocol: proto,
    fromPort: all ? 0 : Number(r.FromPort ?? 0),
    toPort: all ? 65535 : Number(r.ToPort ?? 65535),
    peer: peerOf(src, e, r, direction),
    ...(typeof r.Description === 'string' ? { description: r.Description } : {}),
    source: { artifact: e.template.path, resource, specPath: ['network'] },
  };
}

export function securityGroupRules(src: Sources, groups: readonly SecurityGroup[]): SecurityGroupRule[] {
  const out: SecurityGroupRule[] = [];
  for (const e of src.of('AWS::EC2::SecurityGroup')) {
    const id = src.key(e.template.path, e.id);
    const ingress = Array.isArray(e.props.SecurityGroupIngress) ? e.props.SecurityGroupIngress.filter(isObj) : [];
    const egress = Array.isArray(e.props.SecurityGroupEgress) ? e.props.SecurityGroupEgress.filter(isObj) : undefined;
    ingress.forEach((r, i) => out.push(rule(src, e, id, 'ingress', r, `${e.id}.SecurityGroupIngress[${i}]`)));
    if (egress) egress.forEach((r, i) => out.push(rule(src, e, id, 'egress', r, `${e.id}.SecurityGroupEgress[${i}]`)));
    else out.push({ group: id, direction: 'egress', protocol: '-1', fromPort: 0, toPort: 65535, peer: { kind: 'cidr', cidr: '0.0.0.0/0' }, description: 'default egress of a group created without egress rules', implicit: true, source: src.cfnSource(e) });
  }
  for (const [type, direction] of [['AWS::EC2::SecurityGroupIngress', 'ingress'], ['AWS::EC2::SecurityGroupEgress', 'egress']] as const) {
    for (const e of src.of(type)) {
      const [group] = flatten(src.resolve(e.template, e.props.GroupId), src.key);
      out.push(rule(src, e, group ?? '?', direction, e.props, e.id));
    }
  }
  const cluster = groups.find((g) => g.id === CLUSTER_SG);
  if (cluster) {
    out.push({ group: CLUSTER_SG, direction: 'ingress', protocol: '-1', fromPort: 0, toPort: 65535, peer: { kind: 'security-group', group: CLUSTER_SG }, description: 'EKS default: all traffic from the cluster security group', implicit: true, source: cluster.source });
    out.push({ group: CLUSTER_SG, direction: 'egress', protocol: '-1', fromPort: 0, toPort: 65535, peer: { kind: 'cidr', cidr: '0.0.0.0/0' }, description: 'EKS default: all outbound traffic', implicit: true, source: cluster.source });
  }
  return out;
}

export function controlPlaneSubnets(src: Sources): string[] {
  const cluster = src.of('AWS::EKS::Cluster')[0];
  const ids = cluster ? at(cluster.props, 'ResourcesVpcConfig.SubnetIds') : undefined;
  return cluster && ids !== undefined ? flatten(src.resolve(cluster.template, ids), src.key) : [];
}

export function controlPlaneGroups(src: Sources): string[] {
  const cluster = src.of('AWS::EKS::Cluster')[0];
  if (!cluster) return [];
  const extra = at(cluster.props, 'ResourcesVpcConfig.SecurityGroupIds');
  return [CLUSTER_SG, ...(extra === undefined ? [] : flatten(src.resolve(cluster.template, extra), src.key))];
}

function naclEntry(src: Sources, e: CfnEntry): NaclEntry {
  const range = isObj(e.props.PortRange) ? e.props.PortRange : undefined;
  const proto = Number(e.props.Protocol ?? -1);
  return {
    ruleNumber: Number(e.props.RuleNumber ?? 0),
    egress: e.props.Egress === true || e.props.Egress === 'true',
    protocol: proto,
    fromPort: range && proto !== -1 ? Number(range.From ?? 0) : 0,
    toPort: range && proto !== -1 ? Number(range.To ?? 65535) : 65535,
    cidr: String(e.props.CidrBlock ?? e.props.Ipv6CidrBlock ?? ''),
    action: e.props.RuleAction === 'deny' ? 'deny' : 'allow',
    source: src.cfnSource(e, ['network', 'nacls']),
  };
}

const ALLOW_ALL = (egress: boolean, source: Source): NaclEntry => ({ ruleNumber: 100, egress, protocol: -1, fromPort: 0, toPort: 65535, cidr: '0.0.0.0/0', action: 'allow', source });

export function subnetsAndTables(model: Model, src: Sources): Pick<NetworkGraph, 'subnets' | 'nacls' | 'routeTables' | 'endpoints' | 'natGateways'> {
  const refOf = (e: CfnEntry, v: unknown) => flatten(src.resolve(e.template, v), src.key)[0] ?? '?';
  const naclOf = new Map(src.of('AWS::EC2::SubnetNetworkAclAssociation').map((a) => [refOf(a, a.props.SubnetId), refOf(a, a.props.NetworkAclId)]));
  const tableOf = new Map(src.of('AWS::EC2::SubnetRouteTableAssociation').map((a) => [refOf(a, a.props.SubnetId), refOf(a, a.props.RouteTableId)]));
  const vpcs = src.of('AWS::EC2::VPC');
  const vpcSource = (vpc: 'primary' | 'dr'): Source => {
    const e = vpcs.find((v) => vpcOf(v) === vpc);
    return e ? src.cfnSource(e, ['network']) : { artifact: '?', resource: 'VPC' };
  };
  const subnets: Subnet[] = src.of('AWS::EC2::Subnet').map((e) => {
    const id = src.key(e.template.path, e.id);
    const vpc = vpcOf(e);
    return {
      id,
      tier: tierOf(e),
      ...(typeof e.props.AvailabilityZone === 'string' ? { zone: e.props.AvailabilityZone } : {}),
      cidr: String(e.props.CidrBlock ?? ''),
      vpc,
      tags: tagMap(e.props.Tags),
      nacl: naclOf.get(id) ?? `default-nacl:${vpc}`,
      routeTable: tableOf.get(id) ?? `main-route-table:${vpc}`,
      source: src.cfnSource(e, ['network', 'subnets']),
    };
  });
  const entries = src.of('AWS::EC2::NetworkAclEntry');
  const nacls: Nacl[] = src.of('AWS::EC2::NetworkAcl').map((e) => {
    const id = src.key(e.template.path, e.id);
    const own = entries.filter((x) => refOf(x, x.props.NetworkAclId) === id).map((x) => naclEntry(src, x));
    return { id, tier: tierOf(e), entries: own.sort((a, b) => Number(a.egress) - Number(b.egress) || a.ruleNumber - b.ruleNumber), isDefault: false, source: src.cfnSource(e, ['network', 'nacls']) };
  });
  for (const vpc of ['primary', 'dr'] as const) {
    if (subnets.some((s) => s.vpc === vpc && s.nacl === `default-nacl:${vpc}`)) {
      const source = vpcSource(vpc);
      nacls.push({ id: `default-nacl:${vpc}`, tier: 'default', entries: [ALLOW_ALL(false, source), ALLOW_ALL(true, source)], isDefault: true, source });
    }
  }
  const vpcCidr = (vpc: 'primary' | 'dr') => String(vpcs.find((v) => vpcOf(v) === vpc)?.props.CidrBlock ?? model.network.vpcCidr);
  const routes = src.of('AWS::EC2::Route');
  const endpoints: VpcEndpointFact[] = src.of('AWS::EC2::VPCEndpoint').map((e) => {
    const list = (v: unknown) => (v === undefined ? [] : flatten(src.resolve(e.template, v), src.key));
    const service = String(e.props.ServiceName ?? '').replace(/^com\.amazonaws\.[a-z0-9-]+\./, '');
    return {
      id: src.key(e.template.path, e.id),
      service,
      type: e.props.VpcEndpointType === 'Gateway' ? 'Gateway' : 'Interface',
      subnets: list(e.props.SubnetIds),
      securityGroups: list(e.props.SecurityGroupIds),
      routeTables: list(e.props.RouteTableIds),
      source: src.cfnSource(e, ['network', 'endpoints']),
    };
  });
  const table = (id: string, tier: string, vpc: 'primary' | 'dr', source: Source): RouteTable => {
    const own: Route[] = [{ destination: vpcCidr(vpc), target: { kind: 'local', id: 'local' }, source }];
    for (const r of routes) {
      if (refOf(r, r.props.RouteTableId) !== id) continue;
      const [kind, value] = r.props.NatGatewayId !== undefined ? (['nat-gateway', r.props.NatGatewayId] as const) : r.props.GatewayId !== undefined ? (['internet-gateway', r.props.GatewayId] as const) : (['other', r.props.VpcEndpointId ?? r.props.TransitGatewayId ?? r.props.VpcPeeringConnectionId] as const);
      own.push({ destination: String(r.props.DestinationCidrBlock ?? r.props.DestinationIpv6CidrBlock ?? '?'), target: { kind, id: refOf(r, value) }, source: src.cfnSource(r, ['network']) });
    }
    for (const ep of endpoints) if (ep.type === 'Gateway' && ep.routeTables.includes(id)) own.push({ destination: `prefix-list:${ep.service}`, target: { kind: 'gateway-endpoint', id: ep.id }, source: ep.source });
    return { id, tier, routes: own, source };
  };
  const routeTables: RouteTable[] = src.of('AWS::EC2::RouteTable').map((e) => table(src.key(e.template.path, e.id), tierOf(e), vpcOf(e), src.cfnSource(e, ['network'])));
  for (const vpc of ['primary', 'dr'] as const) {
    if (subnets.some((s) => s.vpc === vpc && s.routeTable === `main-route-table:${vpc}`)) routeTables.push(table(`main-route-table:${vpc}`, 'main', vpc, vpcSource(vpc)));
  }
  const natGateways = src.of('AWS::EC2::NatGateway').map((e) => ({ id: src.key(e.template.path, e.id), subnet: refOf(e, e.props.SubnetId) }));
  return { subnets, nacls, routeTables, endpoints, natGateways };
}

const labelsOf = (v: unknown): Record<string, string> => (isObj(v) && isObj(v.matchLabels) ? Object.fromEntries(Object.entries(v.matchLabels).map(([k, x]) => [k, String(x)])) : {});

function npRules(list: unknown, key: 'from' | 'to'): NetworkPolicyRule[] {
  return (Array.isArray(list) ? list : []).filter(isObj).map((r) => ({
    peers: (Array.isArray(r[key]) ? r[key] : []).filter(isObj).map((p): NetworkPolicyPeer => ({
      ...(p.podSelector !== undefined ? { podSelector: labelsOf(p.podSelector) } : {}),
      ...(p.namespaceSelector !== undefined ? { namespaceSelector: labelsOf(p.namespaceSelector) } : {}),
      ...(isObj(p.ipBlock) ? { ipBlock: String(p.ipBlock.cidr) } : {}),
    })),
    ports: (Array.isArray(r.ports) ? r.ports : []).filter(isObj).map((p) => ({ protocol: String(p.protocol ?? 'TCP'), ...(p.port !== undefined ? { port: p.port as number | string } : {}) })),
  }));
}

export function networkPolicies(src: Sources): NetworkPolicyFact[] {
  return src.docs('NetworkPolicy').map(({ artifact, doc }) => {
    const spec = doc.spec ?? {};
    const types = Array.isArray(spec.policyTypes) ? (spec.policyTypes as string[]) : spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
    const namespace = doc.metadata?.namespace ?? 'default';
    return {
      namespace,
      name: doc.metadata?.name ?? '?',
      podSelector: labelsOf(spec.podSelector),
      policyTypes: types.filter((t): t is 'Ingress' | 'Egress' => t === 'Ingress' || t === 'Egress'),
      ingress: npRules(spec.ingress, 'from'),
      egress: npRules(spec.egress, 'to'),
      source: { artifact, resource: kubeTarget(doc), specPath: ['namespaces', namespace] },
    };
  });
}

export function networkGraph(model: Model, src: Sources): NetworkGraph {
  const groups = securityGroups(model, src);
  const tiers = subnetsAndTables(model, src);
  return {
    vpcCidr: model.network.vpcCidr,
    securityGroups: groups,
    rules: securityGroupRules(src, groups),
    ...tiers,
    networkPolicies: networkPolicies(src),
    controlPlaneSecurityGroups: controlPlaneGroups(src),
    controlPlaneSubnets: controlPlaneSubnets(src),
    interfaces: networkInterfaces(src, groups, tiers.subnets),
  };
}

// ---- a small query: do the security groups let a flow through? ------------------------------

/** One side of a flow: the security groups of its network interface and, if known, its address block (a CIDR rule other than 0.0.0.0/0 matches only a known block inside it). */
export interface Endpoint {
  readonly groups: readonly string[];
  readonly cidr?: string;
}

const portIn = (r: SecurityGroupRule, proto: string, port: number) => (r.protocol === '-1' || r.protocol === proto) && (r.protocol === '-1' || (port >= r.fromPort && port <= r.toPort));

function peerMatches(peer: Peer, other: Endpoint): boolean {
  if (peer.kind === 'security-group') return other.groups.includes(peer.group);
  if (peer.kind === 'cidr' && peer.cidr === '0.0.0.0/0') return true;
  if (peer.kind === 'cidr' && other.cidr && !peer.cidr.includes(':')) return contains(parseCidr(peer.cidr), parseCidr(other.cidr));
  return false;
}

/**
 * Whether security groups allow `protocol`/`port` from one endpoint to another: an egress rule of
 * a source group that names the destination (its group, or a CIDR holding its block), and an
 * ingress rule of a destination group that names the source. Security groups are stateful, so
 * the reply needs no rule. NACLs, routes and NetworkPolicies are separate facts of the graph.
 */
export function securityGroupsAllow(network: Pick<NetworkGraph, 'rules'>, from: Endpoint, to: Endpoint, proto: 'tcp' | 'udp', port: number): { allowed: boolean; egress?: SecurityGroupRule; ingress?: SecurityGroupRule } {
  const egress = network.rules.find((r) => r.direction === 'egress' && from.groups.includes(r.group) && portIn(r, proto, port) && peerMatches(r.peer, to));
  const ingress = network.rules.find((r) => r.direction === 'ingress' && to.groups.includes(r.group) && portIn(r, proto, port) && peerMatches(r.peer, from));
  return { allowed: Boolean(egress && ingress), ...(egress ? { egress } : {}), ...(ingress ? { ingress } : {}) };
}
