/**
 * The platform as text (what `innovate platform` prints), Markdown (tables and the Mermaid
 * diagram of where each pod runs) and JSON (the model itself, keys sorted). Pure.
 */
import { canonical } from '../emitters/serialize.js';
import { label } from '../emitters/docs/diagrams.js';
import type { Load, NodeKind, NodeLoad, Peer, Platform, Pod, PolicyStatement, SecurityGroupRule } from './types.js';

export type PlatformFormat = 'text' | 'json' | 'markdown';

const cpu = (m: number) => (m % 1000 === 0 ? `${m / 1000}` : `${m}m`);
const mem = (mib: number) => (mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`);
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]!))).join('  ').trimEnd());
}

function mdTable(rows: readonly (readonly string[])[]): string[] {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${rows[0]!.map(cell).join(' | ')} |`, `| ${rows[0]!.map(() => '---').join(' | ')} |`, ...rows.slice(1).map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

const groupName = (p: Platform) => {
  const names = new Map(p.network.securityGroups.map((g) => [g.id, g.name ?? g.id]));
  return (id: string) => names.get(id) ?? id;
};

function nodeSummary(n: NodeKind, name: (id: string) => string): string[] {
  const types = n.instanceTypes;
  const size = n.size ? ` × ${n.size.desired} (min ${n.size.min}, max ${n.size.max})` : '';
  const range = types.length === 0 ? 'no instance type' : n.kind === 'managed' ? types.map((t) => t.instanceType).join(', ') : `${types.length} instance types, ${types[0]!.instanceType} … ${types[types.length - 1]!.instanceType}`;
  const first = types[0];
  return [
    `${n.id}: ${range}${size}, ${n.capacityTypes.join('/') || '-'}`,
    `  taints: ${n.taints.map((t) => `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`).join(', ') || 'none'}`,
    `  security groups: ${n.securityGroups.map((g) => `${name(g.id)} (${g.via})`).join(', ') || 'none'}`,
    ...(first ? [`  ${first.instanceType}: ${first.vcpu} vCPU, ${mem(first.memoryMiB)}, max ${first.maxPods} pods; kube-reserved ${cpu(first.kubeReserved.cpuMilli)} CPU, ${mem(first.kubeReserved.memoryMiB)}; allocatable ${cpu(first.allocatable.cpuMilli)} CPU, ${mem(first.allocatable.memoryMiB)}`] : []),
  ];
}

const podRow = (p: Pod, where: string): string[] => [p.id, p.controller, p.controller === 'DaemonSet' ? 'per node' : String(p.replicas), cpu(p.requests.cpuMilli), mem(p.requests.memoryMiB), where, p.origins.requests];
const verdict = (demand: number, capacity: number) => (demand > capacity ? 'OVER' : 'ok');

function arithmetic(l: NodeLoad): string[] {
  if (!l.demand || !l.capacity || l.nodes === undefined) {
    return [`per node, DaemonSets: ${l.daemonSetsPerNode.pods} pods, ${cpu(l.daemonSetsPerNode.cpuMilli)} CPU, ${mem(l.daemonSetsPerNode.memoryMiB)}; pinned here: ${l.pinnedTotal.pods} pods, ${cpu(l.pinnedTotal.cpuMilli)} CPU, ${mem(l.pinnedTotal.memoryMiB)}`];
  }
  const d: Load = l.demand;
  const c: Load = l.capacity;
  return [
    `on ${l.nodes} nodes: pinned ${l.pinnedTotal.pods} + DaemonSets ${l.daemonSetsPerNode.pods} × ${l.nodes}`,
    `pods ${d.pods} / ${c.pods} ${verdict(d.pods, c.pods)}; CPU ${cpu(d.cpuMilli)} / ${cpu(c.cpuMilli)} ${verdict(d.cpuMilli, c.cpuMilli)}; memory ${mem(d.memoryMiB)} / ${mem(c.memoryMiB)} ${verdict(d.memoryMiB, c.memoryMiB)}`,
  ];
}

const peerText = (peer: Peer, name: (id: string) => string) => (peer.kind === 'security-group' ? name(peer.group) : peer.kind === 'cidr' ? peer.cidr : peer.kind === 'prefix-list' ? peer.id : `? ${peer.value}`);
const ports = (r: SecurityGroupRule) => (r.protocol === '-1' ? 'all' : `${r.protocol} ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`}`);

function flowRows(p: Platform): string[][] {
  const name = groupName(p);
  return p.network.rules.map((r) => [name(r.group), r.direction, ports(r), `${r.direction === 'ingress' ? 'from' : 'to'} ${peerText(r.peer, name)}`, r.implicit ? `(implicit) ${r.description ?? ''}` : `${r.source.artifact.replace(/^.*\//, '')}#${r.source.resource}`]);
}

const trusted = (s: readonly PolicyStatement[]) =>
  s
    .flatMap((x) => {
      const pr = x.Principal as Record<string, unknown> | string | undefined;
      if (typeof pr === 'string') return [pr];
      return Object.entries(pr ?? {}).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((y) => `${k}:${typeof y === 'string' ? y : JSON.stringify(y)}`));
    })
    .join(', ');

function principalRows(p: Platform): string[][] {
  return p.principals.roles.map((r) => [r.name ?? r.id, trusted(r.trust) || '-', String(r.permissions.reduce((n, x) => n + x.statements.length, 0)), r.managedPolicyArns.map((a) => a.replace(/^arn:aws:iam::aws:policy\//, '')).join(', ') || '-']);
}

function nodeSections(p: Platform): { node: NodeKind; load: NodeLoad; pods: Pod[] }[] {
  return p.nodeKinds.map((node) => ({ node, load: p.loads.find((l) => l.nodeKind === node.id)!, pods: p.pods.filter((x) => x.placement.includes(node.id)) }));
}

const whereOf = (pod: Pod) => (pod.controller === 'DaemonSet' ? 'every node' : pod.placement.length === 1 ? 'pinned' : `or ${pod.placement.length - 1} more`);

export function formatText(p: Platform): string {
  const name = groupName(p);
  const out: string[] = [`Platform of ${p.environment} (account ${p.accountId}, ${p.region}), cluster ${p.cluster}`, '', 'Node kinds and what they hold'];
  for (const { node, load, pods } of nodeSections(p)) {
    out.push('', ...nodeSummary(node, name).map((l) => `  ${l}`));
    if (pods.length > 0) out.push(...table([['pod', 'kind', 'replicas', 'cpu', 'memory', 'placement', 'requests from'], ...pods.map((x) => podRow(x, whereOf(x)))], '    '));
    out.push(...arithmetic(load).map((l) => `    ${l}`));
  }
  const nowhere = p.pods.filter((x) => x.placement.length === 0);
  out.push('', `Pods with nowhere to run: ${nowhere.length === 0 ? 'none' : ''}`);
  if (nowhere.length > 0) out.push(...table([['pod', 'nodeSelector', 'tolerations'], ...nowhere.map((x) => [x.id, Object.entries(x.nodeSelector).map(([k, v]) => `${k}=${v}`).join(', ') || '-', x.tolerations.map((t) => `${t.key ?? '*'}${t.value ? `=${t.value}` : ''}:${t.effect ?? '*'}`).join(', ') || '-'])]));
  out.push('', 'Flows (security-group rules)', ...table([['group', 'direction', 'ports', 'peer', 'source'], ...flowRows(p)]));
  out.push('', `Control plane security groups: ${p.network.controlPlaneSecurityGroups.map(name).join(', ') || '-'}`);
  out.push('', 'Principals (roles)', ...table([['role', 'trusts', 'statements', 'managed policies'], ...principalRows(p)]));
  out.push('', 'Service accounts with AWS identities', ...table([['namespace/service account', 'role', 'via'], ...p.principals.podIdentities.map((b) => [`${b.namespace}/${b.serviceAccount}`, b.role ?? b.roleArn ?? '?', b.via])]));
  out.push('', 'EKS access entries', ...table([['principal', 'type', 'access'], ...p.principals.accessEntries.map((a) => [a.principalArn, a.type, a.accessPolicies.map((x) => `${x.policyArn.replace(/^.*\//, '')} (${x.scope}${x.namespaces ? `: ${x.namespaces.join(', ')}` : ''})`).join(', ') || a.kubernetesGroups.join(', ') || '-'])]));
  if (p.gaps.length > 0) out.push('', 'Not sourced', ...p.gaps.map((g) => `  - ${g}`));
  return `${out.join('\n')}\n`;
}

/** A Mermaid identifier from any string. */
const mid = (prefix: string, s: string) => `${prefix}_${s.replace(/[^A-Za-z0-9]/g, '_')}`;

/** Mermaid flowchart of where each pod runs: a box per node kind, pinned pods inside, shared pods linked to each kind, DaemonSets as one line per kind. */
export function placementDiagram(p: Platform): string {
  const lines = ['flowchart LR'];
  const shared: Pod[] = [];
  for (const { node, load, pods } of nodeSections(p)) {
    const title = node.kind === 'managed' ? `${node.name} (managed, ${node.instanceTypes.map((t) => t.instanceType).join(', ') || '?'} × ${node.size?.desired ?? '?'})` : `${node.name} (Karpenter, ${node.capacityTypes.join('/')}, ${(node.labels['kubernetes.io/arch'] ?? []).join('/')})`;
    lines.push(`  subgraph ${mid('n', node.id)}[${label(title)}]`);
    for (const pod of pods.filter((x) => load.pinned.includes(x.id))) lines.push(`    ${mid('p', pod.id)}[${label(`${pod.owner}/${pod.component} × ${pod.replicas}`)}]`);
    const ds = pods.filter((x) => x.controller === 'DaemonSet');
    if (ds.length > 0) lines.push(`    ${mid('ds', node.id)}[${label(`DaemonSets: ${ds.map((x) => x.component).join(', ')}`)}]`);
    if (load.pinned.length === 0 && ds.length === 0) lines.push(`    ${mid('e', node.id)}[${label('nothing pinned')}]`);
    lines.push('  end');
    for (const pod of pods) if (load.shared.includes(pod.id) && !shared.includes(pod)) shared.push(pod);
  }
  for (const pod of shared) {
    lines.push(`  ${mid('p', pod.id)}([${label(`${pod.owner}/${pod.component} × ${pod.replicas}`)}])`);
    for (const n of pod.placement) lines.push(`  ${mid('p', pod.id)} -.-> ${mid('n', n)}`);
  }
  const nowhere = p.pods.filter((x) => x.placement.length === 0);
  if (nowhere.length > 0) {
    lines.push(`  subgraph nowhere[${label('no node kind admits')}]`);
    for (const pod of nowhere) lines.push(`    ${mid('p', pod.id)}[${label(`${pod.owner}/${pod.component}`)}]`);
    lines.push('  end');
  }
  return `${lines.join('\n')}\n`;
}

export function formatMarkdown(p: Platform): string {
  const name = groupName(p);
  const out: string[] = [`# Platform of ${p.environment}`, '', `Account ${p.accountId}, ${p.region}, cluster \`${p.cluster}\`.`, '', '## Where each pod runs', '', '```mermaid', placementDiagram(p).trimEnd(), '```', '', '## Node kinds'];
  for (const { node, load, pods } of nodeSections(p)) {
    out.push('', `### ${node.id}`, '', ...nodeSummary(node, name).map((l) => `- ${l.trim()}`), '');
    if (pods.length > 0) out.push(...mdTable([['pod', 'kind', 'replicas', 'cpu', 'memory', 'placement', 'requests from'], ...pods.map((x) => podRow(x, whereOf(x)))]), '');
    out.push(...arithmetic(load).map((l) => `${l}  `));
  }
  out.push('', '## Flows (security-group rules)', '', ...mdTable([['group', 'direction', 'ports', 'peer', 'source'], ...flowRows(p)]));
  out.push('', '## Principals', '', ...mdTable([['role', 'trusts', 'statements', 'managed policies'], ...principalRows(p)]));
  out.push('', ...mdTable([['namespace/service account', 'role', 'via'], ...p.principals.podIdentities.map((b) => [`${b.namespace}/${b.serviceAccount}`, b.role ?? b.roleArn ?? '?', b.via])]));
  if (p.gaps.length > 0) out.push('', '## Not sourced', '', ...p.gaps.map((g) => `- ${g}`));
  return `${out.join('\n')}\n`;
}

export function formatPlatform(p: Platform, format: PlatformFormat): string {
  if (format === 'json') return `${JSON.stringify(canonical(p), null, 2)}\n`;
  return format === 'markdown' ? formatMarkdown(p) : formatText(p);
}
