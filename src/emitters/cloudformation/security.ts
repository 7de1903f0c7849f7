/**
 * security.json: the customer-managed KMS keys of the environment, one per use, rotation
 * on, each key policy naming the service (and principals) that may use it. Every key's
 * ARN is published under <prefix>/security/<name>-key-arn.
 */
import type { Model } from '../../compiler/model.js';
import { logicalId } from '../../compiler/names.js';
import { arn, document, viaService, type Statement } from './iam.js';
import { getAtt, ref, Template, type Json } from './template.js';

export type KeyName = 'backup' | 'database' | 'ebs' | 'eks' | 'logs' | 'messaging' | 'registry' | 'secrets' | 'storage' | 'trail';

const USAGE = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];

/** The consuming side: the ARN of a key, read from SSM. */
/** Lets CloudWatch Logs of one region use a key for the account's log groups (and nothing else). */
export const logsServiceStatement = (region: string, accountId: string): Statement => ({
  Sid: 'CloudWatchLogs',
  Effect: 'Allow',
  Principal: { Service: `logs.${region}.amazonaws.com` },
  Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
  Resource: '*',
  Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${accountId}:log-group:*` } },
});

export const keyArn = (t: Template, name: KeyName | 'signing'): Json => t.ssm(['security', `${name}-key-arn`]);

export const keyAlias = (m: Model, name: KeyName | 'signing'): string =>
  name === 'ebs' ? m.names.ebsKeyAlias : name === 'signing' ? m.names.signingKeyAlias : `alias/${m.names.cluster}-${name}`;

function keyUsers(m: Model, name: KeyName): { description: string; statements: Statement[] } {
  const { region, accountId } = m.environment;
  const any = { AWS: '*' };
  const through = (service: string, extra: readonly string[] = []): Statement => ({
    Sid: `Use${service.replace(/[^a-z]/g, '')}`,
    Effect: 'Allow',
    Principal: any,
    Action: [...USAGE, 'kms:CreateGrant', ...extra].sort(),
    Resource: '*',
    Condition: viaService(m, service),
  });
  switch (name) {
    case 'backup':
      return { description: 'AWS Backup vault', statements: [through('backup')] };
    case 'database':
      return { description: 'Aurora storage and Performance Insights', statements: [through('rds')] };
    case 'ebs':
      // Managed node groups (Auto Scaling service-linked role), Karpenter (EC2 Fleet) and the EBS CSI driver all go through EC2.
      return { description: 'EBS volumes of every node and PersistentVolume', statements: [through('ec2')] };
    case 'eks':
      return { description: 'EKS secrets envelope encryption', statements: [through('eks')] };
    case 'registry':
      return { description: 'ECR repositories', statements: [through('ecr')] };
    case 'secrets':
      return { description: 'Secrets Manager secrets', statements: [through('secretsmanager')] };
    case 'storage':
      return { description: 'S3 buckets', statements: [through('s3')] };
    case 'logs':
      return {
        description: 'CloudWatch Logs log groups (VPC flow logs, Container Insights)',
        statements: [logsServiceStatement(region, accountId)],
      };
    case 'messaging':
      return {
        description: 'SNS alarm topic and the Karpenter interruption queue',
        statements: [
          through('sns'),
          through('sqs'),
          {
            Sid: 'AlarmPublishers',
            Effect: 'Allow',
            Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
          },
        ],
      };
    case 'trail':
      return {
        description: 'CloudTrail log files',
        statements: [
          {
            Sid: 'CloudTrailEncrypt',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:GenerateDataKey*',
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:${region}:${accountId}:trail/${m.names.cluster}` },
              StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${accountId}:trail/*` },
            },
          },
          { Sid: 'CloudTrailDescribe', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' },
          {
            Sid: 'AuditorsDecrypt',
            Effect: 'Allow',
            Principal: any,
            Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
            Resource: '*',
            Condition: {
              StringEquals: { 'kms:CallerAccount': accountId },
              StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${accountId}:trail/*` },
            },
          },
        ],
      };
  }
}

const admin = (m: Model): Statement => ({
  Sid: 'AccountAdministration',
  Effect: 'Allow',
  Principal: { AWS: arn.root(m.environment.accountId) },
  Action: 'kms:*',
  Resource: '*',
});

/** Keys an environment needs, by name. */
export const KEYS: readonly KeyName[] = ['backup', 'database', 'ebs', 'eks', 'logs', 'messaging', 'registry', 'secrets', 'storage', 'trail'];

export function securityTemplate(m: Model): Template {
  const t = new Template(m, `${m.names.cluster}: customer-managed KMS keys (rotation on) for every encrypted resource of the environment.`);
  for (const name of KEYS) {
    const { description, statements } = keyUsers(m, name);
    const id = logicalId(name, 'key');
    t.add(
      id,
      'AWS::KMS::Key',
      {
        Description: `${m.names.cluster} ${description}`,
        EnableKeyRotation: true,
        PendingWindowInDays: m.security.kmsPendingWindowDays,
        KeyPolicy: document([admin(m), ...statements]),
      },
      { retain: 'Retain' },
    );
    t.add(logicalId(name, 'key', 'alias'), 'AWS::KMS::Alias', { AliasName: keyAlias(m, name), TargetKeyId: ref(id) });
    t.publish(['security', `${name}-key-arn`], getAtt(id, 'Arn'), `ARN of the ${description} KMS key`);
  }
  if (m.registry.signing) {
    // Asymmetric keys cannot rotate automatically: cosign verifies with the public key.
    t.add(
      'SigningKey',
      'AWS::KMS::Key',
      {
        Description: `${m.names.cluster} container image signing (cosign)`,
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        PendingWindowInDays: m.security.kmsPendingWindowDays,
        KeyPolicy: document([
          admin(m),
          {
            Sid: 'CiSigns',
            Effect: 'Allow',
            Principal: { AWS: arn.root(m.environment.accountId) },
            Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
            Resource: '*',
            Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${m.environment.accountId}:role/${m.names.ciRole}` } },
          },
          { Sid: 'AccountVerifies', Effect: 'Allow', Principal: { AWS: arn.root(m.environment.accountId) }, Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Verify'], Resource: '*' },
          // The other environments run the images this one's CI signs: their signature verifiers read the public key.
          ...m.registry.verifiers.map((v) => ({
            Sid: `${logicalId(v.environment.name)}VerifiesSignatures`,
            Effect: 'Allow' as const,
            Principal: { AWS: arn.root(v.environment.accountId) },
            Action: ['kms:DescribeKey', 'kms:GetPublicKey'],
            Resource: '*',
            Condition: { ArnEquals: { 'aws:PrincipalArn': v.roleArn } },
          })),
        ]),
      },
      { retain: 'Retain' },
    );
    t.add('SigningKeyAlias', 'AWS::KMS::Alias', { AliasName: m.names.signingKeyAlias, TargetKeyId: ref('SigningKey') });
    t.publish(['security', 'signing-key-arn'], getAtt('SigningKey', 'Arn'), 'ARN of the image signing KMS key');
  }
  return t;
}
