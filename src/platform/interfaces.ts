/**
 * What else has a network interface in the VPC and takes part in a flow the platform needs:
 *   - the database (AWS::RDS::DBCluster: its VpcSecurityGroupIds, the DBSubnetGroup's subnets, Port
 *     or the engine's default);
 *   - functions in the VPC: Secrets Manager hosted rotation Lambdas (RotationSchedule's
 *     HostedRotationLambda VpcSecurityGroupIds/VpcSubnetIds) and AWS::Lambda::Function VpcConfig;
 *   - load balancers the AWS Load Balancer Controller creates for an Ingress: the groups its
 *     `alb.ingress.kubernetes.io/security-groups` annotation names (by id or Name), and the subnets
 *     its `subnets` annotation names or, without one, the controller's subnet discovery: subnets
 *     tagged kubernetes.io/role/elb (internet-facing) or kubernetes.io/role/internal-elb (internal)
 *     (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/subnet_discovery/).
 */
import { at, flatten, isObj, kubeTarget, type CfnEntry, type Sources } from './sources.js';
import type { NetworkInterfaceFact, SecurityGroup, Subnet } from './types.js';

const ENGINE_PORT: Readonly<Record<string, number>> = { 'aurora-postgresql': 5432, postgres: 5432, 'aurora-mysql': 3306, mysql: 3306 };

/** Ids from a list, a Ref/GetAtt/Join, or a comma-separated string. */
function ids(src: Sources, e: CfnEntry, value: unknown): string[] {
  if (value === undefined) return [];
  // Fn::Join [",", <a list parameter>]: the list itself.
  if (isObj(value) && Array.isArray(value['Fn::Join']) && !Array.isArray(value['Fn::Join'][1])) return ids(src, e, value['Fn::Join'][1]);
  return flatten(src.resolve(e.template, value), src.key).flatMap((v) => (v.startsWith('?') ? [v] : v.split(',').map((x) => x.trim()).filter(Boolean)));
}

function databases(src: Sources): NetworkInterfaceFact[] {
  const groups = new Map(src.of('AWS::RDS::DBSubnetGroup').map((g) => [src.key(g.template.path, g.id), g]));
  return src.of('AWS::RDS::DBCluster').map((e) => {
    const [groupId] = ids(src, e, e.props.DBSubnetGroupName);
    const group = groupId ? groups.get(groupId) : undefined;
    const port = Number(e.props.Port ?? ENGINE_PORT[String(e.props.Engine)] ?? 5432);
    return {
      id: src.key(e.template.path, e.id),
      kind: 'database' as const,
      name: String(e.props.DBClusterIdentifier ?? e.id),
      securityGroups: ids(src, e, e.props.VpcSecurityGroupIds),
      subnets: group ? ids(src, group, group.props.SubnetIds) : [],
      port,
      source: src.cfnSource(e, ['database']),
    };
  });
}

function functions(src: Sources): NetworkInterfaceFact[] {
  const hosted = src.of('AWS::SecretsManager::RotationSchedule').flatMap((e) => {
    const h = isObj(e.props.HostedRotationLambda) ? e.props.HostedRotationLambda : undefined;
    if (!h || h.VpcSubnetIds === undefined) return [];
    return [{ id: src.key(e.template.path, e.id), kind: 'function' as const, name: String(h.RotationLambdaName ?? e.id), securityGroups: ids(src, e, h.VpcSecurityGroupIds), subnets: ids(src, e, h.VpcSubnetIds), source: src.cfnSource(e, ['database']) }];
  });
  const lambdas = src.of('AWS::Lambda::Function').flatMap((e) => {
    const v = isObj(e.props.VpcConfig) ? e.props.VpcConfig : undefined;
    if (!v) return [];
    return [{ id: src.key(e.template.path, e.id), kind: 'function' as const, name: String(e.props.FunctionName ?? e.id), securityGroups: ids(src, e, v.SecurityGroupIds), subnets: ids(src, e, v.SubnetIds), source: src.cfnSource(e) }];
  });
  return [...hosted, ...lambdas];
}

function loadBalancers(src: Sources, groups: readonly SecurityGroup[], subnets: readonly Subnet[]): NetworkInterfaceFact[] {
  return src.docs('Ingress').flatMap(({ artifact, doc }) => {
    const a = doc.metadata?.annotations ?? {};
    const cls = at(doc.spec, 'ingressClassName');
    if (cls !== 'alb' && a['kubernetes.io/ingress.class'] !== 'alb' && !Object.keys(a).some((k) => k.startsWith('alb.ingress.kubernetes.io/'))) return [];
    const names = (a['alb.ingress.kubernetes.io/security-groups'] ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    const sg = names.map((n) => groups.find((g) => g.id === n || g.name === n || g.tags['Name'] === n)?.id ?? `?${n}`);
    const internal = a['alb.ingress.kubernetes.io/scheme'] !== 'internet-facing';
    const named = (a['alb.ingress.kubernetes.io/subnets'] ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    const role = internal ? 'kubernetes.io/role/internal-elb' : 'kubernetes.io/role/elb';
    const chosen = named.length > 0 ? subnets.filter((s) => named.includes(s.tags['Name'] ?? '') || named.includes(s.id)) : subnets.filter((s) => s.vpc === 'primary' && (s.tags[role] === '1' || s.tags[role] === ''));
    return [{ id: `ingress:${doc.metadata?.namespace ?? 'default'}/${doc.metadata?.name ?? '?'}`, kind: 'load-balancer' as const, name: kubeTarget(doc), securityGroups: sg, subnets: chosen.map((s) => s.id), source: { artifact, resource: kubeTarget(doc), specPath: ['ingress'] } }];
  });
}

export function networkInterfaces(src: Sources, groups: readonly SecurityGroup[], subnets: readonly Subnet[]): NetworkInterfaceFact[] {
  return [...databases(src), ...functions(src), ...loadBalancers(src, groups, subnets)];
}
