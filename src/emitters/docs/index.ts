/**
 * Docs emitter: docs/ARCHITECTURE.md, the architecture document filled with the compiled
 * values of every environment (accounts, subnet CIDRs, node pools, database sizing and
 * recovery objectives, pipeline, security layers, cost levers, monitoring), with Mermaid
 * diagrams of the network and of the delivery pipeline. The view below turns the models into
 * rows; the template (template.ts) only lays them out.
 */
import { Handlebars } from '../handlebars-runtime.js';
import type { Model } from '../../compiler/model.js';
import type { Artifact, Emitter } from '../artifact.js';
import { ciPlan, type CiPlan } from '../ci/plan.js';
import { networkDiagram, pipelineDiagram } from './diagrams.js';
import { placementDiagramOf } from '../../platform/placement.js';
import { PRECOMPILED } from '../templates.precompiled.js';
import { estimateModels } from '../../cost/models.js';
import { markdownCost } from '../../cost/format.js';

export const ARCHITECTURE_PATH = 'docs/ARCHITECTURE.md';

const text = (v: unknown): string => (Array.isArray(v) ? (v.length ? v.join(', ') : '-') : typeof v === 'boolean' ? (v ? 'yes' : 'no') : v === undefined || v === null || v === '' ? '-' : String(v));
const hbs = Handlebars.create();
/** A Markdown table cell: pipes escaped, line breaks flattened. */
hbs.registerHelper('cell', (v: unknown) => text(v).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' '));
/** Inline code; a value holding a backtick gets a longer fence. */
hbs.registerHelper('code', (v: unknown) => {
  const s = text(v).replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  return s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``;
});
// Compiled at build time from template.ts with { noEscape: true, strict: false } (scripts/precompiled-module.mjs).
const render = hbs.template(PRECOMPILED.architecture);

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

function envView(m: Model) {
  const c = m.cluster;
  const db = m.database;
  const t = m.observability.thresholds;
  return {
    name: m.environment.name,
    accountId: m.environment.accountId,
    region: m.environment.region,
    drRegion: m.environment.drRegion,
    production: m.environment.production,
    vpcCidr: m.network.vpcCidr,
    zones: m.network.zones,
    nat: m.network.natGateways === 'perZone' ? `one per zone (${m.network.zones.length})` : 'a single one (cost)',
    endpoints: m.network.endpoints.map((e) => `${e.service} (${e.type})`),
    flowLogs: m.network.flowLogs.enabled ? `${m.network.flowLogs.trafficType}, kept ${days(m.network.flowLogs.retentionDays)}` : 'off',
    nacls: m.network.nacls ? 'per tier' : 'default',
    appPorts: m.network.appPorts,
    databasePort: m.network.databasePort,
    network: networkDiagram(m),
    placement: placementDiagramOf(m),
    cluster: c.name,
    version: c.version,
    endpoint: [c.endpoint.privateAccess ? 'private' : '', c.endpoint.publicAccess ? `public from ${c.endpoint.publicAccessCidrs.join(', ')}` : ''].filter(Boolean).join(' + '),
    addons: c.addons.map((a) => a.name),
    system: {
      name: c.systemNodeGroup.name,
      instanceTypes: c.systemNodeGroup.instanceTypes,
      size: `${c.systemNodeGroup.minSize}–${c.systemNodeGroup.maxSize}`,
      taints: c.systemNodeGroup.taints.map((x) => `${x.key}=${x.value}:${x.effect}`),
    },
    pools: c.nodePools.map((p) => ({
      name: p.name,
      role: p.role,
      architectures: p.architectures,
      capacity: p.capacityTypes,
      instances: `${p.instanceFamilies?.join(', ') ?? `${p.instanceCategories.join(', ')}-family`}${p.instanceGeneration ? ` (gen > ${p.instanceGeneration.greaterThan})` : ''}`,
      limits: `${p.limits.cpu} CPU, ${p.limits.memory}`,
      taints: p.taints.map((x) => `${x.key}=${x.value}:${x.effect}`),
    })),
    consolidation: m.cluster.nodePools[0] ? `${m.cluster.nodePools[0].consolidationPolicy} after ${m.cluster.nodePools[0].consolidateAfter}; Spot interruptions ${c.karpenter.interruptionHandling ? 'handled through SQS' : 'not handled'}` : '-',
    database: {
      engineVersion: db.engineVersion,
      sizing: db.serverlessV2 ? `Serverless v2, ${db.serverlessV2.minCapacity}–${db.serverlessV2.maxCapacity} ACU` : db.instanceClass,
      instances: db.instances,
      encrypted: db.storageEncrypted,
      deletionProtection: db.deletionProtection,
    },
    recovery: [
      { method: 'Continuous backup (point-in-time recovery)', rpo: '~5 minutes', rto: 'minutes', retention: days(db.backupRetentionDays) },
      { method: `Automated snapshots (window ${db.preferredBackupWindow} UTC)`, rpo: 'daily', rto: '< 1 hour (restore)', retention: days(db.snapshotRetentionDays) },
      { method: 'Manual snapshots (before major changes)', rpo: 'on demand', rto: '< 1 hour', retention: 'until deleted' },
      ...(db.crossRegionReplica && m.environment.drRegion
        ? [{ method: `Cross-region read replica (${m.environment.drRegion})`, rpo: `< 1 second (lag alarm at ${t.dbReplicaLagMs} ms)`, rto: 'minutes (promote the replica)', retention: 'continuous' }]
        : []),
      { method: `Aurora storage, six copies in three zones (${db.instances} instance${db.instances === 1 ? '' : 's'})`, rpo: '0', rto: db.instances > 1 ? '< 30 s (failover)' : 'minutes (instance replaced)', retention: '-' },
    ],
  };
}

function pipelineRows(p: CiPlan, models: readonly Model[]) {
  const sync = (env: string) => (models.find((m) => m.environment.name === env)?.delivery.autoSync ? 'automatic sync (prune, self-heal)' : 'manual sync');
  return [
    { stage: 'Source', tool: 'GitHub', what: `${p.appRepository} (code), ${p.configRepository} (spec and compiled output); PRs run github/workflows/innovate-pr.yml` },
    { stage: 'Build', tool: 'GitHub Actions', what: 'lint and unit tests per workload; innovate validate (SARIF to code scanning) and compile --check' },
    { stage: 'Containerize', tool: 'Docker (multi-stage)', what: `${p.workloads.map((w) => `${w.workload} (${w.platforms})`).join(', ')} from docker/{workload}/Dockerfile` },
    { stage: 'Registry', tool: 'Amazon ECR', what: `push to ${p.build.env} through the OIDC role ${p.build.roleArn}${p.build.scanning ? '; the scan must finish with no CRITICAL finding' : ''}${p.build.signingKey ? `; cosign signature with ${p.build.signingKey}` : ''}` },
    { stage: 'Promote', tool: 'GitHub Actions', what: `the tag is recorded in innovate.yaml (environments.${p.build.env}.overrides.workloads.{name}.tag), recompiled and committed to ${p.configRepository}@${p.branch}${p.hops.length ? `; by the promote-production workflow, one hop at a time: ${p.hops.map((h) => `${h.to.env} from ${h.from}${h.to.approvalRequired || h.cveGate ? ` (${[...(h.to.approvalRequired ? ['after required reviewers approve'] : []), ...(h.cveGate ? [`no CRITICAL finding in the ${h.to.env} registry's scan`] : [])].join('; ')})` : ''}`).join(', ')}` : ''}` },
    { stage: 'Deploy', tool: 'ArgoCD', what: [p.build, ...p.targets].map((s) => `${s.env}: ${sync(s.env)}`).join('; ') },
    { stage: 'Validate', tool: 'Kubernetes probes', what: 'startup, readiness and liveness probes gate the rolling update' },
    { stage: 'Rollback', tool: 'ArgoCD / git revert', what: `revert the promotion commit in ${p.configRepository}` },
  ];
}

function securityRows(m: Model) {
  const s = m.security;
  return [
    { layer: 'Network', controls: `three-tier VPC, security groups${m.network.nacls ? ', NACLs' : ''}, ${m.network.endpoints.length} VPC endpoints, no public IPs on compute, private EKS endpoint` },
    { layer: 'Identity', controls: `IAM least privilege, ${s.workloadIdentity === 'podIdentity' ? 'EKS Pod Identity' : 'IRSA'} per workload${m.organization?.sso ? ', AWS SSO permission sets' : ''}${m.organization ? ', SCPs' : ''}, GitHub OIDC for CI (no stored keys)` },
    { layer: 'Data', controls: `${s.tlsPolicy} on the ALB, KMS keys (deletion window ${days(s.kmsPendingWindowDays)}), ${m.database.forceSsl ? 'rds.force_ssl = 1' : 'TLS optional on the database'}` },
    { layer: 'Application', controls: `non-root containers, read-only root file systems, Pod Security ${s.podSecurity}, Gatekeeper: ${s.gatekeeper.join(', ') || 'none'}` },
    { layer: 'Supply chain', controls: `ECR ${m.registry.enhancedScanning ? 'enhanced (Inspector)' : m.registry.scanOnPush ? 'basic' : 'no'} scanning, ${m.registry.signing ? 'cosign signatures (KMS), ' : ''}CRITICAL findings block promotion, actions pinned by commit SHA` },
    { layer: 'Secrets', controls: `${s.secrets.length} Secrets Manager secret${s.secrets.length === 1 ? '' : 's'}${s.secrets.length ? ` rotated every ${[...new Set(s.secrets.map((x) => x.rotationDays))].join('/')} days` : ''}, synced by External Secrets` },
    { layer: 'Audit', controls: `CloudTrail, VPC Flow Logs${m.network.flowLogs.enabled ? ` (${days(m.network.flowLogs.retentionDays)})` : ' (off)'}, EKS control-plane logs (${m.cluster.controlPlaneLogs.join(', ')}), CloudWatch alarms` },
  ];
}

function costRows(models: readonly Model[]) {
  const pools = models.flatMap((m) => m.cluster.nodePools.map((p) => ({ env: m.environment.name, p })));
  const where = (f: (p: (typeof pools)[number]['p']) => boolean) => [...new Set(pools.filter((x) => f(x.p)).map((x) => x.env))];
  const m0 = models[0]!;
  return [
    { lever: 'Spot instances (Karpenter)', where: where((p) => p.capacityTypes.includes('spot')), setting: pools.filter((x) => x.p.capacityTypes.includes('spot')).map((x) => `${x.env}/${x.p.name}`) },
    { lever: 'Graviton (arm64)', where: where((p) => p.architectures.includes('arm64')), setting: pools.filter((x) => x.p.architectures.includes('arm64')).map((x) => `${x.env}/${x.p.name}`) },
    { lever: 'Karpenter right-sizing', where: models.map((m) => m.environment.name), setting: `consolidation ${m0.cluster.nodePools[0]?.consolidationPolicy ?? '-'}` },
    { lever: 'NAT gateways', where: models.map((m) => m.environment.name), setting: models.map((m) => `${m.environment.name}: ${m.network.natGateways === 'perZone' ? 'one per zone' : 'single'}`) },
    { lever: 'Aurora sizing', where: models.map((m) => m.environment.name), setting: models.map((m) => `${m.environment.name}: ${m.database.serverlessV2 ? 'Serverless v2' : `${m.database.instanceClass} × ${m.database.instances}`}`) },
    { lever: 'ECR lifecycle policies', where: 'all', setting: `untagged after ${days(m0.registry.lifecycle.untaggedExpireDays)}; ${m0.registry.lifecycle.devTagPrefix}* after ${days(m0.registry.lifecycle.devExpireDays)}` },
    { lever: 'Budgets', where: models.map((m) => m.environment.name), setting: models.map((m) => `${m.environment.name}: $${m.cost.monthlyBudgetUsd}/month, alerts at ${m.cost.budgetThresholds.join('/')}%`) },
    { lever: 'Cost anomaly alerts', where: 'all', setting: models.map((m) => `${m.environment.name}: above $${m.cost.anomalyThresholdUsd}`) },
  ];
}

function monitoringRows(m: Model) {
  const o = m.observability;
  const channels = [o.alerts.emails.length ? `${o.alerts.emails.length} e-mail` : '', o.alerts.pagerDutyUrl ? 'PagerDuty' : '', o.alerts.slack ? 'Slack' : ''].filter(Boolean);
  return [
    { component: 'Infrastructure metrics', tool: o.containerInsights ? 'CloudWatch + Container Insights' : 'CloudWatch', setting: `node CPU alarm at ${o.thresholds.nodeCpuPercent}%` },
    { component: 'Application metrics', tool: 'Prometheus + Grafana (in-cluster)', setting: `retention ${o.prometheus.retention}, ${o.prometheus.storageGiB} GiB` },
    { component: 'Logging', tool: 'CloudWatch Logs', setting: `kept ${days(o.logRetentionDays)}` },
    { component: 'Tracing', tool: o.tracing === 'xray' ? 'AWS X-Ray / OpenTelemetry' : 'none', setting: o.tracing },
    { component: 'Alerting', tool: 'CloudWatch Alarms + SNS', setting: `${channels.join(', ') || 'no channel'}; ALB 5xx > ${o.thresholds.alb5xxPerMinute}/min, DB CPU > ${o.thresholds.dbCpuPercent}%` },
  ];
}

export function architectureDocument(models: readonly Model[]): string {
  const p = ciPlan(models);
  const b = models.find((m) => m.environment.name === p.build.env)!;
  /** Security and monitoring are shown with production's values (the strictest), else the build environment's. */
  const shown = models.find((m) => m.environment.production) ?? b;
  const org = b.organization;
  const doc = render({
    project: b.project,
    envs: models.map(envView),
    workloads: b.workloads.map((w) => ({ name: w.name, type: w.type, port: w.port, replicas: `${w.replicas.min}–${w.replicas.max}`, pool: w.pool, path: w.ingress?.path })),
    organization: org && {
      managementAccountId: org.managementAccountId,
      homeRegion: org.homeRegion,
      allowedRegions: org.allowedRegions,
      guardrails: Object.entries(org.guardrails).flatMap(([name, enabled]) => (typeof enabled === 'boolean' ? [{ name, enabled }] : [])),
      permissionSets: (org.sso?.permissionSets ?? []).map((s) => ({ name: s.name, sessionDuration: s.sessionDuration, environments: s.environments })),
    },
    pipeline: pipelineRows(p, models),
    pipelineDiagram: pipelineDiagram(p, models),
    shownEnv: shown.environment.name,
    security: securityRows(shown),
    cost: costRows(models),
    monitoring: monitoringRows(shown),
  });
  return withCostEstimate(doc, models);
}

/**
 * The monthly estimate of `innovate cost` (src/cost), a table and a Mermaid pie chart per
 * environment, placed at the end of the Cost Optimization section.
 */
function withCostEstimate(doc: string, models: readonly Model[]): string {
  const section = `### Monthly cost estimate\n\nWhat \`innovate cost\` estimates from this spec, before anything is deployed (prices: the vendored snapshot; ranges and assumptions: docs/cost.md in the innovate repository).\n\n${markdownCost(estimateModels(models), { heading: '####' })}\n\n`;
  const at = doc.indexOf('\n## Monitoring & Observability');
  return at < 0 ? `${doc.trimEnd()}\n\n${section}` : `${doc.slice(0, at + 1)}${section}${doc.slice(at + 1)}`;
}

export const docsEmitter: Emitter = {
  name: 'docs',
  emit(models: readonly Model[]): Artifact[] {
    if (models.length === 0) return [];
    return [{ path: ARCHITECTURE_PATH, kind: 'docs', content: architectureDocument(models) }];
  },
};
