/**
 * Mermaid flowcharts of the architecture document. Node ids are fixed identifiers; every
 * label is a quoted string built by `label()`, which entity-encodes the characters Mermaid
 * would read as syntax, so any value the spec allows stays inside its label.
 */
import type { Model } from '../../compiler/model.js';
import type { CiPlan } from '../ci/plan.js';

/** A quoted Mermaid label: "…" with quotes and angle brackets entity-encoded; lines joined by <br/>. */
export function label(...lines: readonly string[]): string {
  const esc = (s: string) => s.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/[\r\n]+/g, ' ');
  return `"${lines.map(esc).join('<br/>')}"`;
}

/** Internet -> ALB -> app -> database, with the endpoints and NAT path, for one environment. */
export function networkDiagram(m: Model): string {
  const n = m.network;
  const nats = n.natGateways === 'perZone' ? n.zones : n.zones.slice(0, 1);
  const ingress = m.workloads.filter((w) => w.ingress);
  const lines = [
    'flowchart TB',
    `  internet(${label('Internet')})`,
    `  subgraph vpc[${label(`VPC ${n.vpcCidr} · ${m.environment.region}`)}]`,
    '    direction TB',
    `    subgraph public[${label(`Public subnets ${n.zones.map((z) => z.publicCidr).join(', ')}`)}]`,
    `      alb[${label('Application Load Balancer', 'HTTPS 443 (HTTP 80 redirects)')}]`,
    ...nats.map((z) => `      nat${z.index}[${label(`NAT gateway ${z.letter}`)}]`),
    '    end',
    `    subgraph private[${label(`Private subnets ${n.zones.map((z) => z.privateCidr).join(', ')}`)}]`,
    `      app[${label(`EKS ${m.cluster.name}`, ...m.workloads.map((w) => `${w.name} :${w.port}`))}]`,
    ...(n.endpoints.length > 0 ? [`      endpoints[${label('VPC endpoints', n.endpoints.map((e) => e.service).join(', '))}]`] : []),
    '    end',
    `    subgraph isolated[${label(`Isolated subnets ${n.zones.map((z) => z.isolatedCidr).join(', ')}`)}]`,
    `      db[(${label(`Aurora PostgreSQL ${m.database.engineVersion}`, `${m.database.instanceClass} × ${m.database.instances}`)})]`,
    '    end',
    '  end',
    `  internet -->|${label('443')}| alb`,
    ...(ingress.length > 0 ? [`  alb -->|${label(n.appPorts.join(', '))}| app`] : []),
    `  app -->|${label(`${n.databasePort}${m.database.forceSsl ? ' TLS only' : ''}`)}| db`,
    ...(n.endpoints.length > 0 ? ['  app --> endpoints'] : []),
    ...nats.map((z) => `  app -->|${label('outbound')}| nat${z.index}`),
    ...nats.map((z) => `  nat${z.index} --> internet`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Source -> CI -> image -> registry -> promotion commit -> ArgoCD -> probes -> rollback. */
export function pipelineDiagram(p: CiPlan, models: readonly Model[]): string {
  const autoSync = (env: string) => models.find((m) => m.environment.name === env)?.delivery.autoSync ?? false;
  const lines = [
    'flowchart LR',
    `  source[${label('GitHub', p.appRepository)}]`,
    `  pr[${label('Pull request checks', 'lint, unit tests', 'innovate validate, compile --check')}]`,
    `  build[${label('Docker multi-stage build', p.workloads.map((w) => w.workload).join(', '))}]`,
    `  ecr[${label(`Amazon ECR (${p.build.env})`, p.build.scanning ? 'scan, CRITICAL blocks' : 'push')}]`,
    ...(p.build.signingKey ? [`  sign[${label('cosign signature', 'KMS signing key')}]`] : []),
    `  commit[${label('Commit the tag', p.configRepository)}]`,
    `  argo0[${label(`ArgoCD ${p.build.env}`, autoSync(p.build.env) ? 'auto-sync' : 'manual sync')}]`,
    `  probes[${label('Kubernetes probes', 'readiness, liveness, startup')}]`,
    `  rollback[${label('Rollback', 'git revert')}]`,
    `  source --> pr -->|${label(`merge to ${p.branch}`)}| build --> ecr`,
    p.build.signingKey ? '  ecr --> sign --> commit' : '  ecr --> commit',
    '  commit --> argo0 --> probes',
    `  probes -.->|${label('failed rollout')}| rollback`,
  ];
  // One gate per hop, fed by the environment the hop copies from (the build environment's probes, or an earlier hop's ArgoCD).
  p.hops.forEach(({ from, to: t, cveGate }, i) => {
    const source = p.hops.findIndex((h) => h.to.env === from);
    lines.push(`  gate${i}{${label(t.approvalRequired ? `${t.env} approval` : `promote to ${t.env}`, ...(cveGate ? ['no CRITICAL finding'] : []))}}`);
    lines.push(`  argo${i + 1}[${label(`ArgoCD ${t.env}`, autoSync(t.env) ? 'auto-sync' : 'manual sync')}]`);
    lines.push(`  ${source < 0 ? 'probes' : `argo${source + 1}`} --> gate${i} -->|${label('commit the tag')}| argo${i + 1}`);
  });
  return `${lines.join('\n')}\n`;
}
