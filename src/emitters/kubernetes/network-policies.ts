/**
 * NetworkPolicies of each application namespace (enforced by the VPC CNI's network policy
 * agent): deny everything, then allow DNS, the ALB (target-type ip sends from the public
 * subnets) to each ingress workload's port, Prometheus to each metrics port, and only
 * workloads with `database: true` to the isolated subnets on the database port. external-dns's
 * namespace is default-deny too: out only to CoreDNS, the Pod Identity agent and HTTPS (Route 53's
 * global endpoint through the NAT gateway, STS, the API server it watches Ingresses on).
 */
import type { Model, Workload } from '../../compiler/model.js';
import { k8sName } from '../../compiler/names.js';
import { applicationNamespaces, LABEL_NAME, meta, WAVE, waveAnnotations, type Doc } from './meta.js';

/** EKS Pod Identity agent: link-local on every node. */
const POD_IDENTITY_AGENT = '169.254.170.23/32';

function policy(model: Model, namespace: string, name: string, spec: Doc): Doc {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(model, name, { namespace, annotations: waveAnnotations(WAVE.guardrails) }),
    spec,
  };
}

const selectWorkload = (w: Workload): Doc => ({ matchLabels: { [LABEL_NAME]: w.name } });
const nsSelector = (name: string): Doc => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

/** Deny everything, then let every pod of the namespace resolve names through CoreDNS. */
const baseline = (model: Model, namespace: string): Doc[] => [
  policy(model, namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  policy(model, namespace, 'allow-dns', {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [{ namespaceSelector: nsSelector('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ],
  }),
];

/** AWS APIs through the VPC endpoints or the NAT gateway, credentials from the Pod Identity agent. */
const awsEgress = (): Doc[] => [
  { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT } }], ports: [{ protocol: 'TCP', port: 80 }] },
  { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] },
];

function namespacePolicies(model: Model, namespace: string): Doc[] {
  const workloads = model.workloads.filter((w) => w.namespace === namespace);
  const out: Doc[] = baseline(model, namespace);
  for (const w of workloads) {
    if (w.ingress) {
      out.push(
        policy(model, namespace, k8sName('allow-ingress', w.name), {
          podSelector: selectWorkload(w),
          policyTypes: ['Ingress'],
          ingress: [{ from: model.network.zones.map((z) => ({ ipBlock: { cidr: z.publicCidr } })), ports: [{ protocol: 'TCP', port: w.port }] }],
        }),
      );
    }
    if (w.metrics) {
      out.push(
        policy(model, namespace, k8sName('allow-metrics', w.name), {
          podSelector: selectWorkload(w),
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ namespaceSelector: nsSelector(model.platform.monitoring.namespace) }], ports: [{ protocol: 'TCP', port: w.metrics.port }] }],
        }),
      );
    }
    if (w.database) {
      out.push(
        policy(model, namespace, k8sName('allow-database', w.name), {
          podSelector: selectWorkload(w),
          policyTypes: ['Egress'],
          egress: [{ to: model.network.zones.map((z) => ({ ipBlock: { cidr: z.isolatedCidr } })), ports: [{ protocol: 'TCP', port: model.network.databasePort }] }],
        }),
      );
    }
    if (w.aws.length > 0) {
      // AWS APIs through the VPC endpoints or the NAT gateway, credentials from the Pod Identity agent.
      out.push(
        policy(model, namespace, k8sName('allow-aws', w.name), {
          podSelector: selectWorkload(w),
          policyTypes: ['Egress'],
          egress: awsEgress(),
        }),
      );
    }
  }
  return out;
}

/** external-dns: Route 53 (global, no interface endpoint: through the NAT gateway), STS, the API server, all on 443. */
function externalDnsPolicies(model: Model): Doc[] {
  const c = model.platform.externalDns;
  if (!c) return [];
  return [...baseline(model, c.namespace), policy(model, c.namespace, 'allow-external-dns', { podSelector: {}, policyTypes: ['Egress'], egress: awsEgress() })];
}

/**
 * policy-controller: default-deny too. Out to KMS (the signing key's public key), ECR and S3 (the
 * signatures) and STS, the API server (it reconciles its webhook configurations and policies), all
 * on 443; in, the API server's admission calls on the webhook port from the VPC (the control plane's
 * ENIs sit in the cluster subnets).
 */
function policyControllerPolicies(model: Model): Doc[] {
  const c = model.platform.policyController;
  if (!c) return [];
  return [
    ...baseline(model, c.namespace),
    policy(model, c.namespace, 'allow-policy-controller', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ ipBlock: { cidr: model.network.vpcCidr } }], ports: [{ protocol: 'TCP', port: POLICY_CONTROLLER_WEBHOOK_PORT }] }],
      egress: awsEgress(),
    }),
  ];
}

/** The port policy-controller's webhook container listens on (the chart's containerPort 8443; its Service maps 443 to it). */
export const POLICY_CONTROLLER_WEBHOOK_PORT = 8443;

export function networkPolicyDocuments(model: Model): Doc[] {
  return [...applicationNamespaces(model).flatMap((ns) => namespacePolicies(model, ns)), ...externalDnsPolicies(model), ...policyControllerPolicies(model)];
}
