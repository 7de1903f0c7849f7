/**
 * The liveness rules catch each defect the example shipped with before issue 14, reproduced by
 * editing the example's artifacts back to what the emitters wrote then, and pass on today's
 * output. Each test names the defect.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Artifact } from '../../src/emitters/artifact.js';
import { runPolicies } from '../../src/validators/policies/index.js';
import { LIVENESS_RULES } from '../../src/validators/liveness/index.js';
import { EXAMPLE } from '../helpers.js';
import { editArtifact, emit } from '../platform/support.js';

const built = emit(EXAMPLE);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const findings = (artifacts: readonly Artifact[]) => runPolicies(artifacts, built.models, { today: '2026-01-01', rules: LIVENESS_RULES }).findings;
const lines = (artifacts: readonly Artifact[]) => findings(artifacts).map((f) => `${f.rule} [${f.environment}] ${f.message}`);

describe('liveness rules on the example', () => {
  it('pass on what the emitters write today', () => {
    expect(lines(built.artifacts)).toEqual([]);
  });

  it('are judged from text as well as from the emitters\' data (a compile() result carries text only)', () => {
    const text = built.artifacts.map(({ data: _d, ...a }) => ({ ...a, content: a.content }));
    expect(lines(text)).toEqual([]);
    const broken = editArtifact(built.artifacts, 'kubernetes/production/04-karpenter.yaml', (docs: Json[]) => {
      for (const d of docs) if (d.kind === 'EC2NodeClass') d.spec.securityGroupSelectorTerms = [{ tags: { 'karpenter.sh/discovery': 'innovate-production' } }];
    }).map(({ data, ...a }) => ({ ...a, content: a.path.endsWith('04-karpenter.yaml') ? (data as Json[]).map((d) => stringify(d)).join('---\n') : built.artifacts.find((b) => b.path === a.path)!.content }));
    expect(lines(broken).some((l) => l.startsWith('INV101'))).toBe(true);
  });
});

describe('defect 1: Karpenter nodes cannot join (the EC2NodeClass selected only the App security group)', () => {
  const broken = editArtifact(built.artifacts, 'kubernetes/production/04-karpenter.yaml', (docs: Json[]) => {
    for (const d of docs) if (d.kind === 'EC2NodeClass') d.spec.securityGroupSelectorTerms = [{ tags: { 'karpenter.sh/discovery': 'innovate-production' } }];
  });
  const found = findings(broken).filter((f) => f.rule === 'INV101');

  it('nodes → API server 443 is blocked at the cluster security group, for every Karpenter node kind', () => {
    const api = found.filter((f) => f.message.startsWith('nodes → API server'));
    expect(api).toHaveLength(1);
    expect(api[0]!.message).toMatch(/no ingress rule of the control plane's security groups admits tcp 443 from node kind karpenter:/);
    expect(api[0]!.message).toMatch(/and 3 more flows/);
    expect(api[0]!.environment).toBe('production');
  });

  it('so are kubelet 10250, the webhooks and DNS to CoreDNS on the system nodes', () => {
    const kinds = new Set(found.map((f) => f.message.split(':')[0]));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['control plane → kubelet', 'control plane → webhook and aggregated API pods', 'every node → CoreDNS']));
  });

  it('staging, untouched, stays clean', () => {
    expect(found.filter((f) => f.environment === 'staging')).toEqual([]);
  });
});

describe('reachability through every layer', () => {
  it('a NACL that drops the reply (no ephemeral ports into private subnets from the internet) stops image pulls through the NAT gateway', () => {
    const broken = editArtifact(built.artifacts, 'cloudformation/production/network.json', (t: Json) => {
      delete t.Resources.PrivateAclIngress110;
      // Take the ECR endpoints away too, so pulls must go out through NAT.
      delete t.Resources.EcrApiEndpoint;
    });
    const f = findings(broken).filter((x) => x.rule === 'INV101');
    expect(f.map((x) => x.message).join('\n')).toMatch(/no NACL rule allows tcp 1024-65535 into private subnet .* from 0\.0\.0\.0\/0/);
  });

  it('deleting the allow-dns NetworkPolicy blocks DNS for the workloads of the default-deny namespace', () => {
    const broken = editArtifact(built.artifacts, 'kubernetes/production/01-network-policies.yaml', (docs: Json[]) => docs.splice(docs.findIndex((d) => d.metadata.name === 'allow-dns'), 1));
    const msg = findings(broken).filter((x) => x.rule === 'INV101').map((x) => x.message).join('\n');
    expect(msg).toMatch(/every node → CoreDNS: .* the NetworkPolicies of namespace apps .* let no udp 53 from (workload|job:apps\/)api.* to CoreDNS/);
  });

  it('a route table without the NAT route leaves rotation functions unable to reach Secrets Manager', () => {
    const broken = editArtifact(built.artifacts, 'cloudformation/production/network.json', (t: Json) => {
      for (const id of Object.keys(t.Resources)) if (/^PrivateDefaultRoute/.test(id)) delete t.Resources[id];
    });
    const msg = findings(broken).filter((x) => x.rule === 'INV101').map((x) => x.message).join('\n');
    expect(msg).toMatch(/rotation functions → Secrets Manager: .* no interface endpoint for secretsmanager and no route to it/);
  });
});

describe('defect 2: the system node group is overcommitted', () => {
  it('fires when the load-balancer controller and metrics-server are pinned to the system group as they were', () => {
    const toSystem = (v: Json) => {
      v.nodeSelector = { 'innovate.dev/role': 'system', 'kubernetes.io/os': 'linux' };
      v.tolerations = [{ key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoSchedule' }];
      v.affinity = undefined;
      v.replicaCount = 2;
      v.resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } };
    };
    let broken = editArtifact(built.artifacts, 'helm/production/aws-load-balancer-controller.values.yaml', toSystem);
    broken = editArtifact(broken, 'helm/production/metrics-server.values.yaml', toSystem);
    const f = findings(broken).filter((x) => x.rule === 'INV103');
    expect(f.length).toBeGreaterThan(0);
    expect(f[0]!.message).toMatch(/managed:system \(2 × t3\.small, 11 pods, .* allocatable each\) is overcommitted: .*memory/);
    expect(f[0]!.specPath).toEqual(['cluster', 'systemNodeGroup']);
  });

  it('a pod no Karpenter instance type can hold is INV104; a pod nothing can hold is INV102', () => {
    let broken = editArtifact(built.artifacts, 'helm/production/workloads/api.values.yaml', (v: Json) => {
      v.resources.requests.memory = '4000Gi';
    });
    expect(findings(broken).filter((x) => x.rule === 'INV104').map((x) => x.message).join('\n')).toMatch(/workload:api .* fits on no instance type/);
    broken = editArtifact(built.artifacts, 'helm/production/workloads/api.values.yaml', (v: Json) => {
      v.nodeSelector = { ...v.nodeSelector, 'innovate.dev/pool': 'no-such-pool' };
    });
    const f = findings(broken).filter((x) => x.rule === 'INV102');
    expect(f.map((x) => x.message).join('\n')).toMatch(/workload:api \(apps\) can run on no node kind: .*no innovate\.dev\/pool=no-such-pool/);
    expect(f[0]!.specPath).toEqual(['workloads', 'api']);
  });
});

describe('defect 3: production ran 100 % on Spot', () => {
  it('fires when api is pinned to the Spot pool, as `pool: spot-x86` did', () => {
    const broken = editArtifact(built.artifacts, 'helm/production/workloads/api.values.yaml', (v: Json) => {
      v.nodeSelector = { 'innovate.dev/pool': 'spot-x86', 'kubernetes.io/os': 'linux' };
      v.affinity = undefined;
    });
    const f = findings(broken);
    expect(f.filter((x) => x.rule === 'INV105').map((x) => x.message)).toEqual(['workload:api can run only on Spot capacity in production (karpenter:spot-x86)']);
  });

  it('a production workload held only by the On-Demand baseline cannot burst to Spot (INV106, a warning)', () => {
    const broken = editArtifact(built.artifacts, 'helm/production/workloads/api.values.yaml', (v: Json) => {
      v.nodeSelector = { 'innovate.dev/pool': 'on-demand-baseline', 'kubernetes.io/os': 'linux' };
      v.affinity = undefined;
    });
    const f = findings(broken).filter((x) => x.rule === 'INV106');
    expect(f.map((x) => x.message)).toEqual(['workload:api cannot burst to Spot in production: it may run only on karpenter:on-demand-baseline']);
  });
});
