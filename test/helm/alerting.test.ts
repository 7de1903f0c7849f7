/**
 * Alerting reaches people (issue 17 §5): Alertmanager routes to a receiver for every on-call
 * endpoint the spec names, each receiver's SNS topic is subscribed by the same endpoints as the
 * CloudWatch alarm topic, only Alertmanager's role may publish there, no secret sits in the values,
 * and no rule group or scrape targets a control-plane part EKS does not expose.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { EKS_HIDDEN_COMPONENTS } from '../../src/emitters/helm/kube-prometheus-stack.js';
import { SEVERITIES, TEMPLATE_FILE } from '../../src/emitters/helm/alertmanager.js';
import { exampleVariant } from '../helpers.js';
import { byPath, compileOk, type Doc } from '../kubernetes/support.js';

const chartDefaults = parse(readFileSync(fileURLToPath(new URL('../fixtures/charts/kube-prometheus-stack/values.yaml', import.meta.url)), 'utf8')) as Doc;

/** Helm's merge of user values over chart defaults: maps merge, anything else replaces. */
function merge(base: Doc, over: Doc): Doc {
  const out: Doc = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && base[k] && typeof base[k] === 'object' && !Array.isArray(base[k]) ? merge(base[k], v) : v;
  }
  return out;
}

/** Alertmanager's routing: every receiver an alert of this severity reaches (first match, then `continue`). */
function receiversFor(route: Doc, labels: Record<string, string>): string[] {
  const matches = (m: string): boolean => {
    const [, name, op, value] = /^\s*(\w+)\s*(=~|=)\s*"(.*)"\s*$/.exec(m)!;
    const v = labels[name!] ?? '';
    return op === '=' ? v === value : new RegExp(`^(?:${value})$`).test(v);
  };
  const out: string[] = [];
  for (const r of route.routes ?? []) {
    if (!(r.matchers as string[]).every(matches)) continue;
    out.push(r.receiver);
    if (!r.continue) return out;
  }
  return out.length > 0 ? out : [route.receiver];
}

/** What the chart's PrometheusRule templates gate each hidden component's rule groups on. */
const ruleGroupRendered = (v: Doc, component: string, ruleKey: string): boolean => v.defaultRules.create && v[component].enabled && v.defaultRules.rules[ruleKey];

describe('Alertmanager reaches the on-call endpoints', () => {
  const { artifacts, models } = compileOk();
  const files = byPath(artifacts);
  const values = (env: string) => merge(chartDefaults, parse(files.get(`helm/${env}/kube-prometheus-stack.values.yaml`)!.content) as Doc);
  const template = (env: string, name: string) => JSON.parse(files.get(`cloudformation/${env}/${name}.json`)!.content) as Doc;

  for (const m of models) {
    const env = m.environment.name;
    const v = values(env);
    const am = v.alertmanager.config;

    it(`${env}: a receiver for every endpoint, each publishing to a topic subscribed by that endpoint`, () => {
      const alerts = m.observability.alerts;
      const expected = [...(alerts.emails.length ? ['email'] : []), ...(alerts.pagerDutyUrl ? ['pagerduty'] : []), ...(alerts.slack ? ['slack'] : [])];
      expect(expected.length).toBe(3);
      const obs = template(env, 'observability');
      const resources = Object.entries(obs.Resources as Record<string, Doc>);
      const topicArn = (logical: string) => `arn:aws:sns:${m.environment.region}:${m.environment.accountId}:${obs.Resources[logical].Properties.TopicName}`;
      for (const endpoint of expected) {
        const receiver = (am.receivers as Doc[]).find((r) => r.name === endpoint);
        expect(receiver, endpoint).toBeDefined();
        const [sns] = receiver!.sns_configs as Doc[];
        expect(sns!.sigv4).toEqual({ region: m.environment.region });
        const topic = resources.find(([id, r]) => r.Type === 'AWS::SNS::Topic' && topicArn(id) === sns!.topic_arn);
        expect(topic, `${endpoint}: ${sns!.topic_arn} is a topic of observability.json`).toBeDefined();
        const subscribers = resources.filter(([, r]) => r.Type === 'AWS::SNS::Subscription' && r.Properties.TopicArn.Ref === topic![0]).map(([, r]) => r.Properties.Endpoint);
        const chatbot = resources.find(([, r]) => r.Type === 'AWS::Chatbot::SlackChannelConfiguration')?.[1];
        if (endpoint === 'email') expect(subscribers.sort()).toEqual([...alerts.emails].sort());
        if (endpoint === 'pagerduty') expect(subscribers).toEqual([alerts.pagerDutyUrl]);
        if (endpoint === 'slack') {
          expect(subscribers).toEqual([]);
          expect(chatbot!.Properties.SnsTopicArns).toContainEqual({ Ref: topic![0] });
          expect(chatbot!.Properties.SlackChannelId).toBe(alerts.slack!.channelId);
        }
        // The alarm topic reaches the same endpoints.
        const alarmSubscribers = resources.filter(([, r]) => r.Type === 'AWS::SNS::Subscription' && r.Properties.TopicArn.Ref === 'AlarmTopic').map(([, r]) => r.Properties.Endpoint);
        for (const s of subscribers) expect(alarmSubscribers).toContain(s);
      }
    });

    it(`${env}: critical alerts reach every endpoint, warnings all but the pager, Watchdog and info nobody`, () => {
      expect(receiversFor(am.route, { alertname: 'KubePodCrashLooping', severity: 'critical' }).sort()).toEqual(['email', 'pagerduty', 'slack']);
      expect(receiversFor(am.route, { alertname: 'KubeMemoryOvercommit', severity: 'warning' }).sort()).toEqual(['email', 'slack']);
      expect(receiversFor(am.route, { alertname: 'Watchdog', severity: 'none' })).toEqual(['null']);
      expect(receiversFor(am.route, { alertname: 'CPUThrottlingHigh', severity: 'info' })).toEqual(['null']);
      for (const [endpoint, severities] of Object.entries(SEVERITIES)) {
        for (const s of severities) expect(receiversFor(am.route, { alertname: 'X', severity: s })).toContain(endpoint);
      }
      // Every receiver the route names is defined.
      const names = new Set((am.receivers as Doc[]).map((r) => r.name));
      for (const r of [am.route, ...am.route.routes]) expect(names.has(r.receiver), r.receiver).toBe(true);
      // The chart's default config loads our template file.
      expect(am.templates).toContain('/etc/alertmanager/config/*.tmpl');
      expect(Object.keys(v.alertmanager.templateFiles)).toEqual([TEMPLATE_FILE]);
    });

    it(`${env}: Alertmanager's pod identity may publish to its topics and nothing else`, () => {
      const sa = v.alertmanager.serviceAccount.name;
      const cluster = template(env, 'cluster');
      const resources = Object.values(cluster.Resources as Record<string, Doc>);
      const association = resources.find((r) => r.Type === 'AWS::EKS::PodIdentityAssociation' && r.Properties.ServiceAccount === sa && r.Properties.Namespace === m.platform.monitoring.namespace);
      expect(association).toBeDefined();
      const role = cluster.Resources[association!.Properties.RoleArn['Fn::GetAtt'][0]];
      const policy = cluster.Resources[role.Properties.ManagedPolicyArns[0].Ref];
      const statements = policy.Properties.PolicyDocument.Statement as Doc[];
      expect(statements.map((s) => s.Action)).toEqual(['sns:Publish', ['kms:Decrypt', 'kms:GenerateDataKey']]);
      const topics = (am.receivers as Doc[]).flatMap((r) => (r.sns_configs ?? []).map((c: Doc) => c.topic_arn));
      expect([...statements[0]!.Resource].sort()).toEqual(topics.sort());
    });

    it(`${env}: no webhook URL, routing key or password in the Alertmanager values`, () => {
      const text = JSON.stringify(v.alertmanager);
      expect(text).not.toMatch(/api_url|routing_key|service_key|webhook|auth_password|hooks\.slack\.com|events\.pagerduty\.com/);
    });

    it(`${env}: nothing scrapes or alerts on what EKS does not expose`, () => {
      for (const [component, rules] of Object.entries(EKS_HIDDEN_COMPONENTS)) {
        expect(v[component].enabled, component).toBe(false);
        for (const r of rules) expect(ruleGroupRendered(v, component, r), `${component}: ${r}`).toBe(false);
      }
      // ...while what EKS does expose stays monitored.
      for (const kept of ['kubeApiServer', 'kubelet', 'coreDns', 'kubeStateMetrics', 'nodeExporter']) expect(v[kept].enabled, kept).toBe(true);
      for (const r of ['kubeApiserverAvailability', 'kubelet', 'kubernetesApps', 'node', 'alertmanager', 'prometheus']) expect(v.defaultRules.rules[r], r).toBe(true);
      // The chart's own defaults would have them on: the test is not vacuous.
      expect(Object.keys(EKS_HIDDEN_COMPONENTS).every((c) => chartDefaults[c].enabled)).toBe(true);
    });
  }

  it('escapes alert text into valid JSON for Slack and PagerDuty (the innovate.json template, evaluated as Alertmanager does)', () => {
    const text = (parse(files.get('helm/production/kube-prometheus-stack.values.yaml')!.content) as Doc).alertmanager.templateFiles[TEMPLATE_FILE] as string;
    const define = /\{\{ define "innovate\.json" \}\}\{\{ \. (.*?) \}\}\{\{ end \}\}/.exec(text)![1]!;
    // Each step: reReplaceAll "<pattern>" "<replacement>" with Go string literals; Go's $0 is JavaScript's $&.
    const goString = (s: string) => JSON.parse(s.replace(/\\x([0-9a-f]{2})/g, '\\u00$1')) as string;
    const steps = [...define.matchAll(/\| reReplaceAll ("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*")/g)].map(([, p, r]) => [new RegExp(goString(p!), 'g'), goString(r!).replace(/\$0/g, '$$&')] as const);
    expect(steps).toHaveLength(3);
    const escape = (s: string) => steps.reduce((acc, [re, rep]) => acc.replace(re, rep), s);
    for (const nasty of ['plain', 'quote " and backslash \\ here', 'two\nlines\r\tand tab', 'ctrl \u0001 char', 'C:\\path\\"x"']) {
      const json = `{"d":"${escape(nasty)}"}`;
      expect(() => JSON.parse(json), json).not.toThrow();
      expect((JSON.parse(json) as Doc).d.replace(/[\r\t\u0001]/g, ' ')).toBe(nasty.replace(/[\r\t\u0001]/g, ' '));
    }
  });

  it('an environment without endpoints routes everything to the null receiver and creates no topic or role', () => {
    // Staging only: a production environment without endpoints is an error (INN092).
    const spec = exampleVariant((s) => {
      s.observability.alerts = { emails: [] };
      s.environments.production.overrides = { ...s.environments.production.overrides, observability: { ...s.environments.production.overrides?.observability, alerts: { emails: ['oncall@innovate.example'] } } };
    });
    const r = compileOk(spec);
    const f = byPath(r.artifacts);
    const v = parse(f.get('helm/staging/kube-prometheus-stack.values.yaml')!.content) as Doc;
    expect(v.alertmanager.config.receivers).toEqual([{ name: 'null' }]);
    expect(f.get('cloudformation/staging/observability.json')!.content).not.toContain('Alertmanager');
    expect(f.get('cloudformation/staging/cluster.json')!.content).not.toContain('AlertmanagerRole');
  });
});
