/**
 * buildPlatform(model, artifacts): the deployed platform of one environment. Pure and
 * deterministic: the same model and artifacts give the same platform, in a fixed order (node
 * kinds managed first then by name, pods by id, facts in template and logical-id order).
 * Reads the artifacts' data (what the emitters handed over); artifacts without data are parsed.
 */
import type { Model } from '../compiler/model.js';
import type { Artifact } from '../emitters/artifact.js';
import { ciBuilds, databaseUsers, repositories } from './first-deploy.js';
import { networkGraph } from './network.js';
import { karpenterNodeKinds, managedNodeKinds, type InstanceTypeDetail } from './nodes.js';
import { buildPods } from './pods.js';
import { principals as buildPrincipals } from './principals.js';
import { indexSources } from './sources.js';
import type { Load, NodeKind, NodeLoad, Platform, Pod } from './types.js';

const ZERO: Load = { pods: 0, cpuMilli: 0, memoryMiB: 0 };
const add = (a: Load, pod: Pod, times: number): Load => ({ pods: a.pods + times, cpuMilli: a.cpuMilli + pod.requests.cpuMilli * times, memoryMiB: a.memoryMiB + pod.requests.memoryMiB * times });

export function loadOf(node: NodeKind, pods: readonly Pod[]): NodeLoad {
  const here = pods.filter((p) => p.placement.includes(node.id));
  const daemonSets = here.filter((p) => p.controller === 'DaemonSet');
  const pinned = here.filter((p) => p.controller !== 'DaemonSet' && p.placement.length === 1);
  const shared = here.filter((p) => p.controller !== 'DaemonSet' && p.placement.length > 1);
  const daemonSetsPerNode = daemonSets.reduce((acc, p) => add(acc, p, 1), ZERO);
  const pinnedTotal = pinned.reduce((acc, p) => add(acc, p, p.replicas), ZERO);
  const smallest = node.instanceTypes[0];
  const nodes = node.size?.desired;
  const known =
    nodes !== undefined && smallest
      ? {
          nodes,
          demand: { pods: pinnedTotal.pods + daemonSetsPerNode.pods * nodes, cpuMilli: pinnedTotal.cpuMilli + daemonSetsPerNode.cpuMilli * nodes, memoryMiB: pinnedTotal.memoryMiB + daemonSetsPerNode.memoryMiB * nodes },
          capacity: { pods: smallest.maxPods * nodes, cpuMilli: smallest.allocatable.cpuMilli * nodes, memoryMiB: smallest.allocatable.memoryMiB * nodes },
        }
      : {};
  return { nodeKind: node.id, pinned: pinned.map((p) => p.id), daemonSets: daemonSets.map((p) => p.id), shared: shared.map((p) => p.id), daemonSetsPerNode, pinnedTotal, ...known };
}

/**
 * The platform of `model`'s environment from the artifacts emitted for it (CloudFormation,
 * Kubernetes and Helm values; other artifacts and other environments' are ignored).
 */
export interface BuildOptions {
  /** Instance types kept per Karpenter node kind: every one (rules, cost) or the smallest and largest (diagrams). @default 'all' */
  readonly instanceTypes?: InstanceTypeDetail;
}

const withBuilds = (builds: ReturnType<typeof ciBuilds>) => (builds ? { ciBuilds: builds } : {});

export function buildPlatform(model: Model, artifacts: readonly Artifact[], options: BuildOptions = {}): Platform {
  const env = model.environment.name;
  const src = indexSources(artifacts, env);
  const gaps: string[] = [];
  const network = networkGraph(model, src);
  const managed = managedNodeKinds(model, src);
  const karpenter = karpenterNodeKinds(model, src, network.securityGroups, network.subnets, options.instanceTypes).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const nodeKinds = [...managed, ...karpenter];
  for (const n of nodeKinds) {
    for (const t of n.unknownInstanceTypes) gaps.push(`node kind ${n.id}: instance type ${t} is not in the inventory`);
    if (n.kind === 'karpenter' && n.instanceTypes.length === 0) gaps.push(`node kind ${n.id}: the requirements select no instance type of the inventory`);
  }
  const principals = buildPrincipals(model, src, artifacts);
  const pods = buildPods(model, src, nodeKinds, principals.podIdentities, gaps);
  return {
    environment: env,
    accountId: model.environment.accountId,
    region: model.environment.region,
    cluster: model.cluster.name,
    nodeKinds,
    pods,
    loads: nodeKinds.map((n) => loadOf(n, pods)),
    network,
    principals,
    databaseUsers: databaseUsers(model, src, pods),
    repositories: repositories(src),
    ...withBuilds(ciBuilds(artifacts)),
    gaps: [...new Set(gaps)].sort(),
  };
}
