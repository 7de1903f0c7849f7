/**
 * Fuzz property (issue 12): arbitrary strings — built to hold `{{`, `}}`, `${{`, `{{#each}}`,
 * `{{resolve:…}}`, quotes, newlines, commas, NUL and RTL overrides — in every free-text field of
 * the example (names, env, commands, paths, tags, branch, repositories, descriptions). For each:
 * compile never throws; either validation refuses the spec with a diagnostic, or the output
 * holds no expression built from the spec text:
 *   - a workflow has only innovate's own expressions and conditions (expressions.ts);
 *   - a Helm template has exactly the `{{` of the example's own template (spec text adds none);
 *   - a CloudFormation template has exactly the example's `{{resolve:` dynamic references.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { compile, type CompileResult } from '../../src/pipeline.js';
import { EXAMPLE } from '../helpers.js';
import { PROPERTY_TIMEOUT_MS } from './arbitrary.js';
import { isHelmTemplate, templateActions, workflowExpressionProblems } from './expressions.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** At least 100 runs everywhere (CI included); INNOVATE_DEEP runs many more. */
const RUNS = process.env.INNOVATE_DEEP ? 2000 : 100;

const FRAGMENTS = [
  '{{', '}}', '${{', '}}}', '{{#each x}}', '{{/each}}', '{{ lookup "v1" "Secret" "kube-system" "x" }}', '{{- .Values.x -}}', '{{/* c */}}', '{{ tpl . }}',
  '${{ github.event.head_commit.message }}', '${{ secrets.X }}', '{{resolve:secretsmanager:prod/master:SecretString:password}}', '{{resolve:ssm:/x}}', '${AWS::Region}',
  '$(id)', '`id`', "'", '"', '\\', '\n', '\r', '\t', ',', '=', ':', ': ', ' ', '#', '*', '&a', '*a', '!', '|', '>', '-', '/', '.', '..', '@{', '~', '^', '?', '[', ']', '%',
  'a', 'Z', '9', 'main', 'web', 'aws:', 'AKIA', '\u202e', '\u0000', '\u2028', 'é', '日本',
];
/** Helm's own syntax around plain words: valid in free-text fields, so it reaches the output. */
const HELM = ['{{', '}}', '{{#each x}}', '{{/each}}', '{{ lookup "v1" "Secret" "kube-system" "x" }}', '{{- .Values.x -}}', '{{ tpl . }}', ' ', 'a', '-', '/', '.'];
const text = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 5 }).map((p) => p.join('')) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...HELM), { minLength: 1, maxLength: 5 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }) },
);

/** Every free-text field of the example: where a user writes words rather than picks a value. */
const FIELDS: Record<string, (d: Json, s: string) => void> = {
  'metadata.name': (d, s) => (d.metadata.name = s),
  'metadata.owner': (d, s) => (d.metadata.owner = s),
  'metadata.costCenter': (d, s) => (d.metadata.costCenter = s),
  'metadata.tags value': (d, s) => (d.metadata.tags.application = s),
  'metadata.tags key': (d, s) => (d.metadata.tags[s] = 'x'),
  'workload name': (d, s) => {
    d.workloads[s] = d.workloads.web;
    delete d.workloads.web;
  },
  'env value': (d, s) => (d.workloads.api.env.LOG_LEVEL = s),
  'env name': (d, s) => (d.workloads.api.env[s] = 'x'),
  'migration.command': (d, s) => (d.workloads.api.migration.command[2] = s),
  'metrics.path': (d, s) => (d.workloads.api.metrics.path = s),
  'probe path': (d, s) => (d.workloads.api.probes.liveness.path = s),
  'ingress path': (d, s) => (d.workloads.api.ingress.path = s),
  'image tag': (d, s) => (d.workloads.api.tag = s),
  'secret reference key': (d, s) => (d.workloads.api.secrets.DATABASE_USER.key = s),
  'delivery.branch': (d, s) => (d.delivery.branch = s),
  'delivery.appRepository': (d, s) => (d.delivery.appRepository = s),
  'delivery.configRepository': (d, s) => (d.delivery.configRepository = s),
  'delivery.outputDir': (d, s) => (d.delivery.outputDir = s),
  'secret description': (d, s) => (d.security.secrets['app-db-user'].description = s),
  'permission set description': (d, s) => (d.organization.sso.permissionSets.developers.description = s),
  'node pool label': (d, s) => (d.cluster.nodePools['spot-x86'].labels = { team: s }),
  'team role name': (d, s) => (d.teams.web.iamRoleName = s),
};

const baseline = compile(EXAMPLE, { policies: false });
const baselineCount = (path: string, count: (c: string) => number): number => {
  const a = baseline.artifacts.find((x) => x.path === path);
  return a ? count(a.content) : 0;
};

/**
 * A template's `{{` count in the example, by its path inside the chart: a renamed workload's
 * chart has the same templates as the example's charts (the same workload shape).
 */
const inChart = (path: string): string => path.replace(/^.*?\/templates\//, 'templates/');
const baselineTemplates = new Map<string, Set<number>>();
for (const a of baseline.artifacts.filter((x) => isHelmTemplate(x.path))) {
  const counts = baselineTemplates.get(inChart(a.path)) ?? new Set<number>();
  counts.add(templateActions(a.content));
  baselineTemplates.set(inChart(a.path), counts);
}
const resolves = (c: string): number => c.split('{{resolve:').length - 1;

/** What spec text added to the output that a downstream tool would evaluate. */
function injected(r: CompileResult): string[] {
  const problems: string[] = [];
  for (const a of r.artifacts) {
    if (a.kind === 'ci') problems.push(...workflowExpressionProblems(a.content).map((p) => `${a.path}: ${p}`));
    if (isHelmTemplate(a.path) && !baselineTemplates.get(inChart(a.path))?.has(templateActions(a.content))) {
      problems.push(`${a.path}: ${templateActions(a.content)} "{{" where the example's ${inChart(a.path)} has ${[...(baselineTemplates.get(inChart(a.path)) ?? [])].join(' or ') || 'none'}`);
    }
    if (a.kind === 'cloudformation' && resolves(a.content) !== baselineCount(a.path, resolves)) problems.push(`${a.path}: a {{resolve: reference built from spec text`);
  }
  return problems;
}

describe('arbitrary text in every free-text field', { timeout: PROPERTY_TIMEOUT_MS }, () => {
  it('the example itself compiles (the baseline the property compares with)', () => {
    expect(baseline.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(injected(baseline)).toEqual([]);
  });

  it(`is refused with a diagnostic, or compiles to output with no expression built from it (${RUNS} runs)`, () => {
    const names = Object.keys(FIELDS);
    const compiled = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...names), text), { minLength: 1, maxLength: 2 }), (edits) => {
        const d = parse(EXAMPLE) as Json;
        for (const [field, s] of edits) FIELDS[field]!(d, s);
        const spec = stringify(d);
        let r: CompileResult;
        try {
          r = compile(spec, { policies: false });
        } catch (e) {
          throw new Error(`compile threw ${String(e)} for ${JSON.stringify(edits)}`);
        }
        const errors = r.diagnostics.filter((x) => x.severity === 'error');
        if (errors.length > 0) {
          // Refused: every diagnostic is placed in the file and nothing is emitted.
          expect(r.models).toEqual([]);
          for (const e of errors) expect(e.line, `${e.code} ${e.message}`).toBeGreaterThan(0);
          return;
        }
        expect(injected(r), JSON.stringify(edits)).toEqual([]);
        for (const [field] of edits) compiled.set(field, (compiled.get(field) ?? 0) + 1);
      }),
      { numRuns: RUNS, seed: process.env.INNOVATE_DEEP ? undefined : 1212 },
    );
    // The output side is exercised: hostile text that is valid where it stands does compile.
    if (process.env.SHOW_FIELDS) console.log(JSON.stringify([...compiled].sort()));
    expect([...compiled.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(RUNS / 4);
  });

  it('the property can fail: spec text spliced into a workflow or a template is caught', () => {
    const r = compile(EXAMPLE, { policies: false });
    const spliced = r.artifacts.map((a) =>
      a.kind === 'ci' ? { ...a, content: a.content.replace('INNOVATE_OUT: out', 'INNOVATE_OUT: ${{ github.event.head_commit.message }}') } : isHelmTemplate(a.path) ? { ...a, content: `${a.content}# {{ lookup "v1" "Secret" "kube-system" "x" }}\n` } : a,
    );
    const found = injected({ ...r, artifacts: spliced });
    expect(found.some((p) => p.includes('head_commit'))).toBe(true);
    expect(found.some((p) => p.includes('templates/'))).toBe(true);
  });
});
