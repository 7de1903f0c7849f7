import * as z from 'zod/mini';
import { cidr, described, logRetentionDays } from './primitives.js';

/** Interface endpoints are PrivateLink; s3 is always a gateway endpoint. */
export const VPC_ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 's3', 'sts', 'logs', 'monitoring', 'secretsmanager', 'ssm', 'kms', 'ec2', 'elasticloadbalancing', 'sqs', 'eks', 'eks-auth', 'xray'] as const;

/** Shared by the three tiers: each describes its own clone. */
const tierCidrs = z.optional(z.array(cidr).check(z.minLength(1)));

export const networkSchema = described(
  z.strictObject({
    vpcCidr: described(z._default(cidr, '10.10.0.0/16'), 'VPC CIDR block. @default 10.10.0.0/16'),
    zones: described(
      z._default(
        z.array(z.string().check(z.regex(/^[a-z]$/, { message: 'must be an availability-zone letter such as a' }))).check(z.minLength(1), z.maxLength(6)),
        ['a', 'b', 'c'],
      ),
      'Availability-zone letters appended to the region (us-east-1 + a = us-east-1a). @default [a, b, c]',
    ),
    subnets: described(
      z.prefault(
        z.strictObject({
          public: described(tierCidrs.clone(), 'Public subnets, one per zone: ALB and NAT gateways only. @default x.y.101+i.0/24 of a /16'),
          private: described(tierCidrs.clone(), 'Private (application) subnets, one per zone: EKS nodes and pods. @default x.y.1+i.0/24 of a /16'),
          isolated: described(tierCidrs.clone(), 'Isolated (database) subnets, one per zone: no route off the VPC. @default x.y.201+i.0/24 of a /16'),
        }),
        {},
      ),
      'Subnet CIDRs per tier, in zone order. Omitted tiers are planned from vpcCidr.',
    ),
    natGateways: described(
      z.optional(z.enum(['perZone', 'single'])),
      'One NAT gateway per zone (HA) or a single shared one (cheaper). @default perZone in production, single elsewhere',
    ),
    endpoints: described(
      z._default(z.array(z.enum(VPC_ENDPOINT_SERVICES)), ['ecr.api', 'ecr.dkr', 's3', 'sts', 'logs', 'monitoring']),
      'VPC endpoints so AWS traffic stays off the internet (s3 is a gateway endpoint). @default [ecr.api, ecr.dkr, s3, sts, logs, monitoring]',
    ),
    flowLogs: described(
      z.prefault(
        z.strictObject({
          enabled: described(z._default(z.boolean(), true), 'VPC flow logs to a KMS-encrypted log group. @default true'),
          trafficType: described(z._default(z.enum(['ALL', 'ACCEPT', 'REJECT']), 'ALL'), '@default ALL'),
          retentionDays: described(z._default(logRetentionDays, 365), '@default 365'),
        }),
        {},
      ),
      'VPC flow logs for traffic auditing.',
    ),
    nacls: described(
      z.prefault(
        z.strictObject({
          enabled: described(z._default(z.boolean(), true), 'A network ACL per tier (public, private, isolated). @default true'),
        }),
        {},
      ),
      'Stateless subnet-level filtering in addition to security groups.',
    ),
  }),
  'The three-tier VPC: public, private (application) and isolated (database) subnets across zones.',
);
