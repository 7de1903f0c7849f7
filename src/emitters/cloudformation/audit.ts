/**
 * audit.json: the account's CloudTrail (multi-region, log file validation, KMS, delivered to
 * S3 and to a KMS-encrypted CloudWatch Logs group, S3 data events of the CI artifact bucket)
 * and its bucket. Also home of the S3 bucket builder every template uses: KMS, versioning,
 * public access block, TLS-only bucket policy.
 */
import type { Model } from '../../compiler/model.js';
import { logicalId } from '../../compiler/names.js';
import { addRole, allow, document, serviceTrust, type Statement } from './iam.js';
import { keyArn } from './security.js';
import { getAtt, ref, sub, Template, type Json } from './template.js';

/** A private, versioned, KMS-encrypted bucket with a TLS-only policy (plus extra statements). */
export function addBucket(t: Template, name: string, bucketName: string, kmsKeyArn: Json, extra: (bucketArn: string) => Statement[] = () => [], retain = true): string {
  const id = logicalId(name, 'bucket');
  t.add(
    id,
    'AWS::S3::Bucket',
    {
      BucketName: bucketName,
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKeyArn }, BucketKeyEnabled: true }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    },
    retain ? { retain: 'Retain' } : {},
  );
  const bucketArn = `arn:aws:s3:::${bucketName}`;
  t.add(logicalId(name, 'bucket', 'policy'), 'AWS::S3::BucketPolicy', {
    Bucket: ref(id),
    PolicyDocument: document([
      {
        // The bucket by reference, not by name: scanners (cdk-nag S10, NIST S3BucketSSLRequestsOnly) match the
        // statement to the bucket through its logical id.
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [getAtt(id, 'Arn'), sub(`\${${id}.Arn}/*`)],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      ...extra(bucketArn),
    ]),
  });
  return id;
}

export function auditTemplate(m: Model): Template {
  const t = new Template(m, `${m.names.cluster}: CloudTrail for the account (multi-region, log file validation, KMS, to S3 and CloudWatch Logs) and its bucket.`);
  const { region, accountId } = m.environment;
  const trailName = m.names.cluster;
  const trailArn = `arn:aws:cloudtrail:${region}:${accountId}:trail/${trailName}`;
  const bucket = addBucket(t, 'trail', m.names.trailBucket, keyArn(t, 'trail'), (bucketArn) => [
    { Sid: 'CloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: bucketArn, Condition: { StringEquals: { 'aws:SourceArn': trailArn } } },
    {
      Sid: 'CloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${bucketArn}/AWSLogs/${accountId}/*`,
      Condition: { StringEquals: { 'aws:SourceArn': trailArn, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
  ]);
  // The trail also goes to CloudWatch Logs (metric filters and alarms can watch it), KMS-encrypted, with retention.
  const logGroup = `/aws/cloudtrail/${trailName}`;
  t.add('TrailLogGroup', 'AWS::Logs::LogGroup', { LogGroupName: logGroup, RetentionInDays: m.observability.logRetentionDays, KmsKeyId: keyArn(t, 'logs') }, { retain: 'Retain' });
  addRole(t, 'TrailLogsRole', {
    roleName: `${m.names.cluster}-cloudtrail-logs`,
    description: 'CloudTrail delivery to CloudWatch Logs',
    trust: serviceTrust('cloudtrail.amazonaws.com'),
    statements: [allow('DeliverTrail', ['logs:CreateLogStream', 'logs:PutLogEvents'], `arn:aws:logs:${region}:${accountId}:log-group:${logGroup}:log-stream:*`)],
  });
  t.add(
    'Trail',
    'AWS::CloudTrail::Trail',
    {
      TrailName: trailName,
      S3BucketName: ref(bucket),
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: keyArn(t, 'trail'),
      CloudWatchLogsLogGroupArn: getAtt('TrailLogGroup', 'Arn'),
      CloudWatchLogsRoleArn: getAtt('TrailLogsRole', 'Arn'),
      // Object-level access to the CI artifact bucket (the supply chain's hand-off) is recorded as S3 data events.
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: [`arn:aws:s3:::${m.names.artifactBucket}/`] }] }],
    },
    { dependsOn: ['TrailBucketPolicy'] },
  );
  t.publish(['audit', 'trail-arn'], getAtt('Trail', 'Arn'), 'CloudTrail trail ARN');
  return t;
}
