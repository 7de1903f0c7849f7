/**
 * metrics-server chart: two replicas with a PDB (the HPAs depend on it), on the platform pool like
 * the other platform charts; the system node group is kept for Karpenter and the cluster's own
 * add-ons. The platform pool may launch arm64: the image (registry.k8s.io/metrics-server/metrics-server)
 * is a multi-arch manifest list with linux/arm64 since v0.3.7 (kubernetes-sigs/metrics-server#466).
 */
import type { Model } from '../../compiler/model.js';
import { placement, size, type Values } from './common.js';

export function metricsServerValues(model: Model): Values {
  const where = placement(model, 'platform');
  return {
    replicas: 2,
    nodeSelector: where.nodeSelector,
    tolerations: where.tolerations,
    resources: size('small'),
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
  };
}
