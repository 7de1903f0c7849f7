/**
 * INV113 (issue 15 §5): what the first sync needs exists. Each of the example's first-deploy
 * defects is reproduced by editing today's artifacts back to what the emitters wrote before, and
 * the fixed output passes.
 */
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/emitters/artifact.js';
import { ciEmitter } from '../../src/emitters/ci/index.js';
import { LIVENESS_RULES } from '../../src/validators/liveness/index.js';
import { runPolicies } from '../../src/validators/policies/index.js';
import { parseSpec, validateSpec } from '../../src/pipeline.js';
import { EXAMPLE } from '../helpers.js';
import { editArtifact, emit, platformOf, type Built } from '../platform/support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The deployable artifacts and the workflows (what CI builds), as the pipeline hands them to the platform. */
function build(text: string): Built {
  const b = emit(text);
  return { models: b.models, artifacts: [...b.artifacts, ...ciEmitter.emit(b.models)] };
}
const built = build(EXAMPLE);
const inv113 = (b: Built, artifacts: readonly Artifact[] = b.artifacts) =>
  runPolicies(artifacts, b.models, { today: '2026-01-01', rules: LIVENESS_RULES }).findings.filter((f) => f.rule === 'INV113');
const lines = (b: Built, artifacts?: readonly Artifact[]) => inv113(b, artifacts).map((f) => `[${f.environment}] ${f.message}`);
const withSpec = (edit: (d: Json) => void): string => {
  const d = parse(EXAMPLE) as Json;
  edit(d);
  return stringify(d);
};

describe('the example deploys from an empty account', () => {
  it('passes INV113 in every environment', () => {
    expect(lines(built)).toEqual([]);
  });

  it('no workload names a tag: every workload pod is in the model, awaiting its first image, and still placed', () => {
    for (const env of ['production', 'staging']) {
      const pods = platformOf(built, env).pods.filter((p) => p.origin === 'workload' || p.origin === 'job');
      expect(pods.map((p) => p.id).sort()).toEqual(['job:apps/api-migration', 'workload:api', 'workload:web']);
      for (const p of pods) {
        expect(p.awaitingImage, p.id).toBe(true);
        expect(p.placement.length, p.id).toBeGreaterThan(0);
      }
    }
    for (const m of built.models) for (const w of m.workloads) expect(w.image).toMatchObject({ tagSource: 'ci' }), expect(w.image.tag).toBeUndefined();
  });

  it('the database user the api logs in as is created by the bootstrap custom resource of the data stack', () => {
    const [user] = platformOf(built, 'production').databaseUsers;
    expect(user).toMatchObject({ secret: 'app-db-user', username: 'app_db_user', createdBy: { artifact: 'cloudformation/production/data.json', resource: 'AppDbUserSecret' }, pods: ['job:apps/api-migration', 'workload:api'] });
    expect(user!.bootstraps.map((b) => b.resource)).toEqual([expect.stringMatching(/^DatabaseUsersBootstrap[0-9A-F]{8}$/)]);
  });
});

describe("today's defects, reproduced", () => {
  it('the default tag 0.1.0 in the values (a tag no registry holds) fires for every workload pod', () => {
    let broken: Artifact[] = [...built.artifacts];
    for (const env of ['production', 'staging']) for (const w of ['api', 'web']) broken = editArtifact(broken, `helm/${env}/workloads/${w}.values.yaml`, (v: Json) => (v.image.tag = '0.1.0'));
    const found = lines(built, broken);
    // One finding per workload and environment (its migration Job pulls the same image).
    expect(found.filter((l) => /pulls innovate\/(api|web):0\.1\.0, a tag CI never produces/.test(l))).toHaveLength(4);
    expect(found.some((l) => l.startsWith('[production] workload:api pulls innovate/api:0.1.0'))).toBe(true);
  });

  it('without the database bootstrap custom resource, the api and its migration log in as a user nothing creates', () => {
    const broken = editArtifact(built.artifacts, 'cloudformation/production/data.json', (t: Json) => {
      for (const id of Object.keys(t.Resources)) if (t.Resources[id].Type === 'AWS::CloudFormation::CustomResource') delete t.Resources[id];
    });
    const found = inv113(built, broken);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ environment: 'production', artifact: 'cloudformation/production/data.json', target: 'AppDbUserSecret', specPath: ['security', 'secrets', 'app-db-user'] });
    expect(found[0]!.message).toMatch(/job:apps\/api-migration, workload:api log in as database user app_db_user .* which nothing creates/);
  });

  it('a bootstrap whose user list lacks the secret fires too', () => {
    const broken = editArtifact(built.artifacts, 'cloudformation/staging/data.json', (t: Json) => {
      t.Resources.DatabaseBootstrapFunction.Properties.Environment.Variables.USER_SECRET_ARNS = '';
    });
    expect(lines(built, broken)).toEqual([expect.stringMatching(/^\[staging\] .* which nothing creates/)]);
  });

  it('an image built for arm64 only (staging\'s Graviton pool) while production runs web on amd64 nodes', () => {
    const path = 'github/workflows/build-and-promote.yml';
    const workflow = parse(built.artifacts.find((a) => a.path === path)!.content) as Json;
    expect(workflow.jobs.build.strategy.matrix.include.find((e: Json) => e.workload === 'web').platforms).toBe('linux/amd64,linux/arm64');
    for (const e of workflow.jobs.build.strategy.matrix.include) if (e.workload === 'web') e.platforms = 'linux/arm64';
    const broken = built.artifacts.map((a) => (a.path === path ? { path, kind: a.kind, content: stringify(workflow) } : a));
    expect(lines(built, broken)).toEqual([expect.stringMatching(/^\[production\] workload:web may run on amd64 nodes, but CI builds innovate\/web for linux\/arm64 only/)]);
  });

  it('a migration hook on another image than its workload', () => {
    const [api] = [built.models[0]!.workloads.find((w) => w.name === 'api')!];
    const image = (tag: string) => `${api.image.registry}/${api.image.repository}:${tag}`;
    const pod = (tag: string) => ({ template: { metadata: { labels: { 'app.kubernetes.io/name': 'api' } }, spec: { serviceAccountName: 'api', containers: [{ name: 'c', image: image(tag), resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } } });
    const broken = editArtifact(built.artifacts, 'kubernetes/production/00-namespaces.yaml', (docs: Json[]) => {
      docs.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'apps', labels: { 'app.kubernetes.io/name': 'api' } }, spec: { replicas: 2, ...pod('sha-0123456789ab') } });
      docs.push({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'api-migrate', namespace: 'apps', labels: { 'app.kubernetes.io/name': 'api' } }, spec: pod('sha-ba9876543210') });
    });
    expect(lines(built, broken)).toEqual([expect.stringMatching(/^\[production\] job:apps\/api-migrate runs .*:sha-ba9876543210, the workload workload:api .*:sha-0123456789ab: the migration must run the image/)]);
  });
});

describe('tags the registry expires or rewrites', () => {
  /** The repositories' lifecycle rule 2 selecting other tag prefixes, in one environment's registry.json. */
  const expiring = (b: Built, env: string, prefixes: string[]) =>
    editArtifact(b.artifacts, `cloudformation/${env}/registry.json`, (t: Json) => {
      for (const r of Object.values(t.Resources) as Json[]) {
        if (r.Type !== 'AWS::ECR::Repository') continue;
        const policy = JSON.parse(r.Properties.LifecyclePolicy.LifecyclePolicyText);
        policy.rules[1].selection.tagPrefixList = prefixes;
        r.Properties.LifecyclePolicy.LifecyclePolicyText = JSON.stringify(policy);
      }
    });

  it('an explicit tag a lifecycle rule expires', () => {
    const b = build(withSpec((d) => (d.workloads.web.tag = '1.4.2')));
    expect(b.models[0]!.workloads.find((w) => w.name === 'web')!.image).toMatchObject({ tag: '1.4.2', tagSource: 'spec' });
    const found = lines(b, expiring(b, 'staging', ['1.']));
    expect(found).toEqual([expect.stringMatching(/^\[staging\] workload:web pulls innovate\/web:1\.4\.2, which the lifecycle rule "Expire dev- images after 14 days" expires.*explicit tag/)]);
  });

  it('a lifecycle prefix that CI\'s sha- tags start with expires every image CI will promote', () => {
    const found = lines(built, expiring(built, 'production', ['sha']));
    expect(found.filter((l) => /^\[production\] workload:(api|web) waits for CI's first image \(sha-<commit>\), which innovate\/(api|web)'s lifecycle rule/.test(l))).toHaveLength(2);
  });

  it('a promoted CI tag or an explicit tag outside the lifecycle policy passes (the explicit one is plan\'s to verify)', () => {
    const b = build(withSpec((d) => {
      d.workloads.web.tag = '1.4.2';
      d.environments.staging.overrides = { ...d.environments.staging.overrides, workloads: { ...(d.environments.staging.overrides?.workloads ?? {}), api: { tag: 'sha-0123456789ab' } } };
    }));
    const staging = b.models.find((m) => m.environment.name === 'staging')!;
    expect(staging.workloads.find((w) => w.name === 'api')!.image).toMatchObject({ tag: 'sha-0123456789ab', tagSource: 'ci' });
    expect(lines(b)).toEqual([]);
  });

  it('cosign\'s signature tags (mutable by IMMUTABLE_WITH_EXCLUSION) are not images', () => {
    const b = build(withSpec((d) => (d.workloads.web.tag = `sha256-${'a'.repeat(64)}.sig`)));
    expect(lines(b)[0]).toMatch(/a tag innovate\/web keeps mutable \(sha256-\*\.sig/);
  });
});

describe('the spec-level checks (INN078, INN079)', () => {
  const codes = (text: string) => validateSpec(parseSpec(text)).diagnostics.filter((d) => ['INN078', 'INN079'].includes(d.code)).map((d) => `${d.code} ${d.severity} ${d.path.join('.')}`);
  it('the example names no tag and keeps dev- apart from sha-', () => expect(codes(EXAMPLE)).toEqual([]));
  it('an explicit tag is an external input (warning), a dev- tag or a dev prefix matching sha- expires (error), a promoted sha- tag is CI\'s', () => {
    expect(codes(withSpec((d) => (d.workloads.web.tag = '1.4.2')))).toEqual(['INN079 warning workloads.web.tag']);
    expect(codes(withSpec((d) => (d.workloads.web.tag = 'dev-42')))).toContain('INN078 error workloads.web.tag');
    expect(codes(withSpec((d) => (d.registry.lifecycle.devTagPrefix = 'sha-')))).toContain('INN078 error registry.lifecycle.devTagPrefix');
    expect(codes(withSpec((d) => (d.workloads.web.tag = 'sha-0123456789ab')))).toEqual([]);
  });
});
