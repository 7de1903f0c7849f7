/**
 * dr.json (deployed in the environment's DR region): the secondary cluster of the Aurora
 * global database, with its own KMS key and a small isolated network of its own. SSM
 * parameters are regional, so nothing is read from the primary region: the global cluster
 * identifier is known at compile time.
 */
import type { Model } from '../../compiler/model.js';
import { logicalId, podRoleName } from '../../compiler/names.js';
import { addRole, allow, arn, document, serviceTrust, viaService } from './iam.js';
import { ENHANCED_MONITORING, globalClusterId, monitoringRole } from './data.js';
import { logsServiceStatement } from './security.js';
import { getAtt, ref, Template } from './template.js';

export function drTemplate(m: Model): Template {
  const region = m.environment.drRegion!;
  const dr: Model = { ...m, environment: { ...m.environment, region } };
  const d = m.database;
  const t = new Template(dr, `${m.names.cluster}: Aurora global database secondary cluster in ${region} (disaster recovery), with its own KMS key.`);
  const name = `${d.clusterIdentifier}-dr`;
  t.add(
    'DrDatabaseKey',
    'AWS::KMS::Key',
    {
      Description: `${name} Aurora storage (DR region)`,
      EnableKeyRotation: true,
      PendingWindowInDays: m.security.kmsPendingWindowDays,
      KeyPolicy: document([
        { Sid: 'AccountAdministration', Effect: 'Allow', Principal: { AWS: arn.root(m.environment.accountId) }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Userds', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'], Resource: '*', Condition: viaService(dr, 'rds') },
      ]),
    },
    { retain: 'Retain' },
  );
  t.add('DrDatabaseKeyAlias', 'AWS::KMS::Alias', { AliasName: `alias/${name}`, TargetKeyId: ref('DrDatabaseKey') });
  t.add('DrVpc', 'AWS::EC2::VPC', { CidrBlock: m.network.vpcCidr, EnableDnsHostnames: true, EnableDnsSupport: true }, { tags: [{ key: 'Name', value: `${m.names.vpc}-dr` }] });
  drFlowLogs(t, m, region);
  for (const z of m.network.zones) {
    t.add(
      logicalId('dr', 'isolated', 'subnet', z.letter),
      'AWS::EC2::Subnet',
      { VpcId: ref('DrVpc'), CidrBlock: z.isolatedCidr, AvailabilityZone: `${region}${z.letter}`, MapPublicIpOnLaunch: false },
      { tags: [{ key: 'Name', value: `${m.names.vpc}-dr-isolated-${z.letter}` }, { key: 'innovate.dev/tier', value: 'isolated' }] },
    );
  }
  t.add('DrDbSecurityGroup', 'AWS::EC2::SecurityGroup', {
    GroupName: `${m.names.dbSecurityGroup}-dr`,
    GroupDescription: `Aurora DR replica: ${d.port} from inside the DR VPC only`,
    VpcId: ref('DrVpc'),
    SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: d.port, ToPort: d.port, CidrIp: m.network.vpcCidr, Description: 'PostgreSQL from the DR VPC' }],
    SecurityGroupEgress: [{ IpProtocol: 'icmp', FromPort: 252, ToPort: 86, CidrIp: '255.255.255.255/32', Description: 'No egress' }],
  }, { tags: [{ key: 'Name', value: `${m.names.dbSecurityGroup}-dr` }] });
  t.add('DrDatabaseSubnetGroup', 'AWS::RDS::DBSubnetGroup', { DBSubnetGroupDescription: `${name} isolated subnets`, SubnetIds: m.network.zones.map((z) => ref(logicalId('dr', 'isolated', 'subnet', z.letter))) });
  t.add('DrDatabaseClusterParameterGroup', 'AWS::RDS::DBClusterParameterGroup', { Description: `${name}: TLS required`, Family: d.parameterGroupFamily, Parameters: { 'rds.force_ssl': d.forceSsl ? '1' : '0' } });
  t.add(
    'DrDatabaseCluster',
    'AWS::RDS::DBCluster',
    {
      DBClusterIdentifier: name,
      GlobalClusterIdentifier: globalClusterId(m),
      Engine: 'aurora-postgresql',
      EngineVersion: d.engineVersion,
      // The port the DR security group admits: without it the secondary would listen on the engine default.
      Port: d.port,
      StorageEncrypted: true,
      KmsKeyId: getAtt('DrDatabaseKey', 'Arn'),
      DBSubnetGroupName: ref('DrDatabaseSubnetGroup'),
      VpcSecurityGroupIds: [getAtt('DrDbSecurityGroup', 'GroupId')],
      DBClusterParameterGroupName: ref('DrDatabaseClusterParameterGroup'),
      BackupRetentionPeriod: d.backupRetentionDays,
      DeletionProtection: d.deletionProtection,
      CopyTagsToSnapshot: true,
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql'],
      ...(d.serverlessV2 ? { ServerlessV2ScalingConfiguration: { MinCapacity: d.serverlessV2.minCapacity, MaxCapacity: d.serverlessV2.maxCapacity } } : {}),
    },
    { retain: m.environment.production ? 'Snapshot' : 'Delete' },
  );
  // IAM is global: the DR stack's monitoring role has a name of its own, so either stack deploys alone.
  monitoringRole(t, 'DatabaseMonitoringRole', podRoleName(m.names.cluster, 'rds-monitoring-dr'));
  t.add('DrDatabaseInstance1', 'AWS::RDS::DBInstance', {
    DBInstanceIdentifier: `${name}-1`,
    DBClusterIdentifier: ref('DrDatabaseCluster'),
    Engine: 'aurora-postgresql',
    DBInstanceClass: d.instanceClass,
    PubliclyAccessible: false,
    ...ENHANCED_MONITORING,
  });
  t.output('DrDatabaseReaderEndpoint', getAtt('DrDatabaseCluster', 'ReadEndpoint.Address'), `Aurora DR reader endpoint in ${region} (promote with failover-global-cluster)`);
  return t;
}

/** The DR VPC is audited like the primary one: flow logs to a log group under a key of its own region. */
function drFlowLogs(t: Template, m: Model, region: string): void {
  const f = m.network.flowLogs;
  if (!f.enabled) return;
  const { accountId } = m.environment;
  const group = `${m.names.flowLogGroup}-dr`;
  t.add(
    'DrLogsKey',
    'AWS::KMS::Key',
    {
      Description: `${m.names.vpc}-dr flow logs (DR region)`,
      EnableKeyRotation: true,
      PendingWindowInDays: m.security.kmsPendingWindowDays,
      KeyPolicy: document([
        { Sid: 'AccountAdministration', Effect: 'Allow', Principal: { AWS: arn.root(accountId) }, Action: 'kms:*', Resource: '*' },
        logsServiceStatement(region, accountId),
      ]),
    },
    { retain: 'Retain' },
  );
  t.add('DrFlowLogGroup', 'AWS::Logs::LogGroup', { LogGroupName: group, RetentionInDays: f.retentionDays, KmsKeyId: getAtt('DrLogsKey', 'Arn') }, { retain: 'Retain' });
  addRole(t, 'DrFlowLogRole', {
    roleName: `${m.names.vpc}-dr-flow-logs`,
    description: 'DR VPC flow logs delivery to CloudWatch Logs',
    trust: serviceTrust('vpc-flow-logs.amazonaws.com'),
    statements: [allow('DeliverFlowLogs', ['logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], [`arn:aws:logs:${region}:${accountId}:log-group:${group}`, `arn:aws:logs:${region}:${accountId}:log-group:${group}:*`])],
  });
  t.add('DrFlowLog', 'AWS::EC2::FlowLog', {
    ResourceId: ref('DrVpc'), ResourceType: 'VPC', TrafficType: f.trafficType, LogDestinationType: 'cloud-watch-logs',
    LogGroupName: ref('DrFlowLogGroup'), DeliverLogsPermissionArn: getAtt('DrFlowLogRole', 'Arn'), MaxAggregationInterval: 60,
  }, { tags: [{ key: 'Name', value: `${m.names.vpc}-dr-flow-log` }] });
}
