/**
 * Karpenter's AWS side (part of cluster.json): the node role and its EC2_LINUX access entry,
 * the controller role (Pod Identity association or IRSA) with the v1 controller policy, and
 * the SQS interruption queue with its EventBridge rules.
 */
import { addPodRole, CLUSTER_ID, document, nodeRoleFor } from './iam.js';
import { karpenterControllerStatements } from './policies.js';
import { keyArn } from './security.js';
import { getAtt, ref, type Template } from './template.js';

/** The four event sources Karpenter's interruption handling consumes. */
const INTERRUPTION_RULES: readonly [string, string, string][] = [
  ['ScheduledChangeRule', 'aws.health', 'AWS Health Event'],
  ['SpotInterruptionRule', 'aws.ec2', 'EC2 Spot Instance Interruption Warning'],
  ['RebalanceRule', 'aws.ec2', 'EC2 Instance Rebalance Recommendation'],
  ['InstanceStateChangeRule', 'aws.ec2', 'EC2 Instance State-change Notification'],
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

export function karpenter(t: Template): void {
  const m = t.model;
  const k = m.platform.karpenter;
  nodeRoleFor(t, 'KarpenterNodeRole', m.names.karpenterNodeRole, 'Nodes launched by Karpenter');
  t.add('KarpenterNodeAccessEntry', 'AWS::EKS::AccessEntry', { ClusterName: ref(CLUSTER_ID), PrincipalArn: getAtt('KarpenterNodeRole', 'Arn'), Type: 'EC2_LINUX' });
  const handling = m.cluster.karpenter.interruptionHandling;
  if (handling) interruptionQueue(t);
  if (k.identity) {
    addPodRole(t, 'karpenter-controller', k.identity, 'Karpenter controller', {
      statements: karpenterControllerStatements(m, handling ? getAtt('KarpenterInterruptionQueue', 'Arn') : undefined, getAtt('KarpenterNodeRole', 'Arn')),
    });
  }
  t.publish(['cluster', 'karpenter-node-role-arn'], getAtt('KarpenterNodeRole', 'Arn'), 'Karpenter node role ARN');
}
