/**
 * Mutation test of the reachability rule (INV101): every security-group rule, NACL entry, route,
 * endpoint and NetworkPolicy that some flow of the example relied on is deleted from the emitted
 * artifacts, one at a time. Then either INV101 fires, or every flow still passes without it (the
 * fact had an alternative: a VPC endpoint's traffic can go through the NAT gateway instead). The
 * facts with alternatives are listed, so a new redundancy — or a rule that stopped firing — shows.
 */
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/emitters/artifact.js';
import { buildPlatform, Network, requiredFlows } from '../../src/platform/index.js';
import type { Source } from '../../src/platform/types.js';
import { runPolicies } from '../../src/validators/policies/index.js';
import { reachability } from '../../src/validators/liveness/reachability.js';
import { EXAMPLE } from '../helpers.js';
import { editArtifact, emit } from '../platform/support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const built = emit(EXAMPLE);
const key = (s: Source) => `${s.artifact}#${s.resource}`;

/** The facts the flows of an environment relied on. */
function usedFacts(artifacts: readonly Artifact[], env: string): Source[] {
  const model = built.models.find((m) => m.environment.name === env)!;
  const platform = buildPlatform(model, artifacts);
  const net = new Network(platform.network);
  const seen = new Map<string, Source>();
  for (const f of requiredFlows(platform, model)) {
    const v = f.check(net);
    expect(v.ok, `${f.description}: ${v.blocked?.message}`).toBe(true);
    for (const s of v.used) seen.set(key(s), s);
  }
  return [...seen.values()].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

/** The artifacts without one fact. An inline egress list left empty gets AWS's "no egress" sentinel, as the emitters write it. */
function without(artifacts: readonly Artifact[], s: Source): Artifact[] {
  if (s.resource.startsWith('NetworkPolicy/')) {
    const name = s.resource.split('/')[2];
    return editArtifact(artifacts, s.artifact, (docs: Json[]) => docs.splice(docs.findIndex((d) => d.kind === 'NetworkPolicy' && d.metadata.name === name), 1));
  }
  return editArtifact(artifacts, s.artifact, (t: Json) => {
    const inline = /^(\w+)\.(SecurityGroupIngress|SecurityGroupEgress)\[(\d+)\]$/.exec(s.resource);
    if (!inline) {
      expect(t.Resources[s.resource], s.resource).toBeDefined();
      delete t.Resources[s.resource];
      return;
    }
    const list = t.Resources[inline[1]!].Properties[inline[2]!] as Json[];
    list.splice(Number(inline[3]), 1);
    if (inline[2] === 'SecurityGroupEgress' && list.length === 0) list.push({ IpProtocol: 'icmp', FromPort: 252, ToPort: 86, CidrIp: '255.255.255.255/32', Description: 'no egress' });
  });
}

const fires = (artifacts: readonly Artifact[], env: string) =>
  runPolicies(artifacts, built.models, { rules: [reachability] }).findings.filter((f) => f.environment === env);

describe('deleting any fact a flow needs makes INV101 fire', () => {
  for (const env of ['production', 'staging']) {
    it(env, () => {
      const facts = usedFacts(built.artifacts, env);
      const needed: string[] = [];
      const alternatives: string[] = [];
      for (const s of facts) {
        const mutated = without(built.artifacts, s);
        if (fires(mutated, env).length > 0) needed.push(s.resource);
        else {
          // No finding: every flow passes, and none relies on the deleted fact any more.
          expect(usedFacts(mutated, env).map(key)).not.toContain(key(s));
          alternatives.push(s.resource);
        }
      }
      // The VPC endpoints have the NAT gateways as an alternative, and the public NACL's 443-from-anywhere
      // entry (for the load balancer) is also covered, for the NAT gateway's traffic, by its entry for the VPC.
      expect(alternatives).toEqual(['EcrApiEndpoint', 'EcrDkrEndpoint', 'LogsEndpoint', 'MonitoringEndpoint', 'PublicAclIngress100', 'S3Endpoint', 'StsEndpoint']);
      console.log(env, 'needed', needed.length, needed.join(', '));
      expect(needed.length).toBeGreaterThanOrEqual(15);
      // Every layer is exercised.
      expect(needed.some((r) => /SecurityGroup(Ingress|Egress)?\[|From|To/.test(r))).toBe(true);
      expect(needed.some((r) => /Acl(Ingress|Egress)\d+$/.test(r))).toBe(true);
      expect(needed.some((r) => /Route/.test(r))).toBe(true);
      expect(needed.some((r) => r.startsWith('NetworkPolicy/'))).toBe(true);
    });
  }
});
