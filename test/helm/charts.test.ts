/**
 * Workload charts (issue 12): one chart per workload shared by every environment, all spec data
 * in the per-environment values files, templates that read `.Values` only and are the same text
 * whatever the spec says, so spec text is never a template Helm evaluates.
 */
import { Ajv } from 'ajv';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/emitters/artifact.js';
import { workloadDocuments, type WorkloadValues } from '../../src/emitters/kubernetes/index.js';
import { VERSION } from '../../src/version.js';
import { byPath, compileOk, EXAMPLE, promoted, PROMOTED_EXAMPLE, renderChart, WORKERS_EXAMPLE, type Doc } from '../kubernetes/support.js';
import { coalesce, Renderer } from './go-template.js';

const LOOKUP = '{{ (lookup "v1" "Secret" "kube-system" "x").data.password }}';
const EACH = '{{#each}}';

/** The example with hostile text in every free-text field that reaches a workload chart. */
function hostile(): string {
  const d = parse(EXAMPLE) as Record<string, any>;
  d.workloads.api.env = { LOG_LEVEL: LOOKUP, GREETING: EACH };
  d.workloads.api.migration.command = ['sh', '-c', `${EACH} ${LOOKUP}`];
  d.workloads.api.metrics.path = LOOKUP;
  return promoted(stringify(d));
}

/** The example with another shape of data: a metrics port of its own, scanner annotations, other names and numbers. */
function variant(): string {
  const d = parse(EXAMPLE) as Record<string, any>;
  d.workloads.api.metrics = { path: '/internal/metrics', port: 9102 };
  d.workloads.api.port = 5001;
  d.workloads.api.replicas = { min: 3, max: 1000 };
  d.workloads.api.runAsUser = 1000000; // a bare {{ .Values.x }} would print 1e+06
  d.workloads.api.env = { LOG_LEVEL: 'debug', FEATURE_FLAGS: 'a,b: c # not a comment', EMPTY_LOOKING: 'null' };
  d.workloads.web.env = { QUOTES: `it's "quoted" \\ and 'single'`, MULTI: 'line one\nline two' };
  d.policy = {
    exceptions: [
      {
        target: 'Deployment/apps/web',
        reason: 'nginx writes its pid file to / until the image is rebuilt (TICKET-9)',
        expires: '2099-12-31',
        scanners: { kubeLinter: ['no-read-only-root-fs'], checkov: ['CKV_K8S_22'] },
      },
    ],
  };
  return promoted(stringify(d));
}

/** examples/workers.yaml with other probe handlers and ports, a single-replica worker (no PDB) and a cronjob with a liveness probe. */
function workersVariant(): string {
  const d = parse(WORKERS_EXAMPLE) as Record<string, any>;
  d.workloads.orders.probes = { liveness: { tcp: true }, readiness: { path: '/ready', port: 9090 }, startup: { exec: ['/orders', 'started'] } };
  d.workloads['order-events'].replicas = { min: 1, max: 3 };
  d.workloads['order-events'].port = 8081;
  d.workloads['order-events'].probes = { liveness: { path: '/alive' }, readiness: { tcp: true, port: 8082 } };
  d.workloads['nightly-report'].probes = { liveness: { exec: ['/report', 'health'] } };
  d.workloads['nightly-report'].cronjob = { schedule: '@hourly', timeZone: 'America/New_York', concurrencyPolicy: 'Replace', backoffLimit: 0 };
  return stringify(d);
}

describe('kinds: what each renders once promoted', () => {
  const { artifacts } = compileOk(promoted(workersVariant()));
  const render = (w: string) => renderChart(artifacts, w, `helm/staging/workloads/${w}.values.yaml`).map((d) => d.doc);
  it('a worker: a Deployment (with its probes, its port) and an HPA; no Service, no PDB with one replica', () => {
    const docs = render('order-events');
    expect(docs.map((d) => d.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler']);
    const c = docs[0]!.spec.template.spec.containers[0];
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8081, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/alive', port: 'http' });
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 8082 });
    expect(c.command).toEqual(['python', '-m', 'shop.consume']);
  });
  it('a cronjob: a CronJob only, with its schedule, time zone and policy, a liveness probe and no readiness', () => {
    const docs = render('nightly-report');
    expect(docs.map((d) => d.kind)).toEqual(['CronJob']);
    expect(docs[0]!.spec).toMatchObject({ schedule: '@hourly', timeZone: 'America/New_York', concurrencyPolicy: 'Replace', jobTemplate: { spec: { backoffLimit: 0, activeDeadlineSeconds: 3600 } } });
    const c = docs[0]!.spec.jobTemplate.spec.template.spec.containers[0];
    expect(c.livenessProbe.exec).toEqual({ command: ['/report', 'health'] });
    expect(c.readinessProbe).toBeUndefined();
    expect(c.ports).toBeUndefined();
  });
  it('a service of type container: TCP liveness, HTTP readiness on another port, exec startup; the ALB, let in on the service port only, checks its default path', () => {
    const docs = render('orders');
    const c = docs.find((d) => d.kind === 'Deployment')!.spec.template.spec.containers[0];
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 9090 });
    expect(c.startupProbe.exec).toEqual({ command: ['/orders', 'started'] });
    expect(docs.find((d) => d.kind === 'Service')!.metadata.annotations).toBeUndefined();
  });
});

const byKind = (a: Doc, b: Doc) => (`${a.kind}/${a.metadata.name}` < `${b.kind}/${b.metadata.name}` ? -1 : 1);
const charts = (artifacts: readonly Artifact[]) => artifacts.filter((a) => a.path.startsWith('charts/'));
const templates = (artifacts: readonly Artifact[], workload: string) =>
  new Map(artifacts.filter((a) => a.path.startsWith(`charts/${workload}/templates/`)).map((a) => [a.path.split('/').pop()!, a.content]));

describe('layout: one chart per workload, per-environment values only', () => {
  const { artifacts, models } = compileOk();
  const files = byPath(artifacts);
  it('charts/<name> holds Chart.yaml (v2, versioned by content), values.yaml, values.schema.json, helpers and templates', () => {
    for (const w of models[0]!.workloads) {
      const chart = parse(files.get(`charts/${w.name}/Chart.yaml`)!.content) as Doc;
      expect(chart).toMatchObject({ apiVersion: 'v2', name: w.name, type: 'application', appVersion: VERSION });
      expect(chart.version).toMatch(new RegExp(`^${VERSION.replace(/\./g, '\\.')}\\+[0-9a-f]{8}$`));
      for (const f of ['values.yaml', 'values.schema.json', 'templates/_helpers.tpl', 'templates/deployment.yaml', 'templates/service.yaml', 'templates/hpa.yaml', 'templates/pdb.yaml']) {
        expect(files.has(`charts/${w.name}/${f}`), f).toBe(true);
      }
      expect(files.get(`charts/${w.name}/Chart.yaml`)!.environment).toBeUndefined();
    }
    expect(artifacts.filter((a) => /^kubernetes\/[^/]+\/workloads\//.test(a.path))).toEqual([]);
  });
  it('every environment has one values file per workload, and nothing else of the workload', () => {
    for (const m of models) {
      const env = m.environment.name;
      expect(artifacts.filter((a) => a.path.startsWith(`helm/${env}/workloads/`)).map((a) => a.path).sort()).toEqual(m.workloads.map((w) => `helm/${env}/workloads/${w.name}.values.yaml`).sort());
    }
  });
  it('the chart version changes with the templates only: every workload chart has the same one', () => {
    const versions = models[0]!.workloads.map((w) => (parse(files.get(`charts/${w.name}/Chart.yaml`)!.content) as Doc).version);
    expect(new Set(versions).size).toBe(1);
    expect((parse(byPath(compileOk(variant()).artifacts).get('charts/api/Chart.yaml')!.content) as Doc).version).toBe(versions[0]);
  });
});

describe('templates never hold spec text', () => {
  const example = compileOk().artifacts;
  const other = compileOk(variant()).artifacts;
  const attacked = compileOk(hostile()).artifacts;

  it('read .Values only: no tpl, lookup, .Files, .Release, .Capabilities, .Chart or .Template', () => {
    for (const a of charts(example).filter((x) => x.path.includes('/templates/'))) {
      const actions = a.content.match(/\{\{.*?\}\}/gs) ?? [];
      expect(actions.length, a.path).toBeGreaterThan(0);
      for (const action of actions) {
        expect(action, a.path).not.toMatch(/(?<![\w.$])(tpl|lookup|env|expandenv|getHostByName)\b|\.(Files|Release|Capabilities|Chart|Template)\b/);
        for (const field of action.match(/(?<![\w)])\$?\.[A-Za-z][\w.]*/g) ?? []) expect(field, `${a.path}: ${action}`).toMatch(/^(\$?\.Values\b|\.(path|initialDelaySeconds|periodSeconds|timeoutSeconds|failureThreshold|port)$)/);
      }
    }
  });

  it('are byte-identical across specs with different data, and across workloads', () => {
    const reference = templates(example, 'api');
    expect(reference.size).toBe(8);
    for (const set of [example, other, attacked]) for (const w of ['api', 'web']) expect(templates(set, w)).toEqual(reference);
    for (const f of ['values.yaml', 'values.schema.json']) expect(byPath(other).get(`charts/web/${f}`)!.content).toBe(byPath(example).get(`charts/api/${f}`)!.content);
  });

  it('a template expression in env, migration.command or metrics.path stays data: in the values file as a quoted string, nowhere in a chart', () => {
    for (const a of charts(attacked)) {
      expect(a.content, a.path).not.toContain('lookup');
      expect(a.content, a.path).not.toContain('#each');
      expect(a.content, a.path).not.toContain('kube-system');
    }
    for (const env of ['staging', 'production']) {
      const text = byPath(attacked).get(`helm/${env}/workloads/api.values.yaml`)!.content;
      const values = parse(text) as Doc;
      expect(values.env).toContainEqual({ name: 'LOG_LEVEL', value: LOOKUP });
      expect(values.env).toContainEqual({ name: 'GREETING', value: EACH });
      expect(values.migration.command).toEqual(['sh', '-c', `${EACH} ${LOOKUP}`]);
      expect(values.metrics.path).toBe(LOOKUP);
      // Quoted scalars, never a flow mapping that a YAML reader would take apart.
      expect(text).toContain(`value: '${LOOKUP}'`);
      expect(text).toContain(`value: "${EACH}"`);
    }
  });

  it('rendered, the hostile strings reach the pod as literal text (Helm evaluates templates, not values)', () => {
    const docs = renderChart(attacked, 'api', 'helm/staging/workloads/api.values.yaml').map((d) => d.doc);
    const deployment = docs.find((d) => d.kind === 'Deployment')!;
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({ name: 'LOG_LEVEL', value: LOOKUP });
    expect(docs.find((d) => d.kind === 'Job')!.spec.template.spec.containers[0].command).toEqual(['sh', '-c', `${EACH} ${LOOKUP}`]);
    expect(docs.find((d) => d.kind === 'ServiceMonitor')!.spec.endpoints[0].path).toBe(LOOKUP);
  });
});

describe('rendering the chart gives what the invariant rules check (workloadDocuments)', () => {
  // The example before its first promotion (no tag: no pods) and after it (a tag per workload).
  const cases = {
    example: EXAMPLE,
    promoted: PROMOTED_EXAMPLE,
    variant: variant(),
    hostile: hostile(),
    irsa: PROMOTED_EXAMPLE.replace('workloadIdentity: podIdentity', 'workloadIdentity: irsa'),
    // A service of type container, a worker and a cronjob, before and after the first promotion.
    workers: WORKERS_EXAMPLE,
    'workers promoted': promoted(WORKERS_EXAMPLE),
    'workers, tcp and http probes on other ports, one replica': promoted(workersVariant()),
  };
  for (const [label, text] of Object.entries(cases)) {
    it(label, () => {
      const { artifacts, models } = compileOk(text);
      const files = byPath(artifacts);
      for (const m of models) {
        for (const w of m.workloads) {
          const path = `helm/${m.environment.name}/workloads/${w.name}.values.yaml`;
          const rendered = renderChart(artifacts, w.name, path).map((d) => d.doc);
          const expected = JSON.parse(JSON.stringify(workloadDocuments(parse(files.get(path)!.content) as WorkloadValues))) as Doc[];
          expect(rendered.sort(byKind)).toEqual(expected.sort(byKind));
        }
      }
    });
  }
  it('the variant renders its own data: metrics port, large numbers, scanner annotations, tricky strings', () => {
    const { artifacts } = compileOk(variant());
    const api = renderChart(artifacts, 'api', 'helm/production/workloads/api.values.yaml').map((d) => d.doc);
    expect(api.find((d) => d.kind === 'Service')!.spec.ports).toEqual([
      { name: 'http', port: 5001, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 9102, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    expect(api.find((d) => d.kind === 'ServiceMonitor')!.spec.endpoints[0]).toMatchObject({ port: 'metrics', path: '/internal/metrics' });
    expect(api.find((d) => d.kind === 'HorizontalPodAutoscaler')!.spec.maxReplicas).toBe(1000);
    expect(api.find((d) => d.kind === 'Deployment')!.spec.template.spec.securityContext.runAsUser).toBe(1000000);
    const web = renderChart(artifacts, 'web', 'helm/production/workloads/web.values.yaml').map((d) => d.doc);
    const deployment = web.find((d) => d.kind === 'Deployment')!;
    expect(deployment.metadata.annotations['ignore-check.kube-linter.io/no-read-only-root-fs']).toMatch(/^nginx writes its pid file/);
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({ name: 'MULTI', value: 'line one\nline two' });
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({ name: 'QUOTES', value: `it's "quoted" \\ and 'single'` });
  });
});

describe('values.schema.json', () => {
  const { artifacts, models } = compileOk();
  const files = byPath(artifacts);
  const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(JSON.parse(files.get('charts/api/values.schema.json')!.content));
  const defaults = parse(files.get('charts/api/values.yaml')!.content);
  const valuesOf = (env: string, w: string) => coalesce(defaults, parse(files.get(`helm/${env}/workloads/${w}.values.yaml`)!.content)) as Doc;

  it('accepts every environment\'s values file (merged with the chart defaults, as Helm checks them)', () => {
    for (const m of models) for (const w of m.workloads) expect(validate(valuesOf(m.environment.name, w.name)) ? [] : validate.errors).toEqual([]);
    const variantFiles = byPath(compileOk(variant()).artifacts);
    for (const w of ['api', 'web']) expect(validate(coalesce(defaults, parse(variantFiles.get(`helm/staging/workloads/${w}.values.yaml`)!.content))) ? [] : validate.errors).toEqual([]);
  });
  it('refuses the defaults alone (no environment values file), a malformed tag, a misspelt key, a label the chart sets; accepts no tag (not yet promoted)', () => {
    expect(validate(defaults)).toBe(false);
    const v = valuesOf('staging', 'api');
    expect(v.image.tag).toBe('');
    expect(validate({ ...v, image: { repository: v.image.repository } })).toBe(true);
    expect(validate({ ...v, image: { repository: v.image.repository, tag: 'sha-0123456789ab' } })).toBe(true);
    expect(validate({ ...v, image: { repository: v.image.repository, tag: 'a b' } })).toBe(false);
    expect(validate({ ...v, replicaz: 3 })).toBe(false);
    expect(validate({ ...v, labels: { ...v.labels, 'app.kubernetes.io/name': 'other' } })).toBe(false);
    expect(validate({ ...v, env: [{ name: 'A' }] })).toBe(false);
    expect(validate(v)).toBe(true);
  });
  it('without an image tag the pod templates render nothing; with one and no repository, rendering fails at the image (required)', () => {
    const helpers = byPath(artifacts).get('charts/api/templates/_helpers.tpl')!.content;
    const r = new Renderer([helpers]);
    for (const t of ['deployment', 'migration-job', 'hpa', 'pdb']) {
      const text = byPath(artifacts).get(`charts/api/templates/${t}.yaml`)!.content;
      expect(r.render(text, valuesOf('staging', 'api')).trim(), t).toBe('');
    }
    const deployment = byPath(artifacts).get('charts/api/templates/deployment.yaml')!.content;
    expect(() => r.render(deployment, { ...valuesOf('staging', 'api'), image: { repository: '', tag: 'sha-0123456789ab' } })).toThrow(/image\.repository is set in the environment values/);
  });
});

describe('the evaluator is strict about what it does not know', () => {
  it('throws on tpl, lookup, range and on field access through a missing value', () => {
    const r = new Renderer([]);
    expect(() => r.render('{{ tpl .Values.x . }}', { x: 'a' })).toThrow(/unsupported function tpl/);
    expect(() => r.render('{{ lookup "v1" "Secret" "ns" "x" }}', {})).toThrow(/unsupported function lookup/);
    expect(() => r.render('{{ range .Values.x }}{{ end }}', { x: [] })).toThrow(/unsupported action/);
    expect(() => r.render('{{ .Values.a.b }}', {})).toThrow(/nil pointer/);
    expect(r.render('a {{- " b " -}} c{{ if .Values.x }}x{{ else }}y{{ end }}', {})).toBe('a b cy');
  });
});
