/** src/schema: the shape of innovate.yaml (zod), its literal defaults, and its JSON Schema. */
export * from './spec.js';
export { VPC_ENDPOINT_SERVICES } from './network.js';
export { EKS_ADDONS, CONTROL_PLANE_LOG_TYPES } from './cluster.js';
export { PLATFORM_CHARTS, DEFAULT_CHART_VERSIONS } from './delivery.js';
export { TLS_POLICIES, GATEKEEPER_POLICIES } from './security.js';
export { LOG_RETENTION_DAYS } from './primitives.js';
