/**
 * Would each pod find a node? Over the platform model's pods (workloads, every chart's pods with
 * replicas and requests from our values or the pinned chart's defaults, the add-ons' pods from
 * their published manifests) and node kinds (the managed groups, every Karpenter pool with the
 * instance types its requirements admit and what the kubelet leaves of them):
 *   INV102 every pod that is not a DaemonSet may run on some node kind;
 *   INV103 a managed node group holds, at its desired size (nothing scales it), the pods only it can
 *          run, the pods that tolerate its taints (they opted in and may land there), and its
 *          DaemonSets on every node — by pod count (ENI max pods), CPU and memory;
 *   INV104 a pod that only Karpenter pools can run fits on some instance type of one of them beside
 *          that pool's DaemonSets, and a pool's limits hold the pods only it can run.
 */
import { cpuMilli, loadOf, memoryMiB, type Load, type NodeKind, type Platform, type Pod } from '../../platform/index.js';
import type { PolicyFinding, Rule } from '../policies/types.js';

const mi = (n: number) => (n >= 1024 && n % 1024 === 0 ? `${n / 1024}Gi` : `${n}Mi`);
const cpu = (m: number) => (m % 1000 === 0 ? `${m / 1000}` : `${m}m`);
const finding = (rule: string, platform: Platform, at: Pod['source'] | NodeKind['source'], message: string): PolicyFinding => ({
  rule,
  message,
  artifact: at.artifact,
  target: at.resource,
  environment: platform.environment,
  ...(at.specPath ? { specPath: at.specPath } : {}),
});

/** Why a pod may not run on a node kind: the first unmet selector, affinity term or untolerated taint. */
function why(pod: Pod, node: NodeKind): string {
  for (const [k, v] of Object.entries(pod.nodeSelector)) if (!node.labels[k]?.includes(v)) return `no ${k}=${v}`;
  const untolerated = node.taints.filter((t) => t.effect !== 'PreferNoSchedule' && !pod.tolerations.some((x) => (x.operator === 'Exists' ? !x.key || x.key === t.key : x.key === t.key && (x.value ?? '') === (t.value ?? '')) && (!x.effect || x.effect === t.effect)));
  if (untolerated.length > 0) return `taint ${untolerated.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')} not tolerated`;
  return 'required node affinity unmet';
}

export const podsHaveNodes: Rule = {
  id: 'INV102',
  title: 'Every pod has a node kind it may run on',
  principle: 'scheduling',
  severity: 'error',
  hint: 'give the pod a node selector and tolerations some node kind satisfies (a workload: its pool), or add a node pool with those labels and taints',
  help: 'A pod whose node selector, required node affinity or tolerations no node kind satisfies stays Pending: Karpenter provisions only for pods some NodePool can hold. DaemonSets are exempt (a DaemonSet for GPU nodes runs no pod where there is none).',
  check(ctx) {
    return ctx.platforms().flatMap(({ platform }) =>
      platform.pods
        .filter((p) => p.controller !== 'DaemonSet' && p.placement.length === 0)
        .map((p) => finding('INV102', platform, p.source, `${p.id} (${p.namespace}) can run on no node kind: ${platform.nodeKinds.map((n) => `${n.id}: ${why(p, n)}`).join('; ')}`)),
    );
  },
};

const over = (demand: Load, capacity: Load): string[] => {
  const out: string[] = [];
  if (demand.pods > capacity.pods) out.push(`pods ${demand.pods} > ${capacity.pods}`);
  if (demand.cpuMilli > capacity.cpuMilli) out.push(`CPU ${cpu(demand.cpuMilli)} > ${cpu(capacity.cpuMilli)}`);
  if (demand.memoryMiB > capacity.memoryMiB) out.push(`memory ${mi(demand.memoryMiB)} > ${mi(capacity.memoryMiB)}`);
  return out;
};

const tolerated = (pod: Pod, node: NodeKind) => node.taints.some((t) => t.effect !== 'PreferNoSchedule') && pod.placement.includes(node.id);

export const managedGroupsFit: Rule = {
  id: 'INV103',
  title: 'Managed node groups hold what is placed on them',
  principle: 'scheduling',
  severity: 'error',
  hint: 'move pods that need not be there to a Karpenter pool (their node selector and tolerations), or raise the group\'s desired size or instance type',
  help: 'Nothing scales a managed node group here (Karpenter scales only its pools), so its desired size must hold the pods only it can run, the pods that tolerate its taints, and one of each DaemonSet per node: by pod count (the ENI formula, max pods per node), by allocatable CPU and by allocatable memory of its smallest instance type (capacity less kube-reserved, the eviction threshold and the hypervisor share).',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const { platform } of ctx.platforms()) {
      for (const node of platform.nodeKinds) {
        const smallest = node.instanceTypes[0];
        if (node.kind !== 'managed' || !node.size || !smallest) continue;
        const load = loadOf(node, platform.pods);
        const nodes = node.size.desired;
        const byId = new Map(platform.pods.map((p) => [p.id, p]));
        const optedIn = load.shared.map((id) => byId.get(id)!).filter((p) => tolerated(p, node));
        const placed = [...load.pinned.map((id) => byId.get(id)!), ...optedIn];
        const demand = placed.reduce((a, p) => ({ pods: a.pods + p.replicas, cpuMilli: a.cpuMilli + p.requests.cpuMilli * p.replicas, memoryMiB: a.memoryMiB + p.requests.memoryMiB * p.replicas }), {
          pods: load.daemonSetsPerNode.pods * nodes,
          cpuMilli: load.daemonSetsPerNode.cpuMilli * nodes,
          memoryMiB: load.daemonSetsPerNode.memoryMiB * nodes,
        });
        const capacity: Load = { pods: smallest.maxPods * nodes, cpuMilli: smallest.allocatable.cpuMilli * nodes, memoryMiB: smallest.allocatable.memoryMiB * nodes };
        const excess = over(demand, capacity);
        if (excess.length > 0) {
          out.push(
            finding('INV103', platform, node.source, `${node.id} (${nodes} × ${smallest.instanceType}, ${smallest.maxPods} pods, ${cpu(smallest.allocatable.cpuMilli)} CPU, ${mi(smallest.allocatable.memoryMiB)} allocatable each) is overcommitted: ${excess.join(', ')}; it holds ${placed.map((p) => `${p.id} ×${p.replicas}`).join(', ')} and ${load.daemonSets.length} DaemonSets per node`),
          );
        }
        const room = { cpuMilli: smallest.allocatable.cpuMilli - load.daemonSetsPerNode.cpuMilli, memoryMiB: smallest.allocatable.memoryMiB - load.daemonSetsPerNode.memoryMiB };
        for (const p of placed) {
          if (p.requests.cpuMilli > room.cpuMilli || p.requests.memoryMiB > room.memoryMiB) {
            out.push(finding('INV103', platform, p.source, `${p.id} requests ${cpu(p.requests.cpuMilli)} CPU and ${mi(p.requests.memoryMiB)}, more than a ${smallest.instanceType} of ${node.id} has beside its DaemonSets (${cpu(room.cpuMilli)} CPU, ${mi(room.memoryMiB)})`));
          }
        }
      }
    }
    return out;
  },
};

export const poolsFit: Rule = {
  id: 'INV104',
  title: 'Karpenter pools can launch a node for every pod they must hold',
  principle: 'scheduling',
  severity: 'error',
  hint: 'widen the pool (instance categories, generation, families) or its limits, or lower the pod\'s requests',
  help: 'A pod only Karpenter pools can run needs an instance type of one of those pools whose allocatable CPU, memory and max pods hold it beside the DaemonSets that land on every node of that pool; and the pods only one pool can run must fit in that pool\'s limits, or the rest stay Pending.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const { platform } of ctx.platforms()) {
      const kinds = new Map(platform.nodeKinds.map((n) => [n.id, n]));
      const loads = new Map(platform.nodeKinds.map((n) => [n.id, loadOf(n, platform.pods)]));
      for (const p of platform.pods) {
        if (p.controller === 'DaemonSet' || p.placement.length === 0) continue;
        const nodes = p.placement.map((id) => kinds.get(id)!);
        if (nodes.some((n) => n.kind === 'managed')) continue;
        const fits = nodes.some((n) => {
          const ds = loads.get(n.id)!.daemonSetsPerNode;
          return n.instanceTypes.some((t) => t.maxPods > ds.pods && t.allocatable.cpuMilli - ds.cpuMilli >= p.requests.cpuMilli && t.allocatable.memoryMiB - ds.memoryMiB >= p.requests.memoryMiB);
        });
        if (!fits) out.push(finding('INV104', platform, p.source, `${p.id} (${cpu(p.requests.cpuMilli)} CPU, ${mi(p.requests.memoryMiB)}) fits on no instance type of ${nodes.map((n) => `${n.id} (largest ${n.instanceTypes.at(-1)?.instanceType ?? 'none'})`).join(', ')} beside its DaemonSets`));
      }
      for (const n of platform.nodeKinds) {
        if (n.kind !== 'karpenter' || !n.limits) continue;
        const load = loads.get(n.id)!;
        const limitCpu = n.limits.cpu !== undefined ? cpuMilli(n.limits.cpu) : undefined;
        const limitMem = n.limits.memory !== undefined ? memoryMiB(n.limits.memory) : undefined;
        // Limits count whole nodes' capacity; the pinned pods plus one node's DaemonSets is the least they take.
        const need = { cpuMilli: load.pinnedTotal.cpuMilli + load.daemonSetsPerNode.cpuMilli, memoryMiB: load.pinnedTotal.memoryMiB + load.daemonSetsPerNode.memoryMiB };
        const excess = [
          ...(limitCpu !== undefined && need.cpuMilli > limitCpu ? [`CPU ${cpu(need.cpuMilli)} > limit ${n.limits.cpu}`] : []),
          ...(limitMem !== undefined && need.memoryMiB > limitMem ? [`memory ${mi(need.memoryMiB)} > limit ${n.limits.memory}`] : []),
        ];
        if (excess.length > 0) out.push(finding('INV104', platform, n.source, `the pods only ${n.id} can run need more than its limits: ${excess.join(', ')}`));
      }
    }
    return out;
  },
};
