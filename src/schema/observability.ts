import * as z from 'zod';
import { email, httpsUrl, logRetentionDays } from './primitives.js';

export const observabilitySchema = z
  .strictObject({
    containerInsights: z.boolean().default(true).describe('CloudWatch Container Insights through the amazon-cloudwatch-observability add-on. @default true'),
    logRetentionDays: logRetentionDays.default(90).describe('Retention of every log group. @default 90'),
    prometheus: z
      .strictObject({
        retention: z.string().regex(/^\d+[dhw]$/).default('15d').describe('@default 15d'),
        storageGiB: z.number().int().min(1).max(16384).default(50).describe('Encrypted gp3 volume. @default 50'),
      })
      .prefault({})
      .describe('In-cluster Prometheus (kube-prometheus-stack).'),
    grafana: z
      .strictObject({
        adminSecret: z.string().min(1).default('grafana-admin').describe('Secrets Manager secret holding admin-user / admin-password. @default grafana-admin'),
      })
      .prefault({})
      .describe('Grafana with dashboards provisioned by the sidecar.'),
    tracing: z.enum(['xray', 'none']).default('xray').describe('X-Ray / OpenTelemetry tracing through the CloudWatch agent. @default xray'),
    alerts: z
      .strictObject({
        emails: z.array(email).default([]).describe('@default []'),
        pagerDutyUrl: httpsUrl.optional().describe('PagerDuty Events API https endpoint.'),
        slack: z
          .strictObject({
            workspaceId: z.string().regex(/^[A-Z0-9]{9,11}$/).describe('Slack workspace (team) id configured in AWS Chatbot.'),
            channelId: z.string().regex(/^[A-Z0-9]{9,11}$/).describe('Slack channel id.'),
          })
          .optional()
          .describe('Slack through AWS Chatbot.'),
      })
      .prefault({})
      .describe('Who the SNS alarm topic notifies.'),
    thresholds: z
      .strictObject({
        alb5xxPerMinute: z.number().int().min(1).default(10).describe('@default 10'),
        dbCpuPercent: z.number().int().min(1).max(100).default(80).describe('@default 80'),
        dbFreeableMemoryMiB: z.number().int().min(1).default(256).describe('@default 256'),
        dbReplicaLagMs: z.number().int().min(1).default(1000).describe('@default 1000'),
        nodeCpuPercent: z.number().int().min(1).max(100).default(85).describe('@default 85'),
      })
      .prefault({})
      .describe('CloudWatch alarm thresholds.'),
  })
  .describe('Metrics, logs, tracing, alarms and dashboards.');

export const costSchema = z
  .strictObject({
    monthlyBudgetUsd: z.number().positive().max(10_000_000).default(1000).describe('AWS Budgets monthly cost limit. @default 1000'),
    budgetThresholds: z.array(z.number().int().min(1).max(1000)).min(1).default([80, 100]).describe('Percent of the budget that notifies (actual spend). @default [80, 100]'),
    anomalyThresholdUsd: z.number().positive().default(100).describe('Cost Anomaly Detection alert on impact above this. @default 100'),
    notifyEmails: z.array(email).default([]).describe('Budget and anomaly recipients. @default observability.alerts.emails'),
  })
  .prefault({})
  .describe('Budgets and cost anomaly alerts.');
