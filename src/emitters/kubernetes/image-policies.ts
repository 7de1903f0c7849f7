/**
 * The ClusterImagePolicy (policy.sigstore.dev/v1beta1) sigstore's policy-controller enforces: every
 * image of this environment's registry under the project's repositories must carry a cosign
 * signature made with the KMS key CI signs with (the build environment's signing key: signatures
 * are pushed next to the image and replicated with it). No transparency log is consulted: CI signs
 * with --tlog-upload=false, so image names and account ids stay private. Images of the application
 * namespaces no policy covers follow no-match-policy (src/emitters/helm/policy-controller.ts).
 */
import type { Model } from '../../compiler/model.js';
import { meta, WAVE, waveAnnotations, type Doc } from './meta.js';

/** Label the policy-controller webhook selects namespaces by (the chart's default namespaceSelector). */
export const SIGSTORE_INCLUDE_LABEL = 'policy.sigstore.dev/include';

export function imagePolicyDocuments(model: Model): Doc[] {
  const s = model.admission.signatures;
  if (!s || !model.platform.policyController) return [];
  return [
    {
      apiVersion: 'policy.sigstore.dev/v1beta1',
      kind: 'ClusterImagePolicy',
      metadata: meta(model, 'signed-by-ci', {
        annotations: { ...waveAnnotations(WAVE.constraints, true), description: `Images of ${model.project} are signed by the CI of ${s.signer.name} with ${s.keyAlias}.` },
      }),
      spec: {
        mode: s.mode,
        images: s.images.map((glob) => ({ glob })),
        authorities: [{ name: 'ci-signing-key', key: { kms: s.keyUri, hashAlgorithm: 'sha256' } }],
      },
    },
  ];
}
