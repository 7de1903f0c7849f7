/**
 * organization.json (management account, home region): service control policies attached
 * to every environment account, and IAM Identity Center permission sets with their group
 * assignments. Built from the first model: organization and environments are spec-wide.
 */
import type { Model } from '../../compiler/model.js';
import { logicalId, permissionSetName, ssoRolePatterns } from '../../compiler/names.js';
import { document, type Statement } from './iam.js';
import { getAtt, Template } from './template.js';

/** Global services whose endpoints live in us-east-1: exempt from the region guardrail. */
const GLOBAL_SERVICES = [
  'a4b:*', 'access-analyzer:*', 'account:*', 'acm:*', 'aws-marketplace-management:*', 'aws-marketplace:*', 'aws-portal:*', 'budgets:*', 'ce:*',
  'chatbot:*', 'chime:*', 'cloudfront:*', 'config:*', 'cur:*', 'directconnect:*', 'ec2:DescribeRegions', 'ec2:DescribeTransitGateways',
  'ec2:DescribeVpnGateways', 'fms:*', 'globalaccelerator:*', 'health:*', 'iam:*', 'importexport:*', 'kms:*', 'mobileanalytics:*',
  'networkmanager:*', 'organizations:*', 'pricing:*', 'route53:*', 'route53domains:*', 'route53-recovery-cluster:*',
  'route53-recovery-control-config:*', 'route53-recovery-readiness:*', 's3:GetAccountPublic*', 's3:ListAllMyBuckets', 's3:ListMultiRegionAccessPoints',
  's3:PutAccountPublic*', 'shield:*', 'sso:*', 'sts:*', 'support:*', 'trustedadvisor:*', 'waf-regional:*', 'waf:*', 'wafv2:*', 'wellarchitected:*',
];

/**
 * The ARNs of the principals that deploy the environments' stacks (organization.guardrails.deployers),
 * as aws:PrincipalArn patterns: the SSO roles of each deployer permission set in the accounts it is
 * assigned to (ssoRolePatterns: the suffix is random), and each deployer role in every environment account.
 */
export function deployerArnPatterns(m: Model, o: NonNullable<Model['organization']>): string[] {
  const { permissionSets, roles } = o.guardrails.deployers;
  const accounts = (envs: readonly { readonly accountId: string }[]) => [...new Set(envs.map((e) => e.accountId))].sort();
  return [
    ...permissionSets.flatMap((set) => {
      const p = o.sso?.permissionSets.find((x) => x.name === set);
      return p ? accounts(m.environments.filter((e) => p.environments.includes(e.name))).flatMap((a) => ssoRolePatterns(a, permissionSetName(m.project, set))) : [];
    }),
    ...roles.flatMap((role) => accounts(m.environments).map((a) => `arn:${m.partition}:iam::${a}:role/${role}`)),
  ];
}

function scps(t: Template, m: Model, o: NonNullable<Model['organization']>): void {
  const targets = m.environments.map((e) => e.accountId);
  const policies: [string, string, Statement][] = [];
  if (o.guardrails.denyCloudTrailTampering) {
    // Who deploys: `innovate deploy` passes no CloudFormation service role and no output creates a
    // deploy role (the CI role only pushes and promotes images), so CloudFormation changes the trail
    // with the credentials of whoever runs the deploy: organization.guardrails.deployers. They alone
    // are exempt, or no later change to the trail, rollback or deletion of the audit stack could pass.
    const exempt = deployerArnPatterns(m, o);
    policies.push([
      'deny-cloudtrail-tampering',
      exempt.length ? 'CloudTrail cannot be stopped, deleted or changed, except by the deployers (organization.guardrails.deployers)' : 'CloudTrail cannot be stopped, deleted or changed',
      {
        Sid: 'DenyCloudTrailTampering',
        Effect: 'Deny',
        Action: ['cloudtrail:DeleteTrail', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail'],
        Resource: '*',
        ...(exempt.length ? { Condition: { ArnNotLike: { 'aws:PrincipalArn': exempt } } } : {}),
      },
    ]);
  }
  if (o.guardrails.restrictRegions) {
    policies.push([
      'restrict-regions',
      `Only ${o.allowedRegions.join(', ')} (global services exempt)`,
      { Sid: 'DenyOutsideAllowedRegions', Effect: 'Deny', NotAction: GLOBAL_SERVICES, Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': [...o.allowedRegions] } } } as unknown as Statement,
    ]);
  }
  if (o.guardrails.denyLeavingOrganization) {
    policies.push(['deny-leaving-organization', 'Accounts cannot leave the organization', { Sid: 'DenyLeavingOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }]);
  }
  for (const [name, description, statement] of policies) {
    t.add(logicalId(name, 'policy'), 'AWS::Organizations::Policy', {
      Name: `${m.project}-${name}`,
      Description: description,
      Type: 'SERVICE_CONTROL_POLICY',
      Content: document([statement]),
      TargetIds: targets,
    });
  }
}

/**
 * Permission sets and their group assignments. A set that teams map to may assume those teams'
 * roles (src/emitters/cloudformation/teams.ts), by exact ARN, in every environment where they exist.
 */
function sso(t: Template, m: Model, o: NonNullable<Model['organization']>, models: readonly Model[]): void {
  if (!o.sso) return;
  for (const p of o.sso.permissionSets) {
    const id = logicalId(p.name, 'permission', 'set');
    const teamRoles = [...new Set(models.flatMap((x) => x.teams.filter((team) => team.principal.kind === 'permission-set' && team.principal.permissionSet === p.name).map((team) => team.roleArn)))].sort();
    const inline: Statement[] = [
      ...(p.inlinePolicyActions.length ? [{ Sid: 'Inline', Effect: 'Allow' as const, Action: [...p.inlinePolicyActions], Resource: '*' }] : []),
      ...(teamRoles.length ? [{ Sid: 'AssumeTeamRoles', Effect: 'Allow' as const, Action: 'sts:AssumeRole', Resource: teamRoles }] : []),
    ];
    t.add(id, 'AWS::SSO::PermissionSet', {
      InstanceArn: o.sso.instanceArn,
      Name: permissionSetName(m.project, p.name),
      Description: p.description || p.name,
      SessionDuration: p.sessionDuration,
      ...(p.managedPolicies.length ? { ManagedPolicies: [...p.managedPolicies] } : {}),
      ...(inline.length ? { InlinePolicy: document(inline) } : {}),
    });
    if (!p.groupId) continue;
    for (const env of m.environments.filter((e) => p.environments.includes(e.name))) {
      t.add(logicalId(p.name, env.name, 'assignment'), 'AWS::SSO::Assignment', {
        InstanceArn: o.sso.instanceArn,
        PermissionSetArn: getAtt(id, 'PermissionSetArn'),
        PrincipalType: 'GROUP',
        PrincipalId: p.groupId,
        TargetType: 'AWS_ACCOUNT',
        TargetId: env.accountId,
      });
    }
  }
}

/** `models`: every environment's model (teams differ per environment); `m` builds the spec-wide parts. */
export function organizationTemplate(m: Model, models: readonly Model[] = [m]): Template | undefined {
  const o = m.organization;
  if (!o) return undefined;
  // Spec-wide: the environment tag of whichever model built it does not apply.
  const t = new Template({ ...m, tags: m.tags.filter((x) => x.key !== 'environment') }, `${m.project}: organization guardrails (SCPs) and IAM Identity Center permission sets, for the management account.`);
  scps(t, m, o);
  sso(t, m, o, models);
  return t;
}
