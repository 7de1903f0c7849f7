/**
 * cluster.json: the EKS cluster (private endpoint, restricted public endpoint, secrets
 * encryption, all control-plane logs, API authentication with access entries), the system
 * managed node group and its launch template, EKS add-ons with their identities, and the
 * IAM roles of platform components and workloads (Pod Identity associations or IRSA).
 * Karpenter's AWS side is karpenter.json (karpenter.ts), the stack after this one.
 */
import type { Model } from '../../compiler/model.js';
import { logicalId, podRoleName } from '../../compiler/names.js';
import { addPodRole, addRole, allow, CLUSTER_ID, managedPolicy, nodeRoleFor, OIDC_PROVIDER_ID, viaService, type Statement } from './iam.js';
import { ebsCsiKmsStatements, externalDnsStatements, externalSecretsStatements, imageVerifierStatements, loadBalancerControllerStatements } from './policies.js';
import { keyArn } from './security.js';
import { teamAccess } from './teams.js';
import { getAtt, ref, tagList, Template, type Json } from './template.js';

function logGroups(t: Template): string[] {
  const m = t.model;
  const groups = [`/aws/eks/${m.cluster.name}/cluster`];
  if (m.observability.containerInsights) {
    groups.push(m.names.applicationLogGroup, ...['dataplane', 'host', 'performance'].map((g) => `/aws/containerinsights/${m.cluster.name}/${g}`));
  }
  // Created ahead of EKS and the CloudWatch agent, so they are KMS-encrypted and expire.
  return groups.map((name) =>
    t.add(logicalId(name.split('/').slice(-1)[0]!, 'log', 'group'), 'AWS::Logs::LogGroup', { LogGroupName: name, RetentionInDays: m.observability.logRetentionDays, KmsKeyId: keyArn(t, 'logs') }),
  );
}

function eksCluster(t: Template, privateSubnets: Json): string[] {
  const m = t.model;
  const c = m.cluster;
  addRole(t, 'ClusterRole', {
    roleName: podRoleName(c.name, 'cluster'),
    description: 'EKS control plane',
    trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] },
    managed: [managedPolicy('AmazonEKSClusterPolicy')],
  });
  const logs = logGroups(t);
  t.add(
    CLUSTER_ID,
    'AWS::EKS::Cluster',
    {
      Name: c.name,
      Version: c.version,
      RoleArn: getAtt('ClusterRole', 'Arn'),
      ResourcesVpcConfig: {
        SubnetIds: privateSubnets,
        EndpointPrivateAccess: c.endpoint.privateAccess,
        EndpointPublicAccess: c.endpoint.publicAccess,
        ...(c.endpoint.publicAccess ? { PublicAccessCidrs: [...c.endpoint.publicAccessCidrs] } : {}),
      },
      EncryptionConfig: [{ Provider: { KeyArn: keyArn(t, 'eks') }, Resources: ['secrets'] }],
      Logging: { ClusterLogging: { EnabledTypes: c.controlPlaneLogs.map((type) => ({ Type: type })) } },
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
      KubernetesNetworkConfig: { IpFamily: 'ipv4' },
    },
    { dependsOn: logs.slice(0, 1) },
  );
  if (m.security.workloadIdentity === 'irsa') {
    t.add(OIDC_PROVIDER_ID, 'AWS::IAM::OIDCProvider', { Url: getAtt(CLUSTER_ID, 'OpenIdConnectIssuerUrl'), ClientIdList: ['sts.amazonaws.com'] });
  }
  return logs;
}

const amiType = (instanceType: string): string => (/^[a-z]+\d+[a-z]*g[a-z]*\./.test(instanceType) ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD');

function systemNodes(t: Template, privateSubnets: Json, appSg: Json): void {
  const m = t.model;
  const g = m.cluster.systemNodeGroup;
  nodeRoleFor(t, 'SystemNodeRole', podRoleName(m.cluster.name, `${g.name}-node`), `EKS managed node group ${g.name}`);
  const tags = tagList([...m.tags, { key: 'Name', value: `${m.cluster.name}-${g.name}` }]);
  t.add('SystemLaunchTemplate', 'AWS::EC2::LaunchTemplate', {
    LaunchTemplateName: `${m.cluster.name}-${g.name}`,
    LaunchTemplateData: {
      // IMDSv2 only. The CloudWatch agent (Container Insights) reads instance metadata from a pod: one hop more.
      MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: m.observability.containerInsights ? 2 : 1 },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: g.diskSizeGiB, VolumeType: 'gp3', Encrypted: true, KmsKeyId: keyArn(t, 'ebs'), DeleteOnTermination: true } }],
      SecurityGroupIds: [getAtt(CLUSTER_ID, 'ClusterSecurityGroupId'), appSg],
      TagSpecifications: ['instance', 'volume', 'network-interface'].map((type) => ({ ResourceType: type, Tags: tags })),
    },
    TagSpecifications: [{ ResourceType: 'launch-template', Tags: tags }],
  });
  const effect = { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' } as const;
  t.add(logicalId(g.name, 'node', 'group'), 'AWS::EKS::Nodegroup', {
    ClusterName: ref(CLUSTER_ID),
    NodegroupName: g.name,
    NodeRole: getAtt('SystemNodeRole', 'Arn'),
    Subnets: privateSubnets,
    InstanceTypes: [...g.instanceTypes],
    CapacityType: 'ON_DEMAND',
    AmiType: amiType(g.instanceTypes[0] ?? 't3.small'),
    ScalingConfig: { MinSize: g.minSize, MaxSize: g.maxSize, DesiredSize: g.desiredSize },
    UpdateConfig: { MaxUnavailable: 1 },
    LaunchTemplate: { Id: ref('SystemLaunchTemplate'), Version: getAtt('SystemLaunchTemplate', 'LatestVersionNumber') },
    Labels: { ...g.labels },
    Taints: g.taints.map((x) => ({ Key: x.key, Value: x.value, Effect: effect[x.effect] })),
  });
}

/**
 * Add-on settings: the VPC CNI enforces the generated NetworkPolicies only with its policy agent on.
 * The EBS CSI controller (a Deployment that tolerates CriticalAddonsOnly by default, so it would
 * take the system node group's room) runs on the platform pool, like the platform charts: keys
 * controller.nodeSelector and controller.tolerations of the add-on's configuration schema (the
 * aws-ebs-csi-driver chart's values.schema.json; `aws eks describe-addon-configuration`). Its
 * tolerations replace the defaults (CriticalAddonsOnly, NoExecute for 300 s; the not-ready and
 * unreachable ones Kubernetes adds itself). The platform pool may launch arm64: the add-on's images
 * are multi-arch (its ebs-csi-node DaemonSet already runs them on every arm64 node). Until the
 * bootstrap brings up the first platform node the controller is Pending and the add-on DEGRADED,
 * which CloudFormation's handler takes as created (hashicorp/terraform-provider-aws#44669).
 * The CloudWatch add-on's operator goes there too: manager.nodeSelector and manager.tolerations ("The
 * add-on and the Helm chart use the same configuration values", CloudWatch user guide,
 * eks-observability-addon-configure; inventory/amazon-cloudwatch-observability/values.yaml).
 */
function addonConfiguration(name: string, m: Model): { ConfigurationValues?: string } {
  if (name === 'vpc-cni') return { ConfigurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }) };
  const platform = m.cluster.nodePools.find((p) => p.role === 'platform');
  if (!platform) return {};
  const onPlatform = { nodeSelector: { 'innovate.dev/role': 'platform', 'kubernetes.io/os': 'linux' }, tolerations: platform.tolerations.map((t) => ({ key: t.key, operator: t.operator, ...(t.operator === 'Equal' ? { value: t.value } : {}), effect: t.effect })) };
  if (name === 'aws-ebs-csi-driver') return { ConfigurationValues: JSON.stringify({ controller: onPlatform }) };
  // The CloudWatch add-on's operator (manager.*, the same values as its Helm chart) tolerates nothing by
  // default: where every application pool is tainted (an arm64 or mixed pool) it had no node at all.
  if (name === 'amazon-cloudwatch-observability') return { ConfigurationValues: JSON.stringify({ manager: onPlatform }) };
  return {};
}

/** Policies of the EKS add-ons that call AWS. */
function addonPolicy(t: Template, name: string): { managed?: string[]; statements?: Statement[] } {
  const m = t.model;
  switch (name) {
    case 'vpc-cni':
      return { managed: [managedPolicy('AmazonEKS_CNI_Policy')] };
    case 'aws-ebs-csi-driver':
      return { managed: [managedPolicy('service-role/AmazonEBSCSIDriverPolicy')], statements: ebsCsiKmsStatements(m, keyArn(t, 'ebs')) };
    case 'aws-efs-csi-driver':
      return { managed: [managedPolicy('service-role/AmazonEFSCSIDriverPolicy')] };
    case 'amazon-cloudwatch-observability':
      return { managed: [managedPolicy('CloudWatchAgentServerPolicy'), ...(m.observability.tracing === 'xray' ? [managedPolicy('AWSXrayWriteOnlyAccess')] : [])] };
    default:
      return {};
  }
}

function addons(t: Template, nodeGroup: string, logGroups: readonly string[]): void {
  const m = t.model;
  const irsa = m.security.workloadIdentity === 'irsa';
  for (const a of m.cluster.addons) {
    let identity: Record<string, Json> = {};
    if (a.identity) {
      const role = addPodRole(t, `addon-${a.name}`, a.identity, `EKS add-on ${a.name}`, addonPolicy(t, a.name), { associate: false });
      identity = irsa
        ? { ServiceAccountRoleArn: getAtt(role, 'Arn') }
        : { PodIdentityAssociations: [{ RoleArn: getAtt(role, 'Arn'), ServiceAccount: a.identity.serviceAccount }] };
    }
    t.add(
      logicalId(a.name, 'addon'),
      'AWS::EKS::Addon',
      { AddonName: a.name, ClusterName: ref(CLUSTER_ID), ResolveConflicts: 'OVERWRITE', ...identity, ...addonConfiguration(a.name, m) },
      // Pods need nodes to become ACTIVE; identities need the agent first.
      { dependsOn: [nodeGroup, ...(a.name === 'amazon-cloudwatch-observability' ? logGroups.slice(1) : []), ...(a.name !== 'eks-pod-identity-agent' && !irsa && a.identity && m.cluster.addons.some((x) => x.name === 'eks-pod-identity-agent') ? ['EksPodIdentityAgentAddon'] : [])] },
    );
  }
}

function podRoles(t: Template): void {
  const m = t.model;
  const p = m.platform;
  if (p.awsLoadBalancerController.identity) {
    addPodRole(t, 'alb-controller', p.awsLoadBalancerController.identity, 'AWS Load Balancer Controller', { statements: loadBalancerControllerStatements() });
  }
  if (p.externalSecrets.identity) {
    addPodRole(t, 'external-secrets', p.externalSecrets.identity, `External Secrets: read ${m.environment.name} secrets and parameters`, { statements: externalSecretsStatements(m, keyArn(t, 'secrets')) });
  }
  if (p.externalDns?.identity && m.ingress?.hostedZoneId) {
    addPodRole(t, 'external-dns', p.externalDns.identity, `external-dns: records of ${m.ingress.host} in hosted zone ${m.ingress.hostedZoneId}`, { statements: externalDnsStatements(m.ingress.hostedZoneId) });
  }
  // Alertmanager publishes to its topics (observability.json) and to nothing else; SNS encrypts with the messaging key.
  const am = m.observability.alertmanager;
  if (am.receivers.length > 0) {
    addPodRole(t, 'alertmanager', am.identity, `Alertmanager: publish to the ${am.receivers.map((r) => r.endpoint).join(', ')} alert topics`, {
      statements: [
        allow('PublishAlerts', 'sns:Publish', am.receivers.map((r) => r.topicArn)),
        allow('EncryptAlerts', ['kms:Decrypt', 'kms:GenerateDataKey'], keyArn(t, 'messaging'), viaService(m, 'sns')),
      ],
    });
  }
  if (p.policyController?.identity && m.admission.signatures) {
    const s = m.admission.signatures;
    addPodRole(t, 'policy-controller', p.policyController.identity, `policy-controller: verify image signatures with ${s.keyAlias} (${s.signer.name})`, {
      statements: imageVerifierStatements(m, s.signer.name === m.environment.name ? keyArn(t, 'signing') : ''),
    });
  }
  // Every workload's service account has its role (the Kubernetes side binds it); without `aws` it grants nothing.
  for (const w of m.workloads) {
    const statements = w.aws.map((s, i) => allow(`${logicalId(w.name)}${i + 1}`, [...s.actions].sort(), [...s.resources]));
    addPodRole(t, `workload-${w.name}`, w.identity, `Workload ${w.name}`, { statements });
  }
}

export function clusterTemplate(m: Model): Template {
  const t = new Template(m, `${m.names.cluster}: EKS cluster, system node group, add-ons, access entries and pod IAM roles.`);
  const privateSubnets = t.ssm(['network', 'private-subnet-ids'], true);
  const appSg = t.ssm(['network', 'app-security-group-id']);
  const logs = eksCluster(t, privateSubnets);
  systemNodes(t, privateSubnets, appSg);
  const nodeGroup = logicalId(m.cluster.systemNodeGroup.name, 'node', 'group');
  addons(t, nodeGroup, logs);
  teamAccess(t);
  podRoles(t);
  t.publish(['cluster', 'name'], ref(CLUSTER_ID), 'EKS cluster name');
  if (m.security.workloadIdentity === 'irsa') t.publish(['cluster', 'oidc-provider-arn'], ref(OIDC_PROVIDER_ID), 'EKS OIDC provider ARN (IRSA)');
  t.publish(['cluster', 'cluster-security-group-id'], getAtt(CLUSTER_ID, 'ClusterSecurityGroupId'), 'EKS cluster security group id');
  t.publish(['cluster', 'endpoint'], getAtt(CLUSTER_ID, 'Endpoint'), 'EKS API server endpoint');
  t.publish(['cluster', 'oidc-issuer-url'], getAtt(CLUSTER_ID, 'OpenIdConnectIssuerUrl'), 'EKS OIDC issuer URL');
  t.output('ClusterArn', getAtt(CLUSTER_ID, 'Arn'), 'EKS cluster ARN');
  return t;
}
