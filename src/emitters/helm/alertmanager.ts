/**
 * Alertmanager's part of the kube-prometheus-stack values: who gets paged, and how the message
 * reads for each endpoint.
 *
 * Alertmanager publishes to one SNS topic per endpoint kind the spec names (observability.json
 * subscribes each with the same e-mail addresses, PagerDuty URL or Slack channel as the CloudWatch
 * alarm topic), signing with SigV4 under its own pod identity. So the on-call endpoints are the
 * alarms' endpoints by construction, and no webhook URL, routing key or SMTP password exists in
 * the values or in the cluster: there is no secret to sync, leak or rotate.
 *
 * Routing: critical alerts go to every endpoint; warnings to e-mail and Slack, not to the pager;
 * info, Watchdog and InfoInhibitor to nobody (the chart's inhibit rules are kept).
 */
import type { AlertReceiver, Model } from '../../compiler/model.js';
import type { Values } from './common.js';

/** The chart's receiver that drops what it gets (kept from its defaults). */
export const NULL_RECEIVER = 'null';

/** Which severities each endpoint kind receives. */
export const SEVERITIES: Readonly<Record<AlertReceiver['endpoint'], readonly string[]>> = {
  email: ['critical', 'warning'],
  slack: ['critical', 'warning'],
  pagerduty: ['critical'],
};

/** The template file's name under /etc/alertmanager/config/, which the chart's config loads (templates: *.tmpl). */
export const TEMPLATE_FILE = 'innovate.tmpl';

/**
 * Go templates for the three message shapes. `innovate.json` escapes a string for a JSON string
 * literal (Alertmanager has no JSON function): backslashes and quotes first, then newlines, then
 * any other control character becomes a space.
 */
function templates(model: Model): string {
  const where = `${model.cluster.name} (${model.environment.region})`;
  const region = model.environment.region;
  return [
    String.raw`{{ define "innovate.json" }}{{ . | reReplaceAll "[\\\\\"]" "\\$0" | reReplaceAll "\n" "\\n" | reReplaceAll "[\\x00-\\x1f]" " " }}{{ end }}`,
    '{{ define "innovate.name" }}{{ .CommonLabels.alertname }}{{ with .GroupLabels.namespace }} in {{ . }}{{ end }}{{ end }}',
    '{{ define "innovate.line" }}[{{ .Labels.severity }}] {{ .Labels.alertname }}: {{ with .Annotations.summary }}{{ . }}{{ else }}{{ .Annotations.description }}{{ end }}{{ end }}',
    // The same two, escaped for a JSON string (a template's output cannot be piped, so each field is escaped).
    '{{ define "innovate.json.name" }}{{ template "innovate.json" .CommonLabels.alertname }}{{ with .GroupLabels.namespace }} in {{ template "innovate.json" . }}{{ end }}{{ end }}',
    String.raw`{{ define "innovate.json.lines" }}{{ range .Alerts }}[{{ template "innovate.json" .Labels.severity }}] {{ template "innovate.json" .Labels.alertname }}: {{ with .Annotations.summary }}{{ template "innovate.json" . }}{{ else }}{{ template "innovate.json" .Annotations.description }}{{ end }}\n{{ end }}{{ end }}`,
    // E-mail: a one-line subject (Alertmanager truncates it to SNS's 100 characters) and a text body.
    `{{ define "innovate.subject" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ template "innovate.name" . }} - ${where}{{ end }}`,
    '{{ define "innovate.text" }}{{ range .Alerts }}{{ template "innovate.line" . }}',
    '{{ with .Annotations.description }}{{ . }}',
    '{{ end }}{{ with .Annotations.runbook_url }}Runbook: {{ . }}',
    '{{ end }}Labels: {{ .Labels.SortedPairs }}',
    'Since: {{ .StartsAt }}',
    '',
    '{{ end }}Alertmanager: {{ .ExternalURL }}{{ end }}',
    // Slack: AWS Chatbot (Amazon Q Developer in chat applications) relays only its custom-notification schema.
    '{{ define "innovate.chatbot" }}{"version":"1.0","source":"custom","content":{"textType":"client-markdown",' +
      `"title":"{{ .Status | toUpper }}: {{ template "innovate.json.name" . }} - ${where}",` +
      '"description":"{{ template "innovate.json.lines" . }}"},' +
      '"metadata":{"threadId":"{{ template "innovate.json.name" . }}","summary":"{{ .Status }}: {{ template "innovate.json.name" . }}"}}{{ end }}',
    // PagerDuty's CloudWatch integration: an alarm-shaped message; NewStateValue ALARM opens an incident, OK resolves it.
    `{{ define "innovate.pagerduty.subject" }}{{ if eq .Status "firing" }}ALARM{{ else }}OK{{ end }}: "{{ template "innovate.name" . }}" in ${region}{{ end }}`,
    `{{ define "innovate.pagerduty" }}{"AlarmName":"${model.cluster.name}: {{ template "innovate.json.name" . }}",` +
      '"AlarmDescription":"{{ template "innovate.json.lines" . }}",' +
      `"NewStateValue":"{{ if eq .Status "firing" }}ALARM{{ else }}OK{{ end }}","NewStateReason":"Alertmanager: {{ .Alerts.Firing | len }} firing, {{ .Alerts.Resolved | len }} resolved",` +
      `"Region":"${region}","AWSAccountId":"${model.environment.accountId}"}{{ end }}`,
    '',
  ].join('\n');
}

function receiver(model: Model, r: AlertReceiver): Values {
  const sns = { topic_arn: r.topicArn, sigv4: { region: model.environment.region }, send_resolved: true };
  const shape: Record<AlertReceiver['endpoint'], Values> = {
    email: { subject: '{{ template "innovate.subject" . }}', message: '{{ template "innovate.text" . }}' },
    slack: { subject: '{{ template "innovate.subject" . }}', message: '{{ template "innovate.chatbot" . }}' },
    pagerduty: { subject: '{{ template "innovate.pagerduty.subject" . }}', message: '{{ template "innovate.pagerduty" . }}' },
  };
  return { name: r.endpoint, sns_configs: [{ ...sns, ...shape[r.endpoint] }] };
}

/** alertmanager.* values (placement comes from the caller). */
export function alertmanagerValues(model: Model): Values {
  const receivers = model.observability.alertmanager.receivers;
  const routes = [
    { receiver: NULL_RECEIVER, matchers: ['alertname =~ "Watchdog|InfoInhibitor"'] },
    ...receivers.map((r, i) => ({
      receiver: r.endpoint,
      matchers: [SEVERITIES[r.endpoint].length === 1 ? `severity = "${SEVERITIES[r.endpoint][0]}"` : `severity =~ "${SEVERITIES[r.endpoint].join('|')}"`],
      // Every endpoint whose severities match gets the alert, not only the first.
      ...(i < receivers.length - 1 ? { continue: true } : {}),
    })),
  ];
  return {
    serviceAccount: { create: true, name: model.observability.alertmanager.identity.serviceAccount },
    config: {
      route: { group_by: ['alertname', 'namespace'], receiver: NULL_RECEIVER, routes },
      receivers: [{ name: NULL_RECEIVER }, ...receivers.map((r) => receiver(model, r))],
    },
    ...(receivers.length > 0 ? { templateFiles: { [TEMPLATE_FILE]: templates(model) } } : {}),
  };
}
