/**
 * Every key path a generated values file sets exists in the pinned chart's own default values
 * (test/fixtures/charts, copied from the upstream charts). Free-form places are: maps whose
 * default is empty or null (annotations, selectors, podDisruptionBudget: {}), lists (replaced
 * whole), subcharts' values (their defaults are not vendored), and the few non-empty maps listed below.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { byPath, compileOk, type Doc } from '../kubernetes/support.js';

const fixture = (chart: string, file: string) => fileURLToPath(new URL(`../fixtures/charts/${chart}/${file}`, import.meta.url));

/** Non-empty default maps that take arbitrary keys, and subcharts, per chart. */
const FREE_FORM: Record<string, readonly string[]> = {
  karpenter: ['nodeSelector'],
  'argo-cd': ['global.nodeSelector', 'configs.cm', 'redis-ha'],
  'kube-prometheus-stack': ['grafana', 'kube-state-metrics', 'prometheus-node-exporter', 'prometheus-windows-exporter'],
  'external-secrets': ['bitwarden-sdk-server'],
  gatekeeper: ['controllerManager.nodeSelector', 'audit.nodeSelector', 'crds.nodeSelector', 'postInstall.nodeSelector', 'postUpgrade.nodeSelector', 'preUninstall.nodeSelector'],
  // A container's resources value is a Kubernetes ResourceRequirements, whatever its default holds.
  'metrics-server': ['resources'],
  // The webhook pod's securityContext: the chart passes every key but `enabled` through (omit . "enabled" | toYaml).
  'policy-controller': ['webhook.securityContext'],
};

const isMap = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Key paths of `values` that `defaults` does not have. */
export function unknownKeys(values: Doc, defaults: Doc, freeForm: readonly string[], prefix = ''): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!(key in defaults)) return [path];
    const d = defaults[key];
    if (freeForm.includes(path) || d === null || Array.isArray(d) || !isMap(d) || Object.keys(d).length === 0) return [];
    return isMap(value) ? unknownKeys(value, d, freeForm, path) : [];
  });
}

describe('Helm values use only keys the pinned charts define', () => {
  const { artifacts, models } = compileOk();
  const files = byPath(artifacts);

  for (const m of models) {
    for (const c of Object.values(m.platform)) {
      it(`${m.environment.name}: ${c.chart} ${c.version}`, () => {
        const chartFile = fixture(c.chart, 'Chart.yaml');
        expect(existsSync(chartFile), `no fixture for ${c.chart}`).toBe(true);
        expect((parse(readFileSync(chartFile, 'utf8')) as Doc).version, 'fixture version must match the pinned version').toBe(c.version);
        const defaults = parse(readFileSync(fixture(c.chart, 'values.yaml'), 'utf8')) as Doc;
        const values = parse(files.get(`helm/${m.environment.name}/${c.chart}.values.yaml`)!.content) as Doc;
        expect(unknownKeys(values, defaults, FREE_FORM[c.chart] ?? [])).toEqual([]);
      });
    }
    it(`${m.environment.name}: workload values use only keys their chart's schema declares`, () => {
      for (const w of m.workloads) {
        const schema = JSON.parse(files.get(`charts/${w.name}/values.schema.json`)!.content) as Doc;
        const values = parse(files.get(`helm/${m.environment.name}/workloads/${w.name}.values.yaml`)!.content) as Doc;
        expect(Object.keys(values).filter((k) => !(k in schema.properties))).toEqual([]);
        expect(Object.keys(values)).toContain('image');
      }
    });
  }

  it('reports a misspelt key and a key under a non-free-form map', () => {
    const defaults = parse(readFileSync(fixture('karpenter', 'values.yaml'), 'utf8')) as Doc;
    expect(unknownKeys({ settings: { clusterNam: 'x', clusterName: 'y' }, replicas: 2, podAnnotations: { a: 'b' } }, defaults, [])).toEqual(['settings.clusterNam']);
  });
});
