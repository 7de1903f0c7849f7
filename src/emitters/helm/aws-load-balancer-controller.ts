/**
 * aws-load-balancer-controller chart: on the system node group. Pods cannot read instance
 * metadata (IMDSv2, hop limit 1), so the region is given and the VPC found by its Name tag
 * (the chart's vpcTags, the controller's --aws-vpc-tags): no VPC id is guessed.
 */
import type { Model } from '../../compiler/model.js';
import { placement, serviceAccount, size, type Values } from './common.js';

export function albControllerValues(model: Model): Values {
  const where = placement(model, 'system');
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
