/** karpenter chart: on the system node group, wired to the cluster and the interruption queue. */
import type { Model } from '../../compiler/model.js';
import { placement, serviceAccount, size, type Values } from './common.js';

export function karpenterValues(model: Model): Values {
  const where = placement(model, 'system');
  return {
    replicas: 2,
    serviceAccount: serviceAccount(model, model.platform.karpenter.identity),
    nodeSelector: where.nodeSelector,
    tolerations: where.tolerations,
    podDisruptionBudget: { name: 'karpenter', maxUnavailable: 1 },
    controller: {
      resources: size('large'),
      // The region without instance metadata (hop limit 1 keeps IMDS away from pods).
      env: [{ name: 'AWS_REGION', value: model.environment.region }],
    },
    settings: {
      clusterName: model.names.cluster,
      interruptionQueue: model.cluster.karpenter.interruptionHandling ? model.names.interruptionQueue : '',
    },
  };
}
