/**
 * data.json: Aurora PostgreSQL (isolated subnets, DB security group, CMK, managed master
 * password, rds.force_ssl, backups, deletion protection), the global database when the
 * DR replica is on, the AWS Backup plan, the environment's Secrets Manager secrets
 * with their rotation schedules, and the bootstrap that creates their database users.
 */
import type { Model, Secret } from '../../compiler/model.js';
import { logicalId, podRoleName } from '../../compiler/names.js';
import { BOOTSTRAP_RUNTIME, BOOTSTRAP_SOURCE, bootstrapDigest } from './db-bootstrap.js';
import { addRole, allow, document, managedPolicy, serviceTrust, viaService } from './iam.js';
import { keyArn } from './security.js';
import { getAtt, join, ref, sub, tagList, Template, type Json } from './template.js';

const EXCLUDE = '"@/\\\'`';
export const SECRETS_TRANSFORM = 'AWS::SecretsManager-2020-07-23';
export const globalClusterId = (m: Model): string => `${m.database.clusterIdentifier}-global`;

/**
 * Aurora cannot manage the master password in Secrets Manager for a cluster that belongs to a
 * global database; there the stack generates the secret itself and passes it by dynamic
 * reference (never a literal), and rotates it with the hosted single-user function.
 */
export const managedMasterPassword = (m: Model): boolean => !m.database.crossRegionReplica;

/** Enhanced Monitoring (OS metrics every minute), delivered by RDS with this role. */
export const ENHANCED_MONITORING = { MonitoringInterval: 60, MonitoringRoleArn: getAtt('DatabaseMonitoringRole', 'Arn') } as const;

export const monitoringRole = (t: Template, id: string, roleName: string): string =>
  addRole(t, id, {
    roleName,
    description: 'RDS Enhanced Monitoring: OS metrics of the Aurora instances to CloudWatch Logs',
    trust: serviceTrust('monitoring.rds.amazonaws.com'),
    managed: [managedPolicy('service-role/AmazonRDSEnhancedMonitoringRole')],
  });

function aurora(t: Template, isolated: Json, dbSg: Json): void {
  const m = t.model;
  const d = m.database;
  const retain = m.environment.production ? 'Snapshot' : 'Delete';
  t.add('DatabaseSubnetGroup', 'AWS::RDS::DBSubnetGroup', { DBSubnetGroupDescription: `${d.clusterIdentifier} isolated subnets`, SubnetIds: isolated });
  t.add('DatabaseClusterParameterGroup', 'AWS::RDS::DBClusterParameterGroup', {
    Description: `${d.clusterIdentifier}: TLS required`,
    Family: d.parameterGroupFamily,
    Parameters: { 'rds.force_ssl': d.forceSsl ? '1' : '0' },
  });
  if (!managedMasterPassword(m)) {
    t.add('DatabaseMasterSecret', 'AWS::SecretsManager::Secret', {
      // Outside <project>/<env>/*, the path External Secrets may read: pods never see the master user.
      Name: `${m.names.cluster}/database-master`,
      Description: `Master user of ${d.clusterIdentifier}`,
      KmsKeyId: keyArn(t, 'secrets'),
      GenerateSecretString: { SecretStringTemplate: JSON.stringify({ username: d.masterUsername }), GenerateStringKey: 'password', PasswordLength: 32, ExcludeCharacters: EXCLUDE },
    });
  }
  t.add(
    'DatabaseCluster',
    'AWS::RDS::DBCluster',
    {
      DBClusterIdentifier: d.clusterIdentifier,
      Engine: 'aurora-postgresql',
      EngineVersion: d.engineVersion,
      DatabaseName: d.databaseName,
      Port: d.port,
      MasterUsername: d.masterUsername,
      ...(managedMasterPassword(m)
        ? { ManageMasterUserPassword: true, MasterUserSecret: { KmsKeyId: keyArn(t, 'secrets') } }
        : { MasterUserPassword: sub('{{resolve:secretsmanager:${DatabaseMasterSecret}:SecretString:password}}') }),
      StorageEncrypted: d.storageEncrypted,
      KmsKeyId: keyArn(t, 'database'),
      DBSubnetGroupName: ref('DatabaseSubnetGroup'),
      VpcSecurityGroupIds: [dbSg],
      DBClusterParameterGroupName: ref('DatabaseClusterParameterGroup'),
      BackupRetentionPeriod: d.backupRetentionDays,
      PreferredBackupWindow: d.preferredBackupWindow,
      PreferredMaintenanceWindow: d.preferredMaintenanceWindow,
      DeletionProtection: d.deletionProtection,
      CopyTagsToSnapshot: true,
      // Applications authenticate with IAM tokens where they can (rds-db:connect); passwords remain for the rest.
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql'],
      ...(d.serverlessV2 ? { ServerlessV2ScalingConfiguration: { MinCapacity: d.serverlessV2.minCapacity, MaxCapacity: d.serverlessV2.maxCapacity } } : {}),
    },
    { retain },
  );
  monitoringRole(t, 'DatabaseMonitoringRole', podRoleName(m.names.cluster, 'rds-monitoring'));
  for (let i = 1; i <= d.instances; i++) {
    // Instances are numbered: growing the count appends, it never renames an existing one.
    t.add(logicalId('database', 'instance', String(i)), 'AWS::RDS::DBInstance', {
      DBInstanceIdentifier: `${d.clusterIdentifier}-${i}`,
      DBClusterIdentifier: ref('DatabaseCluster'),
      Engine: 'aurora-postgresql',
      DBInstanceClass: d.instanceClass,
      PubliclyAccessible: false,
      AutoMinorVersionUpgrade: true,
      ...ENHANCED_MONITORING,
      ...(d.performanceInsights ? { EnablePerformanceInsights: true, PerformanceInsightsKMSKeyId: keyArn(t, 'database'), PerformanceInsightsRetentionPeriod: 7 } : {}),
    });
  }
  if (d.crossRegionReplica) {
    t.add('DatabaseGlobalCluster', 'AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: globalClusterId(m), SourceDBClusterIdentifier: getAtt('DatabaseCluster', 'DBClusterArn'), DeletionProtection: d.deletionProtection }, { dependsOn: [logicalId('database', 'instance', '1')] });
  }
}

function backup(t: Template): void {
  const m = t.model;
  const d = m.database;
  t.add('BackupVault', 'AWS::Backup::BackupVault', { BackupVaultName: m.names.cluster, EncryptionKeyArn: keyArn(t, 'backup') }, { retain: 'Retain' });
  t.add('BackupPlan', 'AWS::Backup::BackupPlan', {
    BackupPlan: {
      BackupPlanName: `${m.names.cluster}-daily`,
      BackupPlanRule: [{ RuleName: 'daily', TargetBackupVault: ref('BackupVault'), ScheduleExpression: 'cron(0 5 * * ? *)', StartWindowMinutes: 60, CompletionWindowMinutes: 360, Lifecycle: { DeleteAfterDays: d.snapshotRetentionDays } }],
    },
  });
  addRole(t, 'BackupRole', {
    roleName: podRoleName(m.names.cluster, 'backup'),
    description: 'AWS Backup for the Aurora cluster',
    trust: serviceTrust('backup.amazonaws.com'),
    managed: [managedPolicy('service-role/AWSBackupServiceRolePolicyForBackup'), managedPolicy('service-role/AWSBackupServiceRolePolicyForRestores')],
  });
  t.add('BackupSelection', 'AWS::Backup::BackupSelection', {
    BackupPlanId: ref('BackupPlan'),
    BackupSelection: { SelectionName: 'aurora', IamRoleArn: getAtt('BackupRole', 'Arn'), Resources: [getAtt('DatabaseCluster', 'DBClusterArn')] },
  });
}

function hostedRotation(t: Template, name: string, privateSubnets: Json, appSg: Json): Json {
  return {
    RotationType: 'PostgreSQLSingleUser',
    RotationLambdaName: `${t.model.names.cluster}-${name}-rotation`.slice(0, 64),
    VpcSubnetIds: join(',', privateSubnets),
    VpcSecurityGroupIds: appSg,
    KmsKeyArn: keyArn(t, 'secrets'),
    ExcludeCharacters: EXCLUDE,
  };
}

function secret(t: Template, s: Secret, privateSubnets: Json, appSg: Json, bootstrap: string | undefined): void {
  const m = t.model;
  const id = logicalId(s.name, 'secret');
  const db = s.kind === 'database-user';
  t.add(id, 'AWS::SecretsManager::Secret', {
    Name: s.secretName,
    Description: s.description || `${s.name} (${m.environment.name})`,
    KmsKeyId: keyArn(t, 'secrets'),
    GenerateSecretString: db
      ? {
          SecretStringTemplate: JSON.stringify({ username: s.name.replace(/-/g, '_'), engine: 'postgres', dbname: m.database.databaseName, port: m.database.port }),
          GenerateStringKey: 'password',
          PasswordLength: 32,
          ExcludeCharacters: EXCLUDE,
        }
      : { PasswordLength: 32, ExcludeCharacters: EXCLUDE },
  });
  if (db) {
    // Adds host, port and engine of the cluster to the secret: what the rotation function needs.
    t.add(logicalId(s.name, 'secret', 'attachment'), 'AWS::SecretsManager::SecretTargetAttachment', { SecretId: ref(id), TargetId: ref('DatabaseCluster'), TargetType: 'AWS::RDS::DBCluster' });
    // The schedule rotates at once when created, logging in as the user: only after the bootstrap has created it.
    t.add(
      logicalId(s.name, 'rotation'),
      'AWS::SecretsManager::RotationSchedule',
      {
        SecretId: ref(logicalId(s.name, 'secret', 'attachment')),
        HostedRotationLambda: hostedRotation(t, s.name, privateSubnets, appSg),
        RotationRules: { AutomaticallyAfterDays: s.rotationDays },
      },
      bootstrap ? { dependsOn: [bootstrap] } : {},
    );
  } else if (s.rotationLambdaArn) {
    t.add(logicalId(s.name, 'rotation'), 'AWS::SecretsManager::RotationSchedule', { SecretId: ref(id), RotationLambdaARN: s.rotationLambdaArn, RotationRules: { AutomaticallyAfterDays: s.rotationDays } });
  }
  t.output(logicalId(s.name, 'secret', 'arn'), ref(id), `Secrets Manager secret ${s.secretName}`);
}

/**
 * The database users of the `database-user` secrets, created with the master credentials by a
 * one-shot custom resource (the SQL and the code: db-bootstrap.ts). Its function runs in the
 * private subnets with the App security group (the one the database admits, as for the hosted
 * rotation), reads only the master secret and those secrets, logs to a KMS-encrypted group with
 * retention, and sends the events it could not answer to an encrypted dead-letter queue. Returns
 * the custom resource's logical id (undefined without database users).
 */
function databaseUsers(t: Template, secrets: readonly Secret[], privateSubnets: Json, appSg: Json): string | undefined {
  const users = secrets.filter((s) => s.kind === 'database-user');
  if (users.length === 0) return undefined;
  const m = t.model;
  const { region, accountId } = m.environment;
  const d = m.database;
  const name = `${m.names.cluster}-db-bootstrap`;
  const logGroup = `/aws/lambda/${name}`;
  const masterSecret = managedMasterPassword(m) ? getAtt('DatabaseCluster', 'MasterUserSecret.SecretArn') : ref('DatabaseMasterSecret');
  const userSecrets = users.map((s) => ref(logicalId(s.name, 'secret')));
  t.add('DatabaseBootstrapLogGroup', 'AWS::Logs::LogGroup', { LogGroupName: logGroup, RetentionInDays: m.observability.logRetentionDays, KmsKeyId: keyArn(t, 'logs') });
  t.add('DatabaseBootstrapDeadLetterQueue', 'AWS::SQS::Queue', { QueueName: `${name}-dlq`, MessageRetentionPeriod: 1209600, KmsMasterKeyId: keyArn(t, 'messaging'), KmsDataKeyReusePeriodSeconds: 300 });
  t.add('DatabaseBootstrapDeadLetterQueuePolicy', 'AWS::SQS::QueuePolicy', {
    Queues: [ref('DatabaseBootstrapDeadLetterQueue')],
    PolicyDocument: document([{ Sid: 'DenyHTTP', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: getAtt('DatabaseBootstrapDeadLetterQueue', 'Arn'), Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]),
  });
  addRole(t, 'DatabaseBootstrapRole', {
    roleName: podRoleName(m.names.cluster, 'db-bootstrap'),
    description: 'Database-user bootstrap (custom resource): reads the master and application user secrets, logs in to Aurora from the private subnets',
    trust: serviceTrust('lambda.amazonaws.com'),
    statements: [
      allow('ReadDatabaseSecrets', 'secretsmanager:GetSecretValue', [masterSecret, ...userSecrets]),
      allow('DecryptDatabaseSecrets', 'kms:Decrypt', keyArn(t, 'secrets'), viaService(m, 'secretsmanager')),
      allow('WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], `arn:aws:logs:${region}:${accountId}:log-group:${logGroup}:*`),
      allow('VpcNetworkInterfaces', ['ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:UnassignPrivateIpAddresses'], '*'),
      allow('DeadLetters', 'sqs:SendMessage', getAtt('DatabaseBootstrapDeadLetterQueue', 'Arn')),
      allow('EncryptDeadLetters', ['kms:Decrypt', 'kms:GenerateDataKey'], keyArn(t, 'messaging'), viaService(m, 'sqs')),
    ],
  });
  const environment = {
    DB_HOST: getAtt('DatabaseCluster', 'Endpoint.Address'),
    DB_PORT: String(d.port),
    DB_NAME: d.databaseName,
    MASTER_SECRET_ARN: masterSecret,
    USER_SECRET_ARNS: join(',', userSecrets),
    // The Amazon RDS CA certificates, which Node.js 20+ runtimes no longer load by default: the server certificate is verified.
    NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
  };
  t.add(
    'DatabaseBootstrapFunction',
    'AWS::Lambda::Function',
    {
      FunctionName: name,
      Description: `Creates the application database users of ${d.clusterIdentifier} (CloudFormation custom resource)`,
      Runtime: BOOTSTRAP_RUNTIME,
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Code: { ZipFile: BOOTSTRAP_SOURCE },
      Role: getAtt('DatabaseBootstrapRole', 'Arn'),
      MemorySize: 256,
      Timeout: 180,
      ReservedConcurrentExecutions: 1,
      VpcConfig: { SubnetIds: privateSubnets, SecurityGroupIds: [appSg] },
      Environment: { Variables: environment },
      DeadLetterConfig: { TargetArn: getAtt('DatabaseBootstrapDeadLetterQueue', 'Arn') },
      LoggingConfig: { LogGroup: ref('DatabaseBootstrapLogGroup'), LogFormat: 'Text' },
      Tags: tagList(m.tags),
    },
  );
  const id = `DatabaseUsersBootstrap${bootstrapDigest({ environment, users: users.map((s) => s.name) })}`;
  // ServiceTimeout: CloudFormation gives up after 10 minutes instead of an hour if no answer ever comes.
  t.add(id, 'AWS::CloudFormation::CustomResource', { ServiceToken: getAtt('DatabaseBootstrapFunction', 'Arn'), ServiceTimeout: 600 }, { dependsOn: Array.from({ length: d.instances }, (_, i) => logicalId('database', 'instance', String(i + 1))) });
  return id;
}

export function dataTemplate(m: Model): Template {
  const t = new Template(m, `${m.names.cluster}: Aurora PostgreSQL, AWS Backup, and the environment's Secrets Manager secrets with rotation.`);
  const isolated = t.ssm(['network', 'isolated-subnet-ids'], true);
  const privateSubnets = t.ssm(['network', 'private-subnet-ids'], true);
  const appSg = t.ssm(['network', 'app-security-group-id']);
  aurora(t, isolated, t.ssm(['network', 'db-security-group-id']));
  backup(t);
  const bootstrap = databaseUsers(t, m.security.secrets, privateSubnets, appSg);
  for (const s of m.security.secrets) secret(t, s, privateSubnets, appSg, bootstrap);
  if (!managedMasterPassword(m)) {
    t.add('DatabaseMasterSecretAttachment', 'AWS::SecretsManager::SecretTargetAttachment', { SecretId: ref('DatabaseMasterSecret'), TargetId: ref('DatabaseCluster'), TargetType: 'AWS::RDS::DBCluster' });
    t.add('DatabaseMasterRotation', 'AWS::SecretsManager::RotationSchedule', {
      SecretId: ref('DatabaseMasterSecretAttachment'),
      HostedRotationLambda: hostedRotation(t, 'database-master', privateSubnets, appSg),
      RotationRules: { AutomaticallyAfterDays: 30 },
    });
  }
  if (Object.values(t.resources).some((r) => r.Type === 'AWS::SecretsManager::RotationSchedule' && 'HostedRotationLambda' in r.Properties)) t.transform = SECRETS_TRANSFORM;
  t.publish(['database', 'endpoint'], getAtt('DatabaseCluster', 'Endpoint.Address'), 'Aurora writer endpoint');
  t.publish(['database', 'reader-endpoint'], getAtt('DatabaseCluster', 'ReadEndpoint.Address'), 'Aurora reader endpoint');
  t.publish(['database', 'port'], getAtt('DatabaseCluster', 'Endpoint.Port'), 'Aurora port');
  t.publish(
    ['database', 'master-secret-arn'],
    managedMasterPassword(m) ? getAtt('DatabaseCluster', 'MasterUserSecret.SecretArn') : ref('DatabaseMasterSecret'),
    'Secrets Manager secret of the Aurora master user',
  );
  return t;
}
