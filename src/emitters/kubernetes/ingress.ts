/**
 * Ingress for the AWS Load Balancer Controller: every ingress workload of a namespace behind one
 * internet-facing ALB shared through the model's ingress group. Nothing AWS-generated is
 * written here: the certificate is discovered by host, the security group found by its Name tag.
 */
import type { Model, Workload } from '../../compiler/model.js';
import { k8sName } from '../../compiler/names.js';
import { meta, WAVE, waveAnnotations, type Doc } from './meta.js';

export const INGRESS_CLASS = 'alb';

export function ingressAnnotations(model: Model): Record<string, string> {
  return {
    'alb.ingress.kubernetes.io/scheme': 'internet-facing',
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
    'alb.ingress.kubernetes.io/ssl-redirect': '443',
    'alb.ingress.kubernetes.io/ssl-policy': model.security.tlsPolicy,
    'alb.ingress.kubernetes.io/security-groups': model.names.albSecurityGroup,
    'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'false',
    'alb.ingress.kubernetes.io/group.name': model.names.ingressGroup,
    'alb.ingress.kubernetes.io/tags': albTags(model),
  };
}

/**
 * The controller reads `k=v,k=v`: it splits at every ",", trims each pair and splits it at the
 * first "=". Tag keys and values are checked at the spec line (AWS's characters exclude ",";
 * keys may not hold "=" nor values start or end with white space: src/schema/formats.ts), so
 * every tag arrives as itself; one that could not is left out rather than split into others.
 */
function albTags(model: Model): string {
  const carried = model.tags.filter((t) => !/[,=]/.test(t.key) && !t.value.includes(',') && t.key.trim() === t.key && t.value.trim() === t.value);
  return carried.map((t) => `${t.key}=${t.value}`).join(',');
}

/** Longest path first: the ALB evaluates an Ingress's rules in order. */
const byPathLength = (a: Workload, b: Workload): number => b.ingress!.path.length - a.ingress!.path.length || (a.name < b.name ? -1 : 1);

function ingress(model: Model, namespace: string, host: string, workloads: readonly Workload[]): Doc {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(model, k8sName(model.project, namespace), { namespace, annotations: { ...waveAnnotations(WAVE.routing), ...ingressAnnotations(model) } }),
    spec: {
      ingressClassName: INGRESS_CLASS,
      // No secretName: the controller finds the ACM certificate whose name matches the host.
      tls: [{ hosts: [host] }],
      rules: [
        {
          host,
          http: {
            paths: [...workloads].sort(byPathLength).map((w) => ({
              path: w.ingress!.path,
              pathType: 'Prefix',
              backend: { service: { name: w.name, port: { name: 'http' } } },
            })),
          },
        },
      ],
    },
  };
}

export function ingressDocuments(model: Model): Doc[] {
  if (!model.ingress) return [];
  const host = model.ingress.host;
  const routed = model.workloads.filter((w) => w.ingress);
  const namespaces = [...new Set(routed.map((w) => w.namespace))].sort();
  return namespaces.map((ns) => ingress(model, ns, host, routed.filter((w) => w.namespace === ns)));
}
