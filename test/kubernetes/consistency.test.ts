/**
 * Every reference the manifests and values make to the AWS side matches the model, and the
 * resource, tag or SSM parameter the CloudFormation emitter creates for it.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/compiler/model.js';
import { byPath, compileOk, environmentDocuments, EXAMPLE, type Doc } from './support.js';

interface Resource {
  readonly id: string;
  readonly Type: string;
  readonly Properties: Doc;
}

function cfnResources(artifacts: readonly { path: string; content: string }[], env: string): Resource[] {
  return artifacts
    .filter((a) => a.path.startsWith(`cloudformation/${env}/`) && a.path.endsWith('.json'))
    .flatMap((a) => Object.entries((JSON.parse(a.content) as Doc).Resources ?? {}).map(([id, r]) => ({ id, ...(r as { Type: string; Properties: Doc }) })));
}

const tagsOf = (r: Resource): Record<string, unknown> => {
  const t = r.Properties?.Tags;
  return Array.isArray(t) ? Object.fromEntries(t.map((x: Doc) => [x.Key, x.Value])) : (t ?? {});
};

function check(text: string, label: string) {
  const { artifacts, models } = compileOk(text);
  const files = byPath(artifacts);

  for (const m of models as readonly Model[]) {
    const env = m.environment.name;
    const docs = environmentDocuments(artifacts, env).map((d) => d.doc);
    const cfn = cfnResources(artifacts, env);
    const of = (type: string) => cfn.filter((r) => r.Type === type);
    const values = (chart: string) => parse(files.get(`helm/${env}/${chart}.values.yaml`)!.content) as Doc;
    const hasCfn = cfn.length > 0;

    describe(`${label} ${env}`, () => {
      it('the CloudFormation side is emitted (else the AWS half of these checks cannot run)', () => {
        expect(hasCfn).toBe(true);
      });

      it('ExternalSecrets read SSM parameters and Secrets Manager secrets that the templates create', () => {
        const parameters = new Set(of('AWS::SSM::Parameter').map((r) => r.Properties.Name));
        const secrets = new Set(of('AWS::SecretsManager::Secret').map((r) => r.Properties.Name));
        const external = docs.filter((d) => d.kind === 'ExternalSecret');
        expect(external.length).toBeGreaterThan(0);
        for (const es of external) {
          const store = es.spec.secretStoreRef.name;
          for (const d of es.spec.data as Doc[]) {
            if (store === 'aws-parameter-store') {
              expect(Object.values(m.parameters)).toContain(d.remoteRef.key);
              expect(parameters, d.remoteRef.key).toContain(d.remoteRef.key);
            } else {
              expect(m.security.secrets.map((s) => s.secretName)).toContain(d.remoteRef.key);
              expect(secrets, d.remoteRef.key).toContain(d.remoteRef.key);
            }
          }
        }
      });

      it('Karpenter: node role, discovery tag on private subnets and a security group, EBS key alias, queue, cluster', () => {
        const [nc] = docs.filter((d) => d.kind === 'EC2NodeClass');
        expect(nc!.spec.role).toBe(m.names.karpenterNodeRole);
        expect(of('AWS::IAM::Role').map((r) => r.Properties.RoleName)).toContain(m.names.karpenterNodeRole);
        const [key, value] = Object.entries(nc!.spec.subnetSelectorTerms[0].tags)[0]!;
        expect({ key, value }).toEqual(m.names.discoveryTag);
        const tagged = (type: string) => of(type).filter((r) => tagsOf(r)[key] === value);
        const privateCidrs = m.network.zones.map((z) => z.privateCidr).sort();
        expect(tagged('AWS::EC2::Subnet').map((r) => r.Properties.CidrBlock).sort()).toEqual(privateCidrs);
        expect(tagged('AWS::EC2::SecurityGroup').length).toBeGreaterThan(0);
        expect(nc!.spec.blockDeviceMappings[0].ebs.kmsKeyID).toMatch(new RegExp(`:${m.names.ebsKeyAlias}$`));
        expect(of('AWS::KMS::Alias').map((r) => r.Properties.AliasName)).toContain(m.names.ebsKeyAlias);
        const k = values('karpenter');
        expect(of('AWS::SQS::Queue').map((r) => r.Properties.QueueName)).toContain(k.settings.interruptionQueue);
        expect(of('AWS::EKS::Cluster').map((r) => r.Properties.Name)).toContain(k.settings.clusterName);
      });

      it('ALB: security group by its Name tag, certificate for the host, VPC by its Name tag', () => {
        const ing = docs.find((d) => d.kind === 'Ingress')!;
        const sg = ing.metadata.annotations['alb.ingress.kubernetes.io/security-groups'];
        expect(sg).toBe(m.names.albSecurityGroup);
        expect(of('AWS::EC2::SecurityGroup').filter((r) => tagsOf(r).Name === sg)).toHaveLength(1);
        expect(of('AWS::CertificateManager::Certificate').map((r) => r.Properties.DomainName)).toContain(ing.spec.tls[0].hosts[0]);
        const vpcName = values('aws-load-balancer-controller').vpcTags.Name;
        expect(of('AWS::EC2::VPC').filter((r) => tagsOf(r).Name === vpcName)).toHaveLength(1);
      });

      it('controllers and workloads use the service accounts the pod identities / IRSA roles trust', () => {
        const wanted = [
          { identity: m.platform.karpenter.identity!, sa: values('karpenter').serviceAccount.name },
          { identity: m.platform.awsLoadBalancerController.identity!, sa: values('aws-load-balancer-controller').serviceAccount.name },
          { identity: m.platform.externalSecrets.identity!, sa: values('external-secrets').serviceAccount.name },
          ...m.workloads.map((w) => ({ identity: w.identity, sa: docs.find((d) => d.kind === 'ServiceAccount' && d.metadata.name === w.name)!.metadata.name })),
        ];
        const roles = new Map(of('AWS::IAM::Role').map((r) => [r.id, r.Properties.RoleName]));
        const associations = of('AWS::EKS::PodIdentityAssociation').map((r) => ({
          namespace: r.Properties.Namespace,
          serviceAccount: r.Properties.ServiceAccount,
          roleName: roles.get(r.Properties.RoleArn?.['Fn::GetAtt']?.[0]),
        }));
        for (const { identity, sa } of wanted) {
          expect(sa).toBe(identity.serviceAccount);
          expect(roles.size === 0 || [...roles.values()].includes(identity.roleName), identity.roleName).toBe(true);
          const assoc = associations.find((a) => a.namespace === identity.namespace && a.serviceAccount === identity.serviceAccount);
          if (m.security.workloadIdentity === 'podIdentity' && assoc) expect(assoc.roleName).toBe(identity.roleName);
        }
        if (m.security.workloadIdentity === 'podIdentity') {
          for (const { identity } of wanted.slice(0, 3)) {
            expect(associations.some((a) => a.namespace === identity.namespace && a.serviceAccount === identity.serviceAccount), identity.serviceAccount).toBe(true);
          }
        }
      });

      it('RoleBindings bind exactly the groups the EKS access entries map team roles to', () => {
        const bound = docs.filter((d) => d.kind === 'RoleBinding').flatMap((d) => d.subjects.map((s: Doc) => s.name));
        const mapped = of('AWS::EKS::AccessEntry').flatMap((r) => r.Properties.KubernetesGroups ?? []);
        expect([...new Set(bound)].sort()).toEqual([...new Set(mapped)].sort());
        expect(bound.sort()).toEqual(m.teams.filter((t) => t.namespaces.length > 0).flatMap((t) => t.namespaces.map(() => t.kubernetesGroup)).sort());
      });
    });
  }
}

check(EXAMPLE, 'example');
check(EXAMPLE.replace('workloadIdentity: podIdentity', 'workloadIdentity: irsa'), 'example with IRSA');
