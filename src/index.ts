/**
 * innovate as a library. The pipeline in one glance:
 *   parseSpec(text)      YAML -> per-environment Spec, with positioned diagnostics
 *   validateSpec(parsed) semantic validators -> one Model per environment
 *   compile(text)        models -> artifacts (CloudFormation, Kubernetes, Helm, CI, …) + lock file;
 *                        with { policies: true } the invariant rules run over the artifacts
 *   compileStream(text)  the same, with artifacts rendered one at a time as they are read
 *   buildPlatform(model, artifacts) the deployed platform of one environment: node kinds, pods
 *                        and where they run, the network graph, principals (src/platform)
 * Everything here is pure; only the CLI (bin/) and the writer touch the disk.
 */
export { parseSpec, validateSpec, compile, compileStream, sha256, LOCK_FILE } from './pipeline.js';
export type { ParseOptions, CompileOptions, CompileResult, CompileStream, Validated } from './pipeline.js';
export type { LoadedSpec } from './schema/load.js';
export type { Model } from './compiler/model.js';
export type { Spec, SpecInput } from './schema/spec.js';
export { specSchema, API_VERSION, KIND } from './schema/spec.js';
export type { Artifact, ArtifactKind, Emitter } from './emitters/index.js';
export { EMITTERS, DEPLOYABLE_EMITTERS } from './emitters/index.js';
export * from './diagnostics/index.js';
export { RULES, runPolicies } from './validators/policies/index.js';
export type { Rule, PolicyFinding } from './validators/policies/index.js';
/** Every diagnostic code and rule in one list (what SARIF, JUnit and the README's table show). */
export { CATALOGUE, catalogueEntry, type CatalogueEntry } from './catalogue.js';
export { toSarif, type SarifRule, type SarifOptions } from './diagnostics/sarif.js';
export { toJunit, type JunitOptions } from './diagnostics/junit.js';
export { buildPlatform, formatPlatform, placementDiagram, securityGroupsAllow, fits, capacityOf, CLUSTER_SG } from './platform/index.js';
export type { Platform, NodeKind, Pod, NodeLoad, NetworkGraph, Principals, Source as PlatformSource, PlatformFormat } from './platform/index.js';
export { VERSION } from './version.js';
/** innovate cost: `cost.estimate(specText)` → the monthly estimate per environment (src/cost). */
export * as cost from './cost/index.js';
