/**
 * INV112 (error) "Each component may do what it calls": what each component asks of AWS is within
 * what its role grants, compared by action, resource and condition with the IAM evaluator of
 * src/platform/permissions.ts (not by action names alone).
 *   - Controllers (src/platform/controllers.ts): the role the controller's service account is bound
 *     to (Pod Identity association or IRSA) grants every request upstream's published policy
 *     admits, except the narrowings listed with their reasons (CONTROLLER_NARROWINGS). One finding
 *     per upstream grant we lack, at the role. A controller deployed with no AWS identity at all
 *     (no association, no IRSA role) is a finding at its pod.
 *   - GitHub workflows: every AWS call a generated workflow job makes (src/emitters/ci/calls.ts:
 *     `aws …` commands, the ECR login, pushes, cosign) is allowed to the role the job assumes, with
 *     a KMS alias read as the key it names (KMS authorizes the key). A command innovate cannot map to
 *     IAM actions is a finding too: the check would otherwise pass without knowing.
 * The workflows are the ones in the batch (compile); `validate` emits none, so they are generated
 * again from the models, as compile would write them.
 */
import type { Model } from '../../compiler/model.js';
import type { Artifact } from '../../emitters/artifact.js';
import { workflowCalls, workflowTextCalls, type JobCalls } from '../../emitters/ci/calls.js';
import { ciEmitter } from '../../emitters/ci/index.js';
import { managedPolicyByArn } from '../../inventory/policies.js';
import { CONTROLLERS, checkController } from '../../platform/controllers.js';
import { cfnText, evaluate, formatGap, pseudoParameters, roleStatements, type PolicyStatement } from '../../platform/permissions.js';
import { indexSources, isObj, type CfnEntry, type Sources } from '../../platform/sources.js';
import type { PolicyContext, PolicyFinding, Rule } from '../policies/types.js';

const WORKFLOW = /(^|\/)workflows\/[^/]+\.ya?ml$/;

/** The jobs of the workflows in the batch, or of the workflows compile would write for these models. */
function workflowJobs(ctx: PolicyContext): JobCalls[] {
  const given = [
    ...ctx.artifacts.filter((a) => WORKFLOW.test(a.path) && a.data !== undefined).flatMap((a) => workflowCalls(a.path, a.data)),
    ...ctx.texts().filter((a) => WORKFLOW.test(a.path)).flatMap((a) => workflowTextCalls(a.path, a.content)),
  ];
  if (given.length > 0 || ctx.models.length === 0 || !ctx.templates.some((t) => t.path.endsWith('/registry.json'))) return given;
  return ciEmitter.emit(ctx.models).flatMap((a: Artifact) => workflowTextCalls(a.path, a.content));
}

/** A role of the templates with every statement it holds, intrinsics resolved through the templates (SSM parameters included). */
function roleOf(src: Sources, model: Model, name: string): { entry: CfnEntry; statements: PolicyStatement[]; unresolved: string[] } | undefined {
  const entry = src.of('AWS::IAM::Role').find((e) => e.props.RoleName === name);
  if (!entry) return undefined;
  const vars = pseudoParameters(model.environment.accountId, model.environment.region, model.partition);
  const documents: unknown[] = [];
  const text = (e: CfnEntry, doc: unknown) => {
    // A Ref or GetAtt as the resource it leads to, whichever template holds it: one symbol per resource.
    const reference = (ref: string, attribute?: string): string | undefined => {
      const r = src.resolve(e.template, attribute ? { 'Fn::GetAtt': [ref, attribute] } : { Ref: ref });
      return r.kind === 'resource' ? `\${${src.key(r.template, r.id)}}` : r.kind === 'literal' ? r.value : undefined;
    };
    documents.push(cfnText(doc, vars, reference));
  };
  for (const p of Array.isArray(entry.props.Policies) ? entry.props.Policies : []) if (isObj(p)) text(entry, p.PolicyDocument);
  const managed: string[] = [];
  for (const arn of Array.isArray(entry.props.ManagedPolicyArns) ? entry.props.ManagedPolicyArns : []) {
    const r = src.resolve(entry.template, arn);
    if (r.kind === 'literal') managed.push(r.value);
  }
  for (const type of ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy']) {
    for (const e of src.of(type)) {
      const attached = (Array.isArray(e.props.Roles) ? e.props.Roles : []).some((x) => {
        const r = src.resolve(e.template, x);
        return (r.kind === 'resource' && r.template === entry.template.path && r.id === entry.id) || (r.kind === 'literal' && r.value === name);
      });
      const byArn = (Array.isArray(entry.props.ManagedPolicyArns) ? entry.props.ManagedPolicyArns : []).some((x) => {
        const r = src.resolve(entry.template, x);
        return r.kind === 'resource' && r.template === e.template.path && r.id === e.id;
      });
      if (attached || byArn) text(e, e.props.PolicyDocument);
    }
  }
  const { statements, unresolved } = roleStatements(documents, managed, managedPolicyByArn);
  return { entry, statements, unresolved };
}

/** A call's resource as the evaluator should see it: a KMS alias is authorized as the key it names. */
function callResource(src: Sources, resource: string): string {
  const alias = /^arn:[^:]+:kms:[^:]*:\d{12}:(alias\/.+)$/.exec(resource)?.[1];
  if (!alias) return resource;
  const entry = src.of('AWS::KMS::Alias').find((e) => e.props.AliasName === alias);
  const target = entry ? src.resolve(entry.template, entry.props.TargetKeyId) : undefined;
  return target?.kind === 'resource' ? `\${${src.key(target.template, target.id)}}` : resource;
}

function workflowFindings(ctx: PolicyContext): PolicyFinding[] {
  const jobs = workflowJobs(ctx).filter((j) => j.role);
  if (jobs.length === 0) return [];
  const out: PolicyFinding[] = [];
  const sources = new Map<string, Sources>();
  for (const job of jobs) {
    const m = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(job.role!);
    if (!m) continue;
    const model = ctx.models.find((x) => x.environment.accountId === m[1]);
    if (!model) continue;
    const env = model.environment.name;
    if (!sources.has(env)) sources.set(env, indexSources(ctx.artifacts as readonly Artifact[], env));
    const src = sources.get(env)!;
    const role = roleOf(src, model, m[2]!);
    if (!role) continue; // not in this batch, or not created by the output (INV110's concern)
    const at = { rule: 'INV112', artifact: role.entry.template.path, target: role.entry.id, environment: env, specPath: ['delivery'] };
    for (const command of job.unmapped) out.push({ ...at, message: `${job.workflow} job ${job.job} calls AWS through ${command}, which innovate cannot map to IAM actions (src/emitters/ci/calls.ts), so nothing proves role ${m[2]} may make the call` });
    for (const call of job.calls) {
      const decision = evaluate(role.statements, { action: call.action, resource: callResource(src, call.resource) });
      if (decision.allowed) continue;
      const why = decision.reason === 'explicit-deny' ? `denied by ${decision.statements.join(', ')}` : `no statement allows it${role.unresolved.length ? ` (AWS managed ${role.unresolved.join(', ')} not in the inventory: unknown grants)` : ''}`;
      out.push({ ...at, message: `${job.workflow} job ${job.job}: ${call.source} needs ${call.action} on ${call.resource}, which role ${m[2]} does not allow (${why})` });
    }
  }
  return out;
}

export const permissionsCovered: Rule = {
  id: 'INV112',
  title: 'Each component may do what it calls',
  principle: 'permissions',
  severity: 'error',
  hint: 'grant the missing action on the resource named (in the role the component runs as), or, for a deliberate narrowing of a controller\'s upstream policy, list it with its reason in CONTROLLER_NARROWINGS',
  help: 'A controller whose role lacks an action its project\'s published policy grants fails at run time (Karpenter without ec2:DescribeInstanceStatus turns its instance health checks off); a workflow whose role lacks a call fails the job, or waits forever where the error is hidden. Each controller\'s role is compared with the vendored upstream policy by action, resource and condition; each workflow call (every `aws …` command, the ECR login, pushes, cosign) is evaluated against the role the job assumes. See docs/boot.md.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const { model, platform } of ctx.platforms()) {
      const env = platform.environment;
      for (const controller of CONTROLLERS) {
        const r = checkController(controller, platform, model);
        if (r.kind === 'unbound') {
          const p = r.pod;
          out.push({
            rule: 'INV112',
            artifact: p.source.artifact,
            target: p.source.resource,
            environment: env,
            ...(p.source.specPath ? { specPath: p.source.specPath } : {}),
            message: `${p.id} calls AWS (its project publishes the ${controller.policy} policy) but its service account ${p.namespace}/${p.serviceAccount ?? '(none)'} has no Pod Identity association or IRSA role: every call is refused (or made with the node's role)`,
          });
        }
        if (r.kind !== 'compared') continue;
        const unknown = r.unresolved.length ? ` (AWS managed ${r.unresolved.join(', ')} not in the inventory: its grants are unknown)` : '';
        for (const gap of r.comparison.gaps) {
          out.push({
            rule: 'INV112',
            artifact: r.role.source.artifact,
            target: r.role.source.resource,
            environment: env,
            ...(r.pod.identity?.source.specPath ? { specPath: r.pod.identity.source.specPath } : {}),
            message: `${r.role.name ?? r.role.id} (${r.pod.id}) lacks what upstream ${controller.policy} grants: ${formatGap(gap)}${unknown}`,
          });
        }
      }
    }
    return [...out, ...workflowFindings(ctx)];
  },
};
