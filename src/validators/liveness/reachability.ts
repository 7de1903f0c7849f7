/**
 * INV101: every flow the platform needs gets through security groups, route tables, NACLs and
 * NetworkPolicies (src/platform/flows.ts lists them, src/platform/reach.ts decides). Failures of
 * one kind of flow stopped by the same fact are one finding naming every flow it stops.
 */
import { FLOW_KINDS, Network, requiredFlows } from '../../platform/index.js';
import type { PolicyFinding, Rule } from '../policies/types.js';

export const reachability: Rule = {
  id: 'INV101',
  title: 'Every flow the platform needs gets through',
  principle: 'reachability',
  severity: 'error',
  hint: 'open the flow at the layer named (a security-group rule, NACL entry, route or NetworkPolicy), or select the groups EKS needs (the cluster security group) for the node kind',
  help: 'Nodes must reach the API server (443) and the control plane the kubelet (10250) and the webhook pods; pods must reach CoreDNS (53), load balancers their targets, workloads the database, nodes and controllers the AWS APIs (through an interface endpoint, a gateway endpoint or a NAT gateway), rotation functions the database and Secrets Manager. Each flow is checked through security groups (egress at the source, ingress at the destination), the source subnet route table, both subnets NACLs in both directions (ephemeral ports for the reply) and the NetworkPolicies of the pods namespaces, for every node kind a pod may run on. See docs/boot.md.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const { model, platform } of ctx.platforms()) {
      const net = new Network(platform.network);
      const groups = new Map<string, { flows: string[]; finding: Omit<PolicyFinding, 'message'>; message: string; kind: string }>();
      for (const flow of requiredFlows(platform, model)) {
        const v = flow.check(net);
        if (v.ok || !v.blocked) continue;
        const at = v.blocked.source ?? flow.report;
        const key = `${flow.kind}|${v.blocked.layer}|${at.artifact}#${at.resource}`;
        const g = groups.get(key);
        if (g) g.flows.push(flow.description);
        else {
          groups.set(key, {
            flows: [flow.description],
            kind: FLOW_KINDS[flow.kind].title,
            message: v.blocked.message,
            finding: { rule: 'INV101', artifact: at.artifact, target: at.resource, environment: platform.environment, ...((at.specPath ?? flow.report.specPath) ? { specPath: at.specPath ?? flow.report.specPath } : {}) },
          });
        }
      }
      for (const g of groups.values()) {
        const more = g.flows.length > 1 ? ` (and ${g.flows.length - 1} more flow${g.flows.length > 2 ? 's' : ''} of this kind: ${g.flows.slice(1, 4).join('; ')}${g.flows.length > 4 ? '; …' : ''})` : '';
        out.push({ ...g.finding, message: `${g.kind}: ${g.flows[0]} is blocked: ${g.message}${more}` });
      }
    }
    return out;
  },
};
