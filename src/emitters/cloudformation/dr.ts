/**
 * dr.json (deployed in the environment's DR region): the secondary cluster of the Aurora
 * global database, with its own KMS key and an isolated network of its own under the primary's
 * controls: its VPC CIDR (environments.<env>.drVpcCidr, overlapping no environment's VPC), the
 * isolated tier's route table and NACL, and security groups that name each other as the primary's
 * do (the database admits the DR App group on its port, never a CIDR). SSM parameters are
 * regional, so nothing is read from the primary region: the global cluster identifier is known
 * at compile time.
 */
import type { Model } from '../../compiler/model.js';
import { logicalId, podRoleName } from '../../compiler/names.js';
import { addRole, allow, arn, document, serviceTrust, viaService } from './iam.js';
import { ENHANCED_MONITORING, globalClusterId, monitoringRole } from './data.js';
import { logsServiceStatement } from './security.js';
import { aclRules, addNetworkAcl } from './network.js';
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
  drNetwork(t, m, region);
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
  // As many instances as the primary: once promoted, the DR cluster has a writer and, like the
  // primary, failover readers, so a promotion never waits ~10 minutes per instance it must add.
  // Numbered as the primary's (growing the count appends, never renames).
  for (let i = 1; i <= d.instances; i++) {
    t.add(logicalId('dr', 'database', 'instance', String(i)), 'AWS::RDS::DBInstance', {
      DBInstanceIdentifier: `${name}-${i}`,
      DBClusterIdentifier: ref('DrDatabaseCluster'),
      Engine: 'aurora-postgresql',
      DBInstanceClass: d.instanceClass,
      PubliclyAccessible: false,
      // The first instance is the one Aurora makes the writer on promotion; the others are its failover targets.
      PromotionTier: i === 1 ? 0 : 1,
      ...ENHANCED_MONITORING,
    });
  }
  t.output('DrDatabaseReaderEndpoint', getAtt('DrDatabaseCluster', 'ReadEndpoint.Address'), `Aurora DR reader endpoint in ${region} (promote with failover-global-cluster)`);
  return t;
}

/**
 * The DR VPC: isolated subnets only (the replica needs no route off the VPC), with the primary's
 * isolated-tier controls. Without drVpcCidr the primary's CIDR and isolated subnets are kept
 * (the legacy default, INN065): changing them replaces the VPC, its subnets and the database.
 */
function drNetwork(t: Template, m: Model, region: string): void {
  const d = m.database;
  const n = m.network.dr ?? { vpcCidr: m.network.vpcCidr, isolatedCidrs: m.network.zones.map((z) => z.isolatedCidr), cidrGiven: false };
  const vpcName = `${m.names.vpc}-dr`;
  t.add('DrVpc', 'AWS::EC2::VPC', { CidrBlock: n.vpcCidr, EnableDnsHostnames: true, EnableDnsSupport: true }, { tags: [{ key: 'Name', value: vpcName }] });
  drFlowLogs(t, m, region);
  const subnets = m.network.zones.map((z): [string, string] => [z.letter, logicalId('dr', 'isolated', 'subnet', z.letter)]);
  m.network.zones.forEach((z, i) => {
    t.add(
      subnets[i]![1],
      'AWS::EC2::Subnet',
      { VpcId: ref('DrVpc'), CidrBlock: n.isolatedCidrs[i] ?? z.isolatedCidr, AvailabilityZone: `${region}${z.letter}`, MapPublicIpOnLaunch: false },
      { tags: [{ key: 'Name', value: `${vpcName}-isolated-${z.letter}` }, { key: 'innovate.dev/tier', value: 'isolated' }] },
    );
  });
  // As in the primary: an isolated route table with the VPC's local route only, and the isolated tier's NACL.
  t.add('DrIsolatedRouteTable', 'AWS::EC2::RouteTable', { VpcId: ref('DrVpc') }, { tags: [{ key: 'Name', value: `${vpcName}-isolated` }] });
  for (const [letter, subnet] of subnets) {
    t.add(logicalId('dr', 'isolated', 'route', 'table', 'association', letter), 'AWS::EC2::SubnetRouteTableAssociation', { SubnetId: ref(subnet), RouteTableId: ref('DrIsolatedRouteTable') });
  }
  if (m.network.nacls) addNetworkAcl(t, 'DrVpc', 'dr', 'isolated', aclRules(n.vpcCidr).isolated, subnets, [{ key: 'Name', value: `${vpcName}-isolated` }]);
  // Security groups name each other as the primary's do: the database admits the DR App group, never a CIDR.
  // The DR App group is what a failed-over application attaches (nodes, pods or functions in the DR VPC).
  const appName = `${m.names.appSecurityGroup}-dr`;
  t.add('DrAppSecurityGroup', 'AWS::EC2::SecurityGroup', {
    GroupName: appName,
    GroupDescription: 'Application in the DR region after failover: the only group the DR database admits',
    VpcId: ref('DrVpc'),
    SecurityGroupEgress: [{ IpProtocol: 'icmp', FromPort: 252, ToPort: 86, CidrIp: '255.255.255.255/32', Description: 'No egress except the rules below' }],
  }, { tags: [{ key: 'Name', value: appName }] });
  t.add('DrDbSecurityGroup', 'AWS::EC2::SecurityGroup', {
    GroupName: `${m.names.dbSecurityGroup}-dr`,
    // Unchanged wording: a new description would replace the named group, which CloudFormation cannot do in place.
    GroupDescription: `Aurora DR replica: ${d.port} from inside the DR VPC only`,
    VpcId: ref('DrVpc'),
    SecurityGroupEgress: [{ IpProtocol: 'icmp', FromPort: 252, ToPort: 86, CidrIp: '255.255.255.255/32', Description: 'No egress' }],
  }, { tags: [{ key: 'Name', value: `${m.names.dbSecurityGroup}-dr` }] });
  t.add('DrAppToDb', 'AWS::EC2::SecurityGroupEgress', {
    GroupId: getAtt('DrAppSecurityGroup', 'GroupId'), IpProtocol: 'tcp', FromPort: d.port, ToPort: d.port, DestinationSecurityGroupId: getAtt('DrDbSecurityGroup', 'GroupId'), Description: `PostgreSQL ${d.port} to the DR database`,
  });
  t.add('DrDbFromApp', 'AWS::EC2::SecurityGroupIngress', {
    GroupId: getAtt('DrDbSecurityGroup', 'GroupId'), IpProtocol: 'tcp', FromPort: d.port, ToPort: d.port, SourceSecurityGroupId: getAtt('DrAppSecurityGroup', 'GroupId'), Description: `PostgreSQL ${d.port} from the DR App security group`,
  });
  t.output('DrAppSecurityGroupId', getAtt('DrAppSecurityGroup', 'GroupId'), 'Security group a failed-over application attaches to reach the DR database');
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
