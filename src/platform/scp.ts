/**
 * The deploy path as data: who deploys each environment's stacks, what they ask of AWS while doing
 * so, and the service control policies of organization.json those requests pass through. Pure:
 * templates and models in, requests and SCP statements out; the evaluator of permissions.ts decides.
 *
 * Who deploys: `innovate deploy` passes no CloudFormation service role, so CloudFormation creates,
 * changes, rolls back and deletes every resource with the caller's credentials, and the SCPs of the
 * environment's account apply to the caller. The callers are organization.guardrails.deployers: the
 * SSO roles of the permission sets named there (in the accounts each set is assigned to) and the
 * roles named there. Each is represented by one ARN it would have (an SSO role's suffix is random:
 * a fixed one stands for it), evaluated as aws:PrincipalArn.
 *
 * What the deploy path asks: for every stack of the environment (its region from the deploy
 * manifest), the stack operations (cloudformation:*) in that region and, for each resource type
 * of its template, its service's calls (`<service>:*`, standing for every action of the service)
 * in that region, or in us-east-1 for the global services whose API lives there (IAM, Route 53,
 * Organizations, CloudFront, Budgets, Cost Explorer); and for every CloudTrail trail, the trail
 * operations CloudFormation performs on it (create, update, event selectors, start logging,
 * tags, delete on rollback or stack deletion), on the trail's ARN.
 */
import type { Model } from '../compiler/model.js';
import { permissionSetName } from '../compiler/names.js';
import { statementsOf, type PermissionRequest, type PolicyStatement } from './permissions.js';
import type { Source } from './types.js';

type Resources = Readonly<Record<string, { readonly Type: string; readonly Properties?: Readonly<Record<string, unknown>> }>>;

export interface ScpStatement {
  /** The policy's logical id in organization.json. */
  readonly policy: string;
  /** The policy's Name (innovate-deny-cloudtrail-tampering). */
  readonly name: string;
  readonly statement: PolicyStatement;
  readonly source: Source;
}

/** organization.json's guardrail flags by SCP name (<project>-<name>): the spec field behind each policy. */
const GUARDRAIL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'deny-cloudtrail-tampering': ['organization', 'guardrails', 'denyCloudTrailTampering'],
  'restrict-regions': ['organization', 'guardrails', 'restrictRegions'],
  'deny-leaving-organization': ['organization', 'guardrails', 'denyLeavingOrganization'],
};

/** Every statement of the service control policies of a template (Content as an object or a JSON string), with the spec field behind it. */
export function scpStatements(path: string, resources: Resources, project: string): ScpStatement[] {
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::Organizations::Policy' && (r.Properties?.Type ?? 'SERVICE_CONTROL_POLICY') === 'SERVICE_CONTROL_POLICY')
    .flatMap(([id, r]) => {
      const name = String(r.Properties?.Name ?? id);
      const content = typeof r.Properties?.Content === 'string' ? safeJson(r.Properties.Content) : r.Properties?.Content;
      const field = GUARDRAIL_FIELDS[name.startsWith(`${project}-`) ? name.slice(project.length + 1) : name] ?? ['organization', 'guardrails'];
      return statementsOf(content).map((statement) => ({ policy: id, name, statement, source: { artifact: path, resource: id, specPath: [...field] } }));
    });
}

export interface DeployPrincipal {
  /** An ARN the principal has (aws:PrincipalArn). */
  readonly arn: string;
  /** How the spec names it: permission set operators, role innovate-deploy. */
  readonly label: string;
}

/** A fixed suffix standing for the random one IAM Identity Center gives each SSO role. */
const SSO_SUFFIX = '0123456789abcdef';

/**
 * The principals that deploy `model`'s environment: the SSO roles of the deployer permission sets
 * assigned to its account (the path has a region segment when Identity Center lives outside
 * us-east-1) and the deployer roles. Names of unknown or unassigned sets are returned in `unusable`.
 */
export function deployPrincipals(model: Model): { principals: DeployPrincipal[]; unusable: string[] } {
  const o = model.organization;
  if (!o) return { principals: [], unusable: [] };
  const { accountId, name: env } = model.environment;
  const deployers = o.guardrails.deployers;
  const principals: DeployPrincipal[] = [];
  const unusable: string[] = [];
  for (const set of deployers.permissionSets) {
    const p = o.sso?.permissionSets.find((x) => x.name === set);
    if (!p) unusable.push(`permission set ${set} is not under organization.sso.permissionSets`);
    else if (!p.environments.includes(env)) unusable.push(`permission set ${set} is not assigned to ${env}`);
    else {
      const path = `aws-reserved/sso.amazonaws.com/${o.homeRegion === 'us-east-1' ? '' : `${o.homeRegion}/`}`;
      principals.push({ arn: `arn:${model.partition}:iam::${accountId}:role/${path}AWSReservedSSO_${permissionSetName(model.project, set)}_${SSO_SUFFIX}`, label: `the SSO role of permission set ${set}` });
    }
  }
  for (const role of deployers.roles) principals.push({ arn: `arn:${model.partition}:iam::${accountId}:role/${role}`, label: `role ${role}` });
  return { principals, unusable };
}

/** Services whose API is in us-east-1 whatever the stack's region (aws:RequestedRegion is us-east-1). */
const GLOBAL_API = new Set(['iam', 'organizations', 'route53', 'cloudfront', 'budgets', 'ce']);

/** IAM service prefix of a CloudFormation resource type where it is not the type's service name lowercased. */
const SERVICE_PREFIX: Readonly<Record<string, string>> = {
  CertificateManager: 'acm',
  ElasticLoadBalancingV2: 'elasticloadbalancing',
  ApplicationAutoScaling: 'application-autoscaling',
  Logs: 'logs',
  CE: 'ce',
};

export const serviceOf = (type: string): string => {
  const service = type.split('::')[1] ?? type;
  return SERVICE_PREFIX[service] ?? service.toLowerCase();
};

/** What CloudFormation asks of CloudTrail for a trail it manages, across create, update, rollback and delete. */
export const TRAIL_ACTIONS: readonly string[] = [
  'cloudtrail:CreateTrail',
  'cloudtrail:UpdateTrail',
  'cloudtrail:PutEventSelectors',
  'cloudtrail:PutInsightSelectors',
  'cloudtrail:StartLogging',
  'cloudtrail:AddTags',
  'cloudtrail:RemoveTags',
  'cloudtrail:DeleteTrail',
];

export interface DeployRequest {
  readonly request: PermissionRequest;
  /** What needs it: `stack innovate-production-audit: trail innovate-production`. */
  readonly what: string;
  readonly source: Source;
}

/**
 * The requests deploying one environment makes as `principal`: its stacks (`stacks`: template path
 * to region, from the deploy manifest; a template missing there deploys to the environment's region).
 */
export function deployRequests(
  model: Model,
  templates: readonly { readonly path: string; readonly resources: Resources }[],
  stacks: ReadonlyMap<string, string>,
  principal: DeployPrincipal,
): DeployRequest[] {
  const { accountId } = model.environment;
  const context = (region: string) => ({ 'aws:PrincipalArn': principal.arn, 'aws:PrincipalAccount': accountId, 'aws:RequestedRegion': region });
  const out: DeployRequest[] = [];
  for (const t of templates) {
    const region = stacks.get(t.path) ?? model.environment.region;
    const stack = t.path.replace(/^.*\//, '');
    out.push({ request: { action: 'cloudformation:*', resource: '*', context: context(region) }, what: `the stack operations of ${stack} in ${region}`, source: { artifact: t.path, resource: '(stack)' } });
    const services = new Map<string, string>();
    for (const [id, r] of Object.entries(t.resources)) if (!services.has(serviceOf(r.Type))) services.set(serviceOf(r.Type), id);
    for (const [service, id] of services) {
      const where = GLOBAL_API.has(service) ? 'us-east-1' : region;
      out.push({ request: { action: `${service}:*`, resource: '*', context: context(where) }, what: `${service} calls for ${stack} (${t.resources[id]!.Type} ${id}) in ${where}`, source: { artifact: t.path, resource: id } });
    }
    for (const [id, r] of Object.entries(t.resources)) {
      if (r.Type !== 'AWS::CloudTrail::Trail') continue;
      const name = typeof r.Properties?.TrailName === 'string' ? r.Properties.TrailName : id;
      const arn = `arn:${model.partition}:cloudtrail:${region}:${accountId}:trail/${name}`;
      for (const action of TRAIL_ACTIONS) out.push({ request: { action, resource: arn, context: context(region) }, what: `trail ${name} (${stack})`, source: { artifact: t.path, resource: id } });
    }
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
