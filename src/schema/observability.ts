import * as z from 'zod/mini';
import { ASSUMPTIONS, ASSUMPTION_NAMES } from '../cost/assumptions.js';
import { described, email, httpsUrl, logRetentionDays } from './primitives.js';

const assumptionValue = z.union([
  z.number().check(z.nonnegative()),
  z.strictObject({
    low: described(z.optional(z.number().check(z.nonnegative())), "The value of the estimate's low figure."),
    likely: described(z.optional(z.number().check(z.nonnegative())), "The value of the estimate's likely figure."),
    high: described(z.optional(z.number().check(z.nonnegative())), "The value of the estimate's high figure."),
  }),
]);
/** innovate cost's named assumptions (src/cost/assumptions.ts): a number pins the likely value; low/likely/high set the range. */
const costAssumptions = z.strictObject(
  Object.fromEntries(
    ASSUMPTION_NAMES.map((n) => {
      const a = ASSUMPTIONS[n];
      return [n, described(z.optional(assumptionValue), `${a.description} Unit: ${a.unit}. @default ${a.likely} (range ${a.low}–${a.high})`)];
    }),
  ) as Record<(typeof ASSUMPTION_NAMES)[number], z.ZodMiniOptional<typeof assumptionValue>>,
);

export const observabilitySchema = described(
  z.strictObject({
    containerInsights: described(
      z._default(z.boolean(), true),
      'CloudWatch Container Insights through the amazon-cloudwatch-observability add-on. @default true',
    ),
    logRetentionDays: described(z._default(logRetentionDays, 90), 'Retention of every log group. @default 90'),
    prometheus: described(
      z.prefault(
        z.strictObject({
          retention: described(z._default(z.string().check(z.regex(/^\d+[dhw]$/)), '15d'), '@default 15d'),
          storageGiB: described(z._default(z.int().check(z.minimum(1), z.maximum(16384)), 50), 'Encrypted gp3 volume. @default 50'),
        }),
        {},
      ),
      'In-cluster Prometheus (kube-prometheus-stack).',
    ),
    grafana: described(
      z.prefault(
        z.strictObject({
          sso: described(
            z.optional(
              z.strictObject({
                metadataUrl: described(
                  httpsUrl,
                  'SAML metadata URL of the customer managed SAML 2.0 application for Grafana in IAM Identity Center (an external input: docs/kubernetes.md, "Grafana sign-in"), e.g. https://portal.sso.us-east-1.amazonaws.com/saml/metadata/<id>.',
                ),
              }),
            ),
            'Sign-in through IAM Identity Center (SAML, federated by a Cognito user pool that Grafana reads over OIDC). Teams map to Grafana roles by their permission set\'s group: cluster admins are Grafana admins, edit teams editors, view teams viewers. Without it nobody can sign in: Grafana has no local admin.',
          ),
        }),
        {},
      ),
      'Grafana with dashboards provisioned by the sidecar, no local admin or password.',
    ),
    tracing: described(z._default(z.enum(['xray', 'none']), 'xray'), 'X-Ray / OpenTelemetry tracing through the CloudWatch agent. @default xray'),
    alerts: described(
      z.prefault(
        z.strictObject({
          emails: described(z._default(z.array(email), []), '@default []'),
          pagerDutyUrl: described(z.optional(httpsUrl), 'PagerDuty Events API https endpoint.'),
          slack: described(
            z.optional(
              z.strictObject({
                workspaceId: described(z.string().check(z.regex(/^[A-Z0-9]{9,11}$/)), 'Slack workspace (team) id configured in AWS Chatbot.'),
                channelId: described(z.string().check(z.regex(/^[A-Z0-9]{9,11}$/)), 'Slack channel id.'),
              }),
            ),
            'Slack through AWS Chatbot.',
          ),
        }),
        {},
      ),
      'Who the SNS alarm topic notifies.',
    ),
    thresholds: described(
      z.prefault(
        z.strictObject({
          alb5xxPerMinute: described(z._default(z.int().check(z.minimum(1)), 10), '@default 10'),
          dbCpuPercent: described(z._default(z.int().check(z.minimum(1), z.maximum(100)), 80), '@default 80'),
          dbFreeableMemoryMiB: described(z._default(z.int().check(z.minimum(1)), 256), '@default 256'),
          dbReplicaLagMs: described(z._default(z.int().check(z.minimum(1)), 1000), '@default 1000'),
          nodeCpuPercent: described(z._default(z.int().check(z.minimum(1), z.maximum(100)), 85), '@default 85'),
        }),
        {},
      ),
      'CloudWatch alarm thresholds.',
    ),
  }),
  'Metrics, logs, tracing, alarms and dashboards.',
);

export const costSchema = described(
  z.prefault(
    z.strictObject({
      monthlyBudgetUsd: described(z._default(z.number().check(z.positive(), z.maximum(10_000_000)), 1000), 'AWS Budgets monthly cost limit. @default 1000'),
      budgetThresholds: described(
        z._default(z.array(z.int().check(z.minimum(1), z.maximum(1000))).check(z.minLength(1)), [80, 100]),
        'Percent of the budget that notifies (actual spend). @default [80, 100]',
      ),
      anomalyThresholdUsd: described(z._default(z.number().check(z.positive()), 100), 'Cost Anomaly Detection alert on impact above this. @default 100'),
      notifyEmails: described(z._default(z.array(email), []), 'Budget and anomaly recipients. @default observability.alerts.emails'),
      assumptions: described(z.optional(costAssumptions), 'Assumptions of `innovate cost` (traffic, log volume, Spot discount, ...): see docs/cost.md.'),
    }),
    {},
  ),
  'Budgets and cost anomaly alerts.',
);
