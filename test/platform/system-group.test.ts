/**
 * Issue 14: the system node group holds only what the architecture document puts there
 * (Karpenter, CoreDNS, kube-proxy, VPC CNI and the node DaemonSets) and fits by the model's
 * arithmetic; a workload's pool is a preference (preferred affinity), never a pin; add-on pods
 * follow the add-on's ConfigurationValues.
 */
import { describe, expect, it } from 'vitest';
import { buildPlatform, loadOf } from '../../src/platform/index.js';
import type { Load, Platform, Pod } from '../../src/platform/types.js';
import { EXAMPLE, exampleVariant } from '../helpers.js';
import { editArtifact, emit, platformOf } from './support.js';

const built = emit(EXAMPLE);
const production = platformOf(built, 'production');
const staging = platformOf(built, 'staging');
const pod = (p: Platform, id: string): Pod => {
  const found = p.pods.find((x) => x.id === id);
  if (!found) throw new Error(`no pod ${id}`);
  return found;
};
const productionModel = built.models.find((m) => m.environment.name === 'production')!;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const karpenterValues = built.artifacts.find((a) => a.path === 'helm/production/karpenter.values.yaml')!.data as any;

describe('the system node group', () => {
  for (const [env, platform] of [
    ['production', production],
    ['staging', staging],
  ] as const) {
    it(`${env}: fits by pods, CPU and memory even when every pod that may run there does (pinned, DaemonSets per node, and every shared replica)`, () => {
      const system = platform.nodeKinds.find((n) => n.id === 'managed:system')!;
      const load = loadOf(system, platform.pods);
      expect(load.nodes).toBe(2);
      const shared = load.shared.map((id) => pod(platform, id));
      const worst: Load = {
        pods: load.demand!.pods + shared.reduce((n, p) => n + p.replicas, 0),
        cpuMilli: load.demand!.cpuMilli + shared.reduce((n, p) => n + p.replicas * p.requests.cpuMilli, 0),
        memoryMiB: load.demand!.memoryMiB + shared.reduce((n, p) => n + p.replicas * p.requests.memoryMiB, 0),
      };
      expect(worst.pods, 'pods').toBeLessThanOrEqual(load.capacity!.pods);
      expect(worst.cpuMilli, 'CPU').toBeLessThanOrEqual(load.capacity!.cpuMilli);
      expect(worst.memoryMiB, 'memory').toBeLessThanOrEqual(load.capacity!.memoryMiB);
    });

    it(`${env}: holds Karpenter pinned, CoreDNS shared, and no other Deployment`, () => {
      const load = platform.loads.find((l) => l.nodeKind === 'managed:system')!;
      expect(load.pinned).toEqual(['chart:karpenter/karpenter']);
      expect(load.shared).toEqual(['addon:coredns/coredns']);
      expect(load.daemonSets).toEqual(expect.arrayContaining(['addon:kube-proxy/kube-proxy', 'addon:vpc-cni/aws-node']));
    });
  }

  it('the arithmetic catches the old placement: the ALB controller and metrics-server back on the system group put memory over', () => {
    const sys = karpenterValues.nodeSelector;
    let edited = built.artifacts;
    for (const chart of ['aws-load-balancer-controller', 'metrics-server']) {
      edited = editArtifact(edited, `helm/production/${chart}.values.yaml`, (v) => {
        v.nodeSelector = { ...sys };
        v.tolerations = karpenterValues.tolerations.map((t: object) => ({ ...t }));
      });
    }
    const p = buildPlatform(productionModel, edited);
    const load = p.loads.find((l) => l.nodeKind === 'managed:system')!;
    expect(load.pinned).toHaveLength(3);
    expect(load.demand!.memoryMiB).toBeGreaterThan(load.capacity!.memoryMiB);
  });

  it('the ALB controller and metrics-server run on the platform pool only', () => {
    for (const id of ['chart:aws-load-balancer-controller/aws-load-balancer-controller', 'chart:metrics-server/metrics-server']) {
      expect(pod(production, id).placement, id).toEqual(['karpenter:platform']);
      expect(pod(staging, id).placement, id).toEqual(['karpenter:platform']);
    }
  });
});

describe('add-on ConfigurationValues', () => {
  it('the EBS CSI controller follows controller.nodeSelector / controller.tolerations: the platform pool, never managed:system', () => {
    for (const p of [production, staging]) {
      const controller = pod(p, 'addon:aws-ebs-csi-driver/ebs-csi-controller');
      expect(controller.placement).not.toContain('managed:system');
      expect(controller.placement).toEqual(['karpenter:platform']);
      expect(controller.origins.nodeSelector).toBe('values');
      expect(controller.origins.tolerations).toBe('values');
      expect(controller.tolerations.some((t) => t.key === 'CriticalAddonsOnly')).toBe(false);
      // The node DaemonSet keeps its defaults (tolerates everything): still on every node.
      expect(pod(p, 'addon:aws-ebs-csi-driver/ebs-csi-node').placement).toContain('managed:system');
    }
  });

  it('without ConfigurationValues the EBS CSI controller tolerates CriticalAddonsOnly and may land on the system group', () => {
    const edited = editArtifact(built.artifacts, 'cloudformation/production/cluster.json', (t) => delete t.Resources.AwsEbsCsiDriverAddon.Properties.ConfigurationValues);
    const controller = pod(buildPlatform(productionModel, edited), 'addon:aws-ebs-csi-driver/ebs-csi-controller');
    expect(controller.placement).toContain('managed:system');
    expect(controller.origins.nodeSelector).toBe('addon-manifest');
  });

  it('replicaCount and resources at the component path, top level for coredns; a non-JSON value is a gap', () => {
    const edited = editArtifact(built.artifacts, 'cloudformation/production/cluster.json', (t) => {
      const ebs = t.Resources.AwsEbsCsiDriverAddon.Properties;
      ebs.ConfigurationValues = JSON.stringify({ ...JSON.parse(ebs.ConfigurationValues), node: { resources: { requests: { cpu: '20m', memory: '64Mi' } } } }).replace('"controller":{', '"controller":{"replicaCount":3,');
      t.Resources.CorednsAddon.Properties.ConfigurationValues = JSON.stringify({ replicaCount: 4, nodeSelector: { 'innovate.dev/role': 'system' } });
      t.Resources.KubeProxyAddon.Properties.ConfigurationValues = 'not: json';
    });
    const p = buildPlatform(productionModel, edited);
    const controller = pod(p, 'addon:aws-ebs-csi-driver/ebs-csi-controller');
    expect([controller.replicas, controller.origins.replicas]).toEqual([3, 'values']);
    const node = pod(p, 'addon:aws-ebs-csi-driver/ebs-csi-node');
    expect([node.requests, node.origins.requests]).toEqual([{ cpuMilli: 20, memoryMiB: 64 }, 'values']);
    const coredns = pod(p, 'addon:coredns/coredns');
    expect(coredns.replicas).toBe(4);
    expect(coredns.placement).toEqual(['managed:system']);
    expect(p.gaps.some((g) => g.startsWith('add-on kube-proxy: ConfigurationValues'))).toBe(true);
  });
});

describe('a workload pool is a preference, not a pin', () => {
  it('pool X: preferred affinity (weight 100) to X by karpenter.sh/nodepool, required affinity on role and X architectures', () => {
    const spec = exampleVariant((d) => {
      d.workloads.api.pool = 'spot-x86';
    });
    const variant = emit(spec);
    const model = variant.models.find((m) => m.environment.name === 'production')!;
    const api = model.workloads.find((w) => w.name === 'api')!;
    expect(api.nodeAffinity.preferred).toEqual([{ weight: 100, requirements: [{ key: 'karpenter.sh/nodepool', operator: 'In', values: ['spot-x86'] }] }]);
    expect(api.nodeAffinity.required).toEqual([
      { key: 'innovate.dev/role', operator: 'In', values: ['application'] },
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
    ]);
    // The preference does not narrow placement: the On-Demand baseline still admits it.
    const p = platformOf(variant, 'production');
    expect(pod(p, 'workload:api').placement).toEqual(['karpenter:on-demand-baseline', 'karpenter:spot-x86']);
    expect(pod(p, 'workload:api').nodeSelector).toEqual({});
  });

  it('the example: production api and web may run on the baseline and on Spot x86; staging web only on Graviton Spot', () => {
    for (const id of ['workload:api', 'workload:web', 'job:apps/api-migration']) {
      expect(pod(production, id).placement, id).toEqual(['karpenter:on-demand-baseline', 'karpenter:spot-x86']);
    }
    expect(pod(staging, 'workload:web').placement).toEqual(['karpenter:spot-arm64']);
    expect(pod(staging, 'workload:api').placement).toEqual(['karpenter:spot-x86']);
  });

  it('an arm64 pool: required arch arm64 and the arm64 toleration, so amd64-only pools never admit it', () => {
    const spec = exampleVariant((d) => {
      d.workloads.api.pool = 'spot-arm64';
    });
    const p = platformOf(emit(spec), 'production');
    const api = pod(p, 'workload:api');
    expect(api.nodeAffinity).toEqual([
      [
        { key: 'innovate.dev/role', operator: 'In', values: ['application'] },
        { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] },
        { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
      ],
    ]);
    expect(api.tolerations).toEqual([{ key: 'kubernetes.io/arch', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }]);
    expect(api.placement).toEqual(['karpenter:spot-arm64']);
  });
});
