/**
 * The generated GitHub Actions workflows: valid against GitHub's own workflow schema
 * (@actions/workflow-parser), hardened (pinned actions, least permissions, concurrency, no
 * expressions in scripts, OIDC only), and consistent with the CloudFormation side (the role
 * each job assumes exists and trusts that job's OIDC subject).
 */
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTIONS } from '../../src/emitters/ci/index.js';
import { githubSubjects } from '../../src/emitters/cloudformation/registry.js';
import { byKind, compileOk, VARIANTS } from './support.js';

type Doc = Record<string, any>;
const SHA = /^[^@\s]+@[0-9a-f]{40}$/;
const AWS_CREDENTIALS = `${ACTIONS.awsCredentials.uses}@${ACTIONS.awsCredentials.sha}`;

for (const [name, text] of Object.entries(VARIANTS)) {
  describe(`workflows of ${name}`, () => {
    const r = compileOk(text);
    const workflows = byKind(r, 'ci');
    const docs = workflows.map((w) => ({ path: w.path, text: w.content, doc: parse(w.content) as Doc }));
    const jobsOf = (d: Doc) => Object.entries(d.jobs as Record<string, Doc>);
    const steps = docs.flatMap((d) => jobsOf(d.doc).flatMap(([, j]) => (j.steps as Doc[]).map((s) => ({ path: d.path, job: j, step: s }))));

    it('emits the pull-request and build workflows, and promotion when there is a target', () => {
      const paths = workflows.map((w) => w.path);
      expect(paths).toContain('github/workflows/innovate-pr.yml');
      expect(paths).toContain('github/workflows/build-and-promote.yml');
      expect(paths.includes('github/workflows/promote-production.yml')).toBe(r.models.length > 1);
    });

    it("passes GitHub's workflow schema and expression checks", () => {
      for (const w of workflows) {
        const result = parseWorkflow({ name: w.path, content: w.content }, new NoOperationTraceWriter());
        expect(result.context.errors.getErrors().map((e) => e.message), w.path).toEqual([]);
      }
    });

    it('pins every action by a 40-hex commit SHA, with the version in a comment', () => {
      for (const { step } of steps.filter((s) => s.step.uses)) expect(step.uses).toMatch(SHA);
      for (const d of docs) {
        for (const line of d.text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l))) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
      }
    });

    it('grants nothing at the top and the least per job', () => {
      for (const d of docs) {
        expect(d.doc.permissions, d.path).toEqual({});
        for (const [id, job] of jobsOf(d.doc)) {
          expect(job.permissions, `${d.path} ${id}`).toBeDefined();
          const uses = (job.steps as Doc[]).map((s) => String(s.uses ?? ''));
          const oidc = uses.some((u) => u === AWS_CREDENTIALS);
          expect(job.permissions['id-token'] === 'write', `${d.path} ${id}: id-token only for OIDC`).toBe(oidc);
          for (const [scope, level] of Object.entries(job.permissions as Record<string, string>)) {
            if (level !== 'write') continue;
            const needed = { 'id-token': oidc, 'security-events': uses.some((u) => u.includes('upload-sarif')), contents: (job.steps as Doc[]).some((s) => String(s.run ?? '').includes('git push')) }[scope];
            expect(needed, `${d.path} ${id}: ${scope}: write`).toBe(true);
          }
        }
      }
    });

    it('has a concurrency group at the top and on every promotion job', () => {
      for (const d of docs) {
        expect(d.doc.concurrency?.group, d.path).toMatch(/\S/);
        for (const [id, job] of jobsOf(d.doc).filter(([id]) => id.startsWith('promote'))) {
          expect(job.concurrency?.group, id).toMatch(/^promote-/);
          expect(job.concurrency.group).not.toBe(d.doc.concurrency.group); // same group twice deadlocks
        }
      }
    });

    it('interpolates nothing into run scripts (values come through env)', () => {
      for (const { path, step } of steps.filter((s) => s.step.run)) expect(step.run, `${path}: ${step.name}`).not.toMatch(/\$\{\{/);
      for (const d of docs) expect(d.text).not.toMatch(/\$\{\{\s*github\.event\./);
    });

    it('uses no long-lived AWS keys and checks out without persisted credentials unless it pushes', () => {
      for (const d of docs) expect(d.text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
      for (const { job, step } of steps.filter((s) => String(s.step.uses).startsWith('actions/checkout@'))) {
        const pushes = (job.steps as Doc[]).some((s) => String(s.run ?? '').includes('git push'));
        expect(step.with['persist-credentials']).toBe(pushes);
      }
    });

    it('assumes only the CI role of the job environment, whose trust policy accepts the job', () => {
      for (const d of docs) {
        for (const [id, job] of jobsOf(d.doc)) {
          for (const s of (job.steps as Doc[]).filter((x) => x.uses === AWS_CREDENTIALS)) {
            const env = job.environment?.name as string;
            const model = r.models.find((m) => m.environment.name === env)!;
            expect(model, `${d.path} ${id}`).toBeDefined();
            expect(s.with['role-to-assume']).toBe(`arn:aws:iam::${model.environment.accountId}:role/${model.names.ciRole}`);
            expect(s.with['aws-region']).toBe(model.environment.region);
            const repo = /github\.repository == '([^']+)'/.exec(job.if as string)![1]!;
            expect(githubSubjects(model)).toContain(`repo:${repo}:environment:${env}`);
          }
        }
      }
    });

    it('builds every workload of the build environment, gated by the scan and signed when the spec says so', () => {
      const build = docs.find((d) => d.path.endsWith('build-and-promote.yml'))!.doc.jobs.build as Doc;
      const buildEnv = r.models.find((m) => m.environment.name === build.environment.name)!;
      expect(build.strategy.matrix.include.map((i: Doc) => i.workload)).toEqual(buildEnv.workloads.map((w) => w.name));
      for (const i of build.strategy.matrix.include as Doc[]) {
        const w = buildEnv.workloads.find((x) => x.name === i.workload)!;
        expect(i.image).toBe(`${w.image.registry}/${w.image.repository}`);
        // Every architecture any environment runs the workload on: one image for all the environments it is promoted to.
        const archs = new Set(r.models.flatMap((m) => m.workloads.filter((x) => x.name === w.name).flatMap((x) => x.architectures)));
        expect(i.platforms).toBe((['amd64', 'arm64'] as const).filter((a) => archs.has(a)).map((a) => `linux/${a}`).join(','));
      }
      const names = (build.steps as Doc[]).map((s) => s.name as string);
      expect(names.some((n) => n.includes('CRITICAL'))).toBe(buildEnv.registry.scanOnPush || buildEnv.registry.enhancedScanning);
      // a re-run does not push the immutable tag again: it scans and signs what the first run pushed
      const push = (build.steps as Doc[]).find((s) => s.id === 'build')!;
      expect(push.with.push).toBe('${{ steps.existing.outputs.push }}');
      const ids = (build.steps as Doc[]).map((s) => s.id);
      expect(ids.indexOf('existing')).toBeGreaterThan(ids.indexOf('tag'));
      expect(ids.indexOf('existing')).toBeLessThan(ids.indexOf('build'));
      for (const s of (build.steps as Doc[]).filter((x) => x.env?.DIGEST)) expect(s.env.DIGEST).toBe('${{ steps.digest.outputs.digest }}');
      const sign = (build.steps as Doc[]).find((s) => s.name?.includes('Sign'));
      expect(Boolean(sign)).toBe(buildEnv.registry.signing);
      if (sign) expect(sign.env.COSIGN_KEY).toBe(`awskms:///${buildEnv.names.signingKeyAlias}`);
      // the build environment auto-promotes by recording the tag in the spec, then recompiling
      const promote = docs.find((d) => d.path.endsWith('build-and-promote.yml'))!.doc.jobs[`promote-${buildEnv.environment.name}`] as Doc;
      const script = (promote.steps as Doc[]).at(-1)!.run as string;
      expect(script).toContain(".environments[strenv(ENVIRONMENT)].overrides.workloads[strenv(WORKLOAD)].tag = strenv(TAG)");
      expect(script).toContain('innovate compile "$INNOVATE_SPEC" --out "$INNOVATE_OUT"');
      expect(script).toContain('git add -- "$INNOVATE_SPEC" "$INNOVATE_OUT"');
    });

    it('promotes along the chain by hand: one job per hop, each behind its target\'s GitHub environment, copying its source\'s tags', () => {
      const promote = docs.find((d) => d.path.endsWith('promote-production.yml'));
      const hops = r.models[0]!.delivery.promotion.hops;
      if (!promote) {
        expect(hops).toEqual([]);
        return;
      }
      expect(Object.keys(promote.doc.on)).toEqual(['workflow_dispatch']);
      const targets = promote.doc.on.workflow_dispatch.inputs.environment.options as string[];
      expect(targets).toEqual(hops.map((h) => h.to.name));
      for (const hop of hops) {
        const env = hop.to.name;
        const job = promote.doc.jobs[`promote-${env}`] as Doc;
        expect(job.environment.name).toBe(env);
        expect(job.if).toContain(`inputs.environment == '${env}'`);
        expect(job.env.SOURCE_ENVIRONMENT).toBe(hop.from.name);
        const steps = job.steps as Doc[];
        expect(steps.find((s) => s.id === 'resolve')!.env.SELECTED).toBe('${{ inputs.workload }}');
        // The CVE gate: production targets whose registry scans, between resolving the tags and recording them.
        const target = r.models.find((m) => m.environment.name === env)!;
        const gate = steps.findIndex((s) => String(s.name).includes('No CRITICAL finding'));
        expect(gate >= 0, env).toBe(target.environment.production && (target.registry.scanOnPush || target.registry.enhancedScanning));
        if (gate >= 0) {
          expect(gate).toBeGreaterThan(steps.findIndex((s) => s.id === 'resolve'));
          expect(gate).toBeLessThan(steps.findIndex((s) => String(s.name).startsWith('Record the tags')));
          expect(steps[gate]!.env.SCAN_TYPE).toBe(target.registry.enhancedScanning ? 'enhanced' : 'basic');
        }
      }
      expect(targets).toContain(r.models.find((m) => m.environment.production)?.environment.name ?? targets[0]);
    });

    it('pushes to the config repository only with the promoter GitHub App token, never GITHUB_TOKEN', () => {
      for (const d of docs) {
        for (const [id, job] of Object.entries(d.doc.jobs as Record<string, Doc>)) {
          const steps = job.steps as Doc[];
          const pushing = steps.filter((s) => s.uses?.startsWith(`${ACTIONS.checkout.uses}@`) && s.with?.['persist-credentials'] === true);
          for (const c of pushing) {
            expect(c.with.token, `${d.path} ${id}`).toBe('${{ steps.config-token.outputs.token }}');
            expect(steps.findIndex((s) => s.id === 'config-token')).toBeLessThan(steps.indexOf(c));
          }
          expect(job.permissions?.contents, `${d.path} ${id}`).not.toBe('write');
        }
      }
    });

    it('checks pull requests with validate (SARIF uploaded) and compile --check', () => {
      const spec = docs.find((d) => d.path.endsWith('innovate-pr.yml'))!.doc.jobs.spec as Doc;
      const runs = (spec.steps as Doc[]).map((s) => String(s.run ?? s.uses));
      expect(runs.some((x) => x.includes('innovate validate "$INNOVATE_SPEC" --format sarif'))).toBe(true);
      expect(runs.some((x) => x.startsWith(`${ACTIONS.uploadSarif.uses}@`))).toBe(true);
      expect(runs.some((x) => x.includes('--check'))).toBe(true);
    });
  });
}

describe('the workflow schema check itself', () => {
  it('rejects a workflow with an unknown key and a bad permission level', () => {
    const bad = 'on: push\npermissions: { contents: maybe }\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz: []\n';
    const result = parseWorkflow({ name: 'bad.yml', content: bad }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });
});
