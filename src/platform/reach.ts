/**
 * Can a packet get there? AWS Reachability Analyzer's question, asked of the platform model at
 * compile time. A flow from one place in the VPC to another passes, for every pair of subnets the
 * two sides can be in:
 *   - security groups: an egress rule of a source group naming the destination and an ingress rule
 *     of a destination group naming the source (stateful: the reply needs none);
 *   - route table of the source subnet: the most specific route holding the destination;
 *   - NACLs, when the subnets differ (stateless, first matching rule wins): the request leaves the
 *     source subnet and enters the destination's, the reply leaves the destination's and enters the
 *     source's on an ephemeral port (1024-65535: what AWS tells NACLs to allow, as clients — Linux,
 *     NAT gateways, load balancers, Lambda — pick from different ranges).
 * A flow to an AWS service goes to its interface endpoint when the VPC has one (private DNS sends
 * every call there), else by the S3/DynamoDB gateway endpoint's prefix-list route, else through a NAT
 * gateway (its subnet's NACL and route to an internet gateway included).
 * NetworkPolicies are checked separately (networkPolicyAllows) for flows between pods.
 * Every verdict names the facts it relied on (`used`), so a test can delete each and watch the
 * flow fail, and a failure names the layer and the fact (or the missing one) that stops it.
 */
import { contains, overlaps as blocksOverlap, parseCidr, type Block } from '../compiler/cidr.js';
import { securityGroupsAllow } from './network.js';
import type { Nacl, NaclEntry, NetworkGraph, NetworkPolicyFact, Source, Subnet } from './types.js';

export type Protocol = 'tcp' | 'udp';

/** One end of a flow inside the VPC. */
export interface Place {
  /** How a finding names it: `node kind karpenter:platform`, `the control plane`. */
  readonly name: string;
  readonly groups: readonly string[];
  readonly subnets: readonly string[];
  readonly source: Source;
}

export type Layer = 'security-group' | 'route' | 'nacl' | 'network-policy' | 'placement';

export interface Verdict {
  readonly ok: boolean;
  /** The facts the flow relied on (security-group rules, NACL entries, routes, NetworkPolicies). */
  readonly used: readonly Source[];
  readonly blocked?: { readonly layer: Layer; readonly message: string; readonly source?: Source };
}

const EPHEMERAL: readonly [number, number] = [1024, 65535];
const ANYWHERE = '0.0.0.0/0';
const PROTOCOL_NUMBER: Readonly<Record<Protocol, number>> = { tcp: 6, udp: 17 };

/** An IPv4 block, or undefined for anything else (IPv6, an unresolved value): such a block matches nothing. */
const block = (cidr: string): Block | undefined => {
  try {
    return parseCidr(cidr);
  } catch {
    return undefined;
  }
};
const cidrHolds = (outer: string, inner: string): boolean => {
  const a = block(outer);
  const b = block(inner);
  return a !== undefined && b !== undefined && contains(a, b);
};
const overlaps = (x: string, y: string): boolean => {
  const a = block(x);
  const b = block(y);
  return a !== undefined && b !== undefined && blocksOverlap(a, b);
};

/**
 * Whether a NACL lets `proto` on every port of `ports` through in one direction to or from `peer`.
 * Entries are taken in rule-number order and the first that matches a port decides it; an entry
 * whose block only overlaps the peer's decides nothing when it allows (some addresses would not
 * match) and blocks when it denies (some would).
 */
export function naclAllows(nacl: Nacl, egress: boolean, proto: Protocol, ports: readonly [number, number], peer: string): { allowed: boolean; used: NaclEntry[]; deniedBy?: NaclEntry } {
  let open: [number, number][] = [[ports[0], ports[1]]];
  const used: NaclEntry[] = [];
  for (const e of nacl.entries) {
    if (e.egress !== egress || (e.protocol !== -1 && e.protocol !== PROTOCOL_NUMBER[proto])) continue;
    const full = cidrHolds(e.cidr, peer);
    if (!full && !(e.action === 'deny' && overlaps(e.cidr, peer))) continue;
    const hit = open.some(([a, b]) => a <= e.toPort && e.fromPort <= b);
    if (!hit) continue;
    if (e.action === 'deny') return { allowed: false, used, deniedBy: e };
    used.push(e);
    open = open.flatMap(([a, b]): [number, number][] => {
      if (b < e.fromPort || a > e.toPort) return [[a, b]];
      const rest: [number, number][] = [];
      if (a < e.fromPort) rest.push([a, e.fromPort - 1]);
      if (b > e.toPort) rest.push([e.toPort + 1, b]);
      return rest;
    });
    if (open.length === 0) return { allowed: true, used };
  }
  return { allowed: false, used };
}

const portText = (proto: Protocol, ports: readonly [number, number]) => `${proto} ${ports[0] === ports[1] ? ports[0] : `${ports[0]}-${ports[1]}`}`;

/** The subnet index of a network graph. */
export class Network {
  private readonly subnets: Map<string, Subnet>;
  private readonly nacls: Map<string, Nacl>;
  constructor(readonly graph: NetworkGraph) {
    this.subnets = new Map(graph.subnets.map((s) => [s.id, s]));
    this.nacls = new Map(graph.nacls.map((n) => [n.id, n]));
  }

  subnet(id: string): Subnet | undefined {
    return this.subnets.get(id);
  }

  /** One NACL crossing: `subnet`'s NACL lets the packet out (egress) or in to `peer`. */
  private nacl(subnet: Subnet, egress: boolean, proto: Protocol, ports: readonly [number, number], peer: string, used: Source[]): Verdict['blocked'] | undefined {
    const nacl = subnet.nacl ? this.nacls.get(subnet.nacl) : undefined;
    if (!nacl) return undefined;
    const r = naclAllows(nacl, egress, proto, ports, peer);
    used.push(...r.used.filter(() => !nacl.isDefault).map((e) => e.source));
    if (r.allowed) return undefined;
    const what = `${egress ? 'out of' : 'into'} ${subnet.tier} subnet ${subnet.cidr} ${egress ? 'to' : 'from'} ${peer}`;
    return r.deniedBy
      ? { layer: 'nacl', message: `NACL rule ${r.deniedBy.ruleNumber} denies ${portText(proto, ports)} ${what}`, source: r.deniedBy.source }
      : { layer: 'nacl', message: `no NACL rule allows ${portText(proto, ports)} ${what}`, source: nacl.source };
  }

  /** Request and reply across the boundary of two subnets (a packet within one subnet meets no NACL). */
  private crossing(a: Subnet, b: Subnet, proto: Protocol, port: number, used: Source[]): Verdict['blocked'] | undefined {
    if (a.id === b.id) return undefined;
    const p: [number, number] = [port, port];
    return this.nacl(a, true, proto, p, b.cidr, used) ?? this.nacl(b, false, proto, p, a.cidr, used) ?? this.nacl(b, true, proto, EPHEMERAL, a.cidr, used) ?? this.nacl(a, false, proto, EPHEMERAL, b.cidr, used);
  }

  /** The most specific route of a subnet's table holding `cidr` (or, for a prefix-list destination, the gateway endpoint's). */
  route(subnet: Subnet, cidr: string, prefixList?: string) {
    const table = this.graph.routeTables.find((t) => t.id === subnet.routeTable);
    if (!table) return undefined;
    if (prefixList) {
      const viaEndpoint = table.routes.find((r) => r.destination === `prefix-list:${prefixList}`);
      if (viaEndpoint) return viaEndpoint;
    }
    let best: (typeof table.routes)[number] | undefined;
    for (const r of table.routes) {
      if (r.destination.startsWith('prefix-list:') || !cidrHolds(r.destination, cidr)) continue;
      if (!best || block(r.destination)!.prefix > block(best.destination)!.prefix) best = r;
    }
    return best;
  }

  private subnetsOf(place: Place): Subnet[] | Verdict {
    const found = place.subnets.map((id) => this.subnets.get(id)).filter((s): s is Subnet => s !== undefined);
    return found.length > 0 ? found : { ok: false, used: [], blocked: { layer: 'placement', message: `${place.name} is in no subnet the templates create`, source: place.source } };
  }

  /** A flow between two places of the VPC, for every pair of their subnets. */
  between(from: Place, to: Place, proto: Protocol, port: number): Verdict {
    const a = this.subnetsOf(from);
    if (!Array.isArray(a)) return a;
    const b = this.subnetsOf(to);
    if (!Array.isArray(b)) return b;
    const used: Source[] = [];
    for (const sa of a) {
      for (const sb of b) {
        const sg = securityGroupsAllow(this.graph, { groups: from.groups, cidr: sa.cidr }, { groups: to.groups, cidr: sb.cidr }, proto, port);
        if (!sg.allowed) {
          const side = sg.egress ? `no ingress rule of ${to.name}'s security groups admits` : `no egress rule of ${from.name}'s security groups allows`;
          return { ok: false, used, blocked: { layer: 'security-group', message: `${side} ${portText(proto, [port, port])} from ${from.name} (${sa.cidr}) to ${to.name} (${sb.cidr})`, source: sg.egress ? to.source : from.source } };
        }
        if (!sg.egress!.implicit) used.push(sg.egress!.source);
        if (!sg.ingress!.implicit) used.push(sg.ingress!.source);
        const route = this.route(sa, sb.cidr);
        if (!route || (route.target.kind !== 'local' && route.target.kind !== 'other')) {
          return { ok: false, used, blocked: { layer: 'route', message: `the route table of ${sa.tier} subnet ${sa.cidr} has no local route to ${sb.cidr}`, source: sa.source } };
        }
        const nacl = this.crossing(sa, sb, proto, port, used);
        if (nacl) return { ok: false, used, blocked: nacl };
      }
    }
    return { ok: true, used: dedupe(used) };
  }

  /** A flow from a place in the VPC to an AWS service's regional endpoint, by whichever path the VPC gives it. */
  toService(from: Place, service: string): Verdict {
    const endpoint = this.graph.endpoints.find((e) => e.type === 'Interface' && e.service === service);
    if (endpoint) {
      const v = this.between(from, { name: `the ${service} interface endpoint`, groups: endpoint.securityGroups, subnets: endpoint.subnets, source: endpoint.source }, 'tcp', 443);
      return v.ok ? { ok: true, used: dedupe([...v.used, endpoint.source]) } : v;
    }
    const a = this.subnetsOf(from);
    if (!Array.isArray(a)) return a;
    const used: Source[] = [];
    const egress = this.graph.rules.find((r) => r.direction === 'egress' && from.groups.includes(r.group) && (r.protocol === '-1' || (r.protocol === 'tcp' && r.fromPort <= 443 && 443 <= r.toPort)) && ((r.peer.kind === 'cidr' && r.peer.cidr === ANYWHERE) || r.peer.kind === 'prefix-list'));
    if (!egress) return { ok: false, used, blocked: { layer: 'security-group', message: `no egress rule of ${from.name}'s security groups allows tcp 443 to ${service} (0.0.0.0/0)`, source: from.source } };
    if (!egress.implicit) used.push(egress.source);
    for (const sa of a) {
      const route = this.route(sa, ANYWHERE, service);
      const out = this.nacl(sa, true, 'tcp', [443, 443], ANYWHERE, used) ?? this.nacl(sa, false, 'tcp', EPHEMERAL, ANYWHERE, used);
      if (!route || (route.target.kind !== 'nat-gateway' && route.target.kind !== 'gateway-endpoint' && route.target.kind !== 'internet-gateway')) {
        return { ok: false, used, blocked: { layer: 'route', message: `${sa.tier} subnet ${sa.cidr} has no interface endpoint for ${service} and no route to it (no NAT gateway${service === 's3' || service === 'dynamodb' ? ' or gateway endpoint' : ''})`, source: sa.source } };
      }
      if (out) return { ok: false, used, blocked: out };
      used.push(route.source);
      if (route.target.kind !== 'nat-gateway') continue;
      const nat = this.graph.natGateways.find((n) => n.id === route.target.id);
      const sn = nat ? this.subnets.get(nat.subnet) : undefined;
      if (!sn) continue;
      const exit = this.route(sn, ANYWHERE);
      if (!exit || exit.target.kind !== 'internet-gateway') return { ok: false, used, blocked: { layer: 'route', message: `the NAT gateway's subnet ${sn.cidr} has no route to an internet gateway`, source: sn.source } };
      used.push(exit.source);
      const natHop = this.nacl(sn, false, 'tcp', [443, 443], sa.cidr, used) ?? this.nacl(sn, true, 'tcp', [443, 443], ANYWHERE, used) ?? this.nacl(sn, false, 'tcp', EPHEMERAL, ANYWHERE, used) ?? this.nacl(sn, true, 'tcp', EPHEMERAL, sa.cidr, used);
      if (natHop) return { ok: false, used, blocked: natHop };
    }
    return { ok: true, used: dedupe(used) };
  }
}

function dedupe(sources: readonly Source[]): Source[] {
  const seen = new Set<string>();
  return sources.filter((s) => {
    const k = `${s.artifact}#${s.resource}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---- NetworkPolicies ---------------------------------------------------------------------------

/** A pod as NetworkPolicies see it. */
export interface PodSide {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The other side of a pod's flow: a pod, or address blocks (every one must be admitted). */
export type Peer = { readonly pod: PodSide } | { readonly cidrs: readonly string[] };

const selects = (selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>>): boolean => selector === undefined || Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Namespaces carry kubernetes.io/metadata.name (set by the API server on every namespace since 1.22). */
const namespaceLabels = (ns: string) => ({ 'kubernetes.io/metadata.name': ns });

/**
 * Whether the NetworkPolicies of `pod`'s namespace let it send (egress) to or receive (ingress)
 * from `peer` on `proto`/`port`. No policy of that direction selecting the pod: allowed. Otherwise
 * some rule of a selecting policy must admit the port and the peer (ipBlock holding every address
 * block of the peer; namespace and pod selectors matching a peer pod).
 */
export function networkPolicyAllows(policies: readonly NetworkPolicyFact[], pod: PodSide, direction: 'Ingress' | 'Egress', peer: Peer, proto: Protocol, port: number): { allowed: boolean; used?: Source; policies: number } {
  const applying = policies.filter((p) => p.namespace === pod.namespace && p.policyTypes.includes(direction) && selects(p.podSelector, pod.labels));
  if (applying.length === 0) return { allowed: true, policies: 0 };
  for (const p of applying) {
    for (const rule of direction === 'Ingress' ? p.ingress : p.egress) {
      const portOk = rule.ports.length === 0 || rule.ports.some((x) => x.protocol.toLowerCase() === proto && (x.port === undefined || Number(x.port) === port));
      if (!portOk) continue;
      // Address blocks: each must sit inside some ipBlock of the rule (one rule may list a block per subnet).
      const peerOk =
        rule.peers.length === 0 ||
        ('cidrs' in peer && peer.cidrs.every((c) => rule.peers.some((x) => x.ipBlock !== undefined && cidrHolds(x.ipBlock, c)))) ||
        rule.peers.some((x) => {
          if ('cidrs' in peer || x.ipBlock !== undefined) return false;
          const nsOk = x.namespaceSelector === undefined ? peer.pod.namespace === p.namespace : selects(x.namespaceSelector, namespaceLabels(peer.pod.namespace));
          return nsOk && selects(x.podSelector, peer.pod.labels);
        });
      if (peerOk) return { allowed: true, used: p.source, policies: applying.length };
    }
  }
  return { allowed: false, policies: applying.length };
}
