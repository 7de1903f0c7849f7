import { get, resourcesOf } from '../context.js';
import type { PolicyFinding, Rule } from '../types.js';

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every policy statement in a resource: inline role policies, managed policies, resource policies. */
function statements(props: Record<string, unknown> | undefined): { where: string; s: Record<string, unknown> }[] {
  const out: { where: string; s: Record<string, unknown> }[] = [];
  for (const p of (get(props, 'Policies') ?? []) as unknown[]) {
    for (const s of list(get(p, 'PolicyDocument', 'Statement'))) out.push({ where: String(get(p, 'PolicyName') ?? 'inline'), s: s as Record<string, unknown> });
  }
  for (const key of ['PolicyDocument', 'KeyPolicy']) for (const s of list(get(props, key, 'Statement'))) out.push({ where: key, s: s as Record<string, unknown> });
  return out;
}

export const leastPrivilege: Rule = {
  id: 'INV012',
  title: 'No "*" action on "*" resource',
  principle: 'least privilege',
  severity: 'error',
  hint: 'scope actions to the service and resources to ARNs',
  help: 'No IAM statement allows every action on every resource; "*" resources appear only with actions that cannot be scoped.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::SSO::PermissionSet')) {
      const inline = get(r.Properties, 'InlinePolicy');
      const all = [...statements(r.Properties), ...list(get(inline, 'Statement')).map((s) => ({ where: 'InlinePolicy', s: s as Record<string, unknown> }))];
      for (const { where, s } of all) {
        if (s.Effect !== 'Allow') continue;
        const actions = list(s.Action).map(String);
        const resources = list(s.Resource).map(String);
        if (actions.some((a) => a === '*' || a === '*:*') && resources.includes('*')) out.push({ rule: this.id, message: `${id} (${where}) allows every action on every resource`, artifact: t.path, target: id });
        if (s.NotAction !== undefined) out.push({ rule: this.id, message: `${id} (${where}) allows with NotAction`, artifact: t.path, target: id });
      }
    }
    return out;
  },
};

export const scopedTrust: Rule = {
  id: 'INV013',
  title: 'Trust policies scoped',
  principle: 'least privilege',
  severity: 'error',
  hint: 'trust a service, a named account or a federated provider with conditions, never "*"',
  help: 'Role trust policies name a service principal, a specific account, or a federated provider restricted by audience and subject conditions.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::IAM::Role')) {
      for (const s of list(get(r.Properties, 'AssumeRolePolicyDocument', 'Statement')) as Record<string, unknown>[]) {
        if (s.Effect !== 'Allow') continue;
        const p = s.Principal;
        const aws = list(get(p, 'AWS')).map(String);
        if (p === '*' || aws.includes('*')) out.push({ rule: this.id, message: `${id} can be assumed by anyone`, artifact: t.path, target: id });
        if (get(p, 'Federated') !== undefined && s.Condition === undefined) out.push({ rule: this.id, message: `${id} trusts a federated provider without conditions`, artifact: t.path, target: id });
      }
    }
    return out;
  },
};
