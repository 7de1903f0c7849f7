/**
 * karpenter.json: Karpenter's AWS side, a stack of its own as karpenter-provider-aws ships its
 * own CloudFormation: the node role and its EC2_LINUX access entry, the controller role (Pod
 * Identity association or IRSA) with the controller policies split as upstream splits them, and
 * the SQS interruption queue with its five EventBridge rules. It deploys after cluster.json, whose
 * cluster name (and, with IRSA, OIDC provider) it reads from SSM. Apart, both templates stay under
 * the 51,200 bytes CloudFormation accepts inline (together they were 59 KB minified).
 */
import type { Model } from '../../compiler/model.js';
import { addPodRole, clusterName, document, nodeRoleFor } from './iam.js';
import { karpenterControllerPolicies } from './policies.js';
import { keyArn } from './security.js';
import { getAtt, ref, Template } from './template.js';

/**
 * The five event sources Karpenter's interruption handling consumes: the EventBridge rules of
 * karpenter-provider-aws v1.14's getting-started CloudFormation, with its logical ids and patterns
 * (source and detail-type only).
 */
export const INTERRUPTION_RULES: readonly [string, string, string][] = [
  ['ScheduledChangeRule', 'aws.health', 'AWS Health Event'],
  ['SpotInterruptionRule', 'aws.ec2', 'EC2 Spot Instance Interruption Warning'],
  ['RebalanceRule', 'aws.ec2', 'EC2 Instance Rebalance Recommendation'],
  ['InstanceStateChangeRule', 'aws.ec2', 'EC2 Instance State-change Notification'],
  ['CapacityReservationInterruptionRule', 'aws.ec2', 'EC2 Capacity Reservation Instance Interruption Warning'],
];

function interruptionQueue(t: Template): void {
  const m = t.model;
  // A customer-managed key (the messaging key lets EventBridge encrypt and the account's principals decrypt through SQS).
  t.add('KarpenterInterruptionQueue', 'AWS::SQS::Queue', { QueueName: m.names.interruptionQueue, MessageRetentionPeriod: 300, KmsMasterKeyId: keyArn(t, 'messaging'), KmsDataKeyReusePeriodSeconds: 300 });
  t.add('KarpenterInterruptionQueuePolicy', 'AWS::SQS::QueuePolicy', {
    Queues: [ref('KarpenterInterruptionQueue')],
    PolicyDocument: document([
      { Sid: 'EventBridgeDelivers', Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] }, Action: 'sqs:SendMessage', Resource: getAtt('KarpenterInterruptionQueue', 'Arn') },
      { Sid: 'DenyHTTP', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: getAtt('KarpenterInterruptionQueue', 'Arn'), Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ]),
  });
  for (const [id, source, detailType] of INTERRUPTION_RULES) {
    t.add(id, 'AWS::Events::Rule', {
      Description: `Karpenter interruption handling: ${detailType}`,
      EventPattern: { source: [source], 'detail-type': [detailType] },
      State: 'ENABLED',
      Targets: [{ Id: 'KarpenterInterruptionQueueTarget', Arn: getAtt('KarpenterInterruptionQueue', 'Arn') }],
    });
  }
}

export function karpenterTemplate(m: Model): Template {
  const t = new Template(m, `${m.names.cluster}-karpenter: Karpenter's AWS side: node role and access entry, controller role and policies, interruption queue and rules.`);
  const k = m.platform.karpenter;
  nodeRoleFor(t, 'KarpenterNodeRole', m.names.karpenterNodeRole, 'Nodes launched by Karpenter');
  t.add('KarpenterNodeAccessEntry', 'AWS::EKS::AccessEntry', { ClusterName: clusterName(t), PrincipalArn: getAtt('KarpenterNodeRole', 'Arn'), Type: 'EC2_LINUX' });
  const handling = m.cluster.karpenter.interruptionHandling;
  if (handling) interruptionQueue(t);
  if (k.identity) {
    // Upstream's split: NodeLifecycle keeps the role's policy id (KarpenterControllerRolePolicy), the others are KarpenterControllerRole<Group>Policy.
    const policies = karpenterControllerPolicies(m, handling ? getAtt('KarpenterInterruptionQueue', 'Arn') : undefined, getAtt('KarpenterNodeRole', 'Arn'), keyArn(t, 'ebs'));
    addPodRole(t, 'karpenter-controller', k.identity, 'Karpenter controller', {
      policies: policies.map((p) => ({
        idSuffix: p.group === 'NodeLifecycle' ? '' : p.group.replace(/^IAM|^EKS/, (x) => x[0] + x.slice(1).toLowerCase()),
        name: p.name,
        description: `Karpenter controller, ${p.group} permissions (karpenter-provider-aws v1.14 KarpenterController${p.group}Policy)`,
        statements: p.statements,
      })),
    });
  }
  t.publish(['cluster', 'karpenter-node-role-arn'], getAtt('KarpenterNodeRole', 'Arn'), 'Karpenter node role ARN');
  return t;
}
