/**
 * The controllers that call AWS and the policy their project publishes for them: one catalogue for
 * the Permissions rule (INV112, src/validators/liveness/permissions.ts) and the upstream-policies
 * test. Each entry names the pod that makes the calls (a Pod id of the platform model), so the role
 * is found the way the pod finds it: its service account's Pod Identity association or IRSA role.
 * The upstream documents are the vendored ones (inventory/upstream-policies, embedded at build time
 * in src/inventory/data/policies.generated.ts, so the bundled CLI reads no file), with their
 * placeholders filled in for the environment; the narrowings (what we grant less, and why) live
 * next to the emitter that writes the policies (CONTROLLER_NARROWINGS).
 */
import type { Model } from '../compiler/model.js';
import { CONTROLLER_NARROWINGS } from '../emitters/cloudformation/policies.js';
import { managedPolicyByArn, UPSTREAM_POLICIES, type UpstreamPolicyName } from '../inventory/policies.js';
import { cfnText, compareToUpstream, pseudoParameters, roleStatements, substitute, type Narrowing, type PolicyStatement, type UpstreamComparison } from './permissions.js';
import type { Platform, Pod, Principal } from './types.js';

export interface Controller {
  readonly policy: UpstreamPolicyName;
  /** The pod that calls AWS with it (Pod.id). */
  readonly pod: string;
}

export const CONTROLLERS: readonly Controller[] = [
  { policy: 'karpenter', pod: 'chart:karpenter/karpenter' },
  { policy: 'aws-load-balancer-controller', pod: 'chart:aws-load-balancer-controller/aws-load-balancer-controller' },
  { policy: 'aws-ebs-csi-driver', pod: 'addon:aws-ebs-csi-driver/ebs-csi-controller' },
  { policy: 'external-secrets', pod: 'chart:external-secrets/external-secrets' },
  { policy: 'cloudwatch-agent', pod: 'addon:amazon-cloudwatch-observability/cloudwatch-agent' },
  { policy: 'external-dns', pod: 'chart:external-dns/external-dns' },
];

export const narrowingsOf = (policy: UpstreamPolicyName): readonly Narrowing[] => (CONTROLLER_NARROWINGS as Partial<Record<UpstreamPolicyName, readonly Narrowing[]>>)[policy] ?? [];

/** The variables both sides share: pseudo parameters of the environment and the cluster name (upstream's ${ClusterName}). */
export const policyVariables = (model: Model): Record<string, string> => ({
  ...pseudoParameters(model.environment.accountId, model.environment.region, model.partition),
  ClusterName: model.cluster.name,
});

/**
 * Upstream's documents with their placeholders filled in for this environment. External Secrets'
 * page pins an example (secrets dev-* of account 111122223333 in us-west-2): read as this
 * environment's secret prefix (<project>/<env>/*), which is what the page tells readers to substitute.
 */
const upstreamCache = new Map<string, { Id?: string; Statement: readonly unknown[] }[]>();
export function upstreamDocuments(policy: UpstreamPolicyName, model: Model): { Id?: string; Statement: readonly unknown[] }[] {
  const key = `${policy} ${model.partition} ${model.environment.accountId} ${model.environment.region} ${model.cluster.name} ${model.project}/${model.environment.name}`;
  let docs = upstreamCache.get(key);
  if (!docs) {
    if (upstreamCache.size > 64) upstreamCache.clear();
    upstreamCache.set(key, (docs = upstreamDocumentsOf(policy, model)));
  }
  return docs;
}

function upstreamDocumentsOf(policy: UpstreamPolicyName, model: Model): { Id?: string; Statement: readonly unknown[] }[] {
  const vars = policyVariables(model);
  const docs = UPSTREAM_POLICIES[policy].documents.map((d) => substitute(d, vars) as { Id?: string; Statement: readonly unknown[] });
  if (policy !== 'external-secrets') return docs;
  const ours = `arn:${model.partition}:secretsmanager:${model.environment.region}:${model.environment.accountId}:secret:${model.project}/${model.environment.name}/*`;
  return JSON.parse(JSON.stringify(docs).replaceAll('arn:aws:secretsmanager:us-west-2:111122223333:secret:dev-*', ours));
}

/**
 * Every statement a role holds, as text the evaluator compares: its inline and customer managed
 * policies (intrinsics as upstream's placeholders, see cfnText) and the AWS managed policies it
 * attaches, from the vendored inventory; `unresolved` lists managed policies the inventory lacks.
 */
export function statementsOfRole(role: Principal, model: Model): { statements: PolicyStatement[]; unresolved: string[] } {
  const vars = policyVariables(model);
  const documents = role.permissions.map((p) => ({ Statement: p.statements.map((s) => cfnText(s, vars)) }));
  return roleStatements(documents, role.managedPolicyArns, managedPolicyByArn);
}

export type ControllerCheck =
  | { readonly kind: 'absent' }
  | { readonly kind: 'unbound'; readonly pod: Pod }
  | { readonly kind: 'external'; readonly pod: Pod }
  | { readonly kind: 'compared'; readonly pod: Pod; readonly role: Principal; readonly comparison: UpstreamComparison; readonly unresolved: readonly string[] };

/**
 * One controller on one platform: not deployed (absent), deployed without an AWS identity (unbound),
 * running as a role no template creates (external: the Identity rule's concern), or its role compared
 * with upstream.
 */
export function checkController(controller: Controller, platform: Platform, model: Model): ControllerCheck {
  const pod = platform.pods.find((p) => p.id === controller.pod);
  if (!pod || !(controller.policy in UPSTREAM_POLICIES)) return { kind: 'absent' };
  if (!pod.identity) return { kind: 'unbound', pod };
  const role = pod.identity.role ? platform.principals.roles.find((r) => r.id === pod.identity!.role) : undefined;
  if (!role) return { kind: 'external', pod };
  const { statements, unresolved } = statementsOfRole(role, model);
  return { kind: 'compared', pod, role, comparison: compareToUpstream(statements, upstreamDocuments(controller.policy, model), narrowingsOf(controller.policy)), unresolved };
}
