/**
 * Karpenter v1: the EC2NodeClass (karpenter.k8s.aws/v1) and one NodePool (karpenter.sh/v1) per
 * model pool. Subnets are found by the discovery tag the network template sets, security groups
 * by that tag (the App group) and by the tag EKS puts on the cluster security group, the AMI by
 * alias, the root volume encrypted with the EBS key by its alias: no id is guessed.
 */
import type { Model, NodePool } from '../../compiler/model.js';
import { ebsKeyAliasArn, meta, WAVE, waveAnnotations, type Doc } from './meta.js';

const ROOT_DEVICE = '/dev/xvda';


/**
 * The EKS cluster security group: EKS tags it `aws:eks:cluster-name: <cluster>` (and re-adds the
 * tag on every cluster update), and it admits all traffic from itself, so nodes holding it reach
 * the control plane (443), the control plane reaches kubelets (10250) and webhook pods, and system
 * and Karpenter nodes reach each other (CoreDNS, pod to pod). The managed node group's launch
 * template attaches the same group. Sources: EKS user guide, "View Amazon EKS security group
 * requirements for clusters" (docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html: default
 * rules and tags); Karpenter's "Migrating from Cluster Autoscaler" selects the cluster security
 * group for Karpenter nodes (karpenter.sh/docs/getting-started/migrating-from-cas/).
 */
export const CLUSTER_SECURITY_GROUP_TAG = 'aws:eks:cluster-name';

/**
 * IMDS hop limit of Karpenter nodes. The CloudWatch agent of Container Insights reads instance
 * metadata from a pod, one hop beyond the node: with IMDSv2 it needs 2 (aws/amazon-cloudwatch-agent
 * PR #480, "for scrapping IMDSv2 and running in Docker Container, customers need to increase their
 * hop limit to 2"). The same rule as the system launch template (cloudformation/cluster.ts).
 * Containment (docs/kubernetes.md, "Instance metadata"): pods get credentials from Pod Identity, the
 * node role holds only the node policies, and application namespaces deny egress to IMDS.
 */
export const hopLimit = (model: Model): 1 | 2 => (model.observability.containerInsights ? 2 : 1);

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
      // Terms are ORed: the App group (application ports from the ALB, the database admits it) and the cluster group.
      securityGroupSelectorTerms: [{ tags: discovery }, { tags: { [CLUSTER_SECURITY_GROUP_TAG]: model.cluster.name } }],
      associatePublicIPAddress: false,
      // IMDSv2 only; hop limit 2 only when the Container Insights agent needs it.
      metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: hopLimit(model), httpTokens: 'required' },
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
    ...familyRequirement(pool),
  ];
}

/**
 * The instance-family requirement: the spec's families, and minValues when the pool asks for Spot
 * diversity ("at least that number of unique instance families is required by the scheduler for the
 * NodeClaim creation": aws/karpenter-provider-aws examples/v1/min-values-family.yaml).
 */
function familyRequirement(pool: NodePool): Doc[] {
  const minValues = pool.minInstanceFamilies !== undefined ? { minValues: pool.minInstanceFamilies } : {};
  if (pool.instanceFamilies) return [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: [...pool.instanceFamilies], ...minValues }];
  return pool.minInstanceFamilies !== undefined ? [{ key: 'karpenter.k8s.aws/instance-family', operator: 'Exists', ...minValues }] : [];
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
