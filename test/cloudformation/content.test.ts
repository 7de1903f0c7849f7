/**
 * What the templates must say: tags on every taggable resource, least privilege, no literal
 * password, the architecture's decisions (tiers, NAT, IMDSv2, add-ons, Karpenter, ECR...),
 * determinism and stable logical ids.
 */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Artifact } from '../../src/emitters/artifact.js';
import { loadSpec, walk } from './cfn-spec.js';
import { compileCfn, EXAMPLE, manifestOf, templates, VARIANTS } from './fixtures.js';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; DependsOn?: string[] };
type Template = { Resources: Record<string, Resource>; Transform?: string; Parameters?: Record<string, any> };
const example = compileCfn(EXAMPLE);
const read = (artifacts: readonly Artifact[], path: string): Template => JSON.parse(artifacts.find((a) => a.path === `cloudformation/${path}`)!.content);
const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const spec = loadSpec();

describe('tags', () => {
  it.skipIf(!spec)('every taggable resource carries the spec tags, in the shape its type takes', () => {
    const problems: string[] = [];
    for (const [name, text] of Object.entries(VARIANTS)) {
      const { artifacts, models } = compileCfn(text);
      for (const a of templates(artifacts)) {
        const env = models.find((m) => m.environment.name === a.environment) ?? models[0]!;
        const expected = env.tags.filter((t) => a.environment || t.key !== 'environment');
        for (const [id, r] of Object.entries((JSON.parse(a.content) as Template).Resources)) {
          const info = spec!.resources.get(r.Type)?.tagInformation;
          if (!info) continue;
          const tags = r.Properties[info.tagPropertyName];
          const asMap: Record<string, string> = info.variant === 'map' ? tags ?? {} : Object.fromEntries((tags ?? []).map((t: { Key: string; Value: string }) => [t.Key, t.Value]));
          for (const t of expected) if (asMap[t.key] !== t.value) problems.push(`${name} ${a.path} ${id} (${r.Type}): tag ${t.key} missing`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('least privilege', () => {
  it('no policy allows "*" actions, or every action on every resource of a service, on "*"', () => {
    const problems: string[] = [];
    for (const text of Object.values(VARIANTS)) {
      for (const a of templates(compileCfn(text).artifacts)) {
        walk(JSON.parse(a.content), (node) => {
          const s = node as { Effect?: string; Action?: string | string[]; Resource?: unknown; NotAction?: unknown; Principal?: unknown };
          if (s.Effect !== 'Allow' || s.Action === undefined) return;
          const actions = ([] as string[]).concat(s.Action);
          if (actions.includes('*')) problems.push(`${a.path}: Action "*"`);
          // Key policies grant kms:* to the account root (the default key policy); nothing else may.
          const keyAdmin = actions.length === 1 && actions[0] === 'kms:*' && s.Principal !== undefined;
          if (s.Resource === '*' && actions.some((x) => x.endsWith(':*')) && !keyAdmin) problems.push(`${a.path}: ${actions.join(',')} on "*"`);
        });
      }
    }
    expect(problems).toEqual([]);
  });

  it('IRSA roles trust one service account of the cluster OIDC provider; Pod Identity roles trust pods.eks', () => {
    const irsaArtifacts = compileCfn(VARIANTS.irsa!).artifacts;
    const irsa = read(irsaArtifacts, 'production/cluster.json');
    const irsaKarpenter = read(irsaArtifacts, 'production/karpenter.json');
    const role = irsaKarpenter.Resources.KarpenterControllerRole!;
    const [text, vars] = role.Properties.AssumeRolePolicyDocument['Fn::Sub'];
    expect(JSON.parse(text).Statement[0].Condition.StringEquals['${OidcIssuer}:sub']).toBe('system:serviceaccount:kube-system:karpenter');
    // karpenter.json deploys after cluster.json: the provider and the issuer come from what cluster.json publishes.
    expect(vars.OidcProviderArn).toEqual({ Ref: 'ClusterOidcProviderArn' });
    expect(irsaKarpenter.Parameters!.ClusterOidcProviderArn!.Default).toBe('/innovate/production/cluster/oidc-provider-arn');
    expect(irsa.Resources.ClusterOidcProviderArnParameter!.Properties.Value).toEqual({ Ref: 'ClusterOidcProvider' });
    expect(ofType(irsa, 'AWS::EKS::PodIdentityAssociation')).toEqual([]);
    expect(ofType(irsaKarpenter, 'AWS::EKS::PodIdentityAssociation')).toEqual([]);
    expect(irsa.Resources.ClusterOidcProvider).toBeDefined();
    const pod = read(example.artifacts, 'production/cluster.json');
    const podKarpenter = read(example.artifacts, 'production/karpenter.json');
    expect(podKarpenter.Resources.KarpenterControllerRole!.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service).toBe('pods.eks.amazonaws.com');
    const associations = [...ofType(pod, 'AWS::EKS::PodIdentityAssociation'), ...ofType(podKarpenter, 'AWS::EKS::PodIdentityAssociation')].map(([, r]) => `${r.Properties.Namespace}/${r.Properties.ServiceAccount}`);
    expect(associations.sort()).toEqual(['apps/api', 'apps/web', 'cosign-system/policy-controller-webhook', 'external-dns/external-dns', 'external-secrets/external-secrets', 'kube-system/aws-load-balancer-controller', 'kube-system/karpenter', 'monitoring/alertmanager']);
    expect(ofType(podKarpenter, 'AWS::EKS::PodIdentityAssociation')[0]![1].Properties.ClusterName).toEqual({ Ref: 'ClusterName' });
  });

  it('the CI role trusts only the spec repositories, by environment (and branch where no approval gate applies)', () => {
    const prod = read(example.artifacts, 'production/registry.json').Resources.CiRole!.Properties;
    const staging = read(example.artifacts, 'staging/registry.json').Resources.CiRole!.Properties;
    const subjects = (p: Record<string, any>) => p.AssumeRolePolicyDocument.Statement[0].Condition.StringLike['token.actions.githubusercontent.com:sub'];
    expect(prod.RoleName).toBe('innovate-production-github-ci');
    expect(subjects(prod)).toEqual(['repo:innovate-inc/innovate-app:environment:production', 'repo:innovate-inc/innovate-config:environment:production']);
    expect(subjects(staging)).toContain('repo:innovate-inc/innovate-app:ref:refs/heads/main');
  });
});

describe('architecture decisions', () => {
  const network = read(example.artifacts, 'production/network.json');
  it('three tiers across three zones, no public IPs, NAT per zone in production and single in staging', () => {
    const subnets = ofType(network, 'AWS::EC2::Subnet');
    expect(subnets).toHaveLength(9);
    expect(subnets.every(([, r]) => r.Properties.MapPublicIpOnLaunch === false)).toBe(true);
    expect(ofType(network, 'AWS::EC2::NatGateway')).toHaveLength(3);
    expect(ofType(read(example.artifacts, 'staging/network.json'), 'AWS::EC2::NatGateway')).toHaveLength(1);
    // Isolated subnets route nowhere off the VPC.
    expect(ofType(network, 'AWS::EC2::Route').filter(([, r]) => r.Properties.RouteTableId.Ref === 'IsolatedRouteTable')).toEqual([]);
    const tagged = subnets.filter(([, r]) => r.Properties.Tags.some((t: { Key: string }) => t.Key === 'karpenter.sh/discovery')).map(([id]) => id);
    expect(tagged).toEqual(['PrivateSubnetA', 'PrivateSubnetB', 'PrivateSubnetC']);
  });

  it('security groups: ALB from the internet on 80/443, App from the ALB on app ports, DB 5432 from App', () => {
    const alb = network.Resources.AlbSecurityGroup!.Properties;
    expect(alb.SecurityGroupIngress.map((r: { FromPort: number }) => r.FromPort)).toEqual([80, 443]);
    expect(alb.Tags).toContainEqual({ Key: 'Name', Value: 'innovate-production-alb' });
    expect(ofType(network, 'AWS::EC2::SecurityGroupIngress').map(([id, r]) => `${id}:${r.Properties.FromPort}`)).toEqual(['AppFromAlb5000:5000', 'AppFromAlb8080:8080', 'DbFromApp:5432']);
  });

  it('EKS: private endpoint, restricted public endpoint, CMK secrets, all logs, API auth, the add-ons, IMDSv2 system nodes', () => {
    const cluster = read(example.artifacts, 'production/cluster.json');
    const eks = cluster.Resources.Cluster!.Properties;
    expect(eks.Version).toBe('1.35');
    expect(eks.ResourcesVpcConfig).toMatchObject({ EndpointPrivateAccess: true, EndpointPublicAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] });
    expect(eks.Logging.ClusterLogging.EnabledTypes).toHaveLength(5);
    expect(eks.AccessConfig.AuthenticationMode).toBe('API');
    expect(ofType(cluster, 'AWS::EKS::Addon').map(([, r]) => r.Properties.AddonName).sort()).toEqual(['amazon-cloudwatch-observability', 'aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    const lt = cluster.Resources.SystemLaunchTemplate!.Properties.LaunchTemplateData;
    expect(lt.MetadataOptions.HttpTokens).toBe('required');
    expect(lt.BlockDeviceMappings[0].Ebs).toMatchObject({ VolumeType: 'gp3', Encrypted: true });
    const ng = cluster.Resources.SystemNodeGroup!.Properties;
    expect(ng).toMatchObject({ CapacityType: 'ON_DEMAND', InstanceTypes: ['t3.small'], ScalingConfig: { MinSize: 2, MaxSize: 3, DesiredSize: 2 } });
    expect(ng.Taints).toEqual([{ Key: 'CriticalAddonsOnly', Value: 'true', Effect: 'NO_SCHEDULE' }]);
    const entries = Object.fromEntries(ofType(cluster, 'AWS::EKS::AccessEntry').map(([id, r]) => [id, r.Properties]));
    expect(entries.TeamPlatformAccessEntry!.AccessPolicies[0].PolicyArn).toMatch(/AmazonEKSClusterAdminPolicy$/);
    // web's permission set (developers) is assigned to staging only: no production entry (test/liveness/identity.test.ts has staging's).
    expect(entries.TeamWebAccessEntry).toBeUndefined();
    const karpenter = read(example.artifacts, 'production/karpenter.json');
    expect(karpenter.Resources.KarpenterNodeAccessEntry!.Properties).toMatchObject({ Type: 'EC2_LINUX', ClusterName: { Ref: 'ClusterName' } });
    expect(karpenter.Parameters!.ClusterName!.Default).toBe('/innovate/production/cluster/name');
    const rules = ofType(karpenter, 'AWS::Events::Rule').map(([, r]) => r.Properties.EventPattern['detail-type'][0]).sort();
    expect(rules).toEqual(['AWS Health Event', 'EC2 Capacity Reservation Instance Interruption Warning', 'EC2 Instance Rebalance Recommendation', 'EC2 Instance State-change Notification', 'EC2 Spot Instance Interruption Warning']);
    expect(karpenter.Resources.KarpenterInterruptionQueue!.Properties).toMatchObject({ QueueName: 'innovate-production', KmsMasterKeyId: { Ref: 'SecurityMessagingKeyArn' } });
    const cni = ofType(cluster, 'AWS::EKS::Addon').find(([, r]) => r.Properties.AddonName === 'vpc-cni')!;
    expect(JSON.parse(cni[1].Properties.ConfigurationValues)).toEqual({ enableNetworkPolicy: 'true' }); // NetworkPolicies are enforced
  });

  it('ECR: immutable (but for cosign signature and attestation tags), scanned, KMS, lifecycle; staging replicates to production, production allows it', () => {
    const prod = read(example.artifacts, 'production/registry.json');
    const repo = prod.Resources.ApiRepository!.Properties;
    expect(repo).toMatchObject({ RepositoryName: 'innovate/api', ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', ImageScanningConfiguration: { ScanOnPush: true }, EncryptionConfiguration: { EncryptionType: 'KMS' } });
    // Re-running the signing step rewrites sha256-<digest>.sig/.att; release tags stay immutable.
    expect(repo.ImageTagMutabilityExclusionFilters.map((f: any) => `${f.ImageTagMutabilityExclusionFilterType}:${f.ImageTagMutabilityExclusionFilterValue}`)).toEqual(['WILDCARD:sha256-*.sig', 'WILDCARD:sha256-*.att']);
    const rules = JSON.parse(repo.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rules.map((r: any) => [r.selection.tagStatus, r.selection.countNumber])).toEqual([['untagged', 1], ['tagged', 14]]);
    expect(prod.Resources.RegistryScanning!.Properties.ScanType).toBe('ENHANCED');
    expect(prod.Resources.RegistryPolicy!.Properties.PolicyText.Statement[0].Principal.AWS).toBe('arn:aws:iam::300000000003:root');
    const staging = read(example.artifacts, 'staging/registry.json');
    expect(staging.Resources.RegistryReplication!.Properties.ReplicationConfiguration.Rules[0].Destinations).toEqual([{ Region: 'us-east-1', RegistryId: '200000000002' }]);
    expect(read(example.artifacts, 'production/security.json').Resources.SigningKey!.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  });

  it('Aurora: encrypted, never a literal password, TLS forced, snapshot + deletion protection in production only', () => {
    for (const text of Object.values(VARIANTS)) {
      for (const a of templates(compileCfn(text).artifacts)) {
        for (const [, r] of ofType(JSON.parse(a.content), 'AWS::RDS::DBCluster')) {
          const pw = r.Properties.MasterUserPassword;
          expect(pw === undefined || JSON.stringify(pw).includes('{{resolve:secretsmanager:')).toBe(true);
        }
      }
    }
    const prod = read(example.artifacts, 'production/data.json');
    const staging = read(example.artifacts, 'staging/data.json');
    expect(prod.Resources.DatabaseCluster!.DeletionPolicy).toBe('Snapshot');
    expect(prod.Resources.DatabaseCluster!.Properties).toMatchObject({ StorageEncrypted: true, DeletionProtection: true, BackupRetentionPeriod: 30 });
    expect(staging.Resources.DatabaseCluster!.DeletionPolicy).toBe('Delete');
    expect(staging.Resources.DatabaseCluster!.Properties).toMatchObject({ ManageMasterUserPassword: true, DeletionProtection: false });
    expect(prod.Resources.DatabaseClusterParameterGroup!.Properties.Parameters).toEqual({ 'rds.force_ssl': '1' });
    expect(ofType(prod, 'AWS::RDS::DBInstance').map(([, r]) => r.Properties.DBInstanceClass)).toEqual(['db.r6g.large', 'db.r6g.large']);
    expect(ofType(staging, 'AWS::RDS::DBInstance').map(([, r]) => r.Properties.DBInstanceClass)).toEqual(['db.t4g.medium']);
    // A global database (DR) cannot use the RDS-managed master secret: the stack generates one.
    expect(prod.Resources.DatabaseGlobalCluster).toBeDefined();
    expect(prod.Transform).toBe('AWS::SecretsManager-2020-07-23');
    expect(prod.Resources.BackupPlan!.Properties.BackupPlan.BackupPlanRule[0].Lifecycle.DeleteAfterDays).toBe(35);
    const dr = read(example.artifacts, 'production/dr.json');
    expect(dr.Resources.DrDatabaseCluster!.Properties.GlobalClusterIdentifier).toBe(prod.Resources.DatabaseGlobalCluster!.Properties.GlobalClusterIdentifier);
    const serverless = read(compileCfn(VARIANTS.serverless!).artifacts, 'staging/data.json');
    expect(serverless.Resources.DatabaseCluster!.Properties.ServerlessV2ScalingConfiguration).toEqual({ MinCapacity: 0.5, MaxCapacity: 8 });
  });

  it('publishes the values the model promises to the Kubernetes side', () => {
    for (const m of example.models) {
      const published = manifestOf(example.artifacts).filter((s) => s.environment === m.environment.name).flatMap((s) => s.publishes);
      for (const path of Object.values(m.parameters)) expect(published).toContain(path);
    }
  });

  it('the manifest records order, account and region: organization first, DR in the DR region', () => {
    const stacks = manifestOf(example.artifacts);
    expect(stacks[0]).toMatchObject({ template: 'cloudformation/organization.json', accountId: '100000000001', region: 'us-east-1' });
    expect(stacks.filter((s) => s.environment === 'production').map((s) => s.template.split('/')[2])).toEqual(['security.json', 'network.json', 'audit.json', 'registry.json', 'cluster.json', 'karpenter.json', 'data.json', 'observability.json', 'cost.json', 'dr.json']);
    expect(stacks.find((s) => s.template.endsWith('production/dr.json'))!.region).toBe('us-west-2');
    expect(stacks.find((s) => s.template.endsWith('production/data.json'))!.capabilities).toEqual(['CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND']);
    expect(manifestOf(compileCfn(VARIANTS['no-organization']!).artifacts).some((s) => s.template.includes('organization'))).toBe(false);
  });
});

describe('stability', () => {
  it('is deterministic', () => {
    const again = compileCfn(EXAMPLE);
    expect(again.artifacts.map((a) => a.content)).toEqual(example.artifacts.map((a) => a.content));
  });

  it('logical ids derive from names: growing a list adds ids and changes none', () => {
    const d = parse(EXAMPLE);
    d.workloads.aaa = { ...d.workloads.web, pool: 'spot-x86', ingress: { path: '/aaa' } };
    d.registry.repositories = { aaa: {} };
    d.cluster.addons = ['aws-efs-csi-driver', ...d.cluster.addons];
    const grown = compileCfn(stringify(d));
    for (const a of templates(example.artifacts)) {
      const before = Object.keys((JSON.parse(a.content) as Template).Resources);
      const after = new Set(Object.keys((JSON.parse(grown.artifacts.find((b) => b.path === a.path)!.content) as Template).Resources));
      expect(before.filter((id) => !after.has(id))).toEqual([]);
    }
  });
});
