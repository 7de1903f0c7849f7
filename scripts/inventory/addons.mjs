// Pods of the EKS add-ons (ADDON_PODS), from the vendored manifests and, for amazon-cloudwatch-observability
// (whose add-on configuration follows its Helm chart), from the chart's vendored values.yaml.
import { parse } from 'yaml';
import { manifestWorkloads, podFromValues, podFromWorkload } from './pods.mjs';

/** Add-on name (as in the spec) -> the vendored manifests (inventory-relative) its pods are read from. */
export const ADDON_MANIFESTS = {
  coredns: [['eksctl/coredns-1.35.json', 'eksctl pkg/addons/default/assets/coredns-1.35.json @ 99984adb (EKS coredns v1.14.3-eksbuild.11, Kubernetes 1.35)']],
  'kube-proxy': [['eksctl/sample-old-kube-proxy-amd.json', 'eksctl pkg/addons/default/testdata/sample-old-kube-proxy-amd.json @ 99984adb (an EKS kube-proxy DaemonSet, image v1.15.11)']],
  'vpc-cni': [['amazon-vpc-cni-k8s/aws-k8s-cni.yaml', 'amazon-vpc-cni-k8s config/master/aws-k8s-cni.yaml v1.23.1 @ b5218838']],
  'aws-ebs-csi-driver': [
    ['aws-ebs-csi-driver/controller.yaml', 'aws-ebs-csi-driver deploy/kubernetes/base/controller.yaml v1.64.0 @ 429e202e'],
    ['aws-ebs-csi-driver/node.yaml', 'aws-ebs-csi-driver deploy/kubernetes/base/node.yaml v1.64.0 @ 429e202e'],
  ],
  'eks-pod-identity-agent': [
    ['eks-pod-identity-agent/expected_eks_pod_identity_agent_default_helm_template.yaml', 'eks-pod-identity-agent hack/testdata/expected_eks_pod_identity_agent_default_helm_template.yaml v0.1.37 @ d4dc0f3f'],
  ],
};

const CWO = 'amazon-cloudwatch-observability values.yaml chart 6.4.0 @ 71a298ff';

/**
 * amazon-cloudwatch-observability: what templates/ of chart 6.4.0 render with the default values
 * (otelContainerInsights.enabled false, so no kube-state-metrics, node-exporter or cluster scraper;
 * tolerations: a component's own `tolerations` key when present, else the root `tolerations`).
 */
export const CLOUDWATCH_RECIPES = [
  { component: 'amazon-cloudwatch-observability-controller-manager', workload: 'Deployment', valuesPath: 'manager', replicas: 'replicaCount', containers: ['manager.resources'], tolerations: 'manager.tolerations', nodeSelector: 'manager.nodeSelector', affinity: 'manager.affinity' },
  // the operator renders the AmazonCloudWatchAgent custom resource (agent.mode: daemonset) into a DaemonSet
  { component: 'cloudwatch-agent', workload: 'DaemonSet', valuesPath: 'agent', containers: ['agent.resources'], tolerations: ['agent.tolerations', 'tolerations'], nodeSelector: 'agent.nodeSelector', affinity: 'agent.affinity', enabled: 'agent.enabled' },
  { component: 'fluent-bit', workload: 'DaemonSet', valuesPath: 'containerLogs.fluentBit', containers: ['containerLogs.fluentBit.resources'], tolerations: ['containerLogs.fluentBit.tolerations', 'tolerations'], nodeSelector: 'containerLogs.fluentBit.nodeSelector', affinity: 'containerLogs.fluentBit.affinity', enabled: 'containerLogs.enabled' },
  { component: 'dcgm-exporter', workload: 'DaemonSet', valuesPath: 'dcgmExporter', containers: ['dcgmExporter.resources'], tolerations: ['dcgmExporter.tolerations', 'tolerations'], nodeSelector: 'dcgmExporter.nodeSelector', affinity: 'dcgmExporter.affinity', enabled: 'dcgmExporter.enabled' },
  { component: 'neuron-monitor', workload: 'DaemonSet', valuesPath: 'neuronMonitor', containers: ['neuronMonitor.resources'], tolerations: ['neuronMonitor.tolerations', 'tolerations'], nodeSelector: 'neuronMonitor.nodeSelector', affinity: 'neuronMonitor.affinity', enabled: 'neuronMonitor.enabled' },
];

export function addonPods(read) {
  const out = {};
  for (const [addon, files] of Object.entries(ADDON_MANIFESTS)) {
    out[addon] = files.flatMap(([file, source]) => manifestWorkloads(read(file)).map((w) => podFromWorkload(w, source)));
  }
  const values = parse(read('amazon-cloudwatch-observability/values.yaml'));
  out['amazon-cloudwatch-observability'] = CLOUDWATCH_RECIPES.map((r) => {
    const { valuesPath: _path, valuesPaths: _paths, enabledBy: _enabled, ...fact } = podFromValues(values, r, CWO);
    return fact;
  });
  return out;
}
