/**
 * cost.json: the monthly AWS Budget with notifications at each threshold (actual spend) and
 * at 100% forecast, and Cost Anomaly Detection (a per-service monitor and a daily e-mail
 * subscription above the spec's impact threshold).
 */
import type { Model } from '../../compiler/model.js';
import { logicalId } from '../../compiler/names.js';
import { getAtt, Template } from './template.js';

export function costTemplate(m: Model): Template {
  const t = new Template(m, `${m.names.cluster}: monthly budget with notifications and cost anomaly detection.`);
  const c = m.cost;
  const subscribers = c.notifyEmails.slice(0, 10).map((address) => ({ SubscriptionType: 'EMAIL', Address: address }));
  const notification = (type: 'ACTUAL' | 'FORECASTED', threshold: number) => ({
    Notification: { NotificationType: type, ComparisonOperator: 'GREATER_THAN', Threshold: threshold, ThresholdType: 'PERCENTAGE' },
    Subscribers: subscribers,
  });
  t.add('MonthlyBudget', 'AWS::Budgets::Budget', {
    Budget: {
      BudgetName: `${m.names.cluster}-monthly`,
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      BudgetLimit: { Amount: c.monthlyBudgetUsd, Unit: 'USD' },
    },
    ...(subscribers.length
      ? { NotificationsWithSubscribers: [...c.budgetThresholds.map((p) => notification('ACTUAL', p)), ...(c.budgetThresholds.includes(100) ? [notification('FORECASTED', 100)] : [])] }
      : {}),
  });
  t.add('CostAnomalyMonitor', 'AWS::CE::AnomalyMonitor', { MonitorName: `${m.names.cluster}-services`, MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE' });
  if (subscribers.length) {
    t.add(logicalId('cost', 'anomaly', 'subscription'), 'AWS::CE::AnomalySubscription', {
      SubscriptionName: `${m.names.cluster}-anomalies`,
      MonitorArnList: [getAtt('CostAnomalyMonitor', 'MonitorArn')],
      Frequency: 'DAILY',
      Subscribers: c.notifyEmails.map((address) => ({ Type: 'EMAIL', Address: address })),
      ThresholdExpression: JSON.stringify({ Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: [String(c.anomalyThresholdUsd)] } }),
    });
  }
  return t;
}
