import * as z from 'zod';
import { ARN, dnsLabel } from './primitives.js';

export const TLS_POLICIES = ['ELBSecurityPolicy-TLS13-1-3-2021-06', 'ELBSecurityPolicy-TLS13-1-2-2021-06', 'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04'] as const;

export const GATEKEEPER_POLICIES = ['requiredResources', 'nonRoot', 'readOnlyRootFilesystem', 'allowedRegistries', 'noLatestTag'] as const;

export const securitySchema = z
  .strictObject({
    kms: z
      .strictObject({
        pendingWindowDays: z.number().int().min(7).max(30).default(30).describe('@default 30'),
      })
      .prefault({})
      .describe('Customer-managed keys (rotation always on) for EKS secrets, EBS, Aurora, S3, ECR, logs, SNS, SQS.'),
    tlsPolicy: z.enum(TLS_POLICIES).default('ELBSecurityPolicy-TLS13-1-3-2021-06').describe('ALB HTTPS listener policy. @default ELBSecurityPolicy-TLS13-1-3-2021-06 (TLS 1.3 only)'),
    podSecurity: z.enum(['restricted', 'baseline']).default('restricted').describe('Pod Security Standard for application namespaces. @default restricted'),
    workloadIdentity: z.enum(['podIdentity', 'irsa']).default('podIdentity').describe('How pods get IAM roles. @default podIdentity'),
    gatekeeper: z.array(z.enum(GATEKEEPER_POLICIES)).default([...GATEKEEPER_POLICIES]).describe('Gatekeeper constraints enforced. @default all'),
    secrets: z
      .record(
        dnsLabel(64),
        z.strictObject({
          description: z.string().max(2048).default('').describe('@default ""'),
          kind: z.enum(['database-user', 'generic']).default('generic').describe('database-user secrets rotate with the hosted PostgreSQL rotation function. @default generic'),
          rotationDays: z.number().int().min(1).max(365).default(30).describe('@default 30'),
          rotationLambdaArn: ARN.optional().describe('Rotation function of a generic secret (required to rotate it).'),
        }),
      )
      .default({})
      .describe('Secrets Manager secrets: declared here, values never in the spec. @default {}'),
  })
  .describe('Encryption, TLS, pod hardening and secrets.');

export const ingressSchema = z
  .strictObject({
    host: z.string().regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, { message: 'must be a DNS host name' }).describe('Public host name of the application.'),
    hostedZoneId: z.string().regex(/^Z[A-Z0-9]{4,32}$/, { message: 'must be a Route 53 hosted zone id' }).optional().describe('Hosted zone for ACM DNS validation records.'),
  })
  .describe('The public entry: one ALB, TLS certificate for host.');

/** Scanner suppressions a policy exception also writes onto its target. */
const scannersSchema = z
  .strictObject({
    cdkNag: z
      .array(z.string().regex(/^[A-Za-z][\w.]*-\w+(\[.+\])?$/, { message: 'must be a cdk-nag rule id such as AwsSolutions-IAM5 or AwsSolutions-IAM5[Resource::*]' }))
      .optional()
      .describe('cdk-nag rule ids (AwsSolutions-…, NIST.800.53.R5-…), optionally with the granular finding in brackets; written to the resource Metadata as cdk_nag.rules_to_suppress.'),
    checkov: z
      .array(z.string().regex(/^CKV2?_[A-Z0-9]+_\d+$/, { message: 'must be a checkov check id such as CKV_AWS_18' }))
      .optional()
      .describe('checkov check ids; written as Metadata checkov.skip (CloudFormation) or checkov.io/skipN annotations (Kubernetes).'),
    cfnLint: z
      .array(z.string().regex(/^[EWI]\d{4}$/, { message: 'must be a cfn-lint rule id such as W3010' }))
      .optional()
      .describe('cfn-lint rule ids; written as Metadata cfn-lint.config.ignore_checks.'),
    kubeLinter: z
      .array(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'must be a kube-linter check name such as no-read-only-root-fs' }))
      .optional()
      .describe('kube-linter check names; written as ignore-check.kube-linter.io/<check> annotations on the Kubernetes target.'),
  })
  .describe('Scanner findings the same exception covers, written onto the target in the form each scanner reads, with this reason.');

export const policySchema = z
  .strictObject({
    exceptions: z
      .array(
        z
          .strictObject({
            rule: z.string().regex(/^INV\d{3}$/, { message: 'must be a rule id such as INV004' }).optional().describe('Invariant rule id (see `innovate validate` output); may be left out when the exception only carries scanner suppressions.'),
            target: z.string().min(1).describe('Artifact path or logical id the exception covers (a CloudFormation logical id, optionally `<artifact path>#<logical id>`, or a Kubernetes `Kind/namespace/name`).'),
            reason: z.string().min(10).describe('Why this is acceptable.'),
            expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' }).describe('Last day the exception applies (YYYY-MM-DD); expired exceptions are findings.'),
            scanners: scannersSchema.optional(),
          })
          .refine((e) => e.rule !== undefined || e.scanners !== undefined, { message: 'an exception needs a rule, scanners, or both', path: ['rule'] }),
      )
      .default([])
      .describe('Exceptions, each with a reason and an expiry date. @default []'),
  })
  .prefault({})
  .describe('Justified, expiring exceptions to invariant rules and to the scanners teams run on the artifacts.');
