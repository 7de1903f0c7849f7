/**
 * kube-prometheus-stack chart: Prometheus (retention and an encrypted gp3 volume from the
 * model), Grafana with its admin from the Secret External Secrets syncs and the dashboards
 * sidecar, everything on the platform pool except node-exporter, which runs on every node.
 */
import type { Model } from '../../compiler/model.js';
import { GRAFANA_ADMIN_SECRET, STORAGE_CLASS } from '../kubernetes/meta.js';
import { placement, size, type Values } from './common.js';

export function monitoringValues(model: Model): Values {
  const where = placement(model, 'platform');
  const onPlatform = { nodeSelector: where.nodeSelector, tolerations: where.tolerations };
  return {
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
    alertmanager: { alertmanagerSpec: { ...onPlatform, resources: size('small') } },
    prometheusOperator: { ...onPlatform, resources: size('small'), admissionWebhooks: { patch: onPlatform } },
    grafana: {
      ...onPlatform,
      resources: size('medium'),
      admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' },
      sidecar: { dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: model.platform.monitoring.namespace } },
    },
    'kube-state-metrics': { ...onPlatform, metricLabelsAllowlist: ['nodes=[innovate.dev/pool,karpenter.sh/capacity-type]'] },
    'prometheus-node-exporter': { tolerations: [{ operator: 'Exists' }] },
  };
}
