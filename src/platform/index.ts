/**
 * src/platform: the deployed platform of one environment, built from the compiled model and the
 * emitted artifacts (never the YAML): node kinds with capacity and security groups, every pod
 * with where it may run, the network graph, the principals. In: a Model and the artifacts of
 * its environment. Out: a Platform (plain data, deterministic), and its text, Markdown and JSON
 * renderings. Every fact carries its source (artifact, resource, spec path).
 */
export { buildPlatform, loadOf, type BuildOptions } from './build.js';
export { capacityOf, cpuMilli, kubeReservedCpuMilli, kubeReservedMemoryMiB, memoryMiB } from './capacity.js';
export { CLUSTER_SG, securityGroupsAllow, type Endpoint } from './network.js';
export { fits } from './pods.js';
export { formatPlatform, placementDiagram, type PlatformFormat } from './format.js';
export { placementArtifacts, placementDiagramOf } from './placement.js';
export type * from './types.js';
export { FLOW_KINDS, requiredFlows, type Flow, type FlowKind } from './flows.js';
export { Network, naclAllows, networkPolicyAllows, type Place, type Verdict } from './reach.js';
