/**
 * Known facts of the example's production platform, as a table, and the builder's reactions to
 * edited artifacts (a launch template without security groups, a node class that selects only
 * the discovery tag): the model reads what is emitted, not what we meant.
 */
import { describe, expect, it } from 'vitest';
import { instanceType } from '../../src/inventory/index.js';
import { buildPlatform, capacityOf, CLUSTER_SG, fits, kubeReservedCpuMilli, securityGroupsAllow } from '../../src/platform/index.js';
import type { Platform } from '../../src/platform/types.js';
import { EXAMPLE } from '../helpers.js';
import { editArtifact, emit, platformOf } from './support.js';

const built = emit(EXAMPLE);
const production = platformOf(built, 'production');
const staging = platformOf(built, 'staging');
const APP_SG = 'cloudformation/production/network.json#AppSecurityGroup';
const ALB_SG = 'cloudformation/production/network.json#AlbSecurityGroup';
const DB_SG = 'cloudformation/production/network.json#DbSecurityGroup';
const node = (p: Platform, id: string) => p.nodeKinds.find((n) => n.id === id)!;
const pod = (p: Platform, id: string) => p.pods.find((x) => x.id === id)!;

describe('capacity', () => {
  it.each([
    [1, 60],
    [2, 70],
    [4, 80],
    [8, 90],
    [16, 110],
    [96, 310],
  ])('kube-reserved CPU of %i vCPU is %im (EKS AMI ranges 6 %, 1 %, 0.5 %, 0.25 %)', (vcpu, milli) => {
    expect(kubeReservedCpuMilli(vcpu)).toBe(milli);
  });

  it('t3.small: 11 max pods (ENI formula 3 × (4 − 1) + 2), 376Mi kube-reserved, about 1.4 GiB allocatable', () => {
    const c = capacityOf(instanceType('t3.small')!);
    expect(c.maxPods).toBe(11);
    expect(c.kubeReserved).toEqual({ cpuMilli: 70, memoryMiB: 255 + 11 * 11 });
    // 2048 MiB less the 7.5 % VM overhead (1894), less kube-reserved (376) and eviction (100).
    expect(c.allocatable).toEqual({ cpuMilli: 1930, memoryMiB: 1418 });
  });
});

describe('the example in production', () => {
  it('has the managed system group and one node kind per Karpenter pool', () => {
    expect(production.nodeKinds.map((n) => n.id)).toEqual(['managed:system', 'karpenter:on-demand-baseline', 'karpenter:platform', 'karpenter:spot-arm64', 'karpenter:spot-x86']);
    expect(staging.nodeKinds.map((n) => n.id)).toEqual(['managed:system', 'karpenter:platform', 'karpenter:spot-arm64', 'karpenter:spot-x86']);
  });

  it('system group: t3.small × 2, the CriticalAddonsOnly taint, the spec line of cluster.systemNodeGroup', () => {
    const system = node(production, 'managed:system');
    expect(system.instanceTypes.map((t) => [t.instanceType, t.maxPods])).toEqual([['t3.small', 11]]);
    expect(system.size).toEqual({ min: 2, desired: 2, max: 3 });
    expect(system.taints).toEqual([{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }]);
    expect(system.labels['innovate.dev/role']).toEqual(['system']);
    expect(system.source).toEqual({ artifact: 'cloudformation/production/cluster.json', resource: 'SystemNodeGroup', specPath: ['cluster', 'systemNodeGroup'] });
  });

  it('system group security groups: the launch template names the cluster group and the App group (read across stacks through SSM)', () => {
    expect(node(production, 'managed:system').securityGroups.map((g) => [g.id, g.via])).toEqual([
      [CLUSTER_SG, 'launch-template'],
      [APP_SG, 'launch-template'],
    ]);
  });

  it('Karpenter nodes get exactly what the EC2NodeClass selectors select', () => {
    for (const n of production.nodeKinds.filter((k) => k.kind === 'karpenter')) {
      expect(n.securityGroups.map((g) => g.id).sort(), n.id).toEqual([APP_SG, CLUSTER_SG].sort());
      expect(n.securityGroups.every((g) => g.via === 'selector' && g.source.artifact === 'kubernetes/production/04-karpenter.yaml')).toBe(true);
    }
  });

  it('pods pinned to the system group: the charts the values pin there (Karpenter only)', () => {
    const load = production.loads.find((l) => l.nodeKind === 'managed:system')!;
    expect(load.pinned).toEqual(['chart:karpenter/karpenter']);
    expect(load.pinned.some((id) => id.startsWith('workload:'))).toBe(false);
    expect(load.nodes).toBe(2);
    expect(load.capacity?.pods).toBe(22);
    expect(load.demand!.pods).toBe(load.pinnedTotal.pods + 2 * load.daemonSetsPerNode.pods);
  });

  it('add-on DaemonSets with a required affinity run only where it matches (dcgm-exporter and neuron-monitor: GPU and Neuron types)', () => {
    for (const id of ['addon:amazon-cloudwatch-observability/dcgm-exporter', 'addon:amazon-cloudwatch-observability/neuron-monitor']) {
      const gpu = pod(production, id);
      expect(gpu.nodeAffinity?.length).toBeGreaterThan(0);
      expect(gpu.placement).not.toContain('managed:system');
      expect(gpu.placement).not.toContain('karpenter:spot-x86');
    }
    expect(pod(production, 'addon:kube-proxy/kube-proxy').placement).toContain('managed:system');
  });

  it('workloads run on the application pools of their pool architectures (the pool is a preference), with requests from the spec', () => {
    const api = pod(production, 'workload:api');
    expect(api.placement).toEqual(['karpenter:on-demand-baseline', 'karpenter:spot-x86']);
    expect(pod(staging, 'workload:api').placement).toEqual(['karpenter:spot-x86']);
    expect(api.requests).toEqual({ cpuMilli: 250, memoryMiB: 256 });
    expect(api.replicas).toBe(2);
    expect(api.source.specPath).toEqual(['workloads', 'api']);
    expect(pod(staging, 'workload:web').placement).toEqual(['karpenter:spot-arm64']);
  });

  it('identities: each workload runs as its Pod Identity role', () => {
    expect(pod(production, 'workload:api').identity).toMatchObject({ namespace: 'apps', serviceAccount: 'api', role: 'cloudformation/production/cluster.json#WorkloadApiRole', via: 'pod-identity' });
    const role = production.principals.roles.find((r) => r.id === 'cloudformation/production/cluster.json#WorkloadApiRole')!;
    expect(role.arn).toBe('arn:aws:iam::200000000002:role/innovate-production-wl-api');
    expect(role.trust[0]?.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
  });

  it('principals: customer managed policies are attached to their roles; access entries name the teams', () => {
    const karpenter = production.principals.roles.find((r) => r.name === 'innovate-production-karpenter')!;
    expect(karpenter.permissions.flatMap((p) => p.statements).length).toBeGreaterThan(5);
    const node = production.principals.roles.find((r) => r.name === 'innovate-production-karpenter-node')!;
    expect(node.managedPolicyArns).toContain('arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy');
    const platformTeam = production.principals.accessEntries.find((a) => a.source.resource === 'TeamPlatformAccessEntry')!;
    expect(platformTeam.principal).toBe('cloudformation/production/cluster.json#TeamPlatformRole'); // the team role of permission set operators, created by cluster.json
    expect(platformTeam.source.specPath).toEqual(['teams', 'platform']);
    expect(production.principals.accessEntries.find((a) => a.type === 'EC2_LINUX')?.principal).toBe('cloudformation/production/karpenter.json#KarpenterNodeRole'); // karpenter.json's entry resolves to its own role
  });

  it('network: security-group rules both ways, NACLs and route tables per tier, the S3 gateway route, NetworkPolicies', () => {
    const net = production.network;
    expect(securityGroupsAllow(net, { groups: [ALB_SG] }, { groups: [APP_SG] }, 'tcp', 5000).allowed).toBe(true);
    expect(securityGroupsAllow(net, { groups: [APP_SG] }, { groups: [DB_SG] }, 'tcp', 5432).allowed).toBe(true);
    expect(securityGroupsAllow(net, { groups: [ALB_SG] }, { groups: [DB_SG] }, 'tcp', 5432).allowed).toBe(false);
    expect(securityGroupsAllow(net, { groups: [APP_SG] }, { groups: [APP_SG] }, 'tcp', 10250).allowed).toBe(false);
    expect(securityGroupsAllow(net, { groups: [CLUSTER_SG] }, { groups: [CLUSTER_SG] }, 'tcp', 10250).allowed).toBe(true);
    const primary = net.subnets.filter((s) => s.vpc === 'primary');
    expect(new Set(primary.map((s) => s.tier))).toEqual(new Set(['public', 'private', 'isolated']));
    for (const s of primary) {
      expect(net.nacls.find((n) => n.id === s.nacl)?.isDefault, s.id).toBe(false);
      expect(net.routeTables.some((t) => t.id === s.routeTable), s.id).toBe(true);
    }
    const privateTable = net.routeTables.find((t) => t.id === primary.find((s) => s.tier === 'private')!.routeTable)!;
    expect(privateTable.routes.map((r) => r.target.kind)).toEqual(['local', 'nat-gateway', 'gateway-endpoint']);
    expect(net.endpoints.map((e) => e.service).sort()).toEqual(['ecr.api', 'ecr.dkr', 'logs', 'monitoring', 's3', 'sts']);
    expect(net.networkPolicies.some((np) => np.namespace === 'apps' && np.name === 'default-deny' && np.policyTypes.length === 2)).toBe(true);
    expect(net.controlPlaneSecurityGroups).toEqual([CLUSTER_SG]);
  });

  it('every fact names an artifact that was emitted', () => {
    const paths = new Set(built.artifacts.map((a) => a.path));
    const sources = [...production.nodeKinds.map((n) => n.source), ...production.pods.map((p) => p.source), ...production.network.rules.map((r) => r.source), ...production.principals.roles.map((r) => r.source)];
    for (const s of sources) expect(paths.has(s.artifact), JSON.stringify(s)).toBe(true);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(platformOf(emit(EXAMPLE), 'production'))).toBe(JSON.stringify(production));
  });
});

describe('the model follows the artifacts', () => {
  it('a launch template without security groups: EKS attaches the cluster security group', () => {
    const edited = editArtifact(built.artifacts, 'cloudformation/production/cluster.json', (t) => delete t.Resources.SystemLaunchTemplate.Properties.LaunchTemplateData.SecurityGroupIds);
    const p = buildPlatform(built.models.find((m) => m.environment.name === 'production')!, edited);
    expect(node(p, 'managed:system').securityGroups.map((g) => [g.id, g.via])).toEqual([[CLUSTER_SG, 'eks-implicit']]);
  });

  it('a node class that selects only the discovery tag: Karpenter nodes lose the cluster security group', () => {
    const edited = editArtifact(built.artifacts, 'kubernetes/production/04-karpenter.yaml', (docs) => {
      const nodeClass = docs.find((d: { kind: string }) => d.kind === 'EC2NodeClass');
      nodeClass.spec.securityGroupSelectorTerms = nodeClass.spec.securityGroupSelectorTerms.slice(0, 1);
    });
    const p = buildPlatform(built.models.find((m) => m.environment.name === 'production')!, edited);
    expect(node(p, 'karpenter:spot-x86').securityGroups.map((g) => g.id)).toEqual([APP_SG]);
  });

  it('a pod that stops tolerating a taint loses that node kind', () => {
    const edited = editArtifact(built.artifacts, 'helm/production/karpenter.values.yaml', (v) => {
      v.tolerations = [];
      if (v.controller) delete v.controller.tolerations;
    });
    const p = buildPlatform(built.models.find((m) => m.environment.name === 'production')!, edited);
    expect(p.pods.filter((x) => x.owner === 'karpenter').every((x) => !x.placement.includes('managed:system'))).toBe(true);
  });
});

describe('fits', () => {
  const system = { labels: { role: ['system'], 'kubernetes.io/arch': ['amd64'] }, taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' as const }] };
  const both = { labels: { 'kubernetes.io/arch': ['amd64', 'arm64'] }, taints: [{ key: 'arm', effect: 'PreferNoSchedule' as const }] };
  it.each([
    ['selector and toleration', { nodeSelector: { role: 'system' }, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] }, system, true],
    ['no toleration', { nodeSelector: { role: 'system' }, tolerations: [] }, system, false],
    ['wrong value', { nodeSelector: {}, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Equal', value: 'false' }] }, system, false],
    ['tolerate everything', { nodeSelector: {}, tolerations: [{ operator: 'Exists' }] }, system, true],
    ['Exists on the key', { nodeSelector: {}, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] }, system, true],
    ['selector not met', { nodeSelector: { role: 'app' }, tolerations: [{ operator: 'Exists' }] }, system, false],
    ['one of several label values', { nodeSelector: { 'kubernetes.io/arch': 'arm64' }, tolerations: [] }, both, true],
    ['required affinity', { nodeSelector: {}, tolerations: [], nodeAffinity: [[{ key: 'kubernetes.io/arch', operator: 'In', values: ['s390x'] }]] }, both, false],
  ])('%s', (_name, pod, n, expected) => {
    expect(fits(pod, n)).toBe(expected);
  });
});
