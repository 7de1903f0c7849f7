import { ADDON_POD_DATA, CHART_POD_DATA } from './data/pods.generated.js';

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** One required node-affinity term: all expressions must hold (terms are ORed). */
export type NodeSelectorTerm = readonly { key: string; operator: string; values: readonly string[] }[];

/**
 * One pod template the platform runs. requests: the sum over its containers (init containers excluded),
 * a container without a request counting its limit, as Kubernetes defaults it.
 */
export interface PodSpecFact {
  component: string;
  /** vendored file and upstream version it was read from. */
  source: string;
  workload: 'Deployment' | 'DaemonSet' | 'StatefulSet';
  /** per node for a DaemonSet: 1. */
  replicas: number;
  requests: { cpuMilli: number; memoryMiB: number };
  tolerations: readonly Toleration[];
  nodeSelector: Readonly<Record<string, string>>;
  /** requiredDuringSchedulingIgnoredDuringExecution terms, when the pod has them. */
  nodeAffinity?: readonly NodeSelectorTerm[];
  /** container names (rendered manifests only). */
  containers?: readonly string[];
}

/** A chart's pod, with the values paths its template reads (the first present one wins, as `| default` does). */
export interface ChartPodFact extends PodSpecFact {
  /** the component's block in the chart's values ('' for the top level), e.g. 'controller'. */
  valuesPath: string;
  valuesPaths: {
    replicas?: string;
    resources: readonly string[];
    tolerations: readonly string[];
    nodeSelector: readonly string[];
  };
}

/**
 * Pods of the EKS add-ons, by add-on name as in the spec (coredns, kube-proxy, vpc-cni, aws-ebs-csi-driver,
 * eks-pod-identity-agent, amazon-cloudwatch-observability). Sources in each fact and inventory/SOURCES.md.
 */
export const ADDON_PODS: Readonly<Record<string, readonly PodSpecFact[]>> = ADDON_POD_DATA;

/** Pods each platform chart's pinned defaults give when our values are silent, by chart name. */
export const CHART_POD_DEFAULTS: Readonly<Record<string, readonly ChartPodFact[]>> = CHART_POD_DATA;
