/**
 * Issue 14, at the artifact level: what every node kind needs to come up, read from the emitted
 * CloudFormation and Kubernetes documents (each assertion failed on the output before the fix).
 * - both node kinds carry the EKS cluster security group (API 443, kubelet 10250, webhooks, DNS, pod to pod);
 * - Karpenter nodes give the Container Insights agent hop limit 2, like the managed group;
 * - every pool that can launch arm64 carries the document's taint, and what is placed there tolerates it;
 * - production pins the AMI release, other environments follow latest.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { byPath, compileOk, environmentDocuments, EXAMPLE, type Doc } from './support.js';
import { exampleVariant } from '../helpers.js';

const ENVS = ['production', 'staging'] as const;
const ARM64_TAINT = { key: 'kubernetes.io/arch', value: 'arm64', effect: 'NoSchedule' };

function outputs(text: string = EXAMPLE) {
  const { artifacts, models } = compileOk(text);
  const files = byPath(artifacts);
  const docs = (env: string) => environmentDocuments(artifacts, env).map((d) => d.doc);
  const template = (env: string, name: string) => JSON.parse(files.get(`cloudformation/${env}/${name}.json`)!.content) as { Resources: Record<string, { Type: string; Properties: Doc }> };
  const values = (env: string, chart: string) => parse(files.get(`helm/${env}/${chart}.values.yaml`)!.content) as Doc;
  return { models, docs, template, values };
}

const example = outputs();
const kinds = (docs: Doc[], kind: string) => docs.filter((d) => d.kind === kind);

/** The tags EKS puts on the cluster security group it creates (EKS user guide, sec-group-reqs). */
const clusterSecurityGroupTags = (cluster: string) => ({ [`kubernetes.io/cluster/${cluster}`]: 'owned', 'aws:eks:cluster-name': cluster });
/** Karpenter semantics: terms are ORed, the tags inside one term ANDed. */
const selects = (terms: Doc[], tags: Record<string, string>) => terms.some((t) => t.tags && Object.entries(t.tags as Record<string, string>).every(([k, v]) => tags[k] === v));

describe('security groups: every node kind joins the cluster', () => {
  for (const env of ENVS) {
    const m = example.models.find((x) => x.environment.name === env)!;
    it(`${env}: the managed node group and every EC2NodeClass hold the EKS cluster security group`, () => {
      const cluster = example.template(env, 'cluster');
      const [lt] = Object.values(cluster.Resources).filter((r) => r.Type === 'AWS::EC2::LaunchTemplate');
      expect(lt!.Properties.LaunchTemplateData.SecurityGroupIds).toContainEqual({ 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] });
      const classes = kinds(example.docs(env), 'EC2NodeClass');
      expect(classes.length).toBeGreaterThan(0);
      for (const nc of classes) {
        expect(selects(nc.spec.securityGroupSelectorTerms, clusterSecurityGroupTags(m.cluster.name)), nc.metadata.name).toBe(true);
        // and still the App group (the ALB reaches pods through it, the database admits it)
        expect(selects(nc.spec.securityGroupSelectorTerms, { [m.names.discoveryTag.key]: m.names.discoveryTag.value })).toBe(true);
      }
    });
  }
  it('the App group stays the only discovery-tagged group: Karpenter never picks the ALB, DB or endpoint groups', () => {
    const network = example.template('production', 'network');
    const tagged = Object.entries(network.Resources)
      .filter(([, r]) => r.Type === 'AWS::EC2::SecurityGroup' && (r.Properties.Tags ?? []).some((t: Doc) => t.Key === 'karpenter.sh/discovery'))
      .map(([id]) => id);
    expect(tagged).toEqual(['AppSecurityGroup']);
  });
});

describe('instance metadata', () => {
  it('Karpenter nodes get the hop limit the managed group gets: 2 with Container Insights, 1 without', () => {
    for (const [text, hops] of [[EXAMPLE, 2], [exampleVariant((d) => (d.observability.containerInsights = false)), 1]] as const) {
      const o = text === EXAMPLE ? example : outputs(text);
      for (const env of ENVS) {
        const [lt] = Object.values(o.template(env, 'cluster').Resources).filter((r) => r.Type === 'AWS::EC2::LaunchTemplate');
        expect(lt!.Properties.LaunchTemplateData.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: hops });
        for (const nc of kinds(o.docs(env), 'EC2NodeClass')) expect(nc.spec.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: hops });
      }
    }
  });
});

describe('arm64 taint', () => {
  const archs = (pool: Doc): string[] => pool.spec.template.spec.requirements.find((r: Doc) => r.key === 'kubernetes.io/arch').values;
  for (const env of ENVS) {
    it(`${env}: every pool that can launch arm64 is tainted kubernetes.io/arch=arm64:NoSchedule; amd64-only pools are not`, () => {
      for (const pool of kinds(example.docs(env), 'NodePool')) {
        const taints = pool.spec.template.spec.taints ?? [];
        expect(taints.some((t: Doc) => t.key === ARM64_TAINT.key && t.value === ARM64_TAINT.value && t.effect === ARM64_TAINT.effect), pool.metadata.name).toBe(archs(pool).includes('arm64'));
      }
    });
    it(`${env}: the platform charts placed on the platform pool tolerate every one of its taints`, () => {
      const platform = kinds(example.docs(env), 'NodePool').find((p) => p.spec.template.metadata.labels['innovate.dev/role'] === 'platform')!;
      const tolerates = (ts: Doc[] | undefined, t: Doc) => (ts ?? []).some((x) => x.operator === 'Exists' ? !x.key || x.key === t.key : x.key === t.key && x.value === t.value && x.effect === t.effect);
      const argo = example.values(env, 'argo-cd');
      const monitoring = example.values(env, 'kube-prometheus-stack');
      for (const taint of platform.spec.template.spec.taints) {
        expect(tolerates(argo.global?.tolerations ?? argo.server?.tolerations, taint), `argo-cd ${taint.key}`).toBe(true);
        expect(tolerates(monitoring.prometheus.prometheusSpec.tolerations, taint), `prometheus ${taint.key}`).toBe(true);
      }
    });
  }
});

describe('AMI pinning', () => {
  it('production pins a dated AL2023 release; staging follows latest', () => {
    const alias = (env: string) => kinds(example.docs(env), 'EC2NodeClass').map((nc) => nc.spec.amiSelectorTerms[0].alias);
    for (const a of alias('production')) expect(a).toMatch(/^al2023@v\d{8}$/);
    for (const a of alias('staging')) expect(a).toBe('al2023@latest');
  });
  it('cluster.karpenter.productionAmiAlias moves production, amiAlias moves every environment', () => {
    const bumped = outputs(exampleVariant((d) => (d.cluster.karpenter.productionAmiAlias = 'al2023@v20260724')));
    expect(kinds(bumped.docs('production'), 'EC2NodeClass')[0]!.spec.amiSelectorTerms).toEqual([{ alias: 'al2023@v20260724' }]);
    expect(kinds(bumped.docs('staging'), 'EC2NodeClass')[0]!.spec.amiSelectorTerms).toEqual([{ alias: 'al2023@latest' }]);
    const everywhere = outputs(exampleVariant((d) => (d.cluster.karpenter.amiAlias = 'al2023@v20260709')));
    for (const env of ENVS) expect(kinds(everywhere.docs(env), 'EC2NodeClass')[0]!.spec.amiSelectorTerms).toEqual([{ alias: 'al2023@v20260709' }]);
  });
});

describe('capacity: On-Demand baseline in production, diverse Spot for burst', () => {
  const pools = (env: string) => kinds(example.docs(env), 'NodePool');
  const req = (pool: Doc, key: string) => pool.spec.template.spec.requirements.find((r: Doc) => r.key === key);
  it('every pool that may run Spot asks Karpenter for at least 3 instance families (minValues)', () => {
    for (const env of ENVS) {
      for (const pool of pools(env).filter((p) => req(p, 'karpenter.sh/capacity-type').values.includes('spot'))) {
        expect(req(pool, 'karpenter.k8s.aws/instance-family')?.minValues, `${env}/${pool.metadata.name}`).toBeGreaterThanOrEqual(3);
      }
    }
  });
  it('production: the On-Demand application pool outweighs every Spot application pool, and no workload is placed Spot-only', () => {
    const app = pools('production').filter((p) => p.spec.template.metadata.labels['innovate.dev/role'] === 'application');
    const onDemand = app.filter((p) => req(p, 'karpenter.sh/capacity-type').values.includes('on-demand'));
    const spot = app.filter((p) => !req(p, 'karpenter.sh/capacity-type').values.includes('on-demand'));
    expect(onDemand.length).toBeGreaterThan(0);
    for (const s of spot) for (const o of onDemand) expect(o.spec.weight ?? 0).toBeGreaterThan(s.spec.weight ?? 0);
    const production = example.models.find((m) => m.environment.production)!;
    for (const w of production.workloads) {
      const pool = production.cluster.nodePools.find((p) => p.name === w.pool)!;
      expect(pool.capacityTypes, `${w.name} on ${w.pool}`).toContain('on-demand');
    }
  });
});
