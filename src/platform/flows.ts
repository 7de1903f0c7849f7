/**
 * The flows a deployed platform needs, and whether each gets through. The model says what must
 * talk to what (which workloads serve an ingress, use the database, expose metrics); the platform
 * says where each side sits (node kinds and their groups and subnets, the control plane, the
 * database, rotation functions, load balancers) and what the network lets through (reach.ts).
 *
 * Pods get their node's security groups (the VPC CNI gives pods the node's primary ENI groups
 * unless security groups for pods are configured, which innovate does not emit), so a flow between
 * pods is a flow between the node kinds they may run on — every pair, since the scheduler may put
 * them on any.
 */
import type { Model } from '../compiler/model.js';
import { CLUSTER_SG } from './network.js';
import { Network, networkPolicyAllows, type Peer, type Place, type PodSide, type Protocol, type Verdict } from './reach.js';
import type { NetworkInterfaceFact, NodeKind, Platform, Pod, Source } from './types.js';

/** What each kind of flow is for; the table docs/boot.md shows. */
export const FLOW_KINDS = {
  'node-to-api': { title: 'nodes → API server', ports: 'tcp 443', why: 'the kubelet registers the node and reports; pods reach the API through their node' },
  'api-to-kubelet': { title: 'control plane → kubelet', ports: 'tcp 10250', why: 'logs, exec, port-forward; metrics the HPA needs come through it' },
  'api-to-webhook': { title: 'control plane → webhook and aggregated API pods', ports: 'their ports', why: 'admission webhooks (a failing one blocks every write it matches) and metrics.k8s.io; the NetworkPolicies of a default-deny namespace must let the calls in' },
  'scrape-kubelet': { title: 'metrics-server and Prometheus → every node', ports: 'tcp 10250', why: 'resource metrics for the HPA; node metrics for alerts' },
  'pod-to-dns': { title: 'every node → CoreDNS', ports: 'udp 53, tcp 53', why: 'name resolution; NetworkPolicies of default-deny namespaces must let it out' },
  'lb-to-target': { title: 'load balancer → workload pods', ports: 'each workload port', why: 'ALB target type ip sends to pod addresses' },
  'app-to-database': { title: 'workload and migration pods → database', ports: 'the database port', why: 'the app and its PreSync migration' },
  'metrics-scrape': { title: 'Prometheus → workload metrics', ports: 'each metrics port', why: 'ServiceMonitors' },
  'node-to-aws': { title: 'nodes → AWS APIs', ports: 'tcp 443', why: 'image pulls (ECR, S3 layers), Pod Identity (eks-auth), STS' },
  'controller-to-aws': { title: 'controllers → the AWS APIs they call', ports: 'tcp 443', why: 'Karpenter launches nodes, the ALB controller builds load balancers, External Secrets reads secrets, external-dns writes the host\'s record in Route 53, agents ship logs and metrics' },
  'controller-to-api': { title: 'controllers in default-deny namespaces → API server', ports: 'tcp 443', why: 'external-dns watches Ingresses, policy-controller reconciles its webhooks and policies; the NetworkPolicies of their namespaces must let them out' },
  'function-to-database': { title: 'rotation functions → database', ports: 'the database port', why: 'Secrets Manager rotation changes the password in the database' },
  'function-to-aws': { title: 'rotation functions → Secrets Manager', ports: 'tcp 443', why: 'rotation reads and writes the secret' },
} as const;
export type FlowKind = keyof typeof FLOW_KINDS;

export interface Flow {
  readonly kind: FlowKind;
  /** `node kind karpenter:spot-x86 → the control plane, tcp 443` */
  readonly description: string;
  readonly from: string;
  readonly to: string;
  /** Where a failure is reported when the blocking fact has no spec position of its own. */
  readonly report: Source;
  readonly check: (network: Network) => Verdict;
}

/** Services every node calls: image pulls (ECR API, registry, S3 for layers), Pod Identity's agent, STS. */
export const NODE_SERVICES = ['ecr.api', 'ecr.dkr', 's3', 'eks-auth', 'sts'] as const;

/**
 * AWS APIs each controller pod calls, from its documentation for clusters without internet access
 * (Karpenter: "Private Clusters"; AWS Load Balancer Controller: "Deploy on a private cluster"; EKS
 * add-ons: the endpoints the CloudWatch agent and EBS CSI driver name).
 */
export const CONTROLLER_SERVICES: Readonly<Record<string, readonly string[]>> = {
  'chart:karpenter/karpenter': ['ec2', 'sqs', 'ssm', 'sts', 'eks', 'iam'],
  'chart:aws-load-balancer-controller/aws-load-balancer-controller': ['elasticloadbalancing', 'ec2', 'sts'],
  'chart:external-secrets/external-secrets': ['secretsmanager', 'sts'],
  'addon:amazon-cloudwatch-observability/cloudwatch-agent': ['logs', 'monitoring'],
  'addon:amazon-cloudwatch-observability/fluent-bit': ['logs'],
  'addon:aws-ebs-csi-driver/ebs-csi-controller': ['ec2', 'sts'],
  // Route 53's API is global (route53.amazonaws.com) and has no interface endpoint in the VPC: through the NAT gateway.
  'chart:external-dns/external-dns': ['route53', 'sts'],
};

/** external-dns: writes the ingress host's record (INV114); it watches Ingresses through the API server. */
export const EXTERNAL_DNS_POD = 'chart:external-dns/external-dns';
/** sigstore policy-controller's webhook: verifies image signatures at admission (INV123). */
export const POLICY_CONTROLLER_POD = 'chart:policy-controller/policy-controller-webhook';
/** Controllers in a default-deny namespace that talk to the API server (the others run where no NetworkPolicy applies). */
const API_CLIENTS = [EXTERNAL_DNS_POD, POLICY_CONTROLLER_POD];

/**
 * What policy-controller calls: KMS for the signing key's public key (in the key's region: another
 * region's KMS has no endpoint in this VPC, so it goes through the NAT gateway), ECR and S3 for the
 * signatures (ECR serves layers from S3), STS.
 */
function policyControllerServices(model: Model): readonly string[] {
  const signer = model.admission.signatures?.signer;
  if (!signer) return [];
  return [signer.region === model.environment.region ? 'kms' : `kms.${signer.region}`, 'ecr.api', 'ecr.dkr', 's3', 'sts'];
}
/** The EKS Pod Identity agent (link-local on every node): where a Pod Identity pod gets its credentials. */
const POD_IDENTITY_AGENT = '169.254.170.23/32';

/**
 * Pods serving the API server (admission webhooks, the metrics.k8s.io aggregated API), with the port
 * each listens on in the pinned chart's defaults: external-secrets `webhook.port: 10250`,
 * gatekeeper `controllerManager.port: 8443`, aws-load-balancer-controller `webhookBindPort` (9443),
 * metrics-server `containerPort: 10250`, kube-prometheus-stack's operator `tls.internalPort: 10250`.
 */
export const WEBHOOK_PORTS: Readonly<Record<string, number>> = {
  'chart:external-secrets/external-secrets-webhook': 10250,
  'chart:gatekeeper/gatekeeper-controller-manager': 8443,
  'chart:aws-load-balancer-controller/aws-load-balancer-controller': 9443,
  'chart:metrics-server/metrics-server': 10250,
  'chart:kube-prometheus-stack/prometheus-operator': 10250,
  // policy-controller's webhook containerPort (its Service's 443 targets it).
  [POLICY_CONTROLLER_POD]: 8443,
};

/** CoreDNS as NetworkPolicies select it: the add-on's pods carry k8s-app=kube-dns in kube-system (inventory/eksctl/coredns-1.35.json). */
export const COREDNS: PodSide = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
const COREDNS_POD = 'addon:coredns/coredns';
const SCRAPERS = ['chart:metrics-server/metrics-server', 'chart:kube-prometheus-stack/prometheus'];
const PROMETHEUS = 'chart:kube-prometheus-stack/prometheus';

const nodePlace = (n: NodeKind): Place => ({ name: `node kind ${n.id}`, groups: n.securityGroups.map((g) => g.id), subnets: n.subnets, source: n.source });
const interfacePlace = (i: NetworkInterfaceFact): Place => ({ name: `${i.kind} ${i.name}`, groups: i.securityGroups, subnets: i.subnets, source: i.source });

/** A flow between pods (or a pod and address blocks) also passes the NetworkPolicies of each pod's namespace. */
function withPolicies(platform: Platform, network: Verdict, checks: readonly { pod: PodSide; direction: 'Ingress' | 'Egress'; peer: Peer; proto: Protocol; port: number; what: string; report: Source }[]): Verdict {
  if (!network.ok) return network;
  const used = [...network.used];
  for (const c of checks) {
    const r = networkPolicyAllows(platform.network.networkPolicies, c.pod, c.direction, c.peer, c.proto, c.port);
    if (!r.allowed) return { ok: false, used, blocked: { layer: 'network-policy', message: `the NetworkPolicies of namespace ${c.pod.namespace} (${r.policies} select the pod) ${c.direction === 'Egress' ? 'let no' : 'admit no'} ${c.proto} ${c.port} ${c.what}`, source: c.report } };
    if (r.used) used.push(r.used);
  }
  return { ok: true, used };
}

export function requiredFlows(platform: Platform, model: Model): Flow[] {
  const flows: Flow[] = [];
  // A flow to a database stays in its VPC: the DR region's replica is reached by nothing in the primary's.
  const vpcOf = (subnets: readonly string[]) => platform.network.subnets.find((s) => subnets.includes(s.id))?.vpc ?? 'primary';
  const databases = (from: readonly string[]) => platform.network.interfaces.filter((i) => i.kind === 'database' && vpcOf(i.subnets) === vpcOf(from));
  const nodes = new Map(platform.nodeKinds.map((n) => [n.id, n]));
  const pod = (id: string) => platform.pods.find((p) => p.id === id);
  const kindsOf = (p: Pod | undefined) => (p ? p.placement.map((id) => nodes.get(id)!).filter(Boolean) : []);
  const clusterSg = platform.network.securityGroups.find((g) => g.id === CLUSTER_SG);
  const controlPlane: Place = { name: 'the control plane', groups: platform.network.controlPlaneSecurityGroups, subnets: platform.network.controlPlaneSubnets, source: clusterSg?.source ?? { artifact: '?', resource: 'EKS cluster', specPath: ['cluster'] } };
  const add = (kind: FlowKind, from: Place, to: Place | string, ports: string, report: Source, check: (n: Network) => Verdict) => {
    const toName = typeof to === 'string' ? to : to.name;
    flows.push({ kind, description: `${from.name} → ${toName}, ${ports}`, from: from.name, to: toName, report, check });
  };

  for (const n of platform.nodeKinds) {
    const place = nodePlace(n);
    add('node-to-api', place, controlPlane, 'tcp 443', n.source, (net) => net.between(place, controlPlane, 'tcp', 443));
    add('api-to-kubelet', controlPlane, place, 'tcp 10250', n.source, (net) => net.between(controlPlane, place, 'tcp', 10250));
    for (const service of NODE_SERVICES) add('node-to-aws', place, service, 'tcp 443', n.source, (net) => net.toService(place, service));
  }
  for (const [id, port] of Object.entries(WEBHOOK_PORTS)) {
    const p = pod(id);
    const cidrs = controlPlane.subnets.map((s) => platform.network.subnets.find((x) => x.id === s)?.cidr ?? s);
    for (const n of kindsOf(p)) {
      add('api-to-webhook', controlPlane, { ...nodePlace(n), name: `${id} on ${n.id}` }, `tcp ${port}`, p!.source, (net) =>
        withPolicies(platform, net.between(controlPlane, nodePlace(n), 'tcp', port), [{ pod: p!, direction: 'Ingress', peer: { cidrs }, proto: 'tcp', port, what: `into ${p!.id} from the API server's subnets`, report: p!.source }]),
      );
    }
  }
  for (const id of SCRAPERS) {
    const p = pod(id);
    for (const from of kindsOf(p)) for (const to of platform.nodeKinds) add('scrape-kubelet', { ...nodePlace(from), name: `${id} on ${from.id}` }, nodePlace(to), 'tcp 10250', p!.source, (net) => net.between(nodePlace(from), nodePlace(to), 'tcp', 10250));
  }
  const dns = kindsOf(pod(COREDNS_POD));
  // Workload pods and the platform charts' pods: every pod whose namespace has NetworkPolicies must be let out to CoreDNS.
  const workloadPods = platform.pods.filter((p) => p.origin === 'workload' || p.origin === 'job' || p.origin === 'chart');
  for (const from of platform.nodeKinds) {
    for (const to of dns) {
      for (const proto of ['udp', 'tcp'] as const) {
        // NetworkPolicies: every workload pod that may run on `from` must be let out to CoreDNS.
        const pods = workloadPods.filter((p) => p.placement.includes(from.id));
        add('pod-to-dns', nodePlace(from), `CoreDNS on ${to.id}`, `${proto} 53`, from.source, (net) =>
          withPolicies(platform, net.between(nodePlace(from), nodePlace(to), proto, 53), pods.map((p) => ({ pod: p, direction: 'Egress' as const, peer: { pod: COREDNS }, proto, port: 53, what: `from ${p.id} to CoreDNS`, report: p.source }))),
        );
      }
    }
  }
  for (const w of model.workloads) {
    const serving = platform.pods.filter((p) => p.owner === w.name && p.origin === 'workload');
    const jobs = platform.pods.filter((p) => p.owner === w.name && p.origin === 'job');
    const spec: Source = { artifact: serving[0]?.source.artifact ?? '?', resource: `workload ${w.name}`, specPath: ['workloads', w.name] };
    if (w.ingress && w.port !== undefined) {
      const port = w.port;
      for (const lb of platform.network.interfaces.filter((i) => i.kind === 'load-balancer')) {
        const from = interfacePlace(lb);
        const cidrs = lb.subnets.map((s) => platform.network.subnets.find((x) => x.id === s)?.cidr ?? s);
        for (const p of serving) for (const n of kindsOf(p)) add('lb-to-target', from, `${p.id} on ${n.id}`, `tcp ${port}`, spec, (net) => withPolicies(platform, net.between(from, nodePlace(n), 'tcp', port), [{ pod: p, direction: 'Ingress', peer: { cidrs }, proto: 'tcp', port, what: `into ${p.id} from the load balancer's subnets`, report: spec }]));
      }
    }
    if (w.database) {
      for (const db of databases(serving[0] ? kindsOf(serving[0]).flatMap((n) => n.subnets) : [])) {
        const to = interfacePlace(db);
        const port = db.port ?? 5432;
        const cidrs = db.subnets.map((s) => platform.network.subnets.find((x) => x.id === s)?.cidr ?? s);
        for (const p of [...serving, ...jobs]) for (const n of kindsOf(p)) add('app-to-database', { ...nodePlace(n), name: `${p.id} on ${n.id}` }, to, `tcp ${port}`, spec, (net) => withPolicies(platform, net.between(nodePlace(n), to, 'tcp', port), [{ pod: p, direction: 'Egress', peer: { cidrs }, proto: 'tcp', port, what: `from ${p.id} to the database subnets`, report: spec }]));
      }
    }
    if (w.metrics) {
      const prometheus = pod(PROMETHEUS);
      for (const from of kindsOf(prometheus)) {
        for (const p of serving) {
          for (const n of kindsOf(p)) {
            const port = w.metrics.port;
            add('metrics-scrape', { ...nodePlace(from), name: `Prometheus on ${from.id}` }, `${p.id} on ${n.id}`, `tcp ${port}`, spec, (net) =>
              withPolicies(platform, net.between(nodePlace(from), nodePlace(n), 'tcp', port), [{ pod: p, direction: 'Ingress', peer: { pod: { namespace: prometheus!.namespace, labels: prometheus!.labels } }, proto: 'tcp', port, what: `into ${p.id} from Prometheus`, report: spec }]),
            );
          }
        }
      }
    }
  }
  for (const [id, services] of Object.entries({ ...CONTROLLER_SERVICES, [POLICY_CONTROLLER_POD]: policyControllerServices(model) })) {
    const p = pod(id);
    if (!p) continue;
    // The NetworkPolicies of the controller's namespace (where it has any) must let it out to the service on 443
    // (any address: an endpoint in the VPC or the service's public one through NAT) and, with Pod Identity, to the agent.
    const podIdentity = p.identity?.via === 'pod-identity' || p.identity?.via === 'addon-pod-identity';
    const policies = (service: string) => [
      { pod: p, direction: 'Egress' as const, peer: { cidrs: ['0.0.0.0/0'] }, proto: 'tcp' as const, port: 443, what: `from ${p.id} to ${service}`, report: p.source },
      ...(podIdentity ? [{ pod: p, direction: 'Egress' as const, peer: { cidrs: [POD_IDENTITY_AGENT] }, proto: 'tcp' as const, port: 80, what: `from ${p.id} to the Pod Identity agent (${POD_IDENTITY_AGENT})`, report: p.source }] : []),
    ];
    for (const n of kindsOf(p)) for (const service of services) add('controller-to-aws', { ...nodePlace(n), name: `${id} on ${n.id}` }, service, 'tcp 443', p.source, (net) => withPolicies(platform, net.toService(nodePlace(n), service), policies(service)));
  }
  for (const id of API_CLIENTS) {
    const p = pod(id);
    if (!p) continue;
    const cidrs = controlPlane.subnets.map((s) => platform.network.subnets.find((x) => x.id === s)?.cidr ?? s);
    for (const n of kindsOf(p)) {
      add('controller-to-api', { ...nodePlace(n), name: `${id} on ${n.id}` }, controlPlane, 'tcp 443', p.source, (net) =>
        withPolicies(platform, net.between(nodePlace(n), controlPlane, 'tcp', 443), [{ pod: p, direction: 'Egress', peer: { cidrs }, proto: 'tcp', port: 443, what: `from ${p.id} to the API server's subnets`, report: p.source }]),
      );
    }
  }
  for (const fn of platform.network.interfaces.filter((i) => i.kind === 'function')) {
    const from = interfacePlace(fn);
    for (const db of databases(fn.subnets)) {
      const to = interfacePlace(db);
      add('function-to-database', from, to, `tcp ${db.port ?? 5432}`, fn.source, (net) => net.between(from, to, 'tcp', db.port ?? 5432));
    }
    add('function-to-aws', from, 'secretsmanager', 'tcp 443', fn.source, (net) => net.toService(from, 'secretsmanager'));
  }
  return flows;
}
