/**
 * What a node leaves for pods, and Kubernetes quantities as numbers.
 *
 * Allocatable = capacity − kube-reserved − hard eviction threshold, as the EKS AL2023 AMI
 * configures the kubelet (nodeadm sets kubeReserved and no systemReserved):
 *   - kube-reserved memory = 255 MiB + 11 MiB × maxPods
 *   - kube-reserved CPU = 6 % of the first core + 1 % of the second + 0.5 % of cores 3-4
 *     + 0.25 % of every core above 4
 *   - evictionHard memory.available = 100Mi
 * Source: awslabs/amazon-eks-ami, nodeadm/internal/kubelet/config.go (defaultKubeletSubConfig's
 * EvictionHard, withDefaultReservedResources, getCPUMillicoresToReserve,
 * getMemoryMebibytesToReserve), read at commit e48b98ad65e761801e76fefe006ca884352841d0.
 *
 * Capacity memory is the EC2 figure less the hypervisor's share, which Karpenter estimates as
 * 7.5 % (its VM_MEMORY_OVERHEAD_PERCENT setting, default 0.075, aws/karpenter-provider-aws
 * pkg/operator/options): the kubelet reports less memory than EC2 sells. The same estimate is
 * used for managed nodes so both kinds of node are measured alike.
 */
import type { InstanceTypeInfo } from '../inventory/index.js';
import type { InstanceCapacity, Resources } from './types.js';

export const EVICTION_HARD_MEMORY_MIB = 100;
export const VM_MEMORY_OVERHEAD = 0.075;

/** [start, end, basis points] of the CPU ranges, in millicores; the last range is open. */
const CPU_RANGES: readonly (readonly [number, number, number])[] = [
  [0, 1000, 600],
  [1000, 2000, 100],
  [2000, 4000, 50],
  [4000, Infinity, 25],
];

/** kube-reserved CPU in millicores for a number of vCPUs. */
export function kubeReservedCpuMilli(vcpu: number): number {
  const total = vcpu * 1000;
  let reserved = 0;
  for (const [start, end, basisPoints] of CPU_RANGES) {
    if (total <= start) break;
    reserved += ((Math.min(total, end) - start) * basisPoints) / 10000;
  }
  return Math.floor(reserved);
}

export const kubeReservedMemoryMiB = (maxPods: number): number => 255 + 11 * maxPods;

const capacities = new Map<string, InstanceCapacity>();

/** Capacity and allocatable of an instance type (kept per type: every node kind of every environment shares them). */
export function capacityOf(t: InstanceTypeInfo): InstanceCapacity {
  let c = capacities.get(t.name);
  if (c) return c;
  const kubeReserved: Resources = { cpuMilli: kubeReservedCpuMilli(t.vcpu), memoryMiB: kubeReservedMemoryMiB(t.maxPods) };
  const memory = Math.floor(t.memoryMiB * (1 - VM_MEMORY_OVERHEAD));
  c = {
    instanceType: t.name,
    architecture: t.architecture,
    vcpu: t.vcpu,
    memoryMiB: t.memoryMiB,
    maxPods: t.maxPods,
    kubeReserved,
    allocatable: { cpuMilli: t.vcpu * 1000 - kubeReserved.cpuMilli, memoryMiB: Math.max(0, memory - kubeReserved.memoryMiB - EVICTION_HARD_MEMORY_MIB) },
  };
  capacities.set(t.name, c);
  return c;
}

const MEMORY_UNITS: Readonly<Record<string, number>> = {
  '': 1 / (1024 * 1024),
  k: 1000 / (1024 * 1024),
  M: 1e6 / (1024 * 1024),
  G: 1e9 / (1024 * 1024),
  T: 1e12 / (1024 * 1024),
  Ki: 1 / 1024,
  Mi: 1,
  Gi: 1024,
  Ti: 1024 * 1024,
};

/** A memory quantity in MiB (rounded up); undefined when it is not one. */
export function memoryMiB(q: unknown): number | undefined {
  if (typeof q === 'number') return Math.ceil(q / (1024 * 1024));
  if (typeof q !== 'string') return undefined;
  const m = /^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T|)$/.exec(q.trim());
  if (!m) return undefined;
  return Math.ceil(Number(m[1]) * MEMORY_UNITS[m[2]!]!);
}

/** A CPU quantity in millicores; undefined when it is not one. */
export function cpuMilli(q: unknown): number | undefined {
  if (typeof q === 'number') return Math.round(q * 1000);
  if (typeof q !== 'string') return undefined;
  const m = /^([0-9.]+)(m?)$/.exec(q.trim());
  if (!m) return undefined;
  return m[2] ? Math.round(Number(m[1])) : Math.round(Number(m[1]) * 1000);
}
