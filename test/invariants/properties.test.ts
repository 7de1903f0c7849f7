/**
 * The architecture's principles hold for every spec a user can write, not only the
 * example: properties over the spec arbitrary, each run RUNS times (200 in CI).
 * A failing property prints the (shrunk) spec as YAML.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import type { Artifact } from '../../src/emitters/artifact.js';
import { cloudformationEmitter } from '../../src/emitters/cloudformation/index.js';
import { EMITTERS } from '../../src/emitters/index.js';
import { compile, type CompileResult } from '../../src/pipeline.js';
import { runPolicies } from '../../src/validators/policies/index.js';
import { unresolved } from '../cloudformation/wiring.js';
import { PROPERTY_TIMEOUT_MS, RUNS, shuffleKeys, specArbitrary, type GeneratedSpec } from './arbitrary.js';

const TODAY = '2026-01-01';
const errors = (r: CompileResult) => r.diagnostics.filter((d) => d.severity === 'error');
const describeErrors = (r: CompileResult) => errors(r).map((d) => `${d.code} ${d.message}${d.artifact ? ` (${d.artifact}#${d.target})` : ''}`).join('\n');

/** Runs a check; on failure rethrows with the spec as YAML so the shrunk counterexample is readable. */
function withSpec(g: GeneratedSpec, check: () => void): void {
  try {
    check();
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- spec (YAML) ---\n${g.yaml}`);
  }
}

function wiringProblems(artifacts: readonly Artifact[]): string[] {
  const problems: string[] = [];
  const manifest = artifacts.find((a) => a.path === 'cloudformation/manifest.json');
  const stacks = (JSON.parse(manifest?.content ?? '{"stacks":[]}') as { stacks: { template: string; accountId: string; region: string; reads: string[]; publishes: string[] }[] }).stacks;
  for (const a of artifacts) if (a.kind === 'cloudformation' && a.path !== 'cloudformation/manifest.json') problems.push(...unresolved(JSON.parse(a.content)).map((p) => `${a.path}: ${p}`));
  stacks.forEach((s, i) => {
    const available = new Set(stacks.slice(0, i).filter((e) => e.accountId === s.accountId && e.region === s.region).flatMap((e) => e.publishes));
    for (const path of s.reads) if (!available.has(path)) problems.push(`${s.template} reads ${path} before it is published`);
  });
  return problems;
}

/** Names the Kubernetes side uses must exist on the AWS side of the same environment. */
function crossTargetProblems(r: CompileResult): string[] {
  const problems: string[] = [];
  for (const m of r.models) {
    const env = m.environment.name;
    const cfn = r.artifacts.filter((a) => a.kind === 'cloudformation' && a.environment === env).map((a) => a.content).join('\n');
    const k8s = r.artifacts.filter((a) => (a.kind === 'kubernetes' || a.kind === 'helm-values') && a.environment === env).map((a) => a.content).join('\n');
    const roles = new Set([...cfn.matchAll(/"RoleName": "([^"]+)"/g)].map((x) => x[1]));
    for (const [, arn] of k8s.matchAll(/arn:aws:iam::\d{12}:role\/([\w+=,.@-]+)/g)) if (!roles.has(arn)) problems.push(`${env}: Kubernetes names role ${arn}, which CloudFormation does not create`);
    if (!roles.has(m.names.karpenterNodeRole)) problems.push(`${env}: no Karpenter node role`);
    if (!k8s.includes(m.names.karpenterNodeRole)) problems.push(`${env}: EC2NodeClass does not use the node role`);
    if (!cfn.includes(`"QueueName": "${m.names.interruptionQueue}"`) && m.cluster.karpenter.interruptionHandling) problems.push(`${env}: no interruption queue`);
    if (!cfn.includes(`"Value": "${m.names.albSecurityGroup}"`)) problems.push(`${env}: no ALB security group Name tag`);
    if (!cfn.includes(`"Key": "${m.names.discoveryTag.key}"`)) problems.push(`${env}: no Karpenter discovery tag`);
  }
  return problems;
}

describe('every valid spec', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it(`compiles with no error, every invariant holds, every reference resolves (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(specArbitrary, (g) =>
        withSpec(g, () => {
          const r = compile(g.yaml, { policies: true, today: TODAY });
          expect(describeErrors(r)).toBe('');
          expect(r.models.length).toBeGreaterThan(0);
          expect(wiringProblems(r.artifacts)).toEqual([]);
          expect(crossTargetProblems(r)).toEqual([]);
        }),
      ),
      { numRuns: RUNS, seed: process.env.INNOVATE_DEEP ? undefined : 20261126 },
    );
  });

  it(`is deterministic, and reordering map keys changes no byte (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(specArbitrary, fc.integer(), (g, seed) =>
        withSpec(g, () => {
          let state = seed >>> 0;
          const rand = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
          const a = compile(g.yaml, { policies: false });
          const b = compile(stringify(shuffleKeys(g.spec, rand)), { policies: false });
          expect(b.artifacts.map((x) => x.path)).toEqual(a.artifacts.map((x) => x.path));
          for (let i = 0; i < a.artifacts.length; i++) expect(b.artifacts[i]!.content, a.artifacts[i]!.path).toBe(a.artifacts[i]!.content);
        }),
      ),
      { numRuns: RUNS, seed: process.env.INNOVATE_DEEP ? undefined : 1126 },
    );
  });
});

/** A forbidden request injected into a valid spec, and where the error must point. */
const FORBIDDEN: { name: string; code: string; inject: (doc: ReturnType<typeof parseDocument>, spec: Record<string, any>) => (string | number)[] }[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  { name: 'an unencrypted database', code: 'INN040', inject: (doc) => (doc.setIn(['database', 'storageEncrypted'], false), ['database', 'storageEncrypted']) },
  { name: 'a database without TLS', code: 'INN041', inject: (doc) => (doc.setIn(['database', 'forceSsl'], false), ['database', 'forceSsl']) },
  {
    name: 'a user-facing workload with 1 replica',
    code: 'INN031',
    inject: (doc) => {
      // w0 made a flask service whatever kind the arbitrary drew (a worker or cronjob is never user-facing: INN081).
      for (const key of ['kind', 'cronjob', 'build']) doc.deleteIn(['workloads', 'w0', key]);
      doc.setIn(['workloads', 'w0', 'type'], 'flask');
      doc.setIn(['workloads', 'w0', 'userFacing'], true);
      doc.setIn(['workloads', 'w0', 'replicas', 'min'], 1);
      return ['workloads', 'w0', 'replicas', 'min'];
    },
  },
  { name: 'an API endpoint open to the world', code: 'INN039', inject: (doc) => (doc.setIn(['cluster', 'endpoint'], doc.createNode({ publicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] })), ['cluster', 'endpoint', 'publicAccessCidrs', 0]) },
  { name: 'a subnet outside the VPC', code: 'INN020', inject: (doc, spec) => (doc.setIn(['network', 'subnets', 'private'], doc.createNode(spec.network.zones.map((_: string, i: number) => `192.0.${i}.0/24`))), ['network', 'subnets', 'private', 0]) },
  { name: 'flow logs switched off', code: 'INN061', inject: (doc) => (doc.setIn(['network', 'flowLogs', 'enabled'], false), ['network', 'flowLogs', 'enabled']) },
  { name: 'a mutable image tag', code: 'INN042', inject: (doc) => (doc.setIn(['workloads', 'w0', 'tag'], 'latest'), ['workloads', 'w0', 'tag']) },
];

describe('a spec that asks for something forbidden', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it.each(FORBIDDEN.map((f) => [f.name, f] as const))(`is rejected with the expected code at the injected line: %s (${RUNS} runs)`, (_name, f) => {
    fc.assert(
      fc.property(specArbitrary, (g) =>
        withSpec(g, () => {
          const doc = parseDocument(g.yaml);
          const path = f.inject(doc, g.spec);
          const text = doc.toString();
          const node = parseDocument(text).getIn(path, true) as { range?: [number, number] } | undefined;
          const offset = node?.range?.[0] ?? 0;
          const line = text.slice(0, offset).split('\n').length;
          const r = compile(text, { policies: false });
          const hit = r.diagnostics.find((d) => d.code === f.code);
          expect(hit, `${f.code} expected; got ${describeErrors(r)}`).toBeDefined();
          expect(hit!.line).toBe(line);
          expect(r.models).toEqual([]);
        }),
      ),
      { numRuns: RUNS, seed: 42 },
    );
  });
});

describe('the properties can fail', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('a mutated emitter that gives subnets public IPs is caught', () => {
    // A test-only mutant: the real CloudFormation emitter, then every subnet flipped to public IPs.
    const mutant = {
      name: 'cloudformation-mutant',
      emit: (models: Parameters<typeof cloudformationEmitter.emit>[0]) =>
        cloudformationEmitter.emit(models).map(({ data: _data, ...a }) => ({ ...a, content: a.content.replace(/"MapPublicIpOnLaunch": false/g, '"MapPublicIpOnLaunch": true') })),
    };
    const result = fc.check(
      fc.property(specArbitrary, (g) => {
        const r = compile(g.yaml, { emitters: [mutant, ...EMITTERS.filter((e) => e !== cloudformationEmitter)], policies: false });
        expect(runPolicies(r.artifacts, r.models).findings.filter((x) => x.rule === 'INV001')).toEqual([]);
      }),
      { numRuns: 20, seed: 7 },
    );
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance)).toContain('INV001');
  });
});
