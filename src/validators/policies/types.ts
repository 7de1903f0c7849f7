/**
 * Invariant rules run over the compiled artifacts: what will actually be deployed.
 * Each rule has a stable id, the principle of the architecture it enforces, and a fix
 * hint; it returns findings that name the artifact and the resource, and, where it
 * can, the spec path that produced it.
 */
import type { Model } from '../../compiler/model.js';
import type { Platform } from '../../platform/types.js';
import type { SpecPath } from '../../diagnostics/diagnostic.js';

export type Principle =
  | 'network isolation'
  | 'encryption at rest'
  | 'encryption in transit'
  | 'audit'
  | 'data safety'
  | 'hardened workloads'
  | 'least privilege'
  | 'secret hygiene'
  | 'policy hygiene'
  // Liveness: deployed, the platform comes up (src/validators/liveness).
  | 'reachability'
  | 'scheduling'
  | 'capacity intent'
  | 'identity'
  | 'permissions'
  | 'first deploy'
  | 'supply chain';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Metadata?: Record<string, unknown>;
}

export interface Template {
  readonly path: string;
  readonly environment?: string;
  readonly resources: Readonly<Record<string, CfnResource>>;
}

export interface K8sDoc {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface Manifest {
  readonly path: string;
  readonly environment?: string;
  readonly docs: readonly K8sDoc[];
}

export interface ValuesFile {
  readonly path: string;
  readonly environment?: string;
  readonly values: Record<string, unknown>;
}

/** Everything a rule can look at, parsed once. */
export interface PolicyContext {
  readonly templates: readonly Template[];
  readonly manifests: readonly Manifest[];
  readonly values: readonly ValuesFile[];
  /** Every artifact, with the data it was rendered from when the emitter handed it over. */
  readonly artifacts: readonly { readonly path: string; readonly data?: unknown }[];
  /** The text of the artifacts that came without data (rendering the others is never needed). */
  texts(): { readonly path: string; readonly content: string }[];
  readonly models: readonly Model[];
  /**
   * The deployed platform of each environment whose Kubernetes artifacts are in this batch, built
   * from them and that environment's CloudFormation (in the batch or handed over as related
   * artifacts): what the liveness rules judge. Built once, on first use.
   */
  platforms(): readonly { readonly model: Model; readonly platform: Platform }[];
}

export interface PolicyFinding {
  readonly rule: string;
  readonly message: string;
  /** Artifact path relative to the output folder. */
  readonly artifact: string;
  /** CloudFormation logical id or Kubernetes kind/namespace/name. */
  readonly target: string;
  readonly environment?: string;
  /** The spec field that produced it, when known. */
  readonly specPath?: SpecPath;
}

export interface Rule {
  readonly id: string;
  readonly title: string;
  readonly principle: Principle;
  readonly severity: 'error' | 'warning';
  readonly hint: string;
  /** Longer help, shown by SARIF consumers. */
  readonly help: string;
  check(ctx: PolicyContext): PolicyFinding[];
}
