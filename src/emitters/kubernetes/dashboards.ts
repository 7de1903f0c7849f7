/**
 * Grafana dashboards as ConfigMaps the kube-prometheus-stack sidecar loads (label
 * grafana_dashboard: "1"): operations (cluster health, nodes, pods, utilization) and, when a
 * workload exposes metrics, application (request rate, latency p50/p95/p99, 5xx rate per
 * workload; metric names of prometheus-flask-exporter).
 */
import type { Model, Workload } from '../../compiler/model.js';
import { toJson } from '../serialize.js';
import { meta, WAVE, waveAnnotations, type Doc } from './meta.js';

const DATASOURCE = { type: 'prometheus', uid: 'prometheus' };

interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly targets: readonly { readonly expr: string; readonly legend: string }[];
}

function dashboard(uid: string, title: string, panels: readonly Panel[]): Doc {
  return {
    uid,
    title,
    tags: ['innovate'],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    panels: panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource: DATASOURCE,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legend, datasource: DATASOURCE })),
    })),
  };
}

function operations(): Doc {
  return dashboard('innovate-operations', 'Operations', [
    { title: 'Nodes by pool', unit: 'short', targets: [{ expr: 'count by (label_innovate_dev_pool) (kube_node_labels)', legend: '{{label_innovate_dev_pool}}' }] },
    { title: 'Pods not running', unit: 'short', targets: [{ expr: 'sum by (namespace, phase) (kube_pod_status_phase{phase=~"Pending|Failed|Unknown"})', legend: '{{namespace}} {{phase}}' }] },
    { title: 'Node CPU utilization', unit: 'percentunit', targets: [{ expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))', legend: '{{instance}}' }] },
    { title: 'Node memory utilization', unit: 'percentunit', targets: [{ expr: '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', legend: '{{instance}}' }] },
    { title: 'Container restarts (1h)', unit: 'short', targets: [{ expr: 'sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total[1h])) > 0', legend: '{{namespace}}/{{pod}}' }] },
    { title: 'CPU requested vs allocatable', unit: 'percentunit', targets: [{ expr: 'sum(kube_pod_container_resource_requests{resource="cpu"}) / sum(kube_node_status_allocatable{resource="cpu"})', legend: 'cpu' }] },
  ]);
}

function application(workloads: readonly Workload[]): Doc {
  const sel = (w: Workload) => `namespace="${w.namespace}", service="${w.name}"`;
  const quantile = (q: string) =>
    workloads.map((w) => ({ expr: `histogram_quantile(${q}, sum by (le) (rate(flask_http_request_duration_seconds_bucket{${sel(w)}}[5m])))`, legend: `${w.name} p${q.slice(2).padEnd(2, '0')}` }));
  return dashboard('innovate-application', 'Application', [
    { title: 'Request rate', unit: 'reqps', targets: workloads.map((w) => ({ expr: `sum(rate(flask_http_request_total{${sel(w)}}[5m]))`, legend: w.name })) },
    { title: 'Error rate (5xx)', unit: 'percentunit', targets: workloads.map((w) => ({ expr: `sum(rate(flask_http_request_total{${sel(w)}, status=~"5.."}[5m])) / sum(rate(flask_http_request_total{${sel(w)}}[5m]))`, legend: w.name })) },
    { title: 'Latency p50 / p95 / p99', unit: 's', targets: [...quantile('0.5'), ...quantile('0.95'), ...quantile('0.99')] },
    { title: 'Errors by endpoint', unit: 'reqps', targets: workloads.map((w) => ({ expr: `sum by (path) (rate(flask_http_request_total{${sel(w)}, status=~"5.."}[5m]))`, legend: `${w.name} {{path}}` })) },
  ]);
}

function configMap(model: Model, name: string, json: Doc): Doc {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(model, `dashboard-${name}`, { namespace: model.platform.monitoring.namespace, labels: { grafana_dashboard: '1' }, annotations: waveAnnotations(WAVE.routing) }),
    data: { [`${name}.json`]: toJson(json) },
  };
}

export function dashboardDocuments(model: Model): Doc[] {
  const measured = model.workloads.filter((w) => w.metrics);
  return [configMap(model, 'operations', operations()), ...(measured.length > 0 ? [configMap(model, 'application', application(measured))] : [])];
}
