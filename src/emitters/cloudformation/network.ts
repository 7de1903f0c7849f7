/**
 * network.json: the VPC across the spec's zones with public / private / isolated tiers,
 * Internet and NAT gateways, route tables, NACLs per tier, the ALB / App / DB security
 * groups, VPC endpoints, flow logs and the ingress certificate.
 */
import type { Model, Zone } from '../../compiler/model.js';
import { logicalId } from '../../compiler/names.js';
import { addRole, allow, serviceTrust } from './iam.js';
import { keyArn } from './security.js';
import { getAtt, ref, Template, type Json } from './template.js';

export type Tier = 'public' | 'private' | 'isolated';
const TIERS: readonly Tier[] = ['public', 'private', 'isolated'];

const subnetId = (tier: Tier, z: Zone): string => logicalId(tier, 'subnet', z.letter);
const name = (m: Model, ...parts: string[]) => ({ key: 'Name', value: [m.names.vpc, ...parts].join('-') });

function subnets(t: Template): void {
  const m = t.model;
  for (const tier of TIERS) {
    for (const z of m.network.zones) {
      const extra =
        tier === 'public'
          ? [{ key: 'kubernetes.io/role/elb', value: '1' }]
          : tier === 'private'
            ? [{ key: 'kubernetes.io/role/internal-elb', value: '1' }, m.names.discoveryTag]
            : [];
      const cidr = tier === 'public' ? z.publicCidr : tier === 'private' ? z.privateCidr : z.isolatedCidr;
      t.add(
        subnetId(tier, z),
        'AWS::EC2::Subnet',
        { VpcId: ref('Vpc'), CidrBlock: cidr, AvailabilityZone: z.name, MapPublicIpOnLaunch: false },
        { tags: [name(m, tier, z.letter), { key: 'innovate.dev/tier', value: tier }, ...extra] },
      );
    }
  }
}

function routing(t: Template): void {
  const m = t.model;
  const zones = m.network.zones;
  t.add('InternetGateway', 'AWS::EC2::InternetGateway', {}, { tags: [name(m, 'igw')] });
  t.add('InternetGatewayAttachment', 'AWS::EC2::VPCGatewayAttachment', { VpcId: ref('Vpc'), InternetGatewayId: ref('InternetGateway') });

  t.add('PublicRouteTable', 'AWS::EC2::RouteTable', { VpcId: ref('Vpc') }, { tags: [name(m, 'public')] });
  t.add('PublicDefaultRoute', 'AWS::EC2::Route', { RouteTableId: ref('PublicRouteTable'), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref('InternetGateway') }, { dependsOn: ['InternetGatewayAttachment'] });

  // NAT gateways: one per zone (each private route table uses its own zone's) or a single one.
  const natZones = m.network.natGateways === 'perZone' ? zones : zones.slice(0, 1);
  const natId = (z: Zone) => (m.network.natGateways === 'perZone' ? logicalId('nat', 'gateway', z.letter) : 'NatGateway');
  for (const z of natZones) {
    const eip = m.network.natGateways === 'perZone' ? logicalId('nat', 'eip', z.letter) : 'NatEip';
    t.add(eip, 'AWS::EC2::EIP', { Domain: 'vpc' }, { tags: [name(m, 'nat', z.letter)], dependsOn: ['InternetGatewayAttachment'] });
    t.add(natId(z), 'AWS::EC2::NatGateway', { AllocationId: getAtt(eip, 'AllocationId'), SubnetId: ref(subnetId('public', z)), ConnectivityType: 'public' }, { tags: [name(m, 'nat', z.letter)] });
  }
  t.add('IsolatedRouteTable', 'AWS::EC2::RouteTable', { VpcId: ref('Vpc') }, { tags: [name(m, 'isolated')] });
  for (const z of zones) {
    const rt = logicalId('private', 'route', 'table', z.letter);
    t.add(rt, 'AWS::EC2::RouteTable', { VpcId: ref('Vpc') }, { tags: [name(m, 'private', z.letter)] });
    t.add(logicalId('private', 'default', 'route', z.letter), 'AWS::EC2::Route', { RouteTableId: ref(rt), DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: ref(natId(natZones.includes(z) ? z : natZones[0]!)) });
    t.add(logicalId('public', 'route', 'table', 'association', z.letter), 'AWS::EC2::SubnetRouteTableAssociation', { SubnetId: ref(subnetId('public', z)), RouteTableId: ref('PublicRouteTable') });
    t.add(logicalId('private', 'route', 'table', 'association', z.letter), 'AWS::EC2::SubnetRouteTableAssociation', { SubnetId: ref(subnetId('private', z)), RouteTableId: ref(rt) });
    // Isolated: the VPC's local route only, nothing leaves the VPC.
    t.add(logicalId('isolated', 'route', 'table', 'association', z.letter), 'AWS::EC2::SubnetRouteTableAssociation', { SubnetId: ref(subnetId('isolated', z)), RouteTableId: ref('IsolatedRouteTable') });
  }
}

export interface AclRule {
  readonly n: number;
  readonly egress: boolean;
  readonly cidr: string;
  readonly protocol: number;
  readonly ports?: readonly [number, number];
}

/**
 * NACL rules per tier, stateless, a second fence behind the security groups. The DR template
 * (dr.ts) gives its isolated tier the same rules over its own VPC CIDR.
 */
export function aclRules(vpc: string): Record<Tier, AclRule[]> {
  const any = '0.0.0.0/0';
  const tcp = 6;
  return {
    public: [
      { n: 100, egress: false, cidr: any, protocol: tcp, ports: [443, 443] },
      { n: 110, egress: false, cidr: any, protocol: tcp, ports: [80, 80] },
      { n: 120, egress: false, cidr: any, protocol: tcp, ports: [1024, 65535] },
      { n: 130, egress: false, cidr: vpc, protocol: -1 },
      { n: 100, egress: true, cidr: any, protocol: -1 },
    ],
    private: [
      { n: 100, egress: false, cidr: vpc, protocol: -1 },
      { n: 110, egress: false, cidr: any, protocol: tcp, ports: [1024, 65535] },
      { n: 120, egress: false, cidr: any, protocol: 17, ports: [1024, 65535] },
      { n: 100, egress: true, cidr: any, protocol: -1 },
    ],
    isolated: [
      { n: 100, egress: false, cidr: vpc, protocol: -1 },
      { n: 100, egress: true, cidr: vpc, protocol: -1 },
    ],
  };
}

/** One tier's network ACL, its entries and its subnet associations; `prefix` names them (dr for the DR template). */
export function addNetworkAcl(t: Template, vpcId: string, prefix: string, tier: Tier, rules: readonly AclRule[], subnetIds: readonly [letter: string, id: string][], tags: { key: string; value: string }[]): void {
  const id = (...parts: string[]) => logicalId(...(prefix ? [prefix] : []), tier, ...parts);
  const acl = id('network', 'acl');
  t.add(acl, 'AWS::EC2::NetworkAcl', { VpcId: ref(vpcId) }, { tags });
  for (const r of rules) {
    t.add(id('acl', r.egress ? 'egress' : 'ingress', String(r.n)), 'AWS::EC2::NetworkAclEntry', {
      NetworkAclId: ref(acl),
      RuleNumber: r.n,
      Egress: r.egress,
      RuleAction: 'allow',
      Protocol: r.protocol,
      CidrBlock: r.cidr,
      ...(r.ports ? { PortRange: { From: r.ports[0], To: r.ports[1] } } : {}),
    });
  }
  for (const [letter, subnet] of subnetIds) t.add(id('acl', 'association', letter), 'AWS::EC2::SubnetNetworkAclAssociation', { SubnetId: ref(subnet), NetworkAclId: ref(acl) });
}

function nacls(t: Template): void {
  const m = t.model;
  const rules = aclRules(m.network.vpcCidr);
  for (const tier of TIERS) {
    addNetworkAcl(t, 'Vpc', '', tier, rules[tier], m.network.zones.map((z) => [z.letter, subnetId(tier, z)]), [name(m, tier)]);
  }
}

function securityGroups(t: Template): void {
  const m = t.model;
  const sg = (id: string, groupName: string, description: string, props: Record<string, Json>, extra: { key: string; value: string }[] = []) =>
    t.add(id, 'AWS::EC2::SecurityGroup', { GroupName: groupName, GroupDescription: description, VpcId: ref('Vpc'), ...props }, { tags: [{ key: 'Name', value: groupName }, ...extra] });
  // The Ingress finds this group by its Name tag (alb.ingress.kubernetes.io/security-groups).
  sg('AlbSecurityGroup', m.names.albSecurityGroup, 'ALB: HTTP and HTTPS from the internet only', {
    SecurityGroupIngress: [80, 443].map((port) => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIp: '0.0.0.0/0', Description: `HTTP${port === 443 ? 'S' : ''} from the internet` })),
    SecurityGroupEgress: [{ IpProtocol: 'icmp', FromPort: 252, ToPort: 86, CidrIp: '255.255.255.255/32', Description: 'No egress except the rules below' }],
  });
  sg('AppSecurityGroup', m.names.appSecurityGroup, 'EKS nodes and pods: application ports from the ALB only', {
    SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0', Description: 'Outbound through NAT and VPC endpoints' }],
  }, [m.names.discoveryTag]);
  sg('DbSecurityGroup', m.names.dbSecurityGroup, `Aurora: ${m.network.databasePort} from the App security group only`, {
    SecurityGroupEgress: [{ IpProtocol: 'icmp', FromPort: 252, ToPort: 86, CidrIp: '255.255.255.255/32', Description: 'No egress' }],
  });
  for (const port of m.network.appPorts) {
    t.add(logicalId('alb', 'to', 'app', String(port)), 'AWS::EC2::SecurityGroupEgress', {
      GroupId: getAtt('AlbSecurityGroup', 'GroupId'), IpProtocol: 'tcp', FromPort: port, ToPort: port, DestinationSecurityGroupId: getAtt('AppSecurityGroup', 'GroupId'), Description: `To application port ${port}`,
    });
    t.add(logicalId('app', 'from', 'alb', String(port)), 'AWS::EC2::SecurityGroupIngress', {
      GroupId: getAtt('AppSecurityGroup', 'GroupId'), IpProtocol: 'tcp', FromPort: port, ToPort: port, SourceSecurityGroupId: getAtt('AlbSecurityGroup', 'GroupId'), Description: `Application port ${port} from the ALB`,
    });
  }
  const db = m.network.databasePort;
  t.add('DbFromApp', 'AWS::EC2::SecurityGroupIngress', {
    GroupId: getAtt('DbSecurityGroup', 'GroupId'), IpProtocol: 'tcp', FromPort: db, ToPort: db, SourceSecurityGroupId: getAtt('AppSecurityGroup', 'GroupId'), Description: `PostgreSQL ${db} from the App security group`,
  });
  sg('EndpointSecurityGroup', `${m.names.vpc}-endpoints`, 'VPC interface endpoints: HTTPS from inside the VPC', {
    SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: m.network.vpcCidr, Description: 'HTTPS from the VPC' }],
    SecurityGroupEgress: [{ IpProtocol: 'icmp', FromPort: 252, ToPort: 86, CidrIp: '255.255.255.255/32', Description: 'No egress' }],
  });
}

function endpoints(t: Template): void {
  const m = t.model;
  for (const e of m.network.endpoints) {
    const id = logicalId(e.service, 'endpoint');
    const service = `com.amazonaws.${m.environment.region}.${e.service}`;
    if (e.type === 'Gateway') {
      t.add(id, 'AWS::EC2::VPCEndpoint', { VpcId: ref('Vpc'), ServiceName: service, VpcEndpointType: 'Gateway', RouteTableIds: m.network.zones.map((z) => ref(logicalId('private', 'route', 'table', z.letter))) }, { tags: [name(m, e.service)] });
    } else {
      t.add(id, 'AWS::EC2::VPCEndpoint', {
        VpcId: ref('Vpc'), ServiceName: service, VpcEndpointType: 'Interface', PrivateDnsEnabled: true,
        SubnetIds: m.network.zones.map((z) => ref(subnetId('private', z))), SecurityGroupIds: [ref('EndpointSecurityGroup')],
      }, { tags: [name(m, e.service)] });
    }
  }
}

function flowLogs(t: Template): void {
  const m = t.model;
  const f = m.network.flowLogs;
  if (!f.enabled) return;
  const { region, accountId } = m.environment;
  t.add('FlowLogGroup', 'AWS::Logs::LogGroup', { LogGroupName: m.names.flowLogGroup, RetentionInDays: f.retentionDays, KmsKeyId: keyArn(t, 'logs') }, { retain: 'Retain' });
  addRole(t, 'FlowLogRole', {
    roleName: `${m.names.vpc}-flow-logs`,
    description: 'VPC flow logs delivery to CloudWatch Logs',
    trust: serviceTrust('vpc-flow-logs.amazonaws.com'),
    statements: [allow('DeliverFlowLogs', ['logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], [`arn:aws:logs:${region}:${accountId}:log-group:${m.names.flowLogGroup}`, `arn:aws:logs:${region}:${accountId}:log-group:${m.names.flowLogGroup}:*`])],
  });
  t.add('FlowLog', 'AWS::EC2::FlowLog', {
    ResourceId: ref('Vpc'), ResourceType: 'VPC', TrafficType: f.trafficType, LogDestinationType: 'cloud-watch-logs',
    LogGroupName: ref('FlowLogGroup'), DeliverLogsPermissionArn: getAtt('FlowLogRole', 'Arn'), MaxAggregationInterval: 60,
  }, { tags: [name(m, 'flow-log')] });
}

export function networkTemplate(m: Model): Template {
  const t = new Template(m, `${m.names.cluster}: VPC, subnets, gateways, routes, NACLs, security groups, endpoints, flow logs and the ingress certificate.`);
  t.add('Vpc', 'AWS::EC2::VPC', { CidrBlock: m.network.vpcCidr, EnableDnsHostnames: true, EnableDnsSupport: true }, { tags: [{ key: 'Name', value: m.names.vpc }] });
  subnets(t);
  routing(t);
  if (m.network.nacls) nacls(t);
  securityGroups(t);
  endpoints(t);
  flowLogs(t);
  if (m.ingress) {
    t.add('Certificate', 'AWS::CertificateManager::Certificate', {
      DomainName: m.ingress.host,
      ValidationMethod: 'DNS',
      ...(m.ingress.hostedZoneId ? { DomainValidationOptions: [{ DomainName: m.ingress.host, HostedZoneId: m.ingress.hostedZoneId }] } : {}),
    }, { tags: [{ key: 'Name', value: m.ingress.host }] });
    t.publish(['network', 'certificate-arn'], ref('Certificate'), `ACM certificate of ${m.ingress.host}`);
  }
  const list = (tier: Tier) => m.network.zones.map((z) => ref(subnetId(tier, z)));
  t.publish(['network', 'vpc-id'], ref('Vpc'), 'VPC id');
  for (const tier of TIERS) t.publish(['network', `${tier}-subnet-ids`], list(tier), `${tier} subnet ids`, true);
  t.publish(['network', 'alb-security-group-id'], getAtt('AlbSecurityGroup', 'GroupId'), 'ALB security group id');
  t.publish(['network', 'app-security-group-id'], getAtt('AppSecurityGroup', 'GroupId'), 'App (nodes and pods) security group id');
  t.publish(['network', 'db-security-group-id'], getAtt('DbSecurityGroup', 'GroupId'), 'Aurora security group id');
  return t;
}
