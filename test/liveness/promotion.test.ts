/**
 * The way images travel (INV120-INV122): every environment receives its images by replication from
 * the build registry and a promotion job; the production promotion reads the production registry's
 * scan first; every push to the config repository uses the promoter App's token. Each defect the
 * rules exist for is re-created on today's output and caught.
 */
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/emitters/artifact.js';
import { ciEmitter } from '../../src/emitters/ci/index.js';
import { LIVENESS_RULES } from '../../src/validators/liveness/index.js';
import { runPolicies } from '../../src/validators/policies/index.js';
import { EXAMPLE, exampleVariant } from '../helpers.js';
import { specArbitrary } from '../invariants/arbitrary.js';
import { editArtifact, emit, type Built } from '../platform/support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const IDS = ['INV120', 'INV121', 'INV122'];
const findings = (b: Built, artifacts: readonly Artifact[]) =>
  runPolicies(artifacts, b.models, { today: '2026-01-01', rules: LIVENESS_RULES.filter((r) => IDS.includes(r.id)) }).findings.map((f) => `${f.rule} [${f.environment ?? '-'}] ${f.target}: ${f.message}`);
/** The deployable artifacts and the workflows, as parsed data (so a test can edit them). */
const withWorkflows = (b: Built): Artifact[] => [...b.artifacts, ...ciEmitter.emit(b.models).map((a) => ({ ...a, data: parse(a.content), content: '' }))];

const example = emit(EXAMPLE);
// dev builds, staging is promoted from dev, production from staging: three accounts.
const chain = emit(
  exampleVariant((d) => {
    d.registry.replication = { from: 'dev', to: ['staging', 'production'] };
    d.environments.dev = { accountId: '400000000004', region: 'us-west-2', overrides: { network: { natGateways: 'single' }, ingress: { host: 'dev.innovate.example', hostedZoneId: 'Z0400000000004DEVZONE' } } };
  }),
);

describe('INV120: every environment receives its images', () => {
  it('holds for the example (one hop) and a three-account chain', () => {
    expect(findings(example, withWorkflows(example))).toEqual([]);
    expect(findings(chain, withWorkflows(chain))).toEqual([]);
  });

  it('the chain: the build registry replicates to both other accounts, each consents to the build account only', () => {
    const dev = chain.artifacts.find((a) => a.path === 'cloudformation/dev/registry.json')!.data as Json;
    expect(dev.Resources.RegistryReplication.Properties.ReplicationConfiguration.Rules[0].Destinations).toEqual([
      { Region: 'us-east-1', RegistryId: '200000000002' },
      { Region: 'us-east-1', RegistryId: '300000000003' },
    ]);
    for (const env of ['staging', 'production']) {
      const t = chain.artifacts.find((a) => a.path === `cloudformation/${env}/registry.json`)!.data as Json;
      expect(t.Resources.RegistryReplication).toBeUndefined();
      const text = t.Resources.RegistryPolicy.Properties.PolicyText as string | Json;
      const policy = (typeof text === 'string' ? JSON.parse(text) : text) as Json;
      expect(policy.Statement.map((s: Json) => s.Principal.AWS)).toEqual(['arn:aws:iam::400000000004:root']);
    }
  });

  it('a target registry whose policy does not let the build account replicate', () => {
    const broken = editArtifact(withWorkflows(example), 'cloudformation/production/registry.json', (t: Json) => delete t.Resources.RegistryPolicy);
    expect(findings(example, broken)).toEqual([expect.stringMatching(/^INV120 \[production\] RegistryPolicy: production never receives an image: production's registry policy does not let account 300000000003 ecr:CreateRepository on arn:aws:ecr:us-east-1:200000000002:repository\/innovate\/api/)]);
  });

  it('a build registry that replicates to one environment of the chain only (the shape before chains)', () => {
    const broken = editArtifact(withWorkflows(chain), 'cloudformation/dev/registry.json', (t: Json) => t.Resources.RegistryReplication.Properties.ReplicationConfiguration.Rules[0].Destinations.pop());
    expect(findings(chain, broken)).toEqual(["INV120 [staging] RegistryReplication: staging never receives an image: no replication rule of cloudformation/dev/registry.json names staging's registry (300000000003, us-east-1)"]);
  });

  it('an environment no promotion job records tags for, and a chain through it', () => {
    const broken = editArtifact(withWorkflows(chain), 'github/workflows/promote-production.yml', (w: Json) => delete w.jobs['promote-staging']);
    expect(findings(chain, broken)).toEqual([
      'INV120 [production] promote-production: production never receives an image: no job of promote-production.yml records tags for staging',
      'INV120 [staging] promote-staging: staging never receives an image: no job of promote-production.yml records tags for staging',
    ]);
  });
});

describe('INV121: the production promotion reads the production scan first', () => {
  it('a production promotion without the CVE gate step', () => {
    const broken = editArtifact(withWorkflows(example), 'github/workflows/promote-production.yml', (w: Json) => {
      w.jobs['promote-production'].steps = w.jobs['promote-production'].steps.filter((s: Json) => !String(s.name).includes('CRITICAL'));
    });
    expect(findings(example, broken)).toEqual(["INV121 [production] promote-production: job promote-production promotes into production without reading the production registry's scan of the image first: a CRITICAL finding would reach production"]);
  });

  it('no gate is asked of a production registry that scans nothing (INN093 warns at the spec instead)', () => {
    const unscanned = emit(exampleVariant((d) => Object.assign(d.registry, { scanOnPush: false, enhancedScanning: false })));
    expect(findings(unscanned, withWorkflows(unscanned))).toEqual([]);
    const job = parse(ciEmitter.emit(unscanned.models).find((a) => a.path.endsWith('promote-production.yml'))!.content).jobs['promote-production'] as Json;
    expect(job.steps.some((s: Json) => String(s.name).includes('CRITICAL'))).toBe(false);
  });
});

describe('INV122: pushes use the promoter App token', () => {
  it('a checkout that keeps GITHUB_TOKEN to push, with contents: write', () => {
    const broken = editArtifact(withWorkflows(example), 'github/workflows/promote-production.yml', (w: Json) => {
      const job = w.jobs['promote-production'];
      job.permissions = { contents: 'write', 'id-token': 'write' };
      job.steps = job.steps.filter((s: Json) => s.id !== 'config-token');
      const checkout = job.steps.find((s: Json) => String(s.uses).startsWith('actions/checkout@'));
      delete checkout.with.token;
    });
    expect(findings(example, broken)).toEqual([
      'INV122 [-] promote-production: job promote-production gives GITHUB_TOKEN contents: write',
      "INV122 [-] promote-production: job promote-production keeps push credentials from a checkout that does not use the promoter App's token (GITHUB_TOKEN)",
    ]);
  });
});

describe('generated specs: both promotion shapes', () => {
  it('every environment has one way in, and INV120-INV122 hold (40 specs)', () => {
    const specs = fc.sample(specArbitrary, { numRuns: 40, seed: 16 });
    const shapes = new Set<string>();
    let checked = 0;
    for (const { spec, yaml } of specs) {
      const rep = (spec.registry as Json).replication as Json | undefined;
      shapes.add(rep === undefined ? 'default' : Array.isArray(rep.to) ? 'chain' : 'single');
      let b: Built;
      try {
        b = emit(yaml);
      } catch {
        continue; // a spec another rule refuses: not this test's concern
      }
      checked++;
      const p = b.models[0]!.delivery.promotion;
      // One build environment; every other environment is the target of exactly one hop.
      expect(b.models.map((m) => m.environment.name).filter((n) => n !== p.build.name).sort(), yaml).toEqual(p.hops.map((h) => h.to.name).sort());
      expect(findings(b, withWorkflows(b)), yaml).toEqual([]);
    }
    expect(checked).toBeGreaterThanOrEqual(30);
    expect([...shapes].sort()).toEqual(['chain', 'default', 'single']);
  });
});
