import * as z from 'zod/mini';
import { ARN, described, dnsLabel } from './primitives.js';

export const TLS_POLICIES = ['ELBSecurityPolicy-TLS13-1-3-2021-06', 'ELBSecurityPolicy-TLS13-1-2-2021-06', 'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04'] as const;

export const GATEKEEPER_POLICIES = ['requiredResources', 'nonRoot', 'readOnlyRootFilesystem', 'allowedRegistries', 'noLatestTag'] as const;

export const securitySchema = described(
  z.strictObject({
    kms: described(
      z.prefault(
        z.strictObject({
          pendingWindowDays: described(z._default(z.int().check(z.minimum(7), z.maximum(30)), 30), '@default 30'),
        }),
        {},
      ),
      'Customer-managed keys (rotation always on) for EKS secrets, EBS, Aurora, S3, ECR, logs, SNS, SQS.',
    ),
    tlsPolicy: described(
      z._default(z.enum(TLS_POLICIES), 'ELBSecurityPolicy-TLS13-1-3-2021-06'),
      'ALB HTTPS listener policy. @default ELBSecurityPolicy-TLS13-1-3-2021-06 (TLS 1.3 only)',
    ),
    podSecurity: described(z._default(z.enum(['restricted', 'baseline']), 'restricted'), 'Pod Security Standard for application namespaces. @default restricted'),
    workloadIdentity: described(z._default(z.enum(['podIdentity', 'irsa']), 'podIdentity'), 'How pods get IAM roles. @default podIdentity'),
    gatekeeper: described(z._default(z.array(z.enum(GATEKEEPER_POLICIES)), [...GATEKEEPER_POLICIES]), 'Gatekeeper constraints enforced. @default all'),
    admission: described(
      z.prefault(
        z.strictObject({
          imageSignatures: described(
            z.optional(z.enum(['enforce', 'warn'])),
            'sigstore policy-controller verifies the cosign signature of every image in the application namespaces with the KMS key CI signs with (the build environment\'s registry.signing key): enforce rejects an unsigned or wrongly signed image, warn admits it with a warning. Needs registry.signing. @default enforce in production, warn elsewhere',
          ),
          failurePolicy: described(
            z.optional(z.enum(['Fail', 'Ignore'])),
            'What every admission webhook innovate installs (Gatekeeper, policy-controller) does when it cannot answer: Fail rejects the request (fail closed), Ignore admits it. The system namespaces (kube-system and the platform controllers\' namespaces) are never sent to them, so the cluster can always restart its webhooks. @default Fail in production, Ignore elsewhere',
          ),
        }),
        {},
      ),
      'Admission control: image signature verification and how the admission webhooks fail.',
    ),
    secrets: described(
      z._default(
        z.record(
          dnsLabel(64),
          z.strictObject({
            description: described(z._default(z.string().check(z.maxLength(2048)), ''), '@default ""'),
            kind: described(
              z._default(z.enum(['database-user', 'generic']), 'generic'),
              'database-user secrets rotate with the hosted PostgreSQL rotation function. @default generic',
            ),
            rotationDays: described(z._default(z.int().check(z.minimum(1), z.maximum(365)), 30), '@default 30'),
            rotationLambdaArn: described(z.optional(ARN), 'Rotation function of a generic secret (required to rotate it).'),
          }),
        ),
        {},
      ),
      'Secrets Manager secrets: declared here, values never in the spec. @default {}',
    ),
  }),
  'Encryption, TLS, pod hardening and secrets.',
);

export const ingressSchema = described(
  z.strictObject({
    host: described(
      z.string().check(z.regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, { message: 'must be a DNS host name' })),
      'Public host name of the application.',
    ),
    hostedZoneId: described(
      z.optional(z.string().check(z.regex(/^Z[A-Z0-9]{4,32}$/, { message: 'must be a Route 53 hosted zone id' }))),
      'A public Route 53 hosted zone in this environment\'s account whose name is the host or a parent of it (a zone belongs to one account: each environment account needs its own, e.g. staging.example.com delegated from example.com). An explicit external input: innovate does not create it. ACM writes the certificate\'s DNS validation records there and external-dns the host\'s record (alias to the load balancer). Without it innovate writes no DNS: the certificate waits for validation records and the host for a record someone else creates.',
    ),
  }),
  'The public entry: one ALB, TLS certificate for host.',
);

/** Scanner suppressions a policy exception also writes onto its target. */
const scannersSchema = described(
  z.strictObject({
    cdkNag: described(
      z.optional(
        z.array(
          z.string().check(
            z.regex(/^[A-Za-z][\w.]*-\w+(\[.+\])?$/, { message: 'must be a cdk-nag rule id such as AwsSolutions-IAM5 or AwsSolutions-IAM5[Resource::*]' }),
          ),
        ),
      ),
      'cdk-nag rule ids (AwsSolutions-…, NIST.800.53.R5-…), optionally with the granular finding in brackets; written to the resource Metadata as cdk_nag.rules_to_suppress.',
    ),
    checkov: described(
      z.optional(z.array(z.string().check(z.regex(/^CKV2?_[A-Z0-9]+_\d+$/, { message: 'must be a checkov check id such as CKV_AWS_18' })))),
      'checkov check ids; written as Metadata checkov.skip (CloudFormation) or checkov.io/skipN annotations (Kubernetes).',
    ),
    cfnLint: described(
      z.optional(z.array(z.string().check(z.regex(/^[EWI]\d{4}$/, { message: 'must be a cfn-lint rule id such as W3010' })))),
      'cfn-lint rule ids; written as Metadata cfn-lint.config.ignore_checks.',
    ),
    kubeLinter: described(
      z.optional(
        z.array(z.string().check(z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'must be a kube-linter check name such as no-read-only-root-fs' }))),
      ),
      'kube-linter check names; written as ignore-check.kube-linter.io/<check> annotations on the Kubernetes target.',
    ),
  }),
  'Scanner findings the same exception covers, written onto the target in the form each scanner reads, with this reason.',
);

export const policySchema = described(
  z.prefault(
    z.strictObject({
      exceptions: described(
        z._default(
          z.array(
            z
              .strictObject({
                rule: described(
                  z.optional(z.string().check(z.regex(/^INV\d{3}$/, { message: 'must be a rule id such as INV004' }))),
                  'Invariant rule id (see `innovate validate` output); may be left out when the exception only carries scanner suppressions.',
                ),
                target: described(
                  z.string().check(z.minLength(1)),
                  'Artifact path or logical id the exception covers (a CloudFormation logical id, optionally `<artifact path>#<logical id>`, or a Kubernetes `Kind/namespace/name`).',
                ),
                reason: described(z.string().check(z.minLength(10)), 'Why this is acceptable.'),
                expires: described(
                  z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })),
                  'Last day the exception applies (YYYY-MM-DD); expired exceptions are findings.',
                ),
                scanners: z.optional(scannersSchema),
              })
              .check(z.refine((e) => e.rule !== undefined || e.scanners !== undefined, { message: 'an exception needs a rule, scanners, or both', path: ['rule'] })),
          ),
          [],
        ),
        'Exceptions, each with a reason and an expiry date. @default []',
      ),
    }),
    {},
  ),
  'Justified, expiring exceptions to invariant rules and to the scanners teams run on the artifacts.',
);
