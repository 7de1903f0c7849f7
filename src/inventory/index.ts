/**
 * The sourced inventory: facts about what the platform deploys, read from upstream files vendored in
 * inventory/ (each with its source, version or commit and retrieval date in inventory/SOURCES.md) and
 * turned into the generated modules in ./data by scripts/inventory/generate.mjs. Pure and synchronous:
 * no I/O, every table is a constant.
 *
 * - instance types and Aurora DB classes: ./instance-types.ts
 * - pods the platform runs without a chart of ours (EKS add-ons) and the pods each chart's defaults give: ./pods.ts
 * - AWS managed policies attached and upstream controller policies mirrored: ./policies.ts
 * - prices per region: ./prices.ts
 */
export {
  AURORA_SERVERLESS_V2,
  DB_INSTANCE_CLASSES,
  INSTANCE_FAMILY_TABLE,
  INSTANCE_TYPES,
  dbInstanceClass,
  eniMaxPods,
  instanceFamily,
  instanceType,
  type DbInstanceClass,
  type InstanceFamilyInfo,
  type InstanceTypeInfo,
} from './instance-types.js';
export { ADDON_PODS, CHART_POD_DEFAULTS, type ChartPodFact, type NodeSelectorTerm, type PodSpecFact, type Toleration } from './pods.js';
export { MANAGED_POLICIES, UPSTREAM_POLICIES, managedPolicyByArn, type ManagedPolicy, type PolicyDocument, type UpstreamPolicy, type UpstreamPolicyName } from './policies.js';
export { PRICES, ec2HourlyPrice, priceOf, type PriceItem, type PriceTable } from './prices.js';
