/**
 * Synthetic specs for benchmarks: the example's platform with N workloads and E
 * environments. Deterministic: the same arguments give the same text.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';

const EXAMPLE = readFileSync(new URL('../examples/innovate.yaml', import.meta.url), 'utf8');
const ENV_NAMES = ['production', 'staging', 'dev', 'qa', 'perf'];

export function generateSpec({ workloads, environments }) {
  const doc = parseDocument(EXAMPLE);
  const spec = doc.toJS();
  const envs = {};
  ENV_NAMES.slice(0, environments).forEach((name, i) => {
    const base = i === 0 ? spec.environments.production : spec.environments.staging;
    // The example's per-environment workload overrides name its own workloads; the generated ones get theirs below.
    const { workloads: _exampleWorkloads, ...overrides } = base.overrides ?? {};
    // Each account its own hosted zone (a zone belongs to one account, INN075).
    const accountId = String(200000000002 + i * 100000000001).padStart(12, '0');
    envs[name] = { ...base, accountId, overrides: { ...overrides, ingress: { host: `${name}.innovate.example`, hostedZoneId: `Z${accountId}BENCH` } } };
  });
  spec.environments = envs;
  spec.registry.replication = environments > 1 ? { from: 'staging', to: 'production' } : undefined;
  if (!spec.registry.replication) delete spec.registry.replication;
  spec.organization.sso.permissionSets.developers.environments = [ENV_NAMES[Math.min(1, environments - 1)]];
  const w = {};
  for (let i = 0; i < workloads; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    const flask = i % 2 === 0;
    w[name] = {
      type: flask ? 'flask' : 'react',
      replicas: { min: 2, max: 10 },
      ingress: { path: `/${name}` },
      // As in the example: flask prefers the first amd64 pool (the On-Demand baseline in production),
      // react opts into Graviton Spot, and production moves it to the baseline (INV105).
      ...(flask ? {} : { pool: 'spot-arm64' }),
      ...(flask ? { database: true, secrets: { DATABASE_PASSWORD: { secret: 'app-db-user', key: 'password' } }, metrics: { path: '/metrics' } } : {}),
    };
  }
  spec.workloads = w;
  const production = envs.production;
  if (production) {
    production.overrides.workloads = Object.fromEntries(Object.entries(w).filter(([, x]) => x.pool).map(([name]) => [name, { pool: 'on-demand-baseline' }]));
  }
  spec.namespaces.apps.quota = { requestsCpu: '2000', requestsMemory: '4000Gi', limitsCpu: '4000', limitsMemory: '8000Gi', pods: 20000 };
  return new (doc.constructor)(spec).toString({ lineWidth: 0 });
}
