/**
 * Karpenter v1: the EC2NodeClass (karpenter.k8s.aws/v1) and one NodePool (karpenter.sh/v1) per
 * model pool. Subnets and security groups are found by the discovery tag the network template
 * sets, the AMI by alias, the root volume encrypted with the EBS key by its alias: no id is guessed.
 */
import type { Model, NodePool } from '../../compiler/model.js';
import { ebsKeyAliasArn, meta, WAVE, waveAnnotations, type Doc } from './meta.js';

const ROOT_DEVICE = '/dev/xvda';


function nodeClass(model: Model, name: string): Doc {
  const discovery = { [model.names.discoveryTag.key]: model.names.discoveryTag.value };
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: meta(model, name, { annotations: waveAnnotations(WAVE.crdClasses, true) }),
    spec: {
      role: model.names.karpenterNodeRole,
      amiSelectorTerms: [{ alias: model.cluster.karpenter.amiAlias }],
      subnetSelectorTerms: [{ tags: discovery }],
      securityGroupSelectorTerms: [{ tags: discovery }],
      associatePublicIPAddress: false,
      // IMDSv2 only, and a hop limit of 1 keeps instance metadata (and the node role) away from pods.
      metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
      blockDeviceMappings: [
        {
          deviceName: ROOT_DEVICE,
          rootVolume: true,
          ebs: { volumeSize: `${model.cluster.karpenter.rootVolumeGiB}Gi`, volumeType: 'gp3', encrypted: true, kmsKeyID: ebsKeyAliasArn(model), deleteOnTermination: true },
        },
      ],
      tags: Object.fromEntries(model.tags.map((t) => [t.key, t.value])),
    },
  };
}

function requirements(pool: NodePool): Doc[] {
  return [
    { key: 'kubernetes.io/arch', operator: 'In', values: [...pool.architectures] },
    { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: [...pool.capacityTypes] },
    { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: [...pool.instanceCategories] },
    ...(pool.instanceGeneration ? [{ key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: [String(pool.instanceGeneration.greaterThan)] }] : []),
    ...(pool.instanceFamilies ? [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: [...pool.instanceFamilies] }] : []),
  ];
}

function nodePool(model: Model, pool: NodePool): Doc {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: meta(model, pool.name, { annotations: waveAnnotations(WAVE.crdClasses, true) }),
    spec: {
      template: {
        metadata: { labels: { ...pool.labels } },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: pool.nodeClass },
          requirements: requirements(pool),
          taints: pool.taints.length > 0 ? pool.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) : undefined,
          expireAfter: pool.expireAfter,
        },
      },
      limits: { cpu: pool.limits.cpu, memory: pool.limits.memory },
      disruption: { consolidationPolicy: pool.consolidationPolicy, consolidateAfter: pool.consolidateAfter },
      weight: pool.weight,
    },
  };
}

export function karpenterDocuments(model: Model): Doc[] {
  return [...model.cluster.karpenter.nodeClasses.map((c) => nodeClass(model, c.name)), ...model.cluster.nodePools.map((p) => nodePool(model, p))];
}
