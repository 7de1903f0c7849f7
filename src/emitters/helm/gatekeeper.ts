/**
 * gatekeeper chart: controller, audit and hook jobs on the platform pool. Admission follows the
 * environment's one decision (admission.failurePolicy: Fail in production) with the system and
 * platform namespaces never sent to the webhook (admission.exemptNamespaces), and the webhook sees
 * only Pods, which are all innovate's constraints match: the chart's default rules send every
 * object (cluster-scoped ones such as Karpenter's NodeClaims included, which no namespace selector
 * exempts), so a webhook that fails closed could stop the nodes it needs to come back. Mutation is
 * off: innovate writes no mutators, and a webhook with nothing to do is one more in the path.
 */
import type { Model } from '../../compiler/model.js';
import { placement, size, type Values } from './common.js';

export function gatekeeperValues(model: Model): Values {
  const where = placement(model, 'platform');
  const onPlatform = { nodeSelector: where.nodeSelector, tolerations: where.tolerations };
  return {
    replicas: 2,
    validatingWebhookFailurePolicy: model.admission.failurePolicy,
    validatingWebhookCheckIgnoreFailurePolicy: model.admission.failurePolicy,
    validatingWebhookExemptNamespacesLabels: { 'kubernetes.io/metadata.name': [...model.admission.exemptNamespaces] },
    validatingWebhookCustomRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'pods/ephemeralcontainers'] }],
    disableMutation: true,
    controllerManager: { ...onPlatform, resources: size('medium') },
    audit: { ...onPlatform, resources: size('medium') },
    crds: onPlatform,
    postInstall: onPlatform,
    postUpgrade: onPlatform,
    preUninstall: onPlatform,
  };
}
