/**
 * Gatekeeper: a ConstraintTemplate (templates.gatekeeper.sh/v1) per policy in
 * model.security.gatekeeper and its Constraint (constraints.gatekeeper.sh/v1beta1), denying
 * non-compliant Pods in the application namespaces (platform charts keep their upstream images).
 */
import type { Model } from '../../compiler/model.js';
import { k8sName } from '../../compiler/names.js';
import { POLICIES, type PolicyDefinition } from './gatekeeper-policies.js';
import { applicationNamespaces, meta, WAVE, waveAnnotations, type Doc } from './meta.js';

const policiesOf = (model: Model): [string, PolicyDefinition][] =>
  model.security.gatekeeper.flatMap((name) => (POLICIES[name] ? [[name, POLICIES[name]] as [string, PolicyDefinition]] : []));

function template(model: Model, p: PolicyDefinition): Doc {
  return {
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: meta(model, p.kind.toLowerCase(), { annotations: { ...waveAnnotations(WAVE.crdClasses, true), description: p.description } }),
    spec: {
      crd: { spec: { names: { kind: p.kind }, validation: p.parameters ? { openAPIV3Schema: p.parameters } : undefined } },
      targets: [{ target: 'admission.k8s.gatekeeper.sh', rego: p.rego.trimEnd() + '\n' }],
    },
  };
}

function constraint(model: Model, name: string, p: PolicyDefinition): Doc {
  return {
    apiVersion: 'constraints.gatekeeper.sh/v1beta1',
    kind: p.kind,
    metadata: meta(model, k8sName(name.replace(/([a-z0-9])([A-Z])/g, '$1-$2')), { annotations: waveAnnotations(WAVE.constraints, true) }),
    spec: {
      enforcementAction: 'deny',
      match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }], namespaces: applicationNamespaces(model) },
      parameters: p.values ? p.values(model) : undefined,
    },
  };
}

export const gatekeeperTemplateDocuments = (model: Model): Doc[] => policiesOf(model).map(([, p]) => template(model, p));
export const gatekeeperConstraintDocuments = (model: Model): Doc[] => policiesOf(model).map(([name, p]) => constraint(model, name, p));
