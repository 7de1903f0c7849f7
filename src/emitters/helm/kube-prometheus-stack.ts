/**
 * kube-prometheus-stack chart: Prometheus (retention and an encrypted gp3 volume from the
 * model), Grafana signed in through IAM Identity Center with no local admin (./grafana.ts) and the
 * dashboards sidecar, Alertmanager routed to the on-call endpoints (./alertmanager.ts), everything on the
 * platform pool except node-exporter, which runs on every node. Tuned for EKS: no scrapes or
 * alerts for the control-plane parts EKS does not expose.
 */
import type { Model } from '../../compiler/model.js';
import { STORAGE_CLASS } from '../kubernetes/meta.js';
import { alertmanagerValues } from './alertmanager.js';
import { placement, size, type Values } from './common.js';
import { grafanaValues } from './grafana.js';

/**
 * What EKS does not expose to in-cluster Prometheus: etcd, the scheduler and the controller manager
 * run in the managed control plane (no endpoints to scrape), and the kube-proxy add-on binds its
 * metrics to 127.0.0.1 on each node. Left on, their targets never appear and the chart's
 * "...Down" alerts (absent(up{job=...})) fire forever. Each entry: the chart's component key (its
 * ServiceMonitor and Service) and the defaultRules.rules keys of the rule groups about it; the
 * chart renders a group only when both are true (templates/prometheus/rules-1.14), so both go off.
 */
export const EKS_HIDDEN_COMPONENTS: Readonly<Record<string, readonly string[]>> = {
  kubeEtcd: ['etcd'],
  kubeControllerManager: ['kubeControllerManager'],
  kubeScheduler: ['kubeSchedulerAlerting', 'kubeSchedulerRecording'],
  kubeProxy: ['kubeProxy'],
};

/** Rule groups about nodes the platform never runs (innovate's pools are Linux only). */
const ABSENT_RULES = ['windows'];

export function monitoringValues(model: Model): Values {
  const where = placement(model, 'platform');
  const onPlatform = { nodeSelector: where.nodeSelector, tolerations: where.tolerations };
  const hidden = Object.fromEntries(Object.keys(EKS_HIDDEN_COMPONENTS).map((k) => [k, { enabled: false }]));
  const rulesOff = Object.fromEntries([...Object.values(EKS_HIDDEN_COMPONENTS).flat(), ...ABSENT_RULES].sort().map((r) => [r, false]));
  return {
    ...hidden,
    defaultRules: { rules: rulesOff },
    prometheus: {
      prometheusSpec: {
        ...onPlatform,
        retention: model.observability.prometheus.retention,
        resources: size('prometheus'),
        // Pick up every ServiceMonitor / PodMonitor / rule, not only the release's own.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        storageSpec: {
          volumeClaimTemplate: {
            spec: { storageClassName: STORAGE_CLASS, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${model.observability.prometheus.storageGiB}Gi` } } },
          },
        },
      },
    },
    alertmanager: { ...alertmanagerValues(model), alertmanagerSpec: { ...onPlatform, resources: size('small') } },
    prometheusOperator: { ...onPlatform, resources: size('small'), admissionWebhooks: { patch: onPlatform } },
    grafana: {
      ...onPlatform,
      resources: size('medium'),
      ...grafanaValues(model),
      sidecar: { dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: model.platform.monitoring.namespace } },
    },
    'kube-state-metrics': { ...onPlatform, metricLabelsAllowlist: ['nodes=[innovate.dev/pool,karpenter.sh/capacity-type]'] },
    'prometheus-node-exporter': { tolerations: [{ operator: 'Exists' }] },
  };
}
