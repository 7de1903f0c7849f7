/**
 * Names and zones (issue 15 §7): INV114 (every ingress host gets its DNS record) and INV115
 * (certificates validate in a zone of their own account and cover the host), and the spec-level
 * INN075 (two accounts, one zone). Each of the example's defects before the fix is reproduced by
 * editing today's artifacts back to what the emitters wrote then — no external-dns, both
 * certificates validating in production's zone — and each rule is shown to fire; today's output
 * passes.
 */
import { describe, expect, it } from 'vitest';
import { formatPath } from '../../src/diagnostics/diagnostic.js';
import type { Artifact } from '../../src/emitters/artifact.js';
import { CONTROLLER_NARROWINGS } from '../../src/emitters/cloudformation/policies.js';
import { UPSTREAM_POLICIES } from '../../src/inventory/policies.js';
import { parseSpec, validateSpec } from '../../src/pipeline.js';
import { compareToUpstream } from '../../src/platform/permissions.js';
import { certificateZones, covers, dnsRecordsWritten } from '../../src/validators/liveness/dns.js';
import { LIVENESS_RULES } from '../../src/validators/liveness/index.js';
import { runPolicies } from '../../src/validators/policies/index.js';
import { EXAMPLE, exampleVariant } from '../helpers.js';
import { editArtifact, emit, platformOf } from '../platform/support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const built = emit(EXAMPLE);
const PRODUCTION_ZONE = 'Z0123456789ABCDEFGHIJ';
const STAGING_ZONE = 'Z0987654321KLMNOPQRST';

const run = (artifacts: readonly Artifact[]) => runPolicies(artifacts, built.models, { today: '2026-01-01', rules: [dnsRecordsWritten, certificateZones] }).findings;
const lines = (artifacts: readonly Artifact[]) => run(artifacts).map((f) => `${f.rule} [${f.environment}] ${f.message}`);

/** The artifacts as the emitters wrote them before external-dns: no values file, no role, no NetworkPolicies of its namespace. */
function withoutExternalDns(artifacts: readonly Artifact[]): Artifact[] {
  let out = artifacts.filter((a) => !a.path.endsWith('/external-dns.values.yaml'));
  for (const env of ['production', 'staging']) {
    out = editArtifact(out, `cloudformation/${env}/cluster.json`, (t: Json) => {
      for (const id of ['ExternalDnsRole', 'ExternalDnsRolePolicy', 'ExternalDnsPodIdentity']) delete t.Resources[id];
    });
  }
  return out;
}

/** Staging's certificate validating in production's zone, as the example had it. */
const sharedZone = (artifacts: readonly Artifact[]) =>
  editArtifact(artifacts, 'cloudformation/staging/network.json', (t: Json) => {
    t.Resources.Certificate.Properties.DomainValidationOptions[0].HostedZoneId = PRODUCTION_ZONE;
  });

describe('names and zones on the example', () => {
  it('pass on what the emitters write today (and the other liveness rules stay quiet about DNS)', () => {
    expect(lines(built.artifacts)).toEqual([]);
    const all = runPolicies(built.artifacts, built.models, { today: '2026-01-01', rules: LIVENESS_RULES }).findings;
    expect(all.filter((f) => f.rule === 'INV114' || f.rule === 'INV115')).toEqual([]);
  });

  it('each environment has its own zone, certificate and external-dns writing its host', () => {
    const net = (env: string) => built.artifacts.find((a) => a.path === `cloudformation/${env}/network.json`)!.data as Json;
    expect(net('production').Resources.Certificate.Properties.DomainValidationOptions).toEqual([{ DomainName: 'app.innovate.example', HostedZoneId: PRODUCTION_ZONE }]);
    expect(net('staging').Resources.Certificate.Properties.DomainValidationOptions).toEqual([{ DomainName: 'staging.innovate.example', HostedZoneId: STAGING_ZONE }]);
    for (const [env, host, zone] of [['production', 'app.innovate.example', PRODUCTION_ZONE], ['staging', 'staging.innovate.example', STAGING_ZONE]] as const) {
      const values = built.artifacts.find((a) => a.path === `helm/${env}/external-dns.values.yaml`)!.data as Json;
      expect(values).toMatchObject({ sources: ['ingress'], domainFilters: [host], txtOwnerId: `innovate-${env}`, policy: 'sync', provider: { name: 'aws' } });
      expect(values.extraArgs).toEqual({ 'aws-zone-type': 'public', 'aws-zone-match-parent': true, 'zone-id-filter': [zone] });
      const policy = (built.artifacts.find((a) => a.path === `cloudformation/${env}/cluster.json`)!.data as Json).Resources.ExternalDnsRolePolicy.Properties.PolicyDocument;
      expect(policy.Statement.map((s: Json) => s.Resource)).toEqual([`arn:aws:route53:::hostedzone/${zone}`, '*']);
    }
  });

  it('the external-dns pod is in the platform model, on the platform pool (not the system group), with the requests of its values', () => {
    const p = platformOf(built, 'production').pods.find((x) => x.id === 'chart:external-dns/external-dns')!;
    expect(p).toMatchObject({ namespace: 'external-dns', replicas: 1, requests: { cpuMilli: 100, memoryMiB: 128 }, origins: { requests: 'values' } });
    expect(p.placement).toEqual(['karpenter:platform']);
    expect(p.identity?.via).toBe('pod-identity');
  });
});

describe('defect: nothing writes the hosts\' records (no external-dns)', () => {
  const found = run(withoutExternalDns(built.artifacts)).filter((f) => f.rule === 'INV114');

  it('INV114 fires for each environment\'s host', () => {
    expect(found.map((f) => f.environment).sort()).toEqual(['production', 'staging']);
    expect(found.find((f) => f.environment === 'staging')!.message).toMatch(/^staging\.innovate\.example \(Ingress\/apps\/innovate-apps\) gets no DNS record in hosted zone Z0987654321KLMNOPQRST: no external-dns runs/);
    expect(found[0]!.specPath).toEqual(['ingress', 'host']);
  });

  it('a role that may change another zone only, a domain filter that misses the host, or Services only as source: each fires', () => {
    const otherZone = editArtifact(built.artifacts, 'cloudformation/production/cluster.json', (t: Json) => {
      t.Resources.ExternalDnsRolePolicy.Properties.PolicyDocument.Statement[0].Resource = 'arn:aws:route53:::hostedzone/ZOTHERZONE1234';
    });
    expect(lines(otherZone)).toEqual([
      expect.stringMatching(/^INV114 \[production\] app\.innovate\.example .* may not route53:ChangeResourceRecordSets on arn:aws:route53:::hostedzone\/Z0123456789ABCDEFGHIJ \(implicit-deny\)/),
    ]);
    const filter = editArtifact(built.artifacts, 'helm/staging/external-dns.values.yaml', (v: Json) => {
      v.domainFilters = ['innovate.test'];
    });
    expect(lines(filter)).toEqual([expect.stringMatching(/^INV114 \[staging\] .*its domain filter \(innovate\.test\) does not cover staging\.innovate\.example/)]);
    const services = editArtifact(built.artifacts, 'helm/staging/external-dns.values.yaml', (v: Json) => {
      v.sources = ['service'];
    });
    expect(lines(services)).toEqual([expect.stringMatching(/^INV114 \[staging\] .*it watches service, not Ingresses/)]);
    const zoneFilter = editArtifact(built.artifacts, 'helm/staging/external-dns.values.yaml', (v: Json) => {
      v.extraArgs['zone-id-filter'] = [PRODUCTION_ZONE];
    });
    expect(lines(zoneFilter)).toEqual([expect.stringMatching(/^INV114 \[staging\] .*its zone filter \(Z0123456789ABCDEFGHIJ\) leaves out the environment's zone Z0987654321KLMNOPQRST/)]);
  });

  it('an explicit Deny on the zone beats the Allow', () => {
    const denied = editArtifact(built.artifacts, 'cloudformation/staging/cluster.json', (t: Json) => {
      t.Resources.ExternalDnsRolePolicy.Properties.PolicyDocument.Statement.push({ Effect: 'Deny', Action: 'route53:Change*', Resource: '*' });
    });
    expect(lines(denied)).toEqual([expect.stringMatching(/^INV114 \[staging\] .*\(explicit-deny\)/)]);
  });
});

describe('defect: both certificates validate in one zone of two accounts', () => {
  it('INV115 fires on both certificates, naming the other account', () => {
    const found = run(sharedZone(built.artifacts)).filter((f) => f.rule === 'INV115');
    expect(found.map((f) => [f.environment, f.artifact, f.target])).toEqual([
      ['production', 'cloudformation/production/network.json', 'Certificate'],
      ['staging', 'cloudformation/staging/network.json', 'Certificate'],
    ]);
    expect(found[1]!.message).toMatch(/^certificate staging\.innovate\.example validates in hosted zone Z0123456789ABCDEFGHIJ, which production \(account 200000000002\) also uses/);
    expect(found[1]!.specPath).toEqual(['ingress', 'hostedZoneId']);
  });

  it('the example before the fix (no external-dns, one zone): both rules fire in both environments', () => {
    const before = sharedZone(withoutExternalDns(built.artifacts));
    expect([...new Set(run(before).map((f) => `${f.rule} ${f.environment}`))].sort()).toEqual(['INV114 production', 'INV114 staging', 'INV115 production', 'INV115 staging']);
  });

  it('a certificate that does not cover the Ingress host fires', () => {
    const wrong = editArtifact(built.artifacts, 'cloudformation/production/network.json', (t: Json) => {
      t.Resources.Certificate.Properties.DomainName = 'www.innovate.example';
    });
    const msgs = lines(wrong);
    expect(msgs).toContainEqual(expect.stringMatching(/^INV115 \[production\] certificate www\.innovate\.example does not cover app\.innovate\.example/));
    expect(msgs).toContainEqual(expect.stringMatching(/^INV115 \[production\] certificate www\.innovate\.example is validated for app\.innovate\.example, a name it does not carry/));
  });

  it('the spec says so first: INN075 at the second environment\'s zone', () => {
    const shared = EXAMPLE.replace(STAGING_ZONE, PRODUCTION_ZONE);
    const d = validateSpec(parseSpec(shared)).diagnostics.filter((x) => x.code === 'INN075');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: 'error', environments: ['staging'] });
    expect(formatPath(d[0]!.path)).toBe('environments.staging.overrides.ingress.hostedZoneId');
    expect(shared.split('\n')[d[0]!.line - 1]).toContain(`hostedZoneId: ${PRODUCTION_ZONE}`);
  });
});

describe('INN075 over the override forms', () => {
  const codes = (text: string) => validateSpec(parseSpec(text)).diagnostics.filter((x) => x.code === 'INN075').map((x) => ({ path: formatPath(x.path), environments: x.environments }));
  const variant = (ingress: Record<string, unknown> | undefined, production: unknown, staging: unknown) =>
    exampleVariant((d) => {
      if (ingress) d.ingress = ingress;
      d.environments.production.overrides.ingress = production;
      d.environments.staging.overrides.ingress = staging;
    });

  it('both inherit the base zone: reported once, at the base', () => {
    expect(codes(variant({ host: 'app.innovate.example', hostedZoneId: PRODUCTION_ZONE }, undefined, undefined))).toEqual([{ path: 'ingress.hostedZoneId', environments: ['staging'] }]);
  });

  it('the first overrides, the second inherits the same zone from the base (and the reverse): reported once', () => {
    const base = { host: 'app.innovate.example', hostedZoneId: PRODUCTION_ZONE };
    expect(codes(variant(base, { hostedZoneId: PRODUCTION_ZONE }, undefined))).toEqual([{ path: 'ingress.hostedZoneId', environments: ['staging'] }]);
    expect(codes(variant(base, undefined, { host: 'staging.innovate.example', hostedZoneId: PRODUCTION_ZONE }))).toEqual([{ path: 'environments.staging.overrides.ingress.hostedZoneId', environments: ['production'] }]);
  });

  it('different zones, a removed zone or a removed ingress: nothing', () => {
    const base = { host: 'app.innovate.example', hostedZoneId: PRODUCTION_ZONE };
    expect(codes(variant(base, undefined, { hostedZoneId: STAGING_ZONE }))).toEqual([]);
    expect(codes(variant(base, undefined, { hostedZoneId: null }))).toEqual([]);
    expect(codes(variant(base, undefined, null))).toEqual([]);
    expect(codes(EXAMPLE)).toEqual([]);
  });
});

describe('covers', () => {
  it.each([
    ['app.example.com', 'app.example.com', 'filter', true],
    ['example.com', 'app.example.com', 'filter', true],
    ['xample.com', 'app.example.com', 'filter', false],
    ['*.example.com', 'app.example.com', 'certificate', true],
    ['*.example.com', 'a.b.example.com', 'certificate', false],
    ['example.com', 'app.example.com', 'certificate', false],
  ] as const)('%s covers %s as a %s: %s', (name, host, mode, expected) => {
    expect(covers(name, host, mode)).toBe(expected);
  });
});

describe('external-dns permissions vs upstream (v0.21.0 docs/tutorials/aws.md "IAM Policy")', () => {
  it.each(['production', 'staging'])('%s: everything upstream grants, on the environment\'s zone only (the listed narrowing)', (env) => {
    const platform = platformOf(built, env);
    const pod = platform.pods.find((p) => p.id === 'chart:external-dns/external-dns')!;
    const role = platform.principals.roles.find((r) => r.id === pod.identity!.role)!;
    const ours = role.permissions.flatMap((p) => p.statements);
    const upstream = UPSTREAM_POLICIES['external-dns'].documents;
    const r = compareToUpstream(ours, upstream, CONTROLLER_NARROWINGS['external-dns']);
    expect(r.gaps).toEqual([]);
    expect(r.unusedNarrowings).toEqual([]);
    expect(r.narrowed.map((n) => `${n.action} ${n.resource}`)).toEqual(['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'].map((a) => `${a} arn:aws:route53:::hostedzone/*`));
    // without the narrowing the zone-scoped grant is a gap: resources are compared, not action names alone
    expect(compareToUpstream(ours, upstream).gaps.map((g) => g.action)).toEqual(['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources']);
  });
});
