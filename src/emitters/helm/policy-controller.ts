/**
 * sigstore policy-controller chart: verifies the cosign signature of every image admitted to the
 * application namespaces (docs/kubernetes.md, "Admission"). The ClusterImagePolicy it enforces is in
 * the Kubernetes emitter (image-policies.ts); here, how the webhook runs:
 *
 * - webhook.failurePolicy: admission.failurePolicy, the one decision every innovate webhook follows
 *   (Fail in production: an image nobody could verify is never admitted);
 * - the chart's namespaceSelector is kept: only namespaces labelled policy.sigstore.dev/include=true
 *   are sent to it, which innovate sets on the application namespaces only, so the system and
 *   platform namespaces (admission.exemptNamespaces) never wait for it;
 * - no-match-policy: an image of an application namespace no policy covers is denied (enforce) or
 *   admitted with a warning (warn), like a wrongly signed one;
 * - disable-tuf: the policy trusts one KMS key and no transparency log, so the public sigstore TUF
 *   root is never fetched (the pods reach no internet host but AWS's APIs);
 * - AWS_REGION: the signing key's region (KMS is called in the key's region; ECR's region comes from
 *   the registry host);
 * - two replicas on the platform pool with the chart's PodDisruptionBudget (minAvailable 1), so a
 *   node drain or a Spot interruption never leaves the webhook without an answer.
 */
import type { Model } from '../../compiler/model.js';
import { placement, serviceAccount, size, type Values } from './common.js';

export function policyControllerValues(model: Model): Values {
  const component = model.platform.policyController;
  const signatures = model.admission.signatures;
  if (!component || !signatures) return {};
  const where = placement(model, 'platform');
  const sa = serviceAccount(model, component.identity);
  return {
    installCRDs: true,
    commonNodeSelector: where.nodeSelector,
    commonTolerations: where.tolerations,
    webhook: {
      replicaCount: 2,
      failurePolicy: model.admission.failurePolicy,
      env: { AWS_REGION: signatures.signer.region },
      extraArgs: { 'disable-tuf': true },
      configData: { 'no-match-policy': signatures.mode === 'enforce' ? 'deny' : 'warn' },
      resources: size('small'),
      // The pod's securityContext (the chart's webhook.securityContext, off by default): non-root, RuntimeDefault seccomp.
      securityContext: { enabled: true, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      serviceAccount: { create: true, name: sa.name, annotations: sa.annotations },
    },
  };
}
