// Pods each platform chart's pinned defaults give when our values are silent (CHART_POD_DEFAULTS), read
// from the vendored values.yaml files: test/fixtures/charts/<chart>/values.yaml (the pinned charts) and,
// for kube-prometheus-stack's subcharts, inventory/charts/<subchart>/values.yaml overlaid with the parent's
// block for that subchart, as Helm does.
//
// A recipe names where the chart's templates read each value (checked against the templates at the pinned
// versions): replicas (a values path, or a number the template fixes), the resources block of each
// container, tolerations / nodeSelector / affinity (values paths, falling back along the list the way
// `x | default .Values.global.x` does). Hooks (Jobs) and components disabled by default are left out.
import { parse } from 'yaml';
import { podFromValues } from './pods.mjs';

const isMap = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Helm's coalescing of a subchart's defaults with the parent's block for it: maps merge, the rest replace. */
export const overlay = (base, top) => {
  if (!isMap(base) || !isMap(top)) return top === undefined ? base : top;
  const out = { ...base };
  for (const [k, v] of Object.entries(top)) out[k] = k in base ? overlay(base[k], v) : v;
  return out;
};

const std = (component, workload, valuesPath, extra = {}) => {
  const p = (k) => (valuesPath ? `${valuesPath}.${k}` : k);
  return { component, workload, valuesPath, replicas: p('replicas'), containers: [p('resources')], tolerations: p('tolerations'), nodeSelector: p('nodeSelector'), affinity: p('affinity'), ...extra };
};
const argo = (component, workload, valuesPath, extra = {}) =>
  std(component, workload, valuesPath, { tolerations: [`${valuesPath}.tolerations`, 'global.tolerations'], nodeSelector: [`${valuesPath}.nodeSelector`, 'global.nodeSelector'], affinity: [`${valuesPath}.affinity`, 'global.affinity'], ...extra });

export const CHART_RECIPES = {
  karpenter: [std('karpenter', 'Deployment', '', { containers: ['controller.resources'] })],
  'aws-load-balancer-controller': [std('aws-load-balancer-controller', 'Deployment', '', { replicas: 'replicaCount' })],
  'metrics-server': [std('metrics-server', 'Deployment', '')],
  // external-dns's Deployment fixes `replicas: 1` in its template (one writer per owner id).
  'external-dns': [std('external-dns', 'Deployment', '', { replicas: 1 })],
  // policy-controller's webhook Deployment: nodeSelector and tolerations are the chart's common ones.
  'policy-controller': [std('policy-controller-webhook', 'Deployment', 'webhook', { replicas: 'webhook.replicaCount', tolerations: 'commonTolerations', nodeSelector: 'commonNodeSelector' })],
  gatekeeper: [
    std('gatekeeper-controller-manager', 'Deployment', 'controllerManager', { replicas: 'replicas' }),
    std('gatekeeper-audit', 'Deployment', 'audit', { replicas: 1 }),
  ],
  'external-secrets': [
    std('external-secrets', 'Deployment', '', { replicas: 'replicaCount', tolerations: ['tolerations', 'global.tolerations'], nodeSelector: ['nodeSelector', 'global.nodeSelector'], affinity: ['affinity', 'global.affinity'] }),
    std('external-secrets-webhook', 'Deployment', 'webhook', { replicas: 'webhook.replicaCount', tolerations: ['webhook.tolerations', 'global.tolerations'], nodeSelector: ['webhook.nodeSelector', 'global.nodeSelector'], affinity: ['webhook.affinity', 'global.affinity'], enabled: 'webhook.create' }),
    std('external-secrets-cert-controller', 'Deployment', 'certController', { replicas: 'certController.replicaCount', tolerations: ['certController.tolerations', 'global.tolerations'], nodeSelector: ['certController.nodeSelector', 'global.nodeSelector'], affinity: ['certController.affinity', 'global.affinity'], enabled: 'certController.create' }),
  ],
  'argo-cd': [
    argo('argocd-application-controller', 'StatefulSet', 'controller'),
    argo('argocd-repo-server', 'Deployment', 'repoServer'),
    argo('argocd-server', 'Deployment', 'server'),
    argo('argocd-applicationset-controller', 'Deployment', 'applicationSet'),
    argo('argocd-dex-server', 'Deployment', 'dex', { replicas: 1, enabled: 'dex.enabled' }),
    argo('argocd-redis', 'Deployment', 'redis', { replicas: 1, enabled: 'redis.enabled' }),
    argo('argocd-notifications-controller', 'Deployment', 'notifications', { replicas: 1, enabled: 'notifications.enabled' }),
  ],
  'kube-prometheus-stack': [
    std('prometheus-operator', 'Deployment', 'prometheusOperator', { replicas: 1, enabled: 'prometheusOperator.enabled' }),
    std('prometheus', 'StatefulSet', 'prometheus.prometheusSpec', { containers: ['prometheus.prometheusSpec.resources', 'prometheusOperator.prometheusConfigReloader.resources'], enabled: 'prometheus.enabled' }),
    std('alertmanager', 'StatefulSet', 'alertmanager.alertmanagerSpec', { containers: ['alertmanager.alertmanagerSpec.resources', 'prometheusOperator.prometheusConfigReloader.resources'], enabled: 'alertmanager.enabled' }),
    std('grafana', 'Deployment', 'grafana', { containers: ['grafana.resources', 'grafana.sidecar.resources', 'grafana.sidecar.resources'], enabled: 'grafana.enabled' }),
    std('kube-state-metrics', 'Deployment', 'kube-state-metrics', { enabled: 'kubeStateMetrics.enabled' }),
    std('node-exporter', 'DaemonSet', 'prometheus-node-exporter', { enabled: 'nodeExporter.enabled' }),
  ],
};

/** kube-prometheus-stack's subcharts and the vendored defaults (inventory-relative) they are read from. */
export const SUBCHARTS = {
  'kube-prometheus-stack': { grafana: 'charts/grafana/values.yaml', 'kube-state-metrics': 'charts/kube-state-metrics/values.yaml', 'prometheus-node-exporter': 'charts/prometheus-node-exporter/values.yaml' },
};

const at = (o, path) => path.split('.').reduce((x, k) => (x && typeof x === 'object' ? x[k] : undefined), o);

/**
 * readChart(chart) -> { values: text of values.yaml, version }; readInventory(path) -> text.
 * Components whose `enabled` key is false by default are dropped.
 */
export function chartPodDefaults(readChart, readInventory) {
  const out = {};
  for (const [chart, recipes] of Object.entries(CHART_RECIPES)) {
    const { values: text, version } = readChart(chart);
    let values = parse(text);
    const subs = SUBCHARTS[chart] ?? {};
    for (const [name, path] of Object.entries(subs)) values = { ...values, [name]: overlay(parse(readInventory(path)), values[name]) };
    const source = `${chart} ${version} values.yaml${Object.keys(subs).length ? ` (+ subcharts ${Object.keys(subs).map((s) => `${s} ${versionOf(readInventory(path(s, subs)))}`).join(', ')})` : ''}`;
    out[chart] = recipes
      .filter((r) => !r.enabled || at(values, r.enabled) !== false)
      .map((r) => {
        const { enabledBy: _e, ...fact } = podFromValues(values, r, source);
        return fact;
      });
  }
  return out;
}

const path = (s, subs) => subs[s].replace('values.yaml', 'Chart.yaml');
const versionOf = (chartYaml) => /^version:\s*"?([^"\s]+)"?/m.exec(chartYaml)?.[1] ?? '?';
export { versionOf };
