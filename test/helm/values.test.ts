/** The platform values are wired to the model: cluster, queue, region, VPC by tag, identities, placement. */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { byPath, compileOk, EXAMPLE, PROMOTED_EXAMPLE, type Doc } from '../kubernetes/support.js';

describe('Helm values wiring', () => {
  const { artifacts, models } = compileOk();
  const files = byPath(artifacts);
  const values = (env: string, chart: string) => parse(files.get(`helm/${env}/${chart}.values.yaml`)!.content) as Doc;

  for (const m of models) {
    const env = m.environment.name;
    it(`${env}: karpenter runs on the system nodes with the cluster, queue and region`, () => {
      const v = values(env, 'karpenter');
      expect(v.settings).toEqual({ clusterName: m.names.cluster, interruptionQueue: m.names.interruptionQueue });
      expect(v.controller.env).toContainEqual({ name: 'AWS_REGION', value: m.environment.region });
      expect(v.nodeSelector).toMatchObject(m.cluster.systemNodeGroup.labels);
      expect(v.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
      expect(v.serviceAccount.name).toBe(m.platform.karpenter.identity!.serviceAccount);
      expect(v.controller.resources.requests).toBeDefined();
    });
    it(`${env}: the ALB controller gets region and finds the VPC by its Name tag`, () => {
      const v = values(env, 'aws-load-balancer-controller');
      expect(v).toMatchObject({ clusterName: m.names.cluster, region: m.environment.region, vpcTags: { Name: m.names.vpc } });
      expect(v.vpcId).toBeUndefined();
      expect(v.serviceAccount.name).toBe(m.platform.awsLoadBalancerController.identity!.serviceAccount);
    });
    it(`${env}: platform tools run on the platform pool, never on application nodes`, () => {
      const pool = m.cluster.nodePools.find((p) => p.role === 'platform')!;
      for (const [chart, get] of [
        ['argo-cd', (v: Doc) => v.global],
        ['external-secrets', (v: Doc) => v],
        ['gatekeeper', (v: Doc) => v.controllerManager],
        ['kube-prometheus-stack', (v: Doc) => v.prometheus.prometheusSpec],
        ['kube-prometheus-stack', (v: Doc) => v.grafana],
        ['aws-load-balancer-controller', (v: Doc) => v],
        ['metrics-server', (v: Doc) => v],
      ] as const) {
        const place = get(values(env, chart));
        expect(place.nodeSelector['innovate.dev/role'], chart).toBe('platform');
        expect(place.tolerations, chart).toEqual(pool.tolerations.map((t) => ({ ...t })));
      }
    });
    it(`${env}: Prometheus retention and storage, Grafana without a local admin`, () => {
      const v = values(env, 'kube-prometheus-stack');
      expect(v.prometheus.prometheusSpec.retention).toBe(m.observability.prometheus.retention);
      expect(v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe(`${m.observability.prometheus.storageGiB}Gi`);
      expect(v.grafana.admin).toBeUndefined();
      expect(v.grafana['grafana.ini'].security.disable_initial_admin_creation).toBe(true);
      expect(v.grafana.sidecar.dashboards).toMatchObject({ enabled: true, label: 'grafana_dashboard', labelValue: '1' });
    });
    it(`${env}: every platform pod has resources`, () => {
      const text = Object.values(m.platform).map((c) => files.get(`helm/${env}/${c.chart}.values.yaml`)!.content);
      for (const t of text) expect(t).toMatch(/resources:\n\s+limits:/);
    });
    it(`${env}: workload values hold the image CI promotes, its tag on one line once promoted, none before`, () => {
      for (const w of m.workloads) {
        const a = files.get(`helm/${env}/workloads/${w.name}.values.yaml`)!;
        expect((parse(a.content) as Doc).image).toEqual({ repository: `${w.image.registry}/${w.image.repository}` });
        expect(a.content).toMatch(/until CI's first promotion there is none/);
        expect(a.content.split('\n').filter((l) => /^\s+tag: /.test(l))).toHaveLength(0);
      }
      const after = compileOk(PROMOTED_EXAMPLE);
      const files2 = byPath(after.artifacts);
      for (const w of after.models.find((x) => x.environment.name === env)!.workloads) {
        const a = files2.get(`helm/${env}/workloads/${w.name}.values.yaml`)!;
        expect((parse(a.content) as Doc).image).toEqual({ repository: `${w.image.registry}/${w.image.repository}`, tag: 'sha-0123456789ab' });
        expect(a.content.split('\n').filter((l) => /^\s+tag: /.test(l))).toHaveLength(1);
      }
    });
  }

  it('IRSA puts the role ARN on the controllers\' service accounts; Pod Identity does not', () => {
    const irsa = compileOk(EXAMPLE.replace('workloadIdentity: podIdentity', 'workloadIdentity: irsa'));
    const m = irsa.models[0]!;
    const v = parse(byPath(irsa.artifacts).get(`helm/${m.environment.name}/karpenter.values.yaml`)!.content) as Doc;
    expect(v.serviceAccount.annotations).toEqual({ 'eks.amazonaws.com/role-arn': m.platform.karpenter.identity!.roleArn });
    expect(values(models[0]!.environment.name, 'karpenter').serviceAccount.annotations).toEqual({});
  });
});
