/**
 * The StorageClass persistent volumes use (Prometheus): gp3 through the EBS CSI driver,
 * encrypted with the EBS key found by its alias, bound where the pod lands.
 */
import type { Model } from '../../compiler/model.js';
import { ebsKeyAliasArn, meta, STORAGE_CLASS, WAVE, waveAnnotations, type Doc } from './meta.js';

export function storageDocuments(model: Model): Doc[] {
  if (!model.cluster.addons.some((a) => a.name === 'aws-ebs-csi-driver')) return [];
  return [
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: meta(model, STORAGE_CLASS, { annotations: waveAnnotations(WAVE.guardrails) }),
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: ebsKeyAliasArn(model), 'csi.storage.k8s.io/fstype': 'ext4' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    },
  ];
}
