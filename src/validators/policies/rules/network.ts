import { docsOf, get, k8sTarget, resourcesOf } from '../context.js';
import type { PolicyFinding, Rule } from '../types.js';

const WORLD = new Set(['0.0.0.0/0', '::/0']);

export const noPublicIps: Rule = {
  id: 'INV001',
  title: 'No public IPs on compute',
  principle: 'network isolation',
  severity: 'error',
  hint: 'keep MapPublicIpOnLaunch false and never associate public addresses; only the ALB is public',
  help: 'Subnets never assign public IPs, launch templates and Karpenter node classes never associate one, and nodes run only in private subnets.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::EC2::Subnet')) {
      if (get(r.Properties, 'MapPublicIpOnLaunch') !== false) {
        out.push({ rule: this.id, message: `subnet ${id} does not set MapPublicIpOnLaunch: false`, artifact: t.path, target: id, specPath: ['network', 'subnets'] });
      }
    }
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::EC2::LaunchTemplate', 'AWS::EC2::Instance')) {
      const nics = (get(r.Properties, 'LaunchTemplateData', 'NetworkInterfaces') ?? get(r.Properties, 'NetworkInterfaces') ?? []) as unknown[];
      if (nics.some((n) => get(n, 'AssociatePublicIpAddress') === true)) out.push({ rule: this.id, message: `${id} associates a public IP address`, artifact: t.path, target: id });
    }
    for (const [m, d] of docsOf(ctx, 'EC2NodeClass')) {
      if (get(d.spec, 'associatePublicIPAddress') === true) out.push({ rule: this.id, message: 'EC2NodeClass associates public IP addresses', artifact: m.path, target: k8sTarget(d), specPath: ['cluster', 'karpenter'] });
    }
    return out;
  },
};

export const networkTiers: Rule = {
  id: 'INV002',
  title: 'Three-tier network: only the ALB faces the internet',
  principle: 'network isolation',
  severity: 'error',
  hint: 'admit the internet only on the ALB security group, on 80/443; the database only from the App security group on 5432',
  help: 'Only the ALB security group admits 0.0.0.0/0, and only on ports 80 and 443; the database security group admits only the App security group on 5432; isolated route tables have no route to an internet or NAT gateway; the EKS public endpoint is never open to 0.0.0.0/0.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    const albNames = new Set(ctx.models.map((m) => m.names.albSecurityGroup));
    const dbNames = new Set(ctx.models.map((m) => m.names.dbSecurityGroup));
    for (const t of ctx.templates) {
      const groups = Object.entries(t.resources).filter(([, r]) => r.Type === 'AWS::EC2::SecurityGroup');
      const roleOf = (ref: unknown): string | undefined => {
        const id = (get(ref, 'Fn::GetAtt', 0) ?? get(ref, 'Ref')) as string | undefined;
        const g = id ? t.resources[id] : undefined;
        const name = get(g?.Properties, 'GroupName') as string | undefined;
        return name && albNames.has(name) ? 'alb' : name && dbNames.has(name) ? 'db' : name;
      };
      const rules: [string, Record<string, unknown>, string | undefined][] = [];
      for (const [id, g] of groups) for (const rule of (get(g.Properties, 'SecurityGroupIngress') ?? []) as Record<string, unknown>[]) rules.push([id, rule, roleOf({ Ref: id })]);
      for (const [id, r] of Object.entries(t.resources)) if (r.Type === 'AWS::EC2::SecurityGroupIngress') rules.push([id, r.Properties ?? {}, roleOf(get(r.Properties, 'GroupId'))]);
      for (const [id, rule, role] of rules) {
        const cidr = (rule.CidrIp ?? rule.CidrIpv6) as string | undefined;
        if (cidr && WORLD.has(cidr) && !(role === 'alb' && [80, 443].includes(rule.FromPort as number) && rule.FromPort === rule.ToPort)) {
          out.push({ rule: this.id, message: `${id} admits ${cidr} on ${String(rule.FromPort)}-${String(rule.ToPort)} (${role ?? 'unknown group'})`, artifact: t.path, target: id, specPath: ['network'] });
        }
        if (role === 'db') {
          const source = roleOf(rule.SourceSecurityGroupId);
          const ok = rule.FromPort === 5432 && rule.ToPort === 5432 && source !== undefined && source !== 'db' && source !== 'alb' && !cidr;
          if (!ok) out.push({ rule: this.id, message: `${id} lets the database admit something other than the App security group on 5432`, artifact: t.path, target: id, specPath: ['database'] });
        }
      }
      // Isolated route tables: the ones associated with isolated subnets carry no default route.
      for (const [id, r] of Object.entries(t.resources)) {
        if (r.Type !== 'AWS::EC2::Route') continue;
        const table = get(r.Properties, 'RouteTableId', 'Ref') as string | undefined;
        if (table && /isolated/i.test(table) && (get(r.Properties, 'GatewayId') || get(r.Properties, 'NatGatewayId'))) {
          out.push({ rule: this.id, message: `isolated route table ${table} routes off the VPC through ${id}`, artifact: t.path, target: id, specPath: ['network', 'subnets', 'isolated'] });
        }
      }
    }
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::EKS::Cluster')) {
      const access = get(r.Properties, 'ResourcesVpcConfig') as Record<string, unknown> | undefined;
      const cidrs = (access?.PublicAccessCidrs ?? []) as string[];
      if (access?.EndpointPublicAccess !== false && (cidrs.length === 0 || cidrs.some((c) => WORLD.has(c)))) {
        out.push({ rule: this.id, message: `EKS public endpoint of ${id} is open to the internet`, artifact: t.path, target: id, specPath: ['cluster', 'endpoint'] });
      }
      if (access?.EndpointPrivateAccess !== true) out.push({ rule: this.id, message: `EKS private endpoint of ${id} is off`, artifact: t.path, target: id, specPath: ['cluster', 'endpoint'] });
    }
    return out;
  },
};

export const imdsV2: Rule = {
  id: 'INV003',
  title: 'IMDSv2 required on every node',
  principle: 'network isolation',
  severity: 'error',
  hint: 'set HttpTokens: required (launch templates) and httpTokens: required (EC2NodeClass)',
  help: 'Instance metadata v1 lets any SSRF read node credentials; every launch template and Karpenter EC2NodeClass requires session tokens.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const [t, id, r] of resourcesOf(ctx, 'AWS::EC2::LaunchTemplate')) {
      if (get(r.Properties, 'LaunchTemplateData', 'MetadataOptions', 'HttpTokens') !== 'required') out.push({ rule: this.id, message: `${id} does not require IMDSv2`, artifact: t.path, target: id, specPath: ['cluster', 'systemNodeGroup'] });
    }
    for (const [m, d] of docsOf(ctx, 'EC2NodeClass')) {
      if (get(d.spec, 'metadataOptions', 'httpTokens') !== 'required') out.push({ rule: this.id, message: 'EC2NodeClass does not require IMDSv2', artifact: m.path, target: k8sTarget(d), specPath: ['cluster', 'karpenter'] });
    }
    return out;
  },
};
