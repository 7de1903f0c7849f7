/**
 * observability.json: the SNS alarm topic (KMS) with e-mail, PagerDuty and Slack (AWS
 * Chatbot) subscribers, CloudWatch alarms (ALB 5xx, Aurora CPU / memory / replica lag,
 * node CPU and pod health via Container Insights), Alertmanager's topics to the same endpoints,
 * the operations, application and cost dashboards, and Grafana's sign-in (./grafana-sso.ts).
 */
import type { Model } from '../../compiler/model.js';
import { logicalId } from '../../compiler/names.js';
import { grafanaSignIn } from './grafana-sso.js';
import { addRole, managedPolicy, serviceTrust } from './iam.js';
import { keyArn } from './security.js';
import { ref, Template, type Json } from './template.js';

interface AlarmSpec {
  readonly id: string;
  readonly description: string;
  readonly threshold: number;
  readonly comparison?: string;
  readonly metric?: { readonly namespace: string; readonly name: string; readonly dimensions: Record<string, string>; readonly statistic: string };
  /** Metrics Insights query, for metrics whose dimensions are only known at run time (the ALB's). */
  readonly query?: string;
  readonly evaluationPeriods?: number;
}

function alarms(m: Model): AlarmSpec[] {
  const th = m.observability.thresholds;
  const db = { DBClusterIdentifier: m.database.clusterIdentifier };
  const cluster = { ClusterName: m.cluster.name };
  const list: AlarmSpec[] = [
    {
      id: 'Alb5xxAlarm',
      description: `ALB 5xx responses above ${th.alb5xxPerMinute} per minute (the Load Balancer Controller's ALB in this account)`,
      threshold: th.alb5xxPerMinute,
      query: 'SELECT SUM(HTTPCode_ELB_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)',
    },
    {
      id: 'AlbTarget5xxAlarm',
      description: `Application 5xx responses above ${th.alb5xxPerMinute} per minute`,
      threshold: th.alb5xxPerMinute,
      query: 'SELECT SUM(HTTPCode_Target_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)',
    },
    { id: 'DatabaseCpuAlarm', description: `Aurora CPU above ${th.dbCpuPercent}%`, threshold: th.dbCpuPercent, metric: { namespace: 'AWS/RDS', name: 'CPUUtilization', dimensions: db, statistic: 'Average' }, evaluationPeriods: 5 },
    {
      id: 'DatabaseFreeableMemoryAlarm',
      description: `Aurora freeable memory below ${th.dbFreeableMemoryMiB} MiB`,
      threshold: th.dbFreeableMemoryMiB * 1024 * 1024,
      comparison: 'LessThanThreshold',
      metric: { namespace: 'AWS/RDS', name: 'FreeableMemory', dimensions: db, statistic: 'Minimum' },
      evaluationPeriods: 5,
    },
  ];
  if (m.database.instances > 1) {
    list.push({ id: 'DatabaseReplicaLagAlarm', description: `Aurora replica lag above ${th.dbReplicaLagMs} ms`, threshold: th.dbReplicaLagMs, metric: { namespace: 'AWS/RDS', name: 'AuroraReplicaLagMaximum', dimensions: db, statistic: 'Maximum' }, evaluationPeriods: 3 });
  }
  // Global database replication lag is reported by the DR cluster, in the DR region: see docs/cloudformation.md.
  if (m.observability.containerInsights) {
    list.push(
      { id: 'NodeCpuAlarm', description: `EKS node CPU above ${th.nodeCpuPercent}%`, threshold: th.nodeCpuPercent, metric: { namespace: 'ContainerInsights', name: 'node_cpu_utilization', dimensions: cluster, statistic: 'Average' }, evaluationPeriods: 5 },
      { id: 'FailedNodesAlarm', description: 'EKS nodes failing', threshold: 0, metric: { namespace: 'ContainerInsights', name: 'cluster_failed_node_count', dimensions: cluster, statistic: 'Maximum' }, evaluationPeriods: 3 },
    );
    for (const w of m.workloads) {
      list.push({
        id: logicalId(w.name, 'pods', 'alarm'),
        description: `${w.name}: fewer running pods than its minimum of ${w.replicas.min}`,
        threshold: w.replicas.min,
        comparison: 'LessThanThreshold',
        metric: { namespace: 'ContainerInsights', name: 'service_number_of_running_pods', dimensions: { ...cluster, Namespace: w.namespace, Service: w.name }, statistic: 'Minimum' },
        evaluationPeriods: 5,
      });
    }
  }
  return list;
}

function addAlarm(t: Template, a: AlarmSpec): void {
  const m = t.model;
  const common = {
    AlarmName: `${m.names.cluster}-${a.id.replace(/Alarm$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`,
    AlarmDescription: a.description,
    ComparisonOperator: a.comparison ?? 'GreaterThanThreshold',
    Threshold: a.threshold,
    EvaluationPeriods: a.evaluationPeriods ?? 1,
    TreatMissingData: 'notBreaching',
    AlarmActions: [ref('AlarmTopic')],
    OKActions: [ref('AlarmTopic')],
  };
  const metric: Record<string, Json> = a.query
    ? { Metrics: [{ Id: 'q1', Expression: a.query, Period: 60, ReturnData: true, Label: a.description }] }
    : {
        Namespace: a.metric!.namespace,
        MetricName: a.metric!.name,
        Dimensions: Object.entries(a.metric!.dimensions).map(([Name, Value]) => ({ Name, Value })),
        Statistic: a.metric!.statistic,
        Period: 60,
      };
  t.add(a.id, 'AWS::CloudWatch::Alarm', { ...common, ...metric });
}

function topic(t: Template): void {
  const m = t.model;
  const a = m.observability.alerts;
  t.add('AlarmTopic', 'AWS::SNS::Topic', { TopicName: m.names.alarmTopic, DisplayName: `${m.names.cluster} alarms`, KmsMasterKeyId: keyArn(t, 'messaging') });
  t.add('AlarmTopicPolicy', 'AWS::SNS::TopicPolicy', {
    Topics: [ref('AlarmTopic')],
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'CloudWatchPublishes', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: ref('AlarmTopic'), Condition: { StringEquals: { 'aws:SourceAccount': m.environment.accountId } } },
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: ref('AlarmTopic'), Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    },
  });
  for (const email of a.emails) {
    t.add(logicalId('alarm', 'email', email), 'AWS::SNS::Subscription', { TopicArn: ref('AlarmTopic'), Protocol: 'email', Endpoint: email });
  }
  if (a.pagerDutyUrl) t.add('AlarmPagerDuty', 'AWS::SNS::Subscription', { TopicArn: ref('AlarmTopic'), Protocol: 'https', Endpoint: a.pagerDutyUrl });
  alertmanagerTopics(t);
  if (a.slack) {
    addRole(t, 'ChatbotRole', {
      roleName: `${m.names.cluster}-chatbot`,
      description: 'AWS Chatbot: read alarm details for Slack',
      trust: serviceTrust('chatbot.amazonaws.com'),
      managed: [managedPolicy('CloudWatchReadOnlyAccess')],
    });
    t.add('SlackChannel', 'AWS::Chatbot::SlackChannelConfiguration', {
      ConfigurationName: `${m.names.cluster}-alarms`,
      SlackWorkspaceId: a.slack.workspaceId,
      SlackChannelId: a.slack.channelId,
      IamRoleArn: { 'Fn::GetAtt': ['ChatbotRole', 'Arn'] },
      GuardrailPolicies: [managedPolicy('CloudWatchReadOnlyAccess')],
      SnsTopicArns: [ref('AlarmTopic'), ...alertmanagerTopicIds(m, 'slack').map(ref)],
      LoggingLevel: 'ERROR',
    });
  }
}

/** Logical id of the SNS topic carrying Alertmanager's notifications to one endpoint kind. */
export const alertmanagerTopicId = (endpoint: string): string => logicalId('alertmanager', endpoint, 'topic');
const alertmanagerTopicIds = (m: Model, endpoint: string): string[] =>
  m.observability.alertmanager.receivers.filter((r) => r.endpoint === endpoint).map((r) => alertmanagerTopicId(r.endpoint));

/**
 * Alertmanager's topics, one per endpoint kind, each subscribed by the same endpoints as the alarm
 * topic. One topic per kind because each kind reads a different message: e-mail takes text, the
 * Slack channel (AWS Chatbot) takes only its custom-notification JSON, and PagerDuty's CloudWatch
 * integration takes an alarm-shaped JSON (src/emitters/helm/alertmanager.ts writes the three).
 * Only Alertmanager's role may publish (its IAM policy; the topic policy refuses plain HTTP).
 */
function alertmanagerTopics(t: Template): void {
  const m = t.model;
  const a = m.observability.alerts;
  for (const r of m.observability.alertmanager.receivers) {
    const id = alertmanagerTopicId(r.endpoint);
    t.add(id, 'AWS::SNS::Topic', { TopicName: r.topicName, DisplayName: `${m.names.cluster} Alertmanager (${r.endpoint})`, KmsMasterKeyId: keyArn(t, 'messaging') });
    t.add(`${id}Policy`, 'AWS::SNS::TopicPolicy', {
      Topics: [ref(id)],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: ref(id), Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
      },
    });
    if (r.endpoint === 'email') {
      for (const email of a.emails) t.add(logicalId('alertmanager', 'email', email), 'AWS::SNS::Subscription', { TopicArn: ref(id), Protocol: 'email', Endpoint: email });
    }
    if (r.endpoint === 'pagerduty' && a.pagerDutyUrl) t.add('AlertmanagerPagerDuty', 'AWS::SNS::Subscription', { TopicArn: ref(id), Protocol: 'https', Endpoint: a.pagerDutyUrl });
    // slack: the Chatbot channel configuration lists this topic (SnsTopicArns), as it lists the alarm topic.
  }
}

type Widget = Record<string, Json>;
const metricWidget = (title: string, region: string, metrics: Json[], x: number, y: number, extra: Record<string, Json> = {}): Widget => ({
  type: 'metric', x, y, width: 12, height: 6,
  properties: { title, region, metrics, view: 'timeSeries', stacked: false, period: 300, ...extra },
});

function dashboards(t: Template): void {
  const m = t.model;
  const region = m.environment.region;
  const c = m.cluster.name;
  const db = m.database.clusterIdentifier;
  const operations: Widget[] = [
    metricWidget('Nodes', region, [['ContainerInsights', 'cluster_node_count', 'ClusterName', c], ['.', 'cluster_failed_node_count', '.', '.']], 0, 0),
    metricWidget('Node CPU / memory %', region, [['ContainerInsights', 'node_cpu_utilization', 'ClusterName', c], ['.', 'node_memory_utilization', '.', '.']], 12, 0),
    metricWidget('Pods running', region, m.workloads.map((w) => ['ContainerInsights', 'service_number_of_running_pods', 'ClusterName', c, 'Namespace', w.namespace, 'Service', w.name]), 0, 6),
    metricWidget('Aurora CPU / connections', region, [['AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', db], ['.', 'DatabaseConnections', '.', '.', { yAxis: 'right' }]], 12, 6),
  ];
  const application: Widget[] = [
    metricWidget('Request rate', region, [[{ expression: 'SELECT SUM(RequestCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)', label: 'requests', id: 'requests' }]], 0, 0, { stat: 'Sum', period: 60 }),
    metricWidget(
      'Latency p50 / p95 / p99 (s)',
      region,
      ['p50', 'p95', 'p99'].map((p) => [{ expression: `SEARCH('{AWS/ApplicationELB,LoadBalancer} MetricName="TargetResponseTime"', '${p}', 60)`, label: p, id: p }]),
      12,
      0,
    ),
    metricWidget('Errors (5xx)', region, [[{ expression: 'SELECT SUM(HTTPCode_Target_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)', label: 'target 5xx', id: 't5xx' }], [{ expression: 'SELECT SUM(HTTPCode_ELB_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)', label: 'ALB 5xx', id: 'e5xx' }]], 0, 6, { stat: 'Sum', period: 60 }),
  ];
  const cost: Widget[] = [
    metricWidget('Estimated charges (USD, month to date)', 'us-east-1', [['AWS/Billing', 'EstimatedCharges', 'Currency', 'USD']], 0, 0, { stat: 'Maximum', period: 21600 }),
    metricWidget('Charges by service', 'us-east-1', ['AmazonEC2', 'AmazonEKS', 'AmazonRDS', 'AmazonVPC', 'AmazonECR', 'AmazonCloudWatch'].map((s) => ['AWS/Billing', 'EstimatedCharges', 'ServiceName', s, 'Currency', 'USD']), 12, 0, { stat: 'Maximum', period: 86400 }),
    {
      type: 'text', x: 0, y: 6, width: 24, height: 3,
      properties: { markdown: `Spot vs On-Demand and right-sizing: Cost Explorer grouped by purchase option, tag \`environment=${m.environment.name}\`; Karpenter's consolidation decisions are in Grafana (kube-prometheus-stack).` },
    },
  ];
  const boards: [string, string, Widget[]][] = [['OperationsDashboard', 'operations', operations], ['ApplicationDashboard', 'application', application], ['CostDashboard', 'cost', cost]];
  for (const [id, name, widgets] of boards) {
    t.add(id, 'AWS::CloudWatch::Dashboard', { DashboardName: `${m.names.cluster}-${name}`, DashboardBody: JSON.stringify({ widgets }) });
  }
}

export function observabilityTemplate(m: Model): Template {
  const t = new Template(m, `${m.names.cluster}: alarm topic and subscriptions, CloudWatch alarms and dashboards.`);
  topic(t);
  for (const a of alarms(m)) addAlarm(t, a);
  dashboards(t);
  grafanaSignIn(t);
  t.publish(['observability', 'alarm-topic-arn'], ref('AlarmTopic'), 'SNS alarm topic ARN');
  for (const r of m.observability.alertmanager.receivers) t.output(`${alertmanagerTopicId(r.endpoint)}Arn`, ref(alertmanagerTopicId(r.endpoint)), `SNS topic of Alertmanager's ${r.endpoint} notifications`);
  return t;
}
