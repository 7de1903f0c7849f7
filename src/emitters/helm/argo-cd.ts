/**
 * argo-cd chart: on the platform pool; knows the OCI chart registries the Applications use, and
 * assesses child Applications' health so the root application's sync waves wait for them
 * (ArgoCD's documented app-of-apps health check).
 */
import type { Model } from '../../compiler/model.js';
import { isOciRepository, platformComponents } from '../kubernetes/argocd.js';
import { placement, size, type Values } from './common.js';

const APPLICATION_HEALTH = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

export function argocdValues(model: Model): Values {
  const where = placement(model, 'platform');
  const oci = platformComponents(model).filter((c) => isOciRepository(c.repoUrl));
  return {
    global: { nodeSelector: where.nodeSelector, tolerations: where.tolerations },
    dex: { enabled: false },
    configs: {
      cm: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH },
      repositories: Object.fromEntries(oci.map((c) => [c.chart, { name: c.chart, type: 'helm', url: c.repoUrl, enableOCI: 'true' }])),
    },
    controller: { resources: size('large') },
    server: { resources: size('small') },
    repoServer: { resources: size('medium') },
    applicationSet: { resources: size('small') },
    notifications: { resources: size('tiny') },
    redis: { resources: size('small') },
  };
}
