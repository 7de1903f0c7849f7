/**
 * aws-load-balancer-controller chart: on the platform pool, like the other platform charts (the
 * system node group is kept for Karpenter and the cluster's own add-ons: two t3.small nodes cannot
 * hold more). The platform pool may launch arm64 and tolerating its taints is fine: the controller
 * image (public.ecr.aws/eks/aws-load-balancer-controller) is multi-arch, linux/amd64 and
 * linux/arm64, since v2.0.0 (kubernetes-sigs/aws-load-balancer-controller#1329). Pods cannot read instance
 * metadata (IMDSv2, hop limit 1), so the region is given and the VPC found by its Name tag
 * (the chart's vpcTags, the controller's --aws-vpc-tags): no VPC id is guessed.
 */
import type { Model } from '../../compiler/model.js';
import { placement, serviceAccount, size, type Values } from './common.js';

export function albControllerValues(model: Model): Values {
  const where = placement(model, 'platform');
  return {
    replicaCount: 2,
    clusterName: model.names.cluster,
    region: model.environment.region,
    vpcTags: { Name: model.names.vpc },
    serviceAccount: serviceAccount(model, model.platform.awsLoadBalancerController.identity),
    nodeSelector: where.nodeSelector,
    tolerations: where.tolerations,
    resources: size('small'),
    podDisruptionBudget: { maxUnavailable: 1 },
    defaultSSLPolicy: model.security.tlsPolicy,
    defaultTags: Object.fromEntries(model.tags.map((t) => [t.key, t.value])),
  };
}
