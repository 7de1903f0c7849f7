/**
 * Alarms, budgets and cost anomaly monitors that notify nobody: the SNS alarm topic without a
 * subscription, the budget without notifications, the anomaly monitor without a subscription.
 * innovate emits them all the same (the resources cost nothing to keep), so the spec line says it:
 * a warning, an error in a production environment (environments.<name>.production), where an alarm
 * nobody hears is an outage nobody sees.
 */
import { finding, type Finding } from '../diagnostics/diagnostic.js';
import { notifyEmails } from '../compiler/derive.js';
import type { Validator } from './registry.js';

const silentAlerts: Validator = ({ spec, env }) => {
  const out: Finding[] = [];
  const production = spec.environments[env]?.production === true;
  const say = (path: string[], what: string, hint: string): Finding => ({
    ...finding('INN092', path, production ? `production environment: ${what}` : what, hint),
    ...(production ? { severity: 'error' as const } : {}),
  });
  const a = spec.observability.alerts;
  if (a.emails.length === 0 && a.pagerDutyUrl === undefined && a.slack === undefined) {
    out.push(say(['observability', 'alerts'], 'the CloudWatch alarms notify nobody: the SNS alarm topic has no subscription', 'set observability.alerts.emails, pagerDutyUrl or slack (per environment under environments.<name>.overrides.observability.alerts)'));
  }
  if (notifyEmails(spec).length === 0) {
    out.push(say(['cost', 'notifyEmails'], 'the budget and the cost anomaly monitor notify nobody: no e-mail in cost.notifyEmails or observability.alerts.emails', 'set cost.notifyEmails (or observability.alerts.emails, its default)'));
  }
  return out;
};

export const notificationValidators = [['silent-alerts', silentAlerts, ['environments', 'observability', 'cost']]] as const;
