import * as z from 'zod/mini';
import { accountId, ARN, described, dnsLabel, githubRepo, region } from './primitives.js';

const permissionSet = described(
  z.strictObject({
    description: described(z._default(z.string().check(z.maxLength(700)), ''), 'Shown in the AWS access portal. @default ""'),
    managedPolicies: described(z._default(z.array(ARN), []), 'AWS managed policy ARNs attached to the permission set. @default []'),
    inlinePolicyActions: described(
      z._default(z.array(z.string().check(z.regex(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, { message: 'must be an IAM action such as eks:DescribeCluster' }))), []),
      'Extra IAM actions granted by an inline policy (never "*"). @default []',
    ),
    sessionDuration: described(
      z._default(z.string().check(z.regex(/^PT([1-9]|1[0-2])H$/, { message: 'must be an ISO-8601 duration from PT1H to PT12H' })), 'PT8H'),
      'Session length. @default PT8H',
    ),
    groupId: described(z.optional(z.string().check(z.minLength(1))), 'Identity Store group id assigned to this permission set in every environment account.'),
    environments: described(z.optional(z.array(dnsLabel())), 'Environments whose accounts the group is assigned to. @default all'),
  }),
  'An AWS IAM Identity Center (SSO) permission set.',
);

export const organizationSchema = described(
  z.strictObject({
    managementAccountId: described(accountId.clone(), 'The AWS Organizations management account: receives the organization template.'),
    homeRegion: described(z._default(region, 'us-east-1'), 'Region of the management account stack and IAM Identity Center. @default us-east-1'),
    allowedRegions: described(z.optional(z.array(region).check(z.minLength(1))), 'Regions the SCP allows. Include us-east-1: every environment\'s cost stack (Budgets, Cost Explorer) deploys there. @default every environment region and DR region, the home region and us-east-1'),
    guardrails: described(
      z.prefault(
        z.strictObject({
          denyCloudTrailTampering: described(z._default(z.boolean(), true), 'SCP denying StopLogging / DeleteTrail / UpdateTrail. @default true'),
          restrictRegions: described(z._default(z.boolean(), true), 'SCP denying actions outside allowedRegions (global services exempt). @default true'),
          denyLeavingOrganization: described(z._default(z.boolean(), true), 'SCP denying organizations:LeaveOrganization. @default true'),
          deployers: described(
            z._default(
              z.strictObject({
                permissionSets: described(
                  z._default(z.array(dnsLabel(32)), []),
                  'Permission sets (under organization.sso.permissionSets) whose users run `innovate deploy`: their SSO roles (AWSReservedSSO_<set>_*) in the accounts the set is assigned to. @default []',
                ),
                roles: described(
                  z._default(z.array(z.string().check(z.regex(/^[\w+=,.@-]{1,64}$/, { message: 'must be an IAM role name' }))), []),
                  'Existing IAM roles (same name in every environment account) that run `innovate deploy`, such as a pipeline\'s deploy role: explicit inputs. @default []',
                ),
              }),
              { permissionSets: [], roles: ['innovate-deploy'] },
            ),
            'Who deploys the stacks. `innovate deploy` passes no CloudFormation service role, so CloudFormation changes the trail with the caller\'s credentials: these principals, and only these, are exempt from the CloudTrail guardrail, so that a later change to the trail, a rollback or the audit stack\'s deletion can go through. @default roles [innovate-deploy]',
          ),
        }),
        {},
      ),
      'Service control policies attached to every environment account.',
    ),
    sso: described(
      z.optional(
        z.strictObject({
          instanceArn: described(
            z.string().check(z.regex(/^arn:aws:sso:::instance\/ssoins-[a-f0-9]{16}$/, { message: 'must be an IAM Identity Center instance ARN' })),
            'IAM Identity Center instance ARN.',
          ),
          permissionSets: described(z._default(z.record(dnsLabel(32), permissionSet), {}), 'Permission sets by name (developers, operators, ci…).'),
        }),
      ),
      'IAM Identity Center: centralized identity across the accounts.',
    ),
    github: described(
      z.optional(
        z.strictObject({
          repositories: described(z.array(githubRepo).check(z.minLength(1)), 'Repositories whose workflows may assume the CI role.'),
        }),
      ),
      'GitHub OIDC trust for CI (no long-lived keys). @default the delivery repositories',
    ),
  }),
  'AWS Organizations: the management account, its guardrails and identity.',
);
