/**
 * Admission (architecture document: "Image signing with Sigstore/cosign for supply chain integrity";
 * docs/kubernetes.md, "Admission"), judged on the emitted manifests and Helm values:
 *   INV123 (error) production admission verifies the cosign signature of every workload image with
 *          the key CI signs with, and fails closed: a ClusterImagePolicy in enforce mode whose globs
 *          cover each workload's image repository and whose authority is the build environment's
 *          signing key; policy-controller's webhook with failurePolicy Fail, no-match-policy deny,
 *          and every namespace a workload runs in selected (policy.sigstore.dev/include=true);
 *          Gatekeeper's webhook failing closed too.
 *   INV124 (error) a webhook that fails closed never sees what the cluster needs to recover: the
 *          system namespaces (kube-system and every platform namespace) are exempt from Gatekeeper's
 *          webhook and never selected by policy-controller's, and Gatekeeper's webhook matches no
 *          cluster-scoped object (no namespace selector exempts those: NodeClaims, Nodes).
 */
import type { Model } from '../../compiler/model.js';
import { clusterName, signingKeyAlias } from '../../compiler/names.js';
import type { Platform } from '../../platform/index.js';
import type { K8sDoc, PolicyContext, PolicyFinding, Rule, ValuesFile } from '../policies/types.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const get = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((x, k) => (isObj(x) ? x[k] : undefined), v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The target of "nothing verifies": the ClusterImagePolicy innovate emits (a policy exception names it so). */
const IMAGE_POLICY = 'ClusterImagePolicy/signed-by-ci';
/** The label policy-controller's webhook selects namespaces by (the chart's default namespaceSelector). */
const INCLUDE = 'policy.sigstore.dev/include';

/** The environment whose CI signs: the build environment of the promotion chain. */
const buildEnvironment = (model: Model): Model['environment'] => model.delivery.promotion.build;

/** The key CI signs with, as cosign's awskms URI with the alias ARN (the build environment's signing alias). */
const ciSigningKey = (model: Model): string => {
  const b = buildEnvironment(model);
  return `awskms:///arn:aws:kms:${b.region}:${b.accountId}:${signingKeyAlias(clusterName(model.project, b.name))}`;
};

/** cosign/policy-controller glob: `**` crosses slashes, `*` does not. */
function globMatches(glob: string, image: string): boolean {
  const re = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*');
  return new RegExp(`^${re}$`).test(image);
}

interface EnvArtifacts {
  readonly docs: readonly { readonly artifact: string; readonly doc: K8sDoc }[];
  readonly values: (chart: string) => ValuesFile | undefined;
  readonly workloads: readonly ValuesFile[];
}

function artifactsOf(ctx: PolicyContext, env: string): EnvArtifacts {
  const values = ctx.values.filter((v) => v.environment === env);
  return {
    docs: ctx.manifests.filter((m) => m.environment === env).flatMap((m) => m.docs.map((doc) => ({ artifact: m.path, doc }))),
    values: (chart) => values.find((v) => v.path === `helm/${env}/${chart}.values.yaml`),
    workloads: values.filter((v) => v.path.startsWith(`helm/${env}/workloads/`)),
  };
}

const finding = (rule: string, env: string, artifact: string, target: string, message: string, specPath: readonly (string | number)[] = ['security', 'admission']): PolicyFinding => ({
  rule,
  message,
  artifact,
  target,
  environment: env,
  specPath: [...specPath],
});

/** Namespaces the system needs to come back: kube-system and those of every platform chart and add-on pod. */
const systemNamespaces = (platform: Platform): string[] =>
  [...new Set(['kube-system', ...platform.pods.filter((p) => p.origin === 'chart' || p.origin === 'addon').map((p) => p.namespace)])].sort();

function verification(ctx: PolicyContext, model: Model): PolicyFinding[] {
  const env = model.environment.name;
  const a = artifactsOf(ctx, env);
  const out: PolicyFinding[] = [];
  const images = a.workloads.flatMap((w) => {
    const repository = get(w.values, 'image', 'repository');
    return typeof repository === 'string' ? [{ file: w, repository, namespace: String(get(w.values, 'namespace') ?? 'default') }] : [];
  });
  const policies = a.docs.filter(({ doc }) => doc.kind === 'ClusterImagePolicy' && String(doc.apiVersion ?? '').startsWith('policy.sigstore.dev/'));
  const key = ciSigningKey(model);
  const enforcing = policies.filter(({ doc }) => get(doc.spec, 'mode') !== 'warn' && (Array.isArray(get(doc.spec, 'authorities')) ? (get(doc.spec, 'authorities') as unknown[]) : []).some((x) => get(x, 'key', 'kms') === key));
  const pc = a.values('policy-controller');
  // One finding (one target, which a policy exception can name) when nothing verifies at all.
  if (!pc) {
    out.push(finding('INV123', env, `helm/${env}/policy-controller.values.yaml`, IMAGE_POLICY, `no image signature verification at admission in production: policy-controller is not installed and no ClusterImagePolicy verifies signatures with the key CI signs with (${key})`, ['registry', 'signing']));
  } else if (enforcing.length === 0) {
    out.push(finding('INV123', env, policies[0]?.artifact ?? `kubernetes/${env}`, IMAGE_POLICY, `no ClusterImagePolicy in enforce mode verifies signatures with the key CI signs with (${key}): unsigned images are admitted in production`));
  }
  const namespacesSeen = new Set<string>();
  for (const img of images) {
    if (enforcing.length > 0 && !enforcing.some(({ doc }) => (Array.isArray(get(doc.spec, 'images')) ? (get(doc.spec, 'images') as unknown[]) : []).some((g) => typeof get(g, 'glob') === 'string' && globMatches(get(g, 'glob') as string, img.repository)))) {
      out.push(finding('INV123', env, img.file.path, img.repository, `no enforcing ClusterImagePolicy covers ${img.repository}: its images are admitted unverified`));
    }
    const ns = a.docs.find(({ doc }) => doc.kind === 'Namespace' && doc.metadata?.name === img.namespace);
    if (pc && ns?.doc.metadata?.labels?.[INCLUDE] !== 'true' && !namespacesSeen.has(img.namespace)) {
      namespacesSeen.add(img.namespace);
      out.push(finding('INV123', env, ns?.artifact ?? img.file.path, `Namespace/${img.namespace}`, `namespace ${img.namespace} is not labelled ${INCLUDE}=true: policy-controller's webhook is never asked about its pods`));
    }
  }
  if (pc) {
    if (get(pc.values, 'webhook', 'failurePolicy') !== 'Fail') out.push(finding('INV123', env, pc.path, 'webhook.failurePolicy', `policy-controller's webhook fails open (failurePolicy ${String(get(pc.values, 'webhook', 'failurePolicy') ?? 'unset')}): while it is down, production admits unverified images`));
    if (get(pc.values, 'webhook', 'configData', 'no-match-policy') !== 'deny') out.push(finding('INV123', env, pc.path, 'webhook.configData.no-match-policy', 'policy-controller admits images no policy covers (no-match-policy is not deny)'));
  }
  const gk = a.values('gatekeeper');
  if (gk && get(gk.values, 'validatingWebhookFailurePolicy') !== 'Fail') {
    out.push(finding('INV123', env, gk.path, 'validatingWebhookFailurePolicy', `Gatekeeper's webhook fails open (validatingWebhookFailurePolicy ${String(get(gk.values, 'validatingWebhookFailurePolicy') ?? 'Ignore, the chart default')}): while it is down, production admits pods its constraints would deny`));
  }
  return out;
}

export const productionAdmission: Rule = {
  id: 'INV123',
  title: 'Production admission verifies image signatures and fails closed',
  principle: 'supply chain',
  severity: 'error',
  hint: 'keep registry.signing on and security.admission at its production defaults (imageSignatures: enforce, failurePolicy: Fail)',
  help: 'The architecture document signs images with Sigstore/cosign "for supply chain integrity": a signature nobody verifies protects nothing. In production policy-controller verifies every workload image with the key CI signs with, and every admission webhook fails closed, so an outage never admits what a working webhook would reject.',
  check(ctx) {
    return ctx.platforms().flatMap(({ model }) => (model.environment.production ? verification(ctx, model) : []));
  },
};

function exemptions(ctx: PolicyContext, model: Model, platform: Platform): PolicyFinding[] {
  const env = model.environment.name;
  const a = artifactsOf(ctx, env);
  const system = systemNamespaces(platform);
  const out: PolicyFinding[] = [];
  const gk = a.values('gatekeeper');
  if (gk && get(gk.values, 'validatingWebhookFailurePolicy') === 'Fail') {
    const exempt = new Set(strings(get(gk.values, 'validatingWebhookExemptNamespacesLabels', 'kubernetes.io/metadata.name')));
    // The chart always exempts its own release namespace.
    exempt.add(model.platform.gatekeeper.namespace);
    const missing = system.filter((n) => !exempt.has(n));
    if (missing.length) out.push(finding('INV124', env, gk.path, 'validatingWebhookExemptNamespacesLabels', `Gatekeeper's webhook fails closed and is sent the system namespaces ${missing.join(', ')}: while it is down their pods cannot restart`));
    const rules = get(gk.values, 'validatingWebhookCustomRules');
    const resources = Array.isArray(rules) ? rules.flatMap((r) => strings(get(r, 'resources'))) : ['*'];
    const clusterScoped = resources.filter((r) => !r.startsWith('pods'));
    if (clusterScoped.length) out.push(finding('INV124', env, gk.path, 'validatingWebhookCustomRules', `Gatekeeper's webhook fails closed and matches ${clusterScoped.join(', ')}${Array.isArray(rules) ? '' : ' (the chart default: every resource, cluster-scoped ones such as NodeClaims included)'}: no namespace selector exempts cluster-scoped objects, so an outage stops the nodes it needs to come back`));
  }
  const pc = a.values('policy-controller');
  if (pc) {
    for (const { artifact, doc } of a.docs.filter(({ doc }) => doc.kind === 'Namespace' && system.includes(doc.metadata?.name ?? ''))) {
      if (doc.metadata?.labels?.[INCLUDE] === 'true') out.push(finding('INV124', env, artifact, `Namespace/${doc.metadata?.name}`, `system namespace ${doc.metadata?.name} is labelled ${INCLUDE}=true: policy-controller's webhook would judge the platform's own pods`));
    }
    const selector = get(pc.values, 'webhook', 'namespaceSelector');
    if (selector !== undefined) out.push(finding('INV124', env, pc.path, 'webhook.namespaceSelector', `policy-controller's namespaceSelector is overridden: only the chart's opt-in label (${INCLUDE}=true, set on application namespaces) keeps the system namespaces out`));
  }
  return out;
}

export const webhookExemptions: Rule = {
  id: 'INV124',
  title: 'Admission webhooks that fail closed exempt what the cluster needs to recover',
  principle: 'supply chain',
  severity: 'error',
  hint: 'leave the system namespaces out of every admission webhook (innovate sets them from admission.exemptNamespaces) and keep Gatekeeper\'s webhook on Pods',
  help: 'A webhook with failurePolicy Fail rejects what it is sent while it is down. If it is sent kube-system, the controllers\' namespaces or cluster-scoped objects, the pods and nodes that would bring it back are rejected too, and the cluster cannot recover by itself.',
  check(ctx) {
    return ctx.platforms().flatMap(({ model, platform }) => exemptions(ctx, model, platform));
  },
};
