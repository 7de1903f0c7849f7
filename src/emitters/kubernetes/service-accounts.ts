/**
 * One ServiceAccount per workload, bound to the IAM role the CloudFormation side creates for
 * it: with Pod Identity the association lives on the AWS side (no annotation), with IRSA the
 * role ARN is annotated. Applied before the workloads so a PreSync migration Job can use it.
 */
import type { Model, Workload } from '../../compiler/model.js';
import { LABEL_NAME, meta, WAVE, waveAnnotations, type Doc } from './meta.js';

export const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';

function serviceAccount(model: Model, w: Workload): Doc {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(model, w.identity.serviceAccount, {
      namespace: w.identity.namespace,
      labels: { [LABEL_NAME]: w.name },
      annotations: { ...waveAnnotations(WAVE.identity), ...(model.security.workloadIdentity === 'irsa' ? { [IRSA_ANNOTATION]: w.identity.roleArn } : {}) },
    }),
    automountServiceAccountToken: false,
  };
}

export function serviceAccountDocuments(model: Model): Doc[] {
  return model.workloads.map((w) => serviceAccount(model, w));
}
