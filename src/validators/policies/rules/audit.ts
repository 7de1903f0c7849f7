import { CONTROL_PLANE_LOG_TYPES } from '../../../schema/cluster.js';
import { get, resourcesOf } from '../context.js';
import type { PolicyFinding, Rule } from '../types.js';

export const auditOn: Rule = {
  id: 'INV007',
  title: 'Audit trails on',
  principle: 'audit',
  severity: 'error',
  hint: 'CloudTrail with log file validation, VPC flow logs, every EKS control-plane log type, retention on every log group',
  help: 'Every account has a multi-region CloudTrail with log file validation; every VPC has flow logs; EKS sends all control-plane log types; every log group has a retention period.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::CloudTrail::Trail')) {
      if (get(r.Properties, 'EnableLogFileValidation') !== true || get(r.Properties, 'IsMultiRegionTrail') !== true || get(r.Properties, 'IsLogging') !== true) {
        out.push({ rule: this.id, message: `trail ${id} is not multi-region, logging, with log file validation`, artifact: t.path, target: id });
      }
    }
    for (const t of ctx.templates) {
      const vpcs = Object.entries(t.resources).filter(([, r]) => r.Type === 'AWS::EC2::VPC');
      for (const [vpc] of vpcs) {
        const logged = Object.values(t.resources).some((r) => r.Type === 'AWS::EC2::FlowLog' && get(r.Properties, 'ResourceId', 'Ref') === vpc);
        if (!logged) out.push({ rule: this.id, message: `VPC ${vpc} has no flow log`, artifact: t.path, target: vpc, specPath: ['network', 'flowLogs'] });
      }
    }
    for (const m of ctx.models) {
      if (!ctx.templates.some((t) => t.environment === m.environment.name && Object.values(t.resources).some((r) => r.Type === 'AWS::CloudTrail::Trail'))) {
        if (ctx.templates.some((t) => t.environment === m.environment.name)) out.push({ rule: this.id, message: `environment ${m.environment.name} has no CloudTrail`, artifact: 'cloudformation', target: m.environment.name, environment: m.environment.name });
      }
    }
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::EKS::Cluster')) {
      const enabled = ((get(r.Properties, 'Logging', 'ClusterLogging', 'EnabledTypes') ?? []) as unknown[]).map((x) => get(x, 'Type'));
      const missing = CONTROL_PLANE_LOG_TYPES.filter((ty) => !enabled.includes(ty));
      if (missing.length > 0) out.push({ rule: this.id, message: `EKS cluster ${id} does not log ${missing.join(', ')}`, artifact: t.path, target: id, specPath: ['cluster', 'controlPlaneLogs'] });
    }
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::Logs::LogGroup')) {
      if (typeof get(r.Properties, 'RetentionInDays') !== 'number') out.push({ rule: this.id, message: `log group ${id} keeps logs forever (no RetentionInDays)`, artifact: t.path, target: id, specPath: ['observability', 'logRetentionDays'] });
    }
    return out;
  },
};

export const dataSafety: Rule = {
  id: 'INV008',
  title: 'Database backups and protection',
  principle: 'data safety',
  severity: 'error',
  hint: 'backup retention >= 30 days; production databases with deletion protection and Snapshot deletion/replace policies',
  help: 'Point-in-time recovery covers 30 days; a production Aurora cluster cannot be deleted by accident and is snapshotted if CloudFormation ever removes or replaces it.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::RDS::DBCluster')) {
      const model = ctx.models.find((m) => m.environment.name === t.environment);
      const isReplica = get(r.Properties, 'SourceDBClusterIdentifier') !== undefined || (get(r.Properties, 'GlobalClusterIdentifier') !== undefined && get(r.Properties, 'MasterUsername') === undefined);
      if (!isReplica && ((get(r.Properties, 'BackupRetentionPeriod') as number | undefined) ?? 1) < 30) {
        out.push({ rule: this.id, message: `${id} keeps backups for fewer than 30 days`, artifact: t.path, target: id, specPath: ['database', 'backupRetentionDays'] });
      }
      if (model?.environment.production) {
        if (get(r.Properties, 'DeletionProtection') !== true) out.push({ rule: this.id, message: `production database ${id} has no deletion protection`, artifact: t.path, target: id, specPath: ['database', 'deletionProtection'] });
        if (r.DeletionPolicy !== 'Snapshot' || r.UpdateReplacePolicy !== 'Snapshot') out.push({ rule: this.id, message: `production database ${id} is not snapshotted on delete or replace`, artifact: t.path, target: id, specPath: ['database'] });
      }
    }
    return out;
  },
};
