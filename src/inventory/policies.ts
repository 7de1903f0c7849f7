export interface PolicyDocument {
  Version: string;
  Statement: readonly unknown[];
}

export const MANAGED_POLICIES: Readonly<Record<string, { source: string; version: string; document: PolicyDocument }>> = {};

export const UPSTREAM_POLICIES: Readonly<
  Record<
    'karpenter' | 'aws-load-balancer-controller' | 'aws-ebs-csi-driver' | 'external-secrets' | 'cloudwatch-agent',
    { source: string; version: string; documents: readonly PolicyDocument[] }
  >
> = {} as never;
