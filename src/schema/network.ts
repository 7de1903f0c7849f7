import * as z from 'zod';
import { cidr, logRetentionDays } from './primitives.js';

/** Interface endpoints are PrivateLink; s3 is always a gateway endpoint. */
export const VPC_ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 's3', 'sts', 'logs', 'monitoring', 'secretsmanager', 'ssm', 'kms', 'ec2', 'elasticloadbalancing', 'sqs', 'eks', 'eks-auth', 'xray'] as const;

const tierCidrs = z
  .array(cidr)
  .min(1)
  .optional();

export const networkSchema = z
  .strictObject({
    vpcCidr: cidr.default('10.10.0.0/16').describe('VPC CIDR block. @default 10.10.0.0/16'),
    zones: z
      .array(z.string().regex(/^[a-z]$/, { message: 'must be an availability-zone letter such as a' }))
      .min(1)
      .max(6)
      .default(['a', 'b', 'c'])
      .describe('Availability-zone letters appended to the region (us-east-1 + a = us-east-1a). @default [a, b, c]'),
    subnets: z
      .strictObject({
        public: tierCidrs.describe('Public subnets, one per zone: ALB and NAT gateways only. @default x.y.101+i.0/24 of a /16'),
        private: tierCidrs.describe('Private (application) subnets, one per zone: EKS nodes and pods. @default x.y.1+i.0/24 of a /16'),
        isolated: tierCidrs.describe('Isolated (database) subnets, one per zone: no route off the VPC. @default x.y.201+i.0/24 of a /16'),
      })
      .prefault({})
      .describe('Subnet CIDRs per tier, in zone order. Omitted tiers are planned from vpcCidr.'),
    natGateways: z
      .enum(['perZone', 'single'])
      .optional()
      .describe('One NAT gateway per zone (HA) or a single shared one (cheaper). @default perZone in production, single elsewhere'),
    endpoints: z
      .array(z.enum(VPC_ENDPOINT_SERVICES))
      .default(['ecr.api', 'ecr.dkr', 's3', 'sts', 'logs', 'monitoring'])
      .describe('VPC endpoints so AWS traffic stays off the internet (s3 is a gateway endpoint). @default [ecr.api, ecr.dkr, s3, sts, logs, monitoring]'),
    flowLogs: z
      .strictObject({
        enabled: z.boolean().default(true).describe('VPC flow logs to a KMS-encrypted log group. @default true'),
        trafficType: z.enum(['ALL', 'ACCEPT', 'REJECT']).default('ALL').describe('@default ALL'),
        retentionDays: logRetentionDays.default(365).describe('@default 365'),
      })
      .prefault({})
      .describe('VPC flow logs for traffic auditing.'),
    nacls: z
      .strictObject({
        enabled: z.boolean().default(true).describe('A network ACL per tier (public, private, isolated). @default true'),
      })
      .prefault({})
      .describe('Stateless subnet-level filtering in addition to security groups.'),
  })
  .describe('The three-tier VPC: public, private (application) and isolated (database) subnets across zones.');
