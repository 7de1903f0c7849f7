/** What the manifests promise: hardening, placement, scaling, identity, routing, sync policy, layout. */
import { describe, expect, it } from 'vitest';
import { kubernetesEmitter, workloadChartsEmitter } from '../../src/emitters/kubernetes/index.js';
import { helmEmitter } from '../../src/emitters/helm/index.js';
import { byPath, compileOk, documents, environmentDocuments, EXAMPLE, PROMOTED_EXAMPLE, type Doc } from './support.js';

// As CI's promotion leaves the spec (a tag per workload), so the charts render their pods; the
// example before its first promotion is the last case of 'workloads'.
const { artifacts, models } = compileOk(PROMOTED_EXAMPLE);
const production = models.find((m) => m.environment.production)!;
const staging = models.find((m) => !m.environment.production)!;
const docsOf = (env: string) => environmentDocuments(artifacts, env).map((d) => d.doc);
const find = (docs: Doc[], kind: string, name?: string) => docs.filter((d) => d.kind === kind && (name === undefined || d.metadata.name === name));

describe('workloads', () => {
  const docs = docsOf('production');
  it('every pod template is hardened and sets requests and limits', () => {
    const pods = [...find(docs, 'Deployment'), ...find(docs, 'Job')].map((d) => d.spec.template.spec);
    expect(pods.length).toBe(3);
    for (const pod of pods) {
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
        expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
        expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
        expect(c.image).toMatch(/^200000000002\.dkr\.ecr\.us-east-1\.amazonaws\.com\/innovate\/[a-z]+:sha-0123456789ab$/);
      }
    }
  });
  it('probes, zone spread, and ARM64 only by explicit toleration', () => {
    const api = find(docs, 'Deployment', 'api')[0]!.spec.template.spec;
    const web = find(docs, 'Deployment', 'web')[0]!.spec.template.spec;
    expect(api.containers[0].livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(api.containers[0].readinessProbe.httpGet.path).toBe('/readyz');
    expect(api.containers[0].startupProbe.httpGet.path).toBe('/readyz');
    expect(api.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' });
    // The pool is a preference: production prefers the On-Demand baseline for both (any amd64
    // application node will do); staging: api prefers Spot x86, web Graviton Spot by explicit toleration.
    const preferred = (spec: Doc) => spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    const required = (spec: Doc) => spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(preferred(api)).toEqual([{ weight: 100, preference: { matchExpressions: [{ key: 'karpenter.sh/nodepool', operator: 'In', values: ['on-demand-baseline'] }] } }]);
    expect(required(api)).toEqual([
      {
        matchExpressions: [
          { key: 'innovate.dev/role', operator: 'In', values: ['application'] },
          { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
          { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
        ],
      },
    ]);
    expect(api.nodeSelector).toBeUndefined();
    expect(api.tolerations).toBeUndefined();
    expect(preferred(web)[0].preference.matchExpressions[0].values).toEqual(['on-demand-baseline']);
    const stagingWeb = find(docsOf('staging'), 'Deployment', 'web')[0]!.spec.template.spec;
    expect(preferred(stagingWeb)[0].preference.matchExpressions[0].values).toEqual(['spot-arm64']);
    expect(required(stagingWeb)[0].matchExpressions[1]).toEqual({ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] });
    expect(stagingWeb.tolerations).toEqual([{ key: 'kubernetes.io/arch', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }]);
    // The migration Job is placed like its Deployment.
    expect(find(docs, 'Job', 'api-migrate')[0]!.spec.template.spec.affinity).toEqual(api.affinity);
  });
  it('HPA on CPU and memory at 70%, min 2; PDB; migration as a PreSync hook', () => {
    for (const hpa of find(docs, 'HorizontalPodAutoscaler')) {
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.minReplicas).toBe(2);
      expect(hpa.spec.metrics.map((m: Doc) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([
        ['cpu', 70],
        ['memory', 70],
      ]);
    }
    expect(find(docs, 'PodDisruptionBudget').map((p) => p.spec.maxUnavailable)).toEqual([1, 1]);
    const job = find(docs, 'Job', 'api-migrate')[0]!;
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PreSync');
    expect(job.spec.template.spec.containers[0].command).toEqual(['flask', 'db', 'upgrade']);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });
  it('credentials come from ExternalSecrets, the database endpoint from the SSM parameter', () => {
    const env = find(docs, 'Deployment', 'api')[0]!.spec.template.spec.containers[0].env as Doc[];
    expect(env.find((e) => e.name === 'DATABASE_PASSWORD')!.valueFrom.secretKeyRef).toEqual({ name: 'api-secrets', key: 'DATABASE_PASSWORD' });
    expect(env.find((e) => e.name === 'DATABASE_HOST')!.valueFrom.secretKeyRef).toEqual({ name: 'api-runtime', key: 'DATABASE_HOST' });
    const runtime = find(docs, 'ExternalSecret', 'api-runtime')[0]!;
    expect(runtime.spec.data).toContainEqual({ secretKey: 'DATABASE_HOST', remoteRef: { key: production.parameters.databaseEndpoint } });
    expect(find(docs, 'ExternalSecret', 'web-runtime')).toEqual([]);
  });
  it('service accounts: no annotation with Pod Identity, the role ARN with IRSA', () => {
    expect(find(docs, 'ServiceAccount').map((s) => s.metadata.annotations['eks.amazonaws.com/role-arn'])).toEqual([undefined, undefined]);
    const irsa = compileOk(PROMOTED_EXAMPLE.replace('workloadIdentity: podIdentity', 'workloadIdentity: irsa'));
    const m = irsa.models.find((x) => x.environment.production)!;
    const sa = find(environmentDocuments(irsa.artifacts, 'production').map((d) => d.doc), 'ServiceAccount', 'api')[0]!;
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(m.workloads.find((w) => w.name === 'api')!.identity.roleArn);
  });
  it('before the first promotion (no tag), the charts render no pod: no Deployment, migration Job, HPA or PDB; the Service and ServiceMonitor stay', () => {
    const first = compileOk(EXAMPLE);
    for (const env of ['production', 'staging']) {
      const rendered = environmentDocuments(first.artifacts, env).filter((d) => d.path.startsWith('charts/')).map((d) => `${d.doc.kind}/${d.doc.metadata.name}`).sort();
      expect(rendered).toEqual(['Service/api', 'Service/web', 'ServiceMonitor/api']);
    }
  });
});

describe('network, routing, access', () => {
  const docs = docsOf('production');
  it('default deny, DNS, ingress from the public subnets, and only the API reaches the isolated subnets on 5432', () => {
    const names = find(docs, 'NetworkPolicy').map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(names).toEqual(['apps/default-deny', 'apps/allow-dns', 'apps/allow-ingress-api', 'apps/allow-metrics-api', 'apps/allow-database-api', 'apps/allow-ingress-web', 'external-dns/default-deny', 'external-dns/allow-dns', 'external-dns/allow-external-dns', 'cosign-system/default-deny', 'cosign-system/allow-dns', 'cosign-system/allow-policy-controller']);
    // policy-controller's namespace: the API server's admission calls in on 8443 from the VPC; out to the Pod Identity agent and 443 (KMS, ECR, S3, STS, the API server)
    const pc = find(docs, 'NetworkPolicy', 'allow-policy-controller')[0]!;
    expect(pc.spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: production.network.vpcCidr } }], ports: [{ protocol: 'TCP', port: 8443 }] }]);
    expect(pc.spec.egress).toEqual(find(docs, 'NetworkPolicy', 'allow-external-dns')[0]!.spec.egress);
    // external-dns's namespace: out only to CoreDNS, the Pod Identity agent and 443 (Route 53 through NAT, STS, the API server)
    const edns = find(docs, 'NetworkPolicy', 'allow-external-dns')[0]!;
    expect(edns.spec).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ protocol: 'TCP', port: 80 }] }, { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }] });
    const db = find(docs, 'NetworkPolicy', 'allow-database-api')[0]!;
    expect(db.spec.egress[0].to.map((t: Doc) => t.ipBlock.cidr)).toEqual(production.network.zones.map((z) => z.isolatedCidr));
    expect(db.spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
  });
  it('one internet-facing ALB group: ip targets, 80+443 with redirect, TLS 1.3 policy, SG by name, cert by host', () => {
    const [ing] = find(docs, 'Ingress');
    expect(ing!.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-3-2021-06',
      'alb.ingress.kubernetes.io/security-groups': production.names.albSecurityGroup,
      'alb.ingress.kubernetes.io/group.name': production.names.ingressGroup,
    });
    expect(ing!.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']).toBeUndefined();
    expect(ing!.spec.tls).toEqual([{ hosts: ['app.innovate.example'] }]);
    expect(ing!.spec.rules[0].http.paths.map((p: Doc) => [p.path, p.backend.service.name])).toEqual([
      ['/api', 'api'],
      ['/', 'web'],
    ]);
  });
  it('team roles are namespaced and bound to the access-entry group; nobody gets cluster-admin', () => {
    // The web team's permission set (developers) is assigned to staging only: production binds no team.
    expect(find(docs, 'RoleBinding')).toEqual([]);
    const staging = docsOf('staging');
    const binding = find(staging, 'RoleBinding')[0]!;
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'innovate:team:web' }]);
    expect(binding.roleRef.kind).toBe('Role');
    expect(docs.some((d) => /ClusterRole/.test(d.kind) || JSON.stringify(d).includes('cluster-admin'))).toBe(false);
    expect(staging.some((d) => /ClusterRole/.test(d.kind) || JSON.stringify(d).includes('cluster-admin'))).toBe(false);
    expect(JSON.stringify(find(staging, 'Role'))).not.toContain('"secrets"');
  });
  it('Pod Security: restricted for applications', () => {
    expect(find(docs, 'Namespace', 'apps')[0]!.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});

describe('Karpenter', () => {
  it('node class: pinned AMI alias, node role, discovery and cluster security group selectors, IMDSv2 hop limit 2 (Container Insights), encrypted gp3 with the EBS key', () => {
    const [nc] = find(docsOf('production'), 'EC2NodeClass');
    expect(nc!.spec).toMatchObject({
      role: production.names.karpenterNodeRole,
      amiSelectorTerms: [{ alias: 'al2023@v20260714' }],
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': production.names.cluster } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': production.names.cluster } }, { tags: { 'aws:eks:cluster-name': production.names.cluster } }],
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 },
    });
    expect(nc!.spec.blockDeviceMappings[0].ebs).toMatchObject({ volumeType: 'gp3', encrypted: true, kmsKeyID: `arn:aws:kms:us-east-1:200000000002:${production.names.ebsKeyAlias}` });
  });
  it('pools: arm64 taint, platform taint, on-demand baseline only in production, 30s consolidation', () => {
    const pools = (env: string) => new Map(find(docsOf(env), 'NodePool').map((p) => [p.metadata.name, p.spec]));
    const prod = pools('production');
    expect([...prod.keys()]).toEqual(['on-demand-baseline', 'platform', 'spot-arm64', 'spot-x86']);
    expect([...pools('staging').keys()]).toEqual(['platform', 'spot-arm64', 'spot-x86']);
    expect(prod.get('spot-arm64').template.spec.taints).toEqual([{ key: 'kubernetes.io/arch', value: 'arm64', effect: 'NoSchedule' }]);
    expect(prod.get('platform').template.spec.taints).toEqual([
      { key: 'kubernetes.io/arch', value: 'arm64', effect: 'NoSchedule' },
      { key: 'innovate.dev/role', value: 'platform', effect: 'NoSchedule' },
    ]);
    expect(prod.get('on-demand-baseline').template.spec.requirements).toContainEqual({ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] });
    expect(prod.get('spot-x86').template.spec.requirements).toContainEqual({ key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['2'] });
    for (const spec of prod.values()) expect(spec.disruption).toEqual({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '30s' });
  });
});

describe('ArgoCD and layout', () => {
  it('staging syncs automatically with prune and selfHeal, production waits for a person', () => {
    for (const app of find(docsOf('staging'), 'Application')) expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    for (const app of find(docsOf('production'), 'Application')) expect(app.spec.syncPolicy.automated).toBeUndefined();
  });
  it('platform charts at the pinned versions with values from <outputDir>/helm/<env>; workloads from their chart and values', () => {
    const apps = new Map(find(docsOf('production'), 'Application').map((a) => [a.metadata.name, a.spec]));
    for (const c of Object.values(production.platform)) {
      const source = apps.get(c.releaseName).sources[0];
      expect(source).toMatchObject({ repoURL: c.repoUrl, chart: c.chart, targetRevision: c.version });
      // The config repository holds the compiled output under delivery.outputDir (default out/).
      expect(source.helm.valueFiles).toEqual([`$values/out/helm/production/${c.chart}.values.yaml`]);
    }
    // One chart per workload for every environment; the environment's data comes from its values file in the $values source.
    expect(apps.get('apps-api').sources[0]).toMatchObject({ path: 'out/charts/api', helm: { releaseName: 'api', valueFiles: ['$values/out/helm/production/workloads/api.values.yaml'] } });
    expect(apps.get('apps-api').sources[1]).toEqual({ repoURL: production.delivery.configRepoUrl, targetRevision: production.delivery.branch, ref: 'values' });
    const stagingApps = new Map(find(docsOf('staging'), 'Application').map((a) => [a.metadata.name, a.spec]));
    expect(stagingApps.get('apps-api').sources[0].path).toBe('out/charts/api');
    const project = find(docsOf('production'), 'AppProject', 'innovate-applications')[0]!;
    expect(project.spec.sourceRepos).toEqual([production.delivery.configRepoUrl]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
  });
  it('kustomization lists the files in apply order; CRD-backed objects come after the charts that define them', () => {
    const files = byPath(artifacts);
    const k = documents(files.get('kubernetes/staging/kustomization.yaml')!.content)[0]!;
    const listed = artifacts.filter((a) => /^kubernetes\/staging\/\d\d-/.test(a.path)).map((a) => a.path.split('/').pop());
    expect(k.resources).toEqual(listed);
    expect(k.resources[0]).toBe('00-namespaces.yaml');
    const wave = (d: Doc) => Number(d.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
    const root = environmentDocuments(artifacts, 'staging').filter((d) => d.path.startsWith('kubernetes/')).map((d) => d.doc);
    const charts = Math.max(...find(root, 'Application').filter((a) => a.spec.sources?.[0]?.chart).map(wave));
    for (const d of root.filter((x) => !['v1', 'apps/v1', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'storage.k8s.io/v1', 'argoproj.io/v1alpha1'].includes(x.apiVersion))) {
      expect(wave(d), `${d.kind}/${d.metadata.name}`).toBeGreaterThan(charts);
      expect(d.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true');
    }
  });
  it('is deterministic and reads only the models', () => {
    const again = [...kubernetesEmitter.emit(models), ...helmEmitter.emit(models), ...workloadChartsEmitter.emit(models)];
    const first = artifacts.filter((a) => a.kind === 'kubernetes' || a.kind === 'helm-values' || a.kind === 'helm-chart');
    expect(again.map((a) => [a.path, a.content]).sort()).toEqual(first.map((a) => [a.path, a.content]).sort());
  });
  it('dashboards and ServiceMonitors: sidecar label, p50/p95/p99, only for workloads with metrics', () => {
    const docs = docsOf('staging');
    const maps = find(docs, 'ConfigMap');
    expect(maps.map((m) => [m.metadata.name, m.metadata.labels.grafana_dashboard])).toEqual([
      ['dashboard-operations', '1'],
      ['dashboard-application', '1'],
    ]);
    const app = JSON.parse(maps[1]!.data['application.json']);
    expect(JSON.stringify(app)).toMatch(/histogram_quantile\(0\.99/);
    expect(find(docs, 'ServiceMonitor').map((s) => s.metadata.name)).toEqual(['api']);
  });
  it('Gatekeeper enforces the spec\'s policies in the application namespaces, images only from the ECR registry', () => {
    const docs = docsOf('production');
    expect(find(docs, 'ConstraintTemplate').map((t) => t.spec.crd.spec.names.kind)).toEqual([
      'K8sAllowedRegistries',
      'K8sDisallowedTags',
      'K8sRequireNonRoot',
      'K8sReadOnlyRootFilesystem',
      'K8sRequiredResources',
    ]);
    const registries = find(docs, 'K8sAllowedRegistries')[0]!;
    expect(registries.spec.parameters).toEqual({ registries: ['200000000002.dkr.ecr.us-east-1.amazonaws.com/'] });
    expect(registries.spec.match.namespaces).toEqual(['apps']);
    expect(find(docs, 'K8sDisallowedTags')[0]!.spec.parameters).toEqual({ tags: ['latest'] });
  });
  it('staging has what production has, with its own names', () => {
    expect(staging.names.cluster).toBe('innovate-staging');
    expect(JSON.stringify(docsOf('staging'))).not.toContain('innovate-production');
  });
});
