/** external-secrets chart: on the platform pool, its controller bound to the role CloudFormation creates. */
import type { Model } from '../../compiler/model.js';
import { placement, serviceAccount, size, type Values } from './common.js';

export function externalSecretsValues(model: Model): Values {
  const where = placement(model, 'platform');
  const onPlatform = { nodeSelector: where.nodeSelector, tolerations: where.tolerations };
  return {
    installCRDs: true,
    serviceAccount: serviceAccount(model, model.platform.externalSecrets.identity),
    ...onPlatform,
    resources: size('small'),
    webhook: { ...onPlatform, resources: size('tiny') },
    certController: { ...onPlatform, resources: size('tiny') },
  };
}
