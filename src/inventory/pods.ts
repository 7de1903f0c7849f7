export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** One pod template the platform runs: requests are the sum over its containers (init containers excluded). */
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
}

export const ADDON_PODS: Readonly<Record<string, readonly PodSpecFact[]>> = {};

export const CHART_POD_DEFAULTS: Readonly<Record<string, readonly (PodSpecFact & { valuesPath: string })[]>> = {};
