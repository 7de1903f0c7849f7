/**
 * Workers and cronjobs are in the platform model like services (issue 16): examples/workers.yaml
 * holds every liveness rule, its CronJob's pod finds a node, has an identity and reaches the
 * database, and taking away what the cronjob or the worker relies on is caught.
 */
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/emitters/artifact.js';
import { requiredFlows } from '../../src/platform/flows.js';
import { runPolicies } from '../../src/validators/policies/index.js';
import { LIVENESS_RULES } from '../../src/validators/liveness/index.js';
import { hardenedPods } from '../../src/validators/policies/rules/workloads.js';
import { WORKERS_EXAMPLE } from '../helpers.js';
import { editArtifact, emit, platformOf } from '../platform/support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const built = emit(WORKERS_EXAMPLE);
const findings = (artifacts: readonly Artifact[]) => runPolicies(artifacts, built.models, { today: '2026-01-01', rules: LIVENESS_RULES }).findings;
const lines = (artifacts: readonly Artifact[]) => findings(artifacts).map((f) => `${f.rule} [${f.environment}] ${f.message}`);

describe('examples/workers.yaml in the platform model', () => {
  const production = platformOf(built, 'production');
  const model = built.models.find((m) => m.environment.name === 'production')!;
  const pod = (id: string) => production.pods.find((p) => p.id === id)!;

  it('holds every liveness rule', () => {
    expect(lines(built.artifacts)).toEqual([]);
  });

  it('the cronjob is one pod per run, placed on application nodes, with its service account and identity', () => {
    const cron = pod('workload:nightly-report');
    expect(cron).toMatchObject({ controller: 'CronJob', replicas: 1, origin: 'workload', serviceAccount: 'nightly-report' });
    expect(cron.placement.length).toBeGreaterThan(0);
    expect(cron.identity).toBeDefined();
    expect(pod('workload:order-events')).toMatchObject({ controller: 'Deployment', replicas: 2 });
  });

  it('the cronjob must reach the database; the worker is not a load balancer target', () => {
    const flows = requiredFlows(production, model);
    expect(flows.some((f) => f.kind === 'app-to-database' && f.from.includes('workload:nightly-report'))).toBe(true);
    expect(flows.some((f) => f.kind === 'lb-to-target' && f.to.includes('order-events'))).toBe(false);
    expect(flows.some((f) => f.kind === 'lb-to-target' && f.to.includes('workload:orders'))).toBe(true);
  });

  it("without its NetworkPolicy to the database, the cronjob's flow is blocked (INV101)", () => {
    const broken = editArtifact(built.artifacts, 'kubernetes/production/01-network-policies.yaml', (docs: Json[]) =>
      docs.splice(docs.findIndex((d) => d.metadata.name === 'allow-database-nightly-report'), 1),
    );
    expect(lines(broken).filter((l) => l.startsWith('INV101 [production]') && l.includes('nightly-report'))).not.toEqual([]);
  });

  it("without the worker's IAM role, its Pod Identity association names a principal nothing creates (INV110)", () => {
    const broken = editArtifact(built.artifacts, 'cloudformation/production/cluster.json', (t: Json) => {
      delete t.Resources.WorkloadOrderEventsRole;
      delete t.Resources.WorkloadOrderEventsRolePolicy;
    });
    expect(lines(broken).filter((l) => l.startsWith('INV110 [production]') && l.includes('order-events'))).not.toEqual([]);
  });
});

describe('INV009 checks CronJobs and workers as it checks services', () => {
  const model = built.models.find((m) => m.environment.name === 'production')!;
  const docs = (kind: string, podSpec: Json, name: string): Json => ({
    apiVersion: kind === 'CronJob' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: { name, namespace: 'apps', labels: { 'app.kubernetes.io/name': name } },
    spec: kind === 'CronJob' ? { jobTemplate: { spec: { template: { spec: podSpec } } } } : { template: { spec: podSpec } },
  });
  const bare = { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }] };
  const check = (d: Json) =>
    hardenedPods.check({ manifests: [{ path: 'm.yaml', environment: 'production', docs: [d] }], models: [model], templates: [], values: [], artifacts: [], texts: () => [] } as never).map((f) => f.message);
  it('an unhardened CronJob pod is found, inside its Job template', () => {
    expect(check(docs('CronJob', bare, 'nightly-report'))).toEqual(expect.arrayContaining(['CronJob/apps/nightly-report: container c may run as root', 'CronJob/apps/nightly-report: container c has a writable root filesystem']));
  });
  it('a worker Deployment needs no probes; a service Deployment does', () => {
    const hardened = { securityContext: { runAsNonRoot: true }, containers: [{ ...bare.containers[0], securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] };
    expect(check(docs('Deployment', hardened, 'order-events'))).toEqual([]);
    expect(check(docs('Deployment', hardened, 'orders'))).toEqual(['Deployment/apps/orders: container c lacks a liveness or readiness probe']);
  });
});
