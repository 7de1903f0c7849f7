/**
 * External Secrets (external-secrets.io/v1): two ClusterSecretStores read with the
 * external-secrets controller's own pod identity (no credentials in the cluster), limited to
 * the application namespaces, and per workload an ExternalSecret for its Secrets Manager values
 * and, for a database workload, one for the runtime values the templates publish in SSM.
 */
import type { Model, Workload } from '../../compiler/model.js';
import { applicationNamespaces, GRAFANA_SSO_SECRET, LABEL_NAME, meta, runtimeSecretName, SECRET_STORES, secretsSecretName, WAVE, waveAnnotations, type Doc } from './meta.js';

const REFRESH = '1h';

/** Who may read through a store: the application namespaces, and monitoring for Grafana's client id (parameters only). */
function storeNamespaces(model: Model, service: 'SecretsManager' | 'ParameterStore'): string[] {
  const extra = service === 'ParameterStore' && model.observability.grafana.sso ? [model.platform.monitoring.namespace] : [];
  return [...new Set([...applicationNamespaces(model), ...extra])].sort();
}

function store(model: Model, name: string, service: 'SecretsManager' | 'ParameterStore'): Doc {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: meta(model, name, { annotations: waveAnnotations(WAVE.identity, true) }),
    spec: {
      // No auth block: the controller's Pod Identity / IRSA role (CloudFormation) is used.
      provider: { aws: { service, region: model.environment.region } },
      conditions: [{ namespaces: storeNamespaces(model, service) }],
    },
  };
}

function externalSecret(model: Model, owner: { name: string; namespace: string }, name: string, storeName: string, data: Doc[]): Doc {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: meta(model, name, { namespace: owner.namespace, labels: { [LABEL_NAME]: owner.name }, annotations: waveAnnotations(WAVE.identity, true) }),
    spec: {
      refreshInterval: REFRESH,
      secretStoreRef: { kind: 'ClusterSecretStore', name: storeName },
      target: { name, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data,
    },
  };
}

/** Keys of the runtime Secret of a database workload, and the SSM parameter each comes from. */
export function runtimeValues(model: Model): { key: string; parameter: string }[] {
  return [
    { key: 'DATABASE_HOST', parameter: model.parameters.databaseEndpoint },
    { key: 'DATABASE_READER_HOST', parameter: model.parameters.databaseReaderEndpoint },
  ];
}

function workloadSecrets(model: Model, w: Workload): Doc[] {
  const out: Doc[] = [];
  if (w.secrets.length > 0) {
    const data = w.secrets.map((s) => ({ secretKey: s.env, remoteRef: { key: s.secretName, property: s.key } }));
    out.push(externalSecret(model, w, secretsSecretName(w.name), SECRET_STORES.secretsManager, data));
  }
  if (w.database) {
    const data = runtimeValues(model).map((v) => ({ secretKey: v.key, remoteRef: { key: v.parameter } }));
    out.push(externalSecret(model, w, runtimeSecretName(w.name), SECRET_STORES.parameterStore, data));
  }
  return out;
}

/** Grafana's OIDC client id, from the parameter observability.json publishes (no secret: a public PKCE client). */
function grafanaSso(model: Model): Doc[] {
  if (!model.observability.grafana.sso) return [];
  const data = [{ secretKey: 'GF_AUTH_GENERIC_OAUTH_CLIENT_ID', remoteRef: { key: model.parameters.grafanaClientId } }];
  return [externalSecret(model, { name: 'grafana', namespace: model.platform.monitoring.namespace }, GRAFANA_SSO_SECRET, SECRET_STORES.parameterStore, data)];
}

export function secretDocuments(model: Model): Doc[] {
  return [
    store(model, SECRET_STORES.secretsManager, 'SecretsManager'),
    store(model, SECRET_STORES.parameterStore, 'ParameterStore'),
    ...grafanaSso(model),
    ...model.workloads.flatMap((w) => workloadSecrets(model, w)),
  ];
}
