import { FAMILY_ROWS, INSTANCE_TYPE_ROWS } from './data/instance-types.generated.js';
import { DB_CLASS_ROWS, SERVERLESS_V2_GIB_PER_ACU } from './data/db-classes.generated.js';

/** An EC2 instance family as Karpenter labels it (instance-family, -category, -generation, kubernetes.io/arch). */
export interface InstanceFamilyInfo {
  readonly family: string;
  readonly category: string;
  readonly generation: number;
  readonly architecture: 'amd64' | 'arm64';
}

/**
 * One EC2 instance type of the platform families (t, m, c, r, generation >= 3). vcpu, memory, arch and
 * generation from Karpenter's instance-type reference; enis, ipv4PerEni and branchEnis from Karpenter's
 * zz_generated.vpclimits.go; maxPods from EKS's eni-max-pods.txt (ENIs x (IPv4 per ENI - 1) + 2, the VPC CNI
 * default without prefix delegation). karpenterAllocatable is what Karpenter's reference lists after its
 * AL2023 overhead (kube-reserved, system-reserved, eviction, VM overhead).
 */
export interface InstanceTypeInfo {
  name: string;
  family: string;
  category: string;
  generation: number;
  architecture: 'amd64' | 'arm64';
  vcpu: number;
  memoryMiB: number;
  enis: number;
  ipv4PerEni: number;
  maxPods: number;
  burstable: boolean;
  /** true when the type is missing from eni-max-pods.txt and maxPods is the formula over vpclimits. */
  maxPodsByFormula: boolean;
  branchEnis: number;
  bareMetal: boolean;
  karpenterAllocatable: { cpuMilli: number; memoryMiB: number; pods: number };
}

export const INSTANCE_FAMILY_TABLE: readonly InstanceFamilyInfo[] = FAMILY_ROWS.map(([family, category, generation, arm]) => ({
  family,
  category,
  generation,
  architecture: arm ? 'arm64' : 'amd64',
}));

const familyIndex = new Map(INSTANCE_FAMILY_TABLE.map((f) => [f.family, f]));

export const instanceFamily = (family: string): InstanceFamilyInfo | undefined => familyIndex.get(family);

export const INSTANCE_TYPES: readonly InstanceTypeInfo[] = INSTANCE_TYPE_ROWS.map(
  ([name, vcpu, memoryMiB, enis, ipv4PerEni, maxPods, byFormula, branchEnis, bareMetal, aCpu, aMem, aPods]) => {
    const f = familyIndex.get(name.split('.')[0]!)!;
    return {
      name,
      family: f.family,
      category: f.category,
      generation: f.generation,
      architecture: f.architecture,
      vcpu,
      memoryMiB,
      enis,
      ipv4PerEni,
      maxPods,
      burstable: f.category === 't',
      maxPodsByFormula: byFormula === 1,
      branchEnis,
      bareMetal: bareMetal === 1,
      karpenterAllocatable: { cpuMilli: aCpu, memoryMiB: aMem, pods: aPods },
    };
  },
);

const typeIndex = new Map(INSTANCE_TYPES.map((t) => [t.name, t]));

export const instanceType = (name: string): InstanceTypeInfo | undefined => typeIndex.get(name);

/** The VPC CNI's default max pods (no prefix delegation): ENIs x (IPv4 per ENI - 1) + 2. */
export const eniMaxPods = (t: Pick<InstanceTypeInfo, 'enis' | 'ipv4PerEni'>): number => t.enis * (t.ipv4PerEni - 1) + 2;

export interface DbInstanceClass {
  name: string;
  vcpu: number;
  memoryMiB: number;
  architecture: 'amd64' | 'arm64';
}

/** Aurora db.t and db.r classes (Aurora User Guide, hardware specifications table). db.serverless has no fixed size: see AURORA_SERVERLESS_V2. */
export const DB_INSTANCE_CLASSES: readonly DbInstanceClass[] = DB_CLASS_ROWS.map(([name, vcpu, memoryMiB, arm]) => ({
  name,
  vcpu,
  memoryMiB,
  architecture: arm ? 'arm64' : 'amd64',
}));

const dbIndex = new Map(DB_INSTANCE_CLASSES.map((c) => [c.name, c]));
export const dbInstanceClass = (name: string): DbInstanceClass | undefined => dbIndex.get(name);

/** Aurora Serverless v2 capacity unit: "approximately 2 GiB of memory, corresponding CPU, and networking". */
export const AURORA_SERVERLESS_V2 = { memoryGiBPerAcu: SERVERLESS_V2_GIB_PER_ACU } as const;
