/**
 * Every emitted Kubernetes document validates against the Kubernetes OpenAPI schema and the
 * CRDs' schemas (kubernetes-models validators; vendored Gatekeeper schemas with ajv), and uses
 * only API versions Kubernetes 1.35 serves without deprecation.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ConfigMap, LimitRange, Namespace, ResourceQuota, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1';
import { NodePool } from '@kubernetes-models/karpenter/karpenter.sh/v1';
import { EC2NodeClass } from '@kubernetes-models/karpenter/karpenter.k8s.aws/v1';
import { AppProject, Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { ClusterSecretStore, ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { compileOk, environmentDocuments, EXAMPLE, PROMOTED_EXAMPLE, type Doc } from './support.js';

type Validator = (doc: Doc) => string[];

const model =
  (Model: new (data: any) => { validate(): void }): Validator =>
  (doc) => {
    try {
      new Model(doc).validate();
      return [];
    } catch (e) {
      return [(e as Error).message];
    }
  };

const ajv = new Ajv({ allErrors: true, strict: false });
const fixture = (name: string, folder = 'gatekeeper') => JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/k8s-schemas/${folder}/${name}`, import.meta.url)), 'utf8'));
const templateSchema = ajv.compile(fixture('constrainttemplate-v1.json'));
const constraintSchema = ajv.compile(fixture('constraint-v1beta1.json'));
const imagePolicySchema = ajv.compile(fixture('clusterimagepolicy-v1beta1.json', 'sigstore'));
const ajvErrors = (v: ReturnType<typeof ajv.compile>, doc: Doc): string[] => (v(doc) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

/**
 * apiVersion/kind -> validator. Only versions Kubernetes 1.35 serves as stable, non-deprecated
 * APIs (plus the CRDs' current versions): anything else fails as "unknown".
 */
const VALIDATORS: Record<string, Validator> = {
  'v1/Namespace': model(Namespace),
  'v1/LimitRange': model(LimitRange),
  'v1/ResourceQuota': model(ResourceQuota),
  'v1/ServiceAccount': model(ServiceAccount),
  'v1/Service': model(Service),
  'v1/ConfigMap': model(ConfigMap),
  'apps/v1/Deployment': model(Deployment),
  'batch/v1/Job': model(Job),
  'autoscaling/v2/HorizontalPodAutoscaler': model(HorizontalPodAutoscaler),
  'policy/v1/PodDisruptionBudget': model(PodDisruptionBudget),
  'networking.k8s.io/v1/Ingress': model(Ingress),
  'networking.k8s.io/v1/NetworkPolicy': model(NetworkPolicy),
  'rbac.authorization.k8s.io/v1/Role': model(Role),
  'rbac.authorization.k8s.io/v1/RoleBinding': model(RoleBinding),
  'storage.k8s.io/v1/StorageClass': model(StorageClass),
  'karpenter.sh/v1/NodePool': model(NodePool),
  'karpenter.k8s.aws/v1/EC2NodeClass': model(EC2NodeClass),
  'argoproj.io/v1alpha1/Application': model(Application),
  'argoproj.io/v1alpha1/AppProject': model(AppProject),
  'external-secrets.io/v1/ExternalSecret': model(ExternalSecret),
  'external-secrets.io/v1/ClusterSecretStore': model(ClusterSecretStore),
  'monitoring.coreos.com/v1/ServiceMonitor': model(ServiceMonitor),
  'templates.gatekeeper.sh/v1/ConstraintTemplate': (doc) => ajvErrors(templateSchema, doc),
  'policy.sigstore.dev/v1beta1/ClusterImagePolicy': (doc) => ajvErrors(imagePolicySchema, doc),
};

/** A constraint: the common schema, and its parameters against its own template's schema. */
function constraintFindings(doc: Doc, templates: readonly Doc[]): string[] {
  const findings = ajvErrors(constraintSchema, doc);
  const template = templates.find((t) => t.spec?.crd?.spec?.names?.kind === doc.kind);
  if (!template) return [...findings, `no ConstraintTemplate defines ${doc.kind}`];
  if (template.metadata.name !== String(doc.kind).toLowerCase()) findings.push(`template ${template.metadata.name} must be named ${String(doc.kind).toLowerCase()}`);
  const schema = template.spec.crd.spec.validation?.openAPIV3Schema;
  if (doc.spec?.parameters !== undefined) {
    if (!schema) findings.push('parameters given but the template declares none');
    else findings.push(...ajvErrors(ajv.compile({ ...schema, additionalProperties: false }), doc.spec.parameters));
  }
  return findings;
}

export function findings(docs: readonly { path: string; doc: Doc }[]): string[] {
  const templates = docs.filter((d) => d.doc.kind === 'ConstraintTemplate').map((d) => d.doc);
  return docs.flatMap(({ path, doc }) => {
    const where = `${path} ${doc.kind}/${doc.metadata?.name}`;
    if (doc.apiVersion === 'constraints.gatekeeper.sh/v1beta1') return constraintFindings(doc, templates).map((f) => `${where}: ${f}`);
    const validate = VALIDATORS[`${doc.apiVersion}/${doc.kind}`];
    if (!validate) return [`${where}: unknown or not allowed apiVersion ${doc.apiVersion} for ${doc.kind}`];
    return validate(doc).map((f) => `${where}: ${f}`);
  });
}

describe('Kubernetes documents validate against the 1.35 OpenAPI and CRD schemas', () => {
  const { artifacts, models } = compileOk(PROMOTED_EXAMPLE);
  const irsa = compileOk(PROMOTED_EXAMPLE.replace('workloadIdentity: podIdentity', 'workloadIdentity: irsa'));

  for (const m of models) {
    const env = m.environment.name;
    it(`${env}: every document has zero findings`, () => {
      const docs = environmentDocuments(artifacts, env);
      expect(docs.length).toBeGreaterThan(40);
      expect(findings(docs)).toEqual([]);
    });
    it(`${env} (IRSA variant): zero findings`, () => {
      expect(findings(environmentDocuments(irsa.artifacts, env))).toEqual([]);
    });
  }

  it('reports what it should: a broken document, a deprecated apiVersion, bad constraint parameters', () => {
    const docs = environmentDocuments(artifacts, 'staging');
    const np = structuredClone(docs.find((d) => d.doc.kind === 'NodePool')!);
    np.doc.spec.disruption.consolidateAfter = '30 seconds';
    const hpa = structuredClone(docs.find((d) => d.doc.kind === 'HorizontalPodAutoscaler')!);
    hpa.doc.apiVersion = 'autoscaling/v2beta2';
    const constraint = structuredClone(docs.find((d) => d.doc.kind === 'K8sDisallowedTags')!);
    constraint.doc.spec.parameters = { tags: 'latest' };
    const templates = docs.filter((d) => d.doc.kind === 'ConstraintTemplate');
    const found = findings([np, hpa, constraint, ...templates]);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/consolidateAfter/);
    expect(found[1]).toMatch(/autoscaling\/v2beta2/);
    expect(found[2]).toMatch(/tags/);
  });
});
