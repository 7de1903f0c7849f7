/**
 * The price rule of every resource type innovate emits: which line item of the estimate prices
 * it, or why it costs nothing by itself, or that AWS bills it by usage the estimate does not model
 * (then it is listed under "not estimated", never silently zero). A type missing here fails
 * test/cost/rules.test.ts, which enumerates the types of the example's and random specs' templates.
 */

export type PriceRule =
  | { readonly billing: 'priced'; readonly item: string }
  | { readonly billing: 'free'; readonly why: string }
  | { readonly billing: 'usage'; readonly why: string };

const priced = (item: string): PriceRule => ({ billing: 'priced', item });
const free = (why: string): PriceRule => ({ billing: 'free', why });
const usage = (why: string): PriceRule => ({ billing: 'usage', why });

export const LINE = {
  eks: 'EKS control plane',
  system: 'System node group',
  pool: 'Karpenter pool',
  nat: 'NAT gateways',
  ipv4: 'Public IPv4 addresses',
  endpoints: 'Interface VPC endpoints',
  alb: 'Application Load Balancer',
  auroraInstances: 'Aurora instances',
  auroraStorage: 'Aurora storage and I/O',
  auroraBackup: 'Aurora backup storage',
  auroraDr: 'Aurora cross-region replica',
  logs: 'CloudWatch Logs',
  prometheusVolume: 'Prometheus volume (EBS gp3)',
  alarms: 'CloudWatch alarms',
  kms: 'KMS keys',
  secrets: 'Secrets Manager secrets',
  ecr: 'ECR storage',
  scanning: 'ECR enhanced scanning',
  cloudtrail: 'CloudTrail',
} as const;

const NETWORK_PLUMBING = 'no charge for the resource itself';
const IAM = 'IAM resources carry no charge';

export const PRICE_RULES: Readonly<Record<string, PriceRule>> = {
  'AWS::EKS::Cluster': priced(LINE.eks),
  'AWS::EKS::Nodegroup': priced(LINE.system),
  'AWS::EC2::LaunchTemplate': free('launch templates carry no charge; the instances they launch are priced with their node group or pool'),
  'AWS::EC2::NatGateway': priced(LINE.nat),
  'AWS::EC2::EIP': priced(LINE.ipv4),
  'AWS::EC2::VPCEndpoint': priced(LINE.endpoints),
  'AWS::RDS::DBInstance': priced(LINE.auroraInstances),
  'AWS::RDS::DBCluster': priced(LINE.auroraStorage),
  'AWS::RDS::GlobalCluster': priced(LINE.auroraDr),
  'AWS::Backup::BackupVault': priced(LINE.auroraBackup),
  'AWS::Backup::BackupPlan': priced(LINE.auroraBackup),
  'AWS::Backup::BackupSelection': priced(LINE.auroraBackup),
  'AWS::Logs::LogGroup': priced(LINE.logs),
  'AWS::EC2::FlowLog': priced(LINE.logs),
  'AWS::CloudWatch::Alarm': priced(LINE.alarms),
  'AWS::KMS::Key': priced(LINE.kms),
  'AWS::SecretsManager::Secret': priced(LINE.secrets),
  'AWS::ECR::Repository': priced(LINE.ecr),
  'AWS::ECR::ReplicationConfiguration': priced(LINE.ecr),
  'AWS::ECR::RegistryScanningConfiguration': priced(LINE.scanning),
  'AWS::CloudTrail::Trail': priced(LINE.cloudtrail),
  // Billed by usage the estimate does not model: listed under "not estimated" with the count.
  'AWS::CloudWatch::Dashboard': usage('CloudWatch dashboards are billed per dashboard-month beyond a free allowance; no sourced price'),
  'AWS::S3::Bucket': usage('S3 storage and requests (artifacts, CloudTrail logs); no sourced price'),
  'AWS::SQS::Queue': usage('SQS is billed per request (Karpenter interruption events)'),
  'AWS::SNS::Topic': usage('SNS is billed per publish and delivery (alarm notifications)'),
  'AWS::Lambda::Function': usage('Lambda is billed per request and GB-second (secret rotation, custom resources)'),
  'AWS::Events::Rule': usage('EventBridge rules for AWS service events carry no charge; custom events are billed per event'),
  'AWS::Budgets::Budget': usage('AWS Budgets bills budgets beyond a free allowance; no sourced price'),
  'AWS::SSM::Parameter': free('Parameter Store standard parameters carry no charge'),
  // No charge.
  'AWS::EC2::VPC': free(NETWORK_PLUMBING),
  'AWS::EC2::Subnet': free(NETWORK_PLUMBING),
  'AWS::EC2::RouteTable': free(NETWORK_PLUMBING),
  'AWS::EC2::Route': free(NETWORK_PLUMBING),
  'AWS::EC2::SubnetRouteTableAssociation': free(NETWORK_PLUMBING),
  'AWS::EC2::InternetGateway': free(NETWORK_PLUMBING),
  'AWS::EC2::VPCGatewayAttachment': free(NETWORK_PLUMBING),
  'AWS::EC2::SecurityGroup': free(NETWORK_PLUMBING),
  'AWS::EC2::SecurityGroupIngress': free(NETWORK_PLUMBING),
  'AWS::EC2::SecurityGroupEgress': free(NETWORK_PLUMBING),
  'AWS::EC2::NetworkAcl': free(NETWORK_PLUMBING),
  'AWS::EC2::NetworkAclEntry': free(NETWORK_PLUMBING),
  'AWS::EC2::SubnetNetworkAclAssociation': free(NETWORK_PLUMBING),
  'AWS::EC2::VPCPeeringConnection': free('peering carries no hourly charge; traffic across it is data transfer'),
  'AWS::IAM::Role': free(IAM),
  'AWS::IAM::ManagedPolicy': free(IAM),
  'AWS::IAM::Policy': free(IAM),
  'AWS::IAM::OIDCProvider': free(IAM),
  'AWS::IAM::InstanceProfile': free(IAM),
  'AWS::KMS::Alias': free('aliases carry no charge; their keys are priced'),
  'AWS::EKS::Addon': free('EKS add-ons carry no charge; their pods run on priced nodes'),
  'AWS::EKS::AccessEntry': free('no charge'),
  'AWS::EKS::PodIdentityAssociation': free('no charge'),
  'AWS::RDS::DBClusterParameterGroup': free('no charge'),
  'AWS::RDS::DBParameterGroup': free('no charge'),
  'AWS::RDS::DBSubnetGroup': free('no charge'),
  'AWS::SecretsManager::RotationSchedule': free('no charge; the rotation function is Lambda usage'),
  'AWS::SecretsManager::SecretTargetAttachment': free('no charge'),
  'AWS::ECR::RegistryPolicy': free('no charge'),
  'AWS::S3::BucketPolicy': free('no charge'),
  'AWS::S3::Object': free('a small object; storage is S3 usage'),
  'AWS::SNS::Subscription': free('no charge; deliveries are SNS usage'),
  'AWS::SNS::TopicPolicy': free('no charge'),
  'AWS::SQS::QueuePolicy': free('no charge'),
  'AWS::CE::AnomalyMonitor': free('Cost Anomaly Detection carries no charge'),
  'AWS::CE::AnomalySubscription': free('Cost Anomaly Detection carries no charge'),
  'AWS::CertificateManager::Certificate': free('public ACM certificates carry no charge'),
  'AWS::Chatbot::SlackChannelConfiguration': free('AWS Chatbot carries no charge'),
  'AWS::CloudFormation::CustomResource': free('no charge; the function behind it is Lambda usage'),
  'AWS::Organizations::Policy': free('AWS Organizations carries no charge'),
  'AWS::SSO::PermissionSet': free('IAM Identity Center carries no charge'),
  'AWS::SSO::Assignment': free('IAM Identity Center carries no charge'),
  'AWS::Route53::RecordSet': usage('Route 53 bills hosted zones and queries; the zone is not innovate\'s'),
};

export const ruleOf = (type: string): PriceRule | undefined => PRICE_RULES[type];
