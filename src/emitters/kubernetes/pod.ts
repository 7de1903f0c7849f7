/**
 * The environment of a workload container: AWS_REGION, the spec's env, Secrets Manager values
 * and, for a database workload, the endpoint (SSM, via ExternalSecret) and connection settings.
 * Sorted by name. It becomes the `env` list of the workload's values file (never chart text).
 */
import type { Model, Workload } from '../../compiler/model.js';
import { runtimeSecretName, secretsSecretName, type Doc } from './meta.js';
import { runtimeValues } from './secrets.js';

export function workloadEnv(model: Model, w: Workload): Doc[] {
  return [
    { name: 'AWS_REGION', value: model.environment.region },
    ...w.env.map((e) => ({ name: e.name, value: e.value })),
    ...w.secrets.map((s) => ({ name: s.env, valueFrom: { secretKeyRef: { name: secretsSecretName(w.name), key: s.env } } })),
    ...(w.database
      ? [
          ...runtimeValues(model).map((v) => ({ name: v.key, valueFrom: { secretKeyRef: { name: runtimeSecretName(w.name), key: v.key } } })),
          { name: 'DATABASE_PORT', value: String(model.database.port) },
          { name: 'DATABASE_NAME', value: model.database.databaseName },
          { name: 'DATABASE_SSLMODE', value: model.database.forceSsl ? 'require' : 'prefer' },
        ]
      : []),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
