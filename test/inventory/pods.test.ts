import { describe, expect, it } from 'vitest';
import { ADDON_PODS, CHART_POD_DEFAULTS } from '../../src/inventory/index.js';

const pod = (addon: string, component: string) => ADDON_PODS[addon]!.find((p) => p.component === component)!;

describe('EKS add-on pods', () => {
  it('covers every add-on the spec enables by default', () => {
    expect(Object.keys(ADDON_PODS).sort()).toEqual(['amazon-cloudwatch-observability', 'aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
  });

  it.each([
    // addon, component, workload, replicas, cpu milli, memory MiB
    ['coredns', 'coredns', 'Deployment', 2, 100, 70],
    ['kube-proxy', 'kube-proxy', 'DaemonSet', 1, 100, 0],
    ['vpc-cni', 'aws-node', 'DaemonSet', 1, 50, 0],
    ['aws-ebs-csi-driver', 'ebs-csi-controller', 'Deployment', 2, 60, 232],
    ['aws-ebs-csi-driver', 'ebs-csi-node', 'DaemonSet', 1, 30, 104],
    ['eks-pod-identity-agent', 'eks-pod-identity-agent', 'DaemonSet', 1, 0, 0],
    ['amazon-cloudwatch-observability', 'cloudwatch-agent', 'DaemonSet', 1, 250, 128],
    ['amazon-cloudwatch-observability', 'fluent-bit', 'DaemonSet', 1, 50, 25],
    ['amazon-cloudwatch-observability', 'amazon-cloudwatch-observability-controller-manager', 'Deployment', 1, 100, 64],
  ] as const)('%s/%s: %s x%i, %im CPU, %i MiB', (addon, component, workload, replicas, cpuMilli, memoryMiB) => {
    expect(pod(addon, component)).toMatchObject({ workload, replicas, requests: { cpuMilli, memoryMiB } });
  });

  it('node agents tolerate every taint; CoreDNS only CriticalAddonsOnly and the control plane', () => {
    for (const [a, c] of [['vpc-cni', 'aws-node'], ['eks-pod-identity-agent', 'eks-pod-identity-agent'], ['aws-ebs-csi-driver', 'ebs-csi-node'], ['amazon-cloudwatch-observability', 'cloudwatch-agent']] as const) {
      expect(pod(a, c).tolerations).toContainEqual({ operator: 'Exists' });
    }
    expect(pod('coredns', 'coredns').tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'CriticalAddonsOnly', operator: 'Exists' }]);
  });

  it('the GPU and Neuron exporters are pinned to accelerator instance types by required affinity', () => {
    for (const c of ['dcgm-exporter', 'neuron-monitor']) {
      const terms = pod('amazon-cloudwatch-observability', c).nodeAffinity!;
      const types = terms.flatMap((t) => t.filter((e) => e.key === 'node.kubernetes.io/instance-type').flatMap((e) => e.values));
      expect(types.length).toBeGreaterThan(0);
      expect(types.some((t) => /^[tmcr]\d/.test(t))).toBe(false);
    }
  });
});

describe('chart pods from the pinned defaults', () => {
  it('has every platform chart', () => {
    expect(Object.keys(CHART_POD_DEFAULTS).sort()).toEqual(['argo-cd', 'aws-load-balancer-controller', 'external-dns', 'external-secrets', 'gatekeeper', 'karpenter', 'kube-prometheus-stack', 'metrics-server', 'policy-controller']);
  });

  it.each([
    // chart, component, valuesPath, workload, replicas, cpu, memory
    ['karpenter', 'karpenter', '', 'Deployment', 2, 0, 0],
    ['aws-load-balancer-controller', 'aws-load-balancer-controller', '', 'Deployment', 2, 0, 0],
    ['metrics-server', 'metrics-server', '', 'Deployment', 1, 100, 200],
    // external-dns sets no requests by default (resources: {}) and its Deployment template fixes replicas: 1
    ['external-dns', 'external-dns', '', 'Deployment', 1, 0, 0],
    ['gatekeeper', 'gatekeeper-controller-manager', 'controllerManager', 'Deployment', 3, 100, 512],
    ['gatekeeper', 'gatekeeper-audit', 'audit', 'Deployment', 1, 100, 512],
    ['argo-cd', 'argocd-application-controller', 'controller', 'StatefulSet', 1, 0, 0],
    ['policy-controller', 'policy-controller-webhook', 'webhook', 'Deployment', 1, 100, 128],
    ['kube-prometheus-stack', 'prometheus', 'prometheus.prometheusSpec', 'StatefulSet', 1, 0, 0],
    ['kube-prometheus-stack', 'node-exporter', 'prometheus-node-exporter', 'DaemonSet', 1, 0, 0],
  ] as const)('%s/%s at %s: %s x%i, %im CPU, %i MiB', (chart, component, valuesPath, workload, replicas, cpuMilli, memoryMiB) => {
    const f = CHART_POD_DEFAULTS[chart]!.find((p) => p.component === component)!;
    expect(f).toMatchObject({ valuesPath, workload, replicas, requests: { cpuMilli, memoryMiB } });
  });

  it('reads Karpenter placement from its defaults: CriticalAddonsOnly toleration, linux, never on a Karpenter node', () => {
    const k = CHART_POD_DEFAULTS.karpenter![0]!;
    expect(k.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists' }]);
    expect(k.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(k.nodeAffinity).toEqual([[{ key: 'karpenter.sh/nodepool', operator: 'DoesNotExist', values: [] }]]);
    expect(k.valuesPaths.resources).toEqual(['controller.resources']);
  });

  it('argo-cd components fall back to global.nodeSelector', () => {
    for (const p of CHART_POD_DEFAULTS['argo-cd']!) {
      expect(p.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
      expect(p.valuesPaths.nodeSelector.at(-1)).toBe('global.nodeSelector');
    }
  });
});
