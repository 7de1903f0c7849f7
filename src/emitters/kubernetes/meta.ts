/**
 * Shared shapes for every Kubernetes document: labels, object metadata, ArgoCD sync waves.
 * All names come from the model (and src/compiler/names.ts); nothing here invents one.
 */
import type { Model, Toleration } from '../../compiler/model.js';

/** A Kubernetes document: plain data, serialized by toYamlDocuments. */
export type Doc = Record<string, unknown>;

export const MANAGED_BY = 'innovate';
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';

/** Labels every generated object carries. */
export function commonLabels(model: Model): Record<string, string> {
  return { 'app.kubernetes.io/managed-by': MANAGED_BY, [LABEL_PART_OF]: model.project, 'innovate.dev/environment': model.environment.name };
}

export interface MetaOptions {
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export function meta(model: Model, name: string, options: MetaOptions = {}): Doc {
  const annotations = options.annotations && Object.keys(options.annotations).length > 0 ? { ...options.annotations } : undefined;
  return { name, namespace: options.namespace, labels: { ...commonLabels(model), ...options.labels }, annotations };
}

/**
 * ArgoCD sync waves of the root application: lower applies first. CRD-backed objects come
 * after the Applications that install their CRDs, and skip the dry run while the CRD is missing.
 */
export const WAVE = {
  namespaces: -10,
  guardrails: -9,
  projects: -8,
  platformCharts: -7,
  crdClasses: -5,
  identity: -4,
  constraints: -3,
  routing: 0,
  workloads: 5,
} as const;

export function waveAnnotations(wave: number, crdBacked = false): Record<string, string> {
  return {
    'argocd.argoproj.io/sync-wave': String(wave),
    ...(crdBacked ? { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } : {}),
  };
}

export const tolerationsOf = (ts: readonly Toleration[]): Doc[] =>
  ts.map((t) => ({ key: t.key, operator: t.operator, value: t.operator === 'Equal' ? t.value : undefined, effect: t.effect }));

/** Namespaces the platform charts run in (kube-system is the cluster's own). */
export function platformNamespaces(model: Model): string[] {
  return [...new Set(Object.values(model.platform).map((p) => p.namespace))].filter((n) => n !== 'kube-system').sort();
}

/** Application namespaces: declared ones plus any a workload uses. */
export function applicationNamespaces(model: Model): string[] {
  return [...new Set([...model.namespaces.map((n) => n.name), ...model.workloads.map((w) => w.namespace)])].sort();
}

/** Kubernetes Secret a workload's ExternalSecret of Secrets Manager values creates. */
export const secretsSecretName = (workload: string): string => `${workload}-secrets`;
/** Kubernetes Secret a workload's ExternalSecret of SSM parameters (runtime values) creates. */
export const runtimeSecretName = (workload: string): string => `${workload}-runtime`;
/** ClusterSecretStores: one per AWS service, read with the external-secrets controller's own identity. */
export const SECRET_STORES = { secretsManager: 'aws-secrets-manager', parameterStore: 'aws-parameter-store' } as const;
/**
 * Kubernetes Secret of Grafana's OIDC client id (not a secret: known only once observability.json
 * has created the Cognito app client, so synced from the SSM parameter it publishes), as the
 * environment variable Grafana reads (envFromSecret).
 */
export const GRAFANA_SSO_SECRET = 'grafana-sso';
/** StorageClass of encrypted gp3 volumes (EBS CSI driver, the model's EBS key). */
export const STORAGE_CLASS = 'gp3-encrypted';
/** The EBS key by its alias ARN: EC2 and the EBS CSI driver resolve it, so no key id is guessed. */
export const ebsKeyAliasArn = (model: Model): string =>
  `arn:${model.partition}:kms:${model.environment.region}:${model.environment.accountId}:${model.names.ebsKeyAlias}`;
