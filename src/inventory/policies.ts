import { MANAGED_POLICY_DATA, UPSTREAM_POLICY_DATA } from './data/policies.generated.js';

export interface PolicyDocument {
  Version: string;
  Statement: readonly unknown[];
  /** for documents that come from a template resource: its logical id (Karpenter's CloudFormation). */
  Id?: string;
}

export interface ManagedPolicy {
  arn: string;
  /** where the document was read, with the snapshot's commit and date. */
  source: string;
  /** the policy's default version id and its creation date. */
  version: string;
  document: PolicyDocument;
}

export type UpstreamPolicyName = 'karpenter' | 'aws-load-balancer-controller' | 'aws-ebs-csi-driver' | 'external-secrets' | 'cloudwatch-agent' | 'external-dns';

export interface UpstreamPolicy {
  source: string;
  version: string;
  documents: readonly PolicyDocument[];
}

/** The AWS managed policies innovate attaches (and Karpenter's AmazonEC2ContainerRegistryPullOnly), by policy name. */
export const MANAGED_POLICIES: Readonly<Record<string, ManagedPolicy>> = MANAGED_POLICY_DATA;

const byArn = new Map(Object.values(MANAGED_POLICIES).map((p) => [p.arn, p]));

/** A managed policy by the ARN innovate writes (arn:aws:iam::aws:policy/[path/]Name); other partitions too. */
export const managedPolicyByArn = (arn: string): ManagedPolicy | undefined => byArn.get(arn.replace(/^arn:aws[a-z-]*:/, 'arn:aws:'));

/** The policies upstream documents for the controllers innovate mirrors. */
export const UPSTREAM_POLICIES: Readonly<Record<UpstreamPolicyName, UpstreamPolicy>> = UPSTREAM_POLICY_DATA;
