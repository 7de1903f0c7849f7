/** gatekeeper chart: controller, audit and hook jobs on the platform pool. */
import type { Model } from '../../compiler/model.js';
import { placement, size, type Values } from './common.js';

export function gatekeeperValues(model: Model): Values {
  const where = placement(model, 'platform');
  const onPlatform = { nodeSelector: where.nodeSelector, tolerations: where.tolerations };
  return {
    replicas: 2,
    controllerManager: { ...onPlatform, resources: size('medium') },
    audit: { ...onPlatform, resources: size('medium') },
    crds: onPlatform,
    postInstall: onPlatform,
    postUpgrade: onPlatform,
    preUninstall: onPlatform,
  };
}
