import { docsOf, get, k8sTarget, resourcesOf } from '../context.js';
import type { PolicyFinding, Rule } from '../types.js';

/** A customer-managed key reference: present, and not an AWS-managed alias. */
const isCmk = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && !(typeof v === 'string' && v.startsWith('alias/aws/'));

/** Where each storage resource keeps its key (and, if any, the flag that turns encryption on). */
const KEY_PATHS: Record<string, { key: (string | number)[]; flag?: [(string | number)[], unknown]; spec: string[] }> = {
  'AWS::RDS::DBCluster': { key: ['KmsKeyId'], flag: [['StorageEncrypted'], true], spec: ['database'] },
  'AWS::SQS::Queue': { key: ['KmsMasterKeyId'], spec: ['cluster', 'karpenter'] },
  'AWS::SNS::Topic': { key: ['KmsMasterKeyId'], spec: ['observability', 'alerts'] },
  'AWS::Logs::LogGroup': { key: ['KmsKeyId'], spec: ['observability', 'logRetentionDays'] },
  'AWS::SecretsManager::Secret': { key: ['KmsKeyId'], spec: ['security', 'secrets'] },
  'AWS::Backup::BackupVault': { key: ['EncryptionKeyArn'], spec: ['database', 'snapshotRetentionDays'] },
  'AWS::CloudTrail::Trail': { key: ['KMSKeyId'], spec: ['organization'] },
  'AWS::ECR::Repository': { key: ['EncryptionConfiguration', 'KmsKey'], flag: [['EncryptionConfiguration', 'EncryptionType'], 'KMS'], spec: ['registry'] },
  'AWS::EKS::Cluster': { key: ['EncryptionConfig', 0, 'Provider', 'KeyArn'], spec: ['cluster'] },
};

export const cmkEncryption: Rule = {
  id: 'INV004',
  title: 'Storage encrypted with customer-managed KMS keys',
  principle: 'encryption at rest',
  severity: 'error',
  hint: 'every store names one of the platform KMS keys; never an AWS-managed key or none',
  help: 'Aurora, node and Karpenter EBS volumes, S3, ECR, SQS, SNS, log groups, Secrets Manager, EKS secrets, backups and CloudTrail use customer-managed KMS keys.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const [type, where] of Object.entries(KEY_PATHS)) {
      for (const [t, id, r] of resourcesOf(ctx, type)) {
        const flagOk = !where.flag || get(r.Properties, ...where.flag[0]) === where.flag[1];
        if (!flagOk || !isCmk(get(r.Properties, ...where.key))) out.push({ rule: this.id, message: `${type} ${id} is not encrypted with a customer-managed key`, artifact: t.path, target: id, specPath: where.spec });
      }
    }
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::S3::Bucket')) {
      const rules = (get(r.Properties, 'BucketEncryption', 'ServerSideEncryptionConfiguration') ?? []) as unknown[];
      const ok = rules.length > 0 && rules.every((x) => get(x, 'ServerSideEncryptionByDefault', 'SSEAlgorithm') === 'aws:kms' && isCmk(get(x, 'ServerSideEncryptionByDefault', 'KMSMasterKeyID')));
      if (!ok) out.push({ rule: this.id, message: `bucket ${id} is not encrypted with a customer-managed key`, artifact: t.path, target: id });
    }
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::EC2::LaunchTemplate')) {
      for (const bdm of (get(r.Properties, 'LaunchTemplateData', 'BlockDeviceMappings') ?? []) as unknown[]) {
        if (get(bdm, 'Ebs') && (get(bdm, 'Ebs', 'Encrypted') !== true || !isCmk(get(bdm, 'Ebs', 'KmsKeyId')))) {
          out.push({ rule: this.id, message: `${id} has an EBS volume without a customer-managed key`, artifact: t.path, target: id, specPath: ['cluster', 'systemNodeGroup'] });
        }
      }
    }
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::RDS::DBInstance')) {
      if (get(r.Properties, 'EnablePerformanceInsights') === true && !isCmk(get(r.Properties, 'PerformanceInsightsKMSKeyId'))) {
        out.push({ rule: this.id, message: `${id} keeps Performance Insights data without a customer-managed key`, artifact: t.path, target: id, specPath: ['database', 'performanceInsights'] });
      }
    }
    for (const [m, d] of docsOf(ctx, 'EC2NodeClass')) {
      const bdms = (get(d.spec, 'blockDeviceMappings') ?? []) as unknown[];
      if (bdms.length === 0 || bdms.some((b) => get(b, 'ebs', 'encrypted') !== true || !isCmk(get(b, 'ebs', 'kmsKeyID')))) {
        out.push({ rule: this.id, message: 'EC2NodeClass volumes are not encrypted with a customer-managed key', artifact: m.path, target: k8sTarget(d), specPath: ['cluster', 'karpenter'] });
      }
    }
    for (const [m, d] of docsOf(ctx, 'StorageClass')) {
      const p = (d.parameters ?? {}) as Record<string, unknown>;
      if (String(p.encrypted) !== 'true' || !isCmk(p.kmsKeyId)) out.push({ rule: this.id, message: 'StorageClass provisions volumes without a customer-managed key', artifact: m.path, target: k8sTarget(d) });
    }
    return out;
  },
};

export const keyRotation: Rule = {
  id: 'INV005',
  title: 'KMS key rotation on',
  principle: 'encryption at rest',
  severity: 'error',
  hint: 'set EnableKeyRotation: true on every symmetric key',
  help: 'Every symmetric customer-managed key rotates its material yearly; asymmetric signing keys cannot rotate and are exempt.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::KMS::Key')) {
      const spec = (get(r.Properties, 'KeySpec') ?? 'SYMMETRIC_DEFAULT') as string;
      if (spec === 'SYMMETRIC_DEFAULT' && get(r.Properties, 'EnableKeyRotation') !== true) out.push({ rule: this.id, message: `key ${id} does not rotate`, artifact: t.path, target: id, specPath: ['security', 'kms'] });
    }
    return out;
  },
};
