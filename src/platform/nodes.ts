/**
 * Node kinds: the EKS managed node groups (AWS::EKS::Nodegroup and their launch templates) and
 * every Karpenter NodePool with the EC2NodeClass it references, each with its labels, taints,
 * the instance types it can be (capacity and allocatable from the inventory) and the security
 * groups its instances really get:
 *   - managed group: the launch template's SecurityGroupIds when it names any; EKS adds the
 *     cluster security group only when it names none ("If you specify security groups in the
 *     launch template, Amazon EKS doesn't add the cluster security group",
 *     https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html);
 *   - Karpenter: exactly what the EC2NodeClass securityGroupSelectorTerms select (tags, id or
 *     name), resolved against the tags the templates give their security groups and the tags
 *     EKS puts on the cluster security group. Karpenter adds nothing implicitly.
 */
import type { Model } from '../compiler/model.js';
import { INSTANCE_TYPES, instanceType, type InstanceTypeInfo } from '../inventory/index.js';
import { capacityOf } from './capacity.js';
import { CLUSTER_SG } from './network.js';
import { at, flatten, isObj, kubeTarget, type Sources } from './sources.js';
import type { NodeKind, SecurityGroup, SecurityGroupRef, Source, Subnet, Taint } from './types.js';

const EFFECTS: Readonly<Record<string, Taint['effect']>> = { NO_SCHEDULE: 'NoSchedule', NO_EXECUTE: 'NoExecute', PREFER_NO_SCHEDULE: 'PreferNoSchedule' };

const bySize = (a: { vcpu: number; memoryMiB: number; instanceType: string }, b: typeof a) => a.vcpu - b.vcpu || a.memoryMiB - b.memoryMiB || (a.instanceType < b.instanceType ? -1 : 1);

function sortedLabels(labels: Record<string, Set<string>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const k of Object.keys(labels).sort()) out[k] = [...labels[k]!].sort();
  return out;
}

function addLabel(labels: Record<string, Set<string>>, key: string, values: Iterable<string>): void {
  const set = (labels[key] ??= new Set());
  for (const v of values) set.add(v);
}

export function managedNodeKinds(model: Model, src: Sources): NodeKind[] {
  return src.of('AWS::EKS::Nodegroup').map((ng): NodeKind => {
    const p = ng.props;
    const name = typeof p.NodegroupName === 'string' ? p.NodegroupName : ng.id;
    const specPath = name === model.cluster.systemNodeGroup.name ? ['cluster', 'systemNodeGroup'] : undefined;
    const source = src.cfnSource(ng, specPath);
    const names = (Array.isArray(p.InstanceTypes) ? p.InstanceTypes : []).filter((t): t is string => typeof t === 'string');
    const infos = names.map((n) => [n, instanceType(n)] as const);
    const known = infos.filter((x): x is readonly [string, InstanceTypeInfo] => x[1] !== undefined).map(([, i]) => capacityOf(i));
    const capacityType = p.CapacityType === 'SPOT' ? 'spot' : 'on-demand';
    const arm = typeof p.AmiType === 'string' && /ARM/.test(p.AmiType);
    const labels: Record<string, Set<string>> = {};
    for (const [k, v] of Object.entries(isObj(p.Labels) ? p.Labels : {})) if (typeof v === 'string') addLabel(labels, k, [v]);
    addLabel(labels, 'kubernetes.io/os', ['linux']);
    addLabel(labels, 'kubernetes.io/arch', known.length ? known.map((c) => c.architecture) : [arm ? 'arm64' : 'amd64']);
    addLabel(labels, 'eks.amazonaws.com/nodegroup', [name]);
    addLabel(labels, 'eks.amazonaws.com/capacityType', [capacityType === 'spot' ? 'SPOT' : 'ON_DEMAND']);
    addLabel(labels, 'node.kubernetes.io/instance-type', names);
    const taints: Taint[] = (Array.isArray(p.Taints) ? p.Taints : []).filter(isObj).map((t) => ({
      key: String(t.Key),
      ...(t.Value !== undefined ? { value: String(t.Value) } : {}),
      effect: EFFECTS[String(t.Effect)] ?? 'NoSchedule',
    }));
    const scaling = isObj(p.ScalingConfig) ? p.ScalingConfig : {};
    const lt = launchTemplate(src, ng.template, p.LaunchTemplate);
    const securityGroups: SecurityGroupRef[] = lt?.groups.length
      ? lt.groups.map((id) => ({ id, via: 'launch-template' as const, source: lt.source }))
      : [{ id: CLUSTER_SG, via: 'eks-implicit', source }];
    const role = roleOf(src, ng.template, p.NodeRole);
    const subnets = p.Subnets === undefined ? [] : flatten(src.resolve(ng.template, p.Subnets), src.key);
    return {
      id: `managed:${name}`,
      kind: 'managed',
      name,
      labels: sortedLabels(labels),
      taints,
      capacityTypes: [capacityType],
      instanceTypes: known.sort(bySize),
      unknownInstanceTypes: infos.filter(([, i]) => i === undefined).map(([n]) => n),
      size: { min: Number(scaling.MinSize ?? 0), desired: Number(scaling.DesiredSize ?? scaling.MinSize ?? 0), max: Number(scaling.MaxSize ?? 0) },
      ...(lt ? { nodeClass: lt.id } : {}),
      securityGroups,
      subnets,
      ...(role ? { role } : {}),
      ...(lt?.hopLimit !== undefined ? { metadataHopLimit: lt.hopLimit } : {}),
      source,
    };
  });
}

function launchTemplate(src: Sources, template: Parameters<Sources['resolve']>[0], ref: unknown): { id: string; groups: string[]; hopLimit?: number; source: Source } | undefined {
  if (!isObj(ref)) return undefined;
  const target = src.resolve(template, ref.Id ?? ref.LaunchTemplateId ?? ref.Name);
  if (target.kind !== 'resource') return undefined;
  const entry = src.of('AWS::EC2::LaunchTemplate').find((e) => e.template.path === target.template && e.id === target.id);
  if (!entry) return undefined;
  const data = isObj(entry.props.LaunchTemplateData) ? entry.props.LaunchTemplateData : {};
  const direct = Array.isArray(data.SecurityGroupIds) ? data.SecurityGroupIds : [];
  const viaEnis = (Array.isArray(data.NetworkInterfaces) ? data.NetworkInterfaces : []).flatMap((n) => (isObj(n) && Array.isArray(n.Groups) ? n.Groups : []));
  const groups = [...direct, ...viaEnis].flatMap((g) => flatten(src.resolve(entry.template, g), src.key));
  const hop = at(data, 'MetadataOptions.HttpPutResponseHopLimit');
  return { id: src.key(entry.template.path, entry.id), groups, ...(typeof hop === 'number' ? { hopLimit: hop } : {}), source: src.cfnSource(entry) };
}

/** The principal id of a role given as GetAtt/Ref, or by name. */
export function roleOf(src: Sources, template: Parameters<Sources['resolve']>[0], value: unknown): string | undefined {
  const r = src.resolve(template, value);
  if (r.kind === 'resource') return src.key(r.template, r.id);
  if (r.kind === 'literal') return roleByName(src, r.value.replace(/^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?/, ''));
  return undefined;
}

export function roleByName(src: Sources, name: string): string | undefined {
  const e = src.of('AWS::IAM::Role').find((x) => x.props.RoleName === name);
  return e ? src.key(e.template.path, e.id) : undefined;
}

interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

const INSTANCE_LABEL: Readonly<Record<string, (t: InstanceTypeInfo) => string>> = {
  'kubernetes.io/arch': (t) => t.architecture,
  'karpenter.k8s.aws/instance-category': (t) => t.category,
  'karpenter.k8s.aws/instance-family': (t) => t.family,
  'karpenter.k8s.aws/instance-generation': (t) => String(t.generation),
  'node.kubernetes.io/instance-type': (t) => t.name,
  'karpenter.k8s.aws/instance-cpu': (t) => String(t.vcpu),
  'karpenter.k8s.aws/instance-memory': (t) => String(t.memoryMiB),
};

function satisfies(value: string, r: Requirement): boolean {
  switch (r.operator) {
    case 'In':
      return r.values.includes(value);
    case 'NotIn':
      return !r.values.includes(value);
    case 'Gt':
      return Number(value) > Number(r.values[0]);
    case 'Lt':
      return Number(value) < Number(r.values[0]);
    case 'DoesNotExist':
      return false;
    default:
      return true;
  }
}

/** EC2 instance types (not db.* classes). */
let ec2Cache: readonly InstanceTypeInfo[] | undefined;
const ec2Types = (): readonly InstanceTypeInfo[] => (ec2Cache ??= INSTANCE_TYPES.filter((t) => !t.name.startsWith('db.')));
const smaller = (a: InstanceTypeInfo, b: InstanceTypeInfo) => a.vcpu - b.vcpu || a.memoryMiB - b.memoryMiB || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The selection smallest first, or only its smallest and largest (a linear scan, no sort). */
function detailed(selected: readonly InstanceTypeInfo[], detail: InstanceTypeDetail): InstanceTypeInfo[] {
  if (detail === 'all' || selected.length < 3) return [...selected].sort(smaller);
  let lo = selected[0]!;
  let hi = lo;
  for (const t of selected) {
    if (smaller(t, lo) < 0) lo = t;
    if (smaller(t, hi) > 0) hi = t;
  }
  return [lo, hi];
}

/** Pools of every environment often share requirements: the selection is kept per requirement set. */
const selections = new Map<string, readonly InstanceTypeInfo[]>();

/** Instance types a NodePool's requirements admit, in inventory order. */
export function selectInstanceTypes(requirements: readonly Requirement[]): readonly InstanceTypeInfo[] {
  const relevant = requirements.filter((r) => INSTANCE_LABEL[r.key]);
  const key = JSON.stringify(relevant);
  let hit = selections.get(key);
  if (!hit) {
    hit = ec2Types()
      .filter((t) => relevant.every((r) => satisfies(INSTANCE_LABEL[r.key]!(t), r)));
    if (selections.size > 256) selections.clear();
    selections.set(key, hit);
  }
  return hit;
}

/**
 * `bounds` keeps only the smallest and the largest instance type of each pool (what a diagram
 * needs, at a fraction of the cost); `all` keeps every one the requirements admit.
 */
export type InstanceTypeDetail = 'all' | 'bounds';

export function karpenterNodeKinds(model: Model, src: Sources, groups: readonly SecurityGroup[], subnets: readonly Subnet[], detail: InstanceTypeDetail = 'all'): NodeKind[] {
  const classes = new Map(src.docs('EC2NodeClass').map((d) => [d.doc.metadata?.name ?? '', d]));
  return src.docs('NodePool').map((d): NodeKind => {
    const name = d.doc.metadata?.name ?? '?';
    const specPath = model.cluster.nodePools.some((p) => p.name === name) ? ['cluster', 'nodePools', name] : undefined;
    const source: Source = { artifact: d.artifact, resource: kubeTarget(d.doc), ...(specPath ? { specPath } : {}) };
    const template = isObj(d.doc.spec?.template) ? (d.doc.spec.template as Record<string, unknown>) : {};
    const spec = isObj(template.spec) ? template.spec : {};
    const requirements: Requirement[] = (Array.isArray(spec.requirements) ? spec.requirements : []).filter(isObj).map((r) => ({
      key: String(r.key),
      operator: String(r.operator),
      values: Array.isArray(r.values) ? r.values.map(String) : [],
    }));
    // Karpenter's defaults when a pool says nothing: amd64, linux, on-demand.
    const withDefaults = [...requirements];
    for (const [key, value] of [['kubernetes.io/arch', 'amd64'], ['kubernetes.io/os', 'linux'], ['karpenter.sh/capacity-type', 'on-demand']] as const) {
      if (!requirements.some((r) => r.key === key)) withDefaults.push({ key, operator: 'In', values: [value] });
    }
    const selected = selectInstanceTypes(withDefaults);
    const types = detailed(selected, detail).map(capacityOf);
    const labels: Record<string, Set<string>> = {};
    const meta = isObj(template.metadata) && isObj(template.metadata.labels) ? template.metadata.labels : {};
    for (const [k, v] of Object.entries(meta)) if (typeof v === 'string') addLabel(labels, k, [v]);
    addLabel(labels, 'karpenter.sh/nodepool', [name]);
    for (const r of withDefaults) if (r.operator === 'In') addLabel(labels, r.key, r.values);
    addLabel(labels, 'kubernetes.io/arch', selected.map((t) => t.architecture));
    const taints: Taint[] = (Array.isArray(spec.taints) ? spec.taints : []).filter(isObj).map((t) => ({
      key: String(t.key),
      ...(t.value !== undefined ? { value: String(t.value) } : {}),
      effect: (['NoSchedule', 'NoExecute', 'PreferNoSchedule'].includes(String(t.effect)) ? t.effect : 'NoSchedule') as Taint['effect'],
    }));
    const classRef = isObj(spec.nodeClassRef) ? String(spec.nodeClassRef.name ?? '') : '';
    const nodeClass = classes.get(classRef);
    const limits = isObj(d.doc.spec?.limits) ? Object.fromEntries(Object.entries(d.doc.spec.limits as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : undefined;
    const weight = d.doc.spec?.weight;
    const hop = nodeClass ? at(nodeClass.doc.spec, 'metadataOptions.httpPutResponseHopLimit') : undefined;
    const roleName = nodeClass ? at(nodeClass.doc.spec, 'role') : undefined;
    const role = typeof roleName === 'string' ? roleByName(src, roleName) : undefined;
    return {
      id: `karpenter:${name}`,
      kind: 'karpenter',
      name,
      labels: sortedLabels(labels),
      taints,
      capacityTypes: [...(labels['karpenter.sh/capacity-type'] ?? [])].sort(),
      instanceTypes: types,
      unknownInstanceTypes: [],
      ...(limits ? { limits } : {}),
      ...(typeof weight === 'number' ? { weight } : {}),
      ...(nodeClass ? { nodeClass: kubeTarget(nodeClass.doc) } : {}),
      securityGroups: nodeClass ? selectGroups(nodeClass, groups) : [],
      subnets: nodeClass ? selectSubnets(nodeClass.doc, subnets) : [],
      ...(role ? { role } : {}),
      ...(typeof hop === 'number' ? { metadataHopLimit: hop } : {}),
      source,
    };
  });
}

/** The security groups an EC2NodeClass's selector terms select (terms are ORed; keys of one term ANDed). */
function selectGroups(nodeClass: { artifact: string; doc: { spec?: Record<string, unknown> } & Parameters<typeof kubeTarget>[0] }, groups: readonly SecurityGroup[]): SecurityGroupRef[] {
  const terms = at(nodeClass.doc.spec, 'securityGroupSelectorTerms');
  const out = new Map<string, SecurityGroupRef>();
  (Array.isArray(terms) ? terms : []).filter(isObj).forEach((term, i) => {
    const source: Source = { artifact: nodeClass.artifact, resource: `${kubeTarget(nodeClass.doc)}#securityGroupSelectorTerms[${i}]` };
    const tags = isObj(term.tags) ? term.tags : undefined;
    for (const g of groups) {
      if (g.vpc !== 'primary') continue;
      const byTags = tags && Object.entries(tags).every(([k, v]) => k in g.tags && (v === '*' || g.tags[k] === v));
      const byName = typeof term.name === 'string' && (g.name === term.name || g.tags['Name'] === term.name);
      const byId = typeof term.id === 'string' && g.id === term.id;
      if ((byTags || byName || byId) && !out.has(g.id)) out.set(g.id, { id: g.id, via: byId ? 'id' : 'selector', source });
    }
  });
  return [...out.values()];
}

/** The subnets an EC2NodeClass's subnetSelectorTerms select (terms ORed; tags of a term ANDed; `*` any value). */
function selectSubnets(nodeClass: { spec?: Record<string, unknown> }, subnets: readonly Subnet[]): string[] {
  const terms = at(nodeClass.spec, 'subnetSelectorTerms');
  const out = new Set<string>();
  for (const term of (Array.isArray(terms) ? terms : []).filter(isObj)) {
    const tags = isObj(term.tags) ? term.tags : undefined;
    for (const s of subnets) {
      if (s.vpc !== 'primary') continue;
      if ((tags && Object.entries(tags).every(([k, v]) => k in s.tags && (v === '*' || s.tags[k] === v))) || (typeof term.id === 'string' && s.id === term.id)) out.add(s.id);
    }
  }
  return [...out];
}
