/** metrics-server chart: on the system node group (the HPAs depend on it), two replicas with a PDB. */
import type { Model } from '../../compiler/model.js';
import { placement, size, type Values } from './common.js';

export function metricsServerValues(model: Model): Values {
  const where = placement(model, 'system');
  return {
    replicas: 2,
    nodeSelector: where.nodeSelector,
    tolerations: where.tolerations,
    resources: size('small'),
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
  };
}
