import * as z from 'zod';
import { accountId, ARN, dnsLabel, githubRepo, region } from './primitives.js';

const permissionSet = z
  .strictObject({
    description: z.string().max(700).default('').describe('Shown in the AWS access portal. @default ""'),
    managedPolicies: z.array(ARN).default([]).describe('AWS managed policy ARNs attached to the permission set. @default []'),
    inlinePolicyActions: z
      .array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, { message: 'must be an IAM action such as eks:DescribeCluster' }))
      .default([])
      .describe('Extra IAM actions granted by an inline policy (never "*"). @default []'),
    sessionDuration: z
      .string()
      .regex(/^PT([1-9]|1[0-2])H$/, { message: 'must be an ISO-8601 duration from PT1H to PT12H' })
      .default('PT8H')
      .describe('Session length. @default PT8H'),
    groupId: z.string().min(1).optional().describe('Identity Store group id assigned to this permission set in every environment account.'),
    environments: z.array(dnsLabel()).optional().describe('Environments whose accounts the group is assigned to. @default all'),
  })
  .describe('An AWS IAM Identity Center (SSO) permission set.');

export const organizationSchema = z
  .strictObject({
    managementAccountId: accountId.describe('The AWS Organizations management account: receives the organization template.'),
    homeRegion: region.default('us-east-1').describe('Region of the management account stack and IAM Identity Center. @default us-east-1'),
    allowedRegions: z
      .array(region)
      .min(1)
      .optional()
      .describe('Regions the SCP allows. @default every environment region and DR region'),
    guardrails: z
      .strictObject({
        denyCloudTrailTampering: z.boolean().default(true).describe('SCP denying StopLogging / DeleteTrail / UpdateTrail. @default true'),
        restrictRegions: z.boolean().default(true).describe('SCP denying actions outside allowedRegions (global services exempt). @default true'),
        denyLeavingOrganization: z.boolean().default(true).describe('SCP denying organizations:LeaveOrganization. @default true'),
      })
      .prefault({})
      .describe('Service control policies attached to every environment account.'),
    sso: z
      .strictObject({
        instanceArn: z
          .string()
          .regex(/^arn:aws:sso:::instance\/ssoins-[a-f0-9]{16}$/, { message: 'must be an IAM Identity Center instance ARN' })
          .describe('IAM Identity Center instance ARN.'),
        permissionSets: z.record(dnsLabel(32), permissionSet).default({}).describe('Permission sets by name (developers, operators, ci…).'),
      })
      .optional()
      .describe('IAM Identity Center: centralized identity across the accounts.'),
    github: z
      .strictObject({
        repositories: z.array(githubRepo).min(1).describe('Repositories whose workflows may assume the CI role.'),
      })
      .optional()
      .describe('GitHub OIDC trust for CI (no long-lived keys). @default the delivery repositories'),
  })
  .describe('AWS Organizations: the management account, its guardrails and identity.');
