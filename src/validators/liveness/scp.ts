/**
 * INV116 (error) "The SCPs allow the deploy path": no service control policy of organization.json
 * denies what deploying an environment's stacks asks of AWS, as the principals that deploy them
 * (organization.guardrails.deployers), in the regions the stacks deploy to (src/platform/scp.ts
 * models the principals, the requests and the SCP statements; the evaluator of
 * src/platform/permissions.ts applies each Deny with its conditions). Today's defect it catches: the
 * CloudTrail guardrail denied UpdateTrail and DeleteTrail to every principal, the deployer included,
 * so any later change to the trail, or a rollback, failed. One finding per SCP statement and
 * principal, at the policy in organization.json, naming what it denies.
 */
import type { Model } from '../../compiler/model.js';
import { denyingStatements } from '../../platform/permissions.js';
import { deployPrincipals, deployRequests, scpStatements, type DeployPrincipal } from '../../platform/scp.js';
import type { PolicyContext, PolicyFinding, Rule } from '../policies/types.js';

const ORGANIZATION = 'cloudformation/organization.json';
const MANIFEST = 'cloudformation/manifest.json';

/** Template path → region, from the deploy manifest when it is in the batch. */
function stackRegions(ctx: PolicyContext): Map<string, string> {
  const a = ctx.artifacts.find((x) => x.path === MANIFEST);
  let data = a?.data;
  if (a && data === undefined) {
    const text = ctx.texts().find((x) => x.path === MANIFEST)?.content;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
  }
  const stacks = data && typeof data === 'object' && Array.isArray((data as { stacks?: unknown }).stacks) ? (data as { stacks: { template?: unknown; region?: unknown }[] }).stacks : [];
  return new Map(stacks.filter((s) => typeof s.template === 'string' && typeof s.region === 'string').map((s) => [s.template as string, s.region as string]));
}

const consequence = (actions: readonly string[]): string =>
  actions.some((a) => a.startsWith('cloudtrail:'))
    ? 'a later change to the trail, a rollback of the audit stack or its deletion fails'
    : 'the deploy fails at the first such call';

export const scpAllowsDeploy: Rule = {
  id: 'INV116',
  title: 'The SCPs allow the deploy path',
  principle: 'first deploy',
  severity: 'error',
  hint: 'exempt the deployers from the guardrail (organization.guardrails.deployers: the permission sets or roles that run `innovate deploy`), or allow the region the stack deploys to (organization.allowedRegions)',
  help: 'innovate deploy passes no CloudFormation service role: CloudFormation creates, changes, rolls back and deletes every resource with the caller\'s credentials, so the service control policies of the environment\'s account apply to the caller. A guardrail that denies the deployer an action on a resource the stacks manage (UpdateTrail on the trail) or a region a stack deploys to makes that change, its rollback or the stack\'s deletion fail. Each SCP statement is evaluated, with its conditions, against what deploying each stack asks as each deployer. See docs/boot.md.',
  check(ctx) {
    const org = ctx.templates.find((t) => t.path === ORGANIZATION);
    const first = ctx.models[0];
    if (!org || !first) return [];
    const statements = scpStatements(org.path, org.resources, first.project).filter((s) => s.statement.Effect === 'Deny');
    if (statements.length === 0) return [];
    const regions = stackRegions(ctx);
    const out: PolicyFinding[] = [];
    for (const model of ctx.models as readonly Model[]) {
      const env = model.environment.name;
      const templates = ctx.templates.filter((t) => t.environment === env);
      if (templates.length === 0) continue;
      const { principals, unusable } = deployPrincipals(model);
      const nobody: DeployPrincipal = { arn: `arn:${model.partition}:iam::${model.environment.accountId}:role/innovate-deployer-not-declared`, label: 'whoever runs innovate deploy (no deployer is usable here)' };
      for (const principal of principals.length ? principals : [nobody]) {
        const denied = new Map<(typeof statements)[number], Map<string, string[]>>();
        for (const { request, what } of deployRequests(model, templates, regions, principal)) {
          for (const s of statements) {
            if (denyingStatements([s.statement], request).length === 0) continue;
            const byWhat = denied.get(s) ?? denied.set(s, new Map()).get(s)!;
            byWhat.set(what, [...(byWhat.get(what) ?? []), request.action]);
          }
        }
        for (const [s, byWhat] of denied) {
          const actions = [...byWhat.values()].flat();
          const list = [...byWhat].slice(0, 4).map(([what, a]) => `${a.join(', ')} (${what})`).join('; ') + (byWhat.size > 4 ? `; and ${byWhat.size - 4} more` : '');
          const why = principals.length ? '' : ` ${unusable.length ? unusable.join('; ') : 'organization.guardrails.deployers names no principal'}, so nobody is exempt.`;
          out.push({
            rule: 'INV116',
            artifact: s.source.artifact,
            target: s.source.resource,
            environment: env,
            ...(s.source.specPath ? { specPath: s.source.specPath } : {}),
            message: `SCP ${s.name} (${s.statement.Sid ?? 'statement'}) denies ${principal.label} in ${env} (account ${model.environment.accountId}): ${list}; ${consequence(actions)}.${why}`,
          });
        }
      }
    }
    return out;
  },
};
