/**
 * Which templates exist, in which order they deploy, and where (account, region). The
 * order is the contract of SSM wiring: a template only reads what an earlier one publishes.
 */
import type { Model } from '../../compiler/model.js';
import { auditTemplate } from './audit.js';
import { clusterTemplate } from './cluster.js';
import { costTemplate } from './cost.js';
import { dataTemplate } from './data.js';
import { drTemplate } from './dr.js';
import { karpenterTemplate } from './karpenter.js';
import { networkTemplate } from './network.js';
import { observabilityTemplate } from './observability.js';
import { organizationTemplate } from './organization.js';
import { registryTemplate } from './registry.js';
import { securityTemplate } from './security.js';
import { applySuppressions } from './suppressions.js';
import type { Template } from './template.js';

interface StackKind {
  readonly name: string;
  readonly build: (m: Model) => Template | undefined;
  readonly region?: (m: Model) => string;
}

/** Per-environment stacks in deploy order. */
export const STACKS: readonly StackKind[] = [
  { name: 'security', build: securityTemplate },
  { name: 'network', build: networkTemplate },
  { name: 'audit', build: auditTemplate },
  { name: 'registry', build: registryTemplate },
  { name: 'cluster', build: clusterTemplate },
  { name: 'karpenter', build: karpenterTemplate },
  { name: 'data', build: dataTemplate },
  { name: 'observability', build: observabilityTemplate },
  // Cost Explorer and Budgets are served from us-east-1.
  { name: 'cost', build: costTemplate, region: () => 'us-east-1' },
  { name: 'dr', build: (m) => (m.database.crossRegionReplica && m.environment.drRegion ? drTemplate(m) : undefined), region: (m) => m.environment.drRegion ?? m.environment.region },
];

export interface PlannedStack {
  readonly stackName: string;
  readonly template: string;
  readonly environment?: string;
  readonly accountId: string;
  readonly region: string;
  readonly capabilities: readonly string[];
  readonly body: Template;
}

function capabilities(t: Template): string[] {
  const caps: string[] = [];
  if (Object.values(t.resources).some((r) => r.Type === 'AWS::IAM::Role')) caps.push('CAPABILITY_NAMED_IAM');
  if (t.transform) caps.push('CAPABILITY_AUTO_EXPAND');
  return caps;
}

export function plan(models: readonly Model[]): PlannedStack[] {
  const out: PlannedStack[] = [];
  const first = models[0];
  const org = first ? organizationTemplate(first, models) : undefined;
  if (first?.organization && org) {
    applySuppressions(org, 'cloudformation/organization.json');
    out.push({ stackName: `${first.project}-organization`, template: 'cloudformation/organization.json', accountId: first.organization.managementAccountId, region: first.organization.homeRegion, capabilities: capabilities(org), body: org });
  }
  for (const m of models) {
    for (const kind of STACKS) {
      const body = kind.build(m);
      if (!body) continue;
      const template = `cloudformation/${m.environment.name}/${kind.name}.json`;
      applySuppressions(body, template);
      out.push({
        stackName: `${m.names.cluster}-${kind.name}`,
        template,
        environment: m.environment.name,
        accountId: m.environment.accountId,
        region: kind.region ? kind.region(m) : m.environment.region,
        capabilities: capabilities(body),
        body,
      });
    }
  }
  return out;
}
