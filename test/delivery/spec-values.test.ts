/**
 * Spec values reach generated files as data, never as code (issue 12, section 2): workflow
 * scripts are the same for every spec (values come in through env:), every expression and
 * condition in a workflow is innovate's own, branch filters match the branch only, the ALB tags
 * annotation carries each tag as itself, and INV014 reads Kubernetes env pairs by their name.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Model } from '../../src/compiler/model.js';
import type { Artifact } from '../../src/emitters/artifact.js';
import { ciPlan } from '../../src/emitters/ci/index.js';
import { branchFilter, buildAndPromoteWorkflow, promoteWorkflow, pullRequestWorkflow } from '../../src/emitters/ci/workflows.js';
import { ingressAnnotations } from '../../src/emitters/kubernetes/ingress.js';
import { runPolicies } from '../../src/validators/policies/index.js';
import { EXAMPLE, exampleVariant } from '../helpers.js';
import { workflowExpressionProblems } from '../invariants/expressions.js';
import { byKind, compileOk } from './support.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every `run:` of every workflow, by workflow path and job/step name. */
function runs(artifacts: readonly Artifact[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of artifacts.filter((x) => x.kind === 'ci')) {
    const doc = parse(a.content) as Doc;
    Object.entries(doc.jobs as Record<string, Doc>).forEach(([, job], j) =>
      (job.steps as Doc[]).forEach((s, i) => {
        if (s.run) out.set(`${a.path}#${j}.${i}`, s.run as string);
      }),
    );
  }
  return out;
}

// Every spec string that reaches a workflow is different here: branch, repositories, output folder.
const OTHER = exampleVariant((d) => {
  d.delivery.branch = "!release+2026/o'neil;$(id)";
  d.delivery.appRepository = 'Acme-Corp/web.app_2';
  d.delivery.configRepository = 'acme-corp/platform.config';
  d.delivery.outputDir = 'deploy/generated';
});

describe('workflows take spec values through env: only', () => {
  const a = compileOk(EXAMPLE);
  const b = compileOk(OTHER);

  it('the hostile-looking but valid branch compiles', () => {
    expect(b.models.length).toBeGreaterThan(0);
  });

  it('every run: script is the same whatever the spec says (no spec text in a script)', () => {
    const ra = runs(a.artifacts);
    const rb = runs(b.artifacts);
    expect(rb.size).toBe(ra.size);
    expect([...rb.values()]).toEqual([...ra.values()]);
    for (const script of rb.values()) for (const needle of ['release+2026', "o'neil", 'Acme-Corp', 'platform.config', 'deploy/generated']) expect(script).not.toContain(needle);
  });

  it('the spec values are in env: and with:, as data', () => {
    const build = parse(byKind(b, 'ci').find((x) => x.path.endsWith('build-and-promote.yml'))!.content) as Doc;
    const promote = Object.entries(build.jobs as Record<string, Doc>).find(([id]) => id.startsWith('promote-'))![1];
    expect(promote.env.BRANCH).toBe("!release+2026/o'neil;$(id)");
    expect(promote.env.INNOVATE_OUT).toBe('deploy/generated');
  });

  it('the branch filter matches that branch only: GitHub\'s pattern characters are escaped', () => {
    const build = parse(byKind(b, 'ci').find((x) => x.path.endsWith('build-and-promote.yml'))!.content) as Doc;
    expect(build.on.push.branches).toEqual(["\\!release\\+2026/o'neil;$(id)"]);
    expect(branchFilter('main')).toBe('main');
    expect(branchFilter('a]b!c')).toBe('a\\]b!c');
  });

  it('every expression and condition is innovate\'s own, with repository names as quoted literals', () => {
    for (const w of [...byKind(a, 'ci'), ...byKind(b, 'ci')]) expect(workflowExpressionProblems(w.content), w.path).toEqual([]);
  });

  it('a quote in a literal is written twice (GitHub\'s rule), so an unchecked name stays a literal', () => {
    const p = { ...ciPlan(a.models), appRepository: "o/x' || true || '", configRepository: "o/y'", sameRepository: false };
    const docs = [pullRequestWorkflow(p), buildAndPromoteWorkflow(p), promoteWorkflow(p)!];
    const conditions = docs.flatMap((d) => Object.values(d.jobs as Record<string, Doc>).map((j) => j.if as string));
    expect(conditions).toContain("github.repository == 'o/x'' || true || '''");
    expect(conditions.some((c) => c.startsWith("github.repository == 'o/y''' && inputs.environment == '"))).toBe(true);
  });

  it('the check can fail: a spec value spliced into a condition or an expression is caught', () => {
    expect(workflowExpressionProblems("jobs:\n  x:\n    if: github.repository == 'a' || true\n")).toHaveLength(1);
    expect(workflowExpressionProblems('env:\n  X: ${{ github.event.head_commit.message }}\n')).toHaveLength(1);
  });
});

describe('the ALB tags annotation', () => {
  const model = compileOk(EXAMPLE).models[0]!;
  it('carries each tag as itself', () => {
    const tags = ingressAnnotations(model)['alb.ingress.kubernetes.io/tags']!;
    expect(tags.split(',').map((p) => p.split('=')[0])).toEqual(model.tags.map((t) => t.key));
  });

  it('never splits one tag into several, even from a model that skipped validation', () => {
    const hostile: Model = { ...model, tags: [...model.tags, { key: 'application', value: 'web,environment=staging,owner=mallory' }, { key: 'a=b', value: 'c' }] };
    const pairs = ingressAnnotations(hostile)['alb.ingress.kubernetes.io/tags']!.split(',');
    expect(pairs.map((p) => p.split('=')[0])).toEqual(model.tags.map((t) => t.key));
  });
});

describe('INV014 reads Kubernetes env entries by their name', () => {
  const r = compileOk(EXAMPLE);
  const deployment = (env: object[]) => ({
    path: 'kubernetes/production/99-test.yaml',
    kind: 'kubernetes' as const,
    environment: 'production',
    content: '',
    data: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'apps' }, spec: { template: { spec: { containers: [{ name: 'x', env }] } } } }],
  });
  const inv014 = (artifacts: Artifact[]) => runPolicies(artifacts, r.models).findings.filter((f) => f.rule === 'INV014').map((f) => f.target);

  it('a literal DATABASE_PASSWORD and a 40-character secret key in a Deployment are caught (in data)', () => {
    const env = [{ name: 'DATABASE_PASSWORD', value: 'S3cr3t-Passw0rd!' }, { name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, { name: 'LOG_LEVEL', value: 'info' }];
    const targets = inv014([deployment(env) as Artifact]);
    expect(targets).toContain('DATABASE_PASSWORD');
    expect(targets).toContain('AWS_SECRET_ACCESS_KEY');
    expect(targets).not.toContain('LOG_LEVEL');
  });

  it('the same in a template read as text', () => {
    const text = 'env:\n  - name: DATABASE_PASSWORD\n    value: "S3cr3t-Passw0rd!"\n  - name: DB_PASSWORD\n    valueFrom: { secretKeyRef: { name: db, key: password } }\n';
    const { data: _data, ...a } = deployment([]);
    expect(inv014([{ ...a, content: text } as Artifact])).toEqual(['DATABASE_PASSWORD']);
  });

  it('references are not findings: secretKeyRef, ARNs, paths, flags', () => {
    const env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'TOKEN_FILE_SECRET', value: '/var/run/secrets/token' }, { name: 'API_KEY', value: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:x' }, { name: 'X_TOKEN', value: 'true' }];
    expect(inv014([deployment(env) as Artifact])).toEqual([]);
  });
});
