/**
 * Namespaces with Pod Security Standards labels; each application namespace gets a
 * LimitRange and a ResourceQuota (the document's per-namespace guardrails).
 */
import type { Model, Namespace } from '../../compiler/model.js';
import { SIGSTORE_INCLUDE_LABEL } from './image-policies.js';
import { applicationNamespaces, meta, platformNamespaces, WAVE, waveAnnotations, type Doc } from './meta.js';

/**
 * Enforced level of the platform namespaces: what the pinned charts need. Node exporter
 * (kube-prometheus-stack) uses the host network and host paths, so monitoring is privileged;
 * the other charts run within baseline, external-dns (non-root, read-only, no capabilities,
 * RuntimeDefault seccomp: src/emitters/helm/external-dns.ts) within restricted. All of them warn
 * and audit at restricted.
 */
const PLATFORM_POD_SECURITY: Readonly<Record<string, Namespace['podSecurity']>> = { monitoring: 'privileged', 'external-dns': 'restricted' };

function namespace(model: Model, name: string, enforce: Namespace['podSecurity'], role: 'application' | 'platform'): Doc {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(model, name, {
      labels: {
        'innovate.dev/namespace-role': role,
        'pod-security.kubernetes.io/enforce': enforce,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
        // Application namespaces are the ones policy-controller verifies images in (security.admission).
        ...(role === 'application' && model.admission.signatures ? { [SIGSTORE_INCLUDE_LABEL]: 'true' } : {}),
      },
      annotations: waveAnnotations(WAVE.namespaces),
    }),
  };
}

function limitRange(model: Model, ns: Namespace): Doc {
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: meta(model, 'defaults', { namespace: ns.name, annotations: waveAnnotations(WAVE.guardrails) }),
    spec: {
      limits: [{ type: 'Container', defaultRequest: { ...ns.limitRange.defaultRequest }, default: { ...ns.limitRange.default }, max: { ...ns.limitRange.max } }],
    },
  };
}

function resourceQuota(model: Model, ns: Namespace): Doc {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta(model, 'quota', { namespace: ns.name, annotations: waveAnnotations(WAVE.guardrails) }),
    spec: {
      hard: {
        'requests.cpu': ns.quota.requestsCpu,
        'requests.memory': ns.quota.requestsMemory,
        'limits.cpu': ns.quota.limitsCpu,
        'limits.memory': ns.quota.limitsMemory,
        pods: String(ns.quota.pods),
      },
    },
  };
}

export function namespaceDocuments(model: Model): Doc[] {
  const declared = new Map(model.namespaces.map((n) => [n.name, n]));
  const apps = applicationNamespaces(model);
  const platform = platformNamespaces(model).filter((n) => !declared.has(n));
  return [
    ...apps.map((n) => namespace(model, n, declared.get(n)?.podSecurity ?? model.security.podSecurity, 'application')),
    ...platform.map((n) => namespace(model, n, PLATFORM_POD_SECURITY[n] ?? 'baseline', 'platform')),
    ...model.namespaces.flatMap((ns) => [limitRange(model, ns), resourceQuota(model, ns)]),
  ];
}
