/**
 * Principals: the IAM roles the templates create with their trust policies and what they may do
 * (inline policies, customer managed policies attached from either side, AWS managed policy
 * ARNs), the EKS access entries, and which Kubernetes service account runs as which role —
 * Pod Identity associations (standalone and on add-ons) and IRSA annotations (on
 * ServiceAccounts, in chart values, ServiceAccountRoleArn on add-ons).
 */
import { ADDON_IDENTITIES } from '../compiler/build-parts.js';
import type { Model } from '../compiler/model.js';
import { logicalId } from '../compiler/names.js';
import { roleByName, roleOf } from './nodes.js';
import { principalReferences } from './references.js';
import { permissionSets, workflowRoles } from './access.js';
import type { Artifact } from '../emitters/artifact.js';
import { at, flatten, isObj, kubeTarget, type CfnEntry, type Sources } from './sources.js';
import type { AccessEntry, PodIdentityBinding, PolicyStatement, Principal, Principals, Source } from './types.js';

export const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';

/**
 * Namespace and service account of each add-on's pods: those that call AWS as the compiler
 * gives them an identity (ADDON_IDENTITIES, one table for both), the others as EKS installs them.
 */
export const ADDON_ACCOUNTS: Readonly<Record<string, { readonly namespace: string; readonly serviceAccount: string }>> = {
  ...Object.fromEntries(Object.entries(ADDON_IDENTITIES).map(([addon, [, namespace, serviceAccount]]) => [addon, { namespace, serviceAccount }])),
  'eks-pod-identity-agent': { namespace: 'kube-system', serviceAccount: 'eks-pod-identity-agent' },
  coredns: { namespace: 'kube-system', serviceAccount: 'coredns' },
  'kube-proxy': { namespace: 'kube-system', serviceAccount: 'kube-proxy' },
};

const statements = (doc: unknown): PolicyStatement[] => {
  const s = isObj(doc) ? doc.Statement : undefined;
  return (Array.isArray(s) ? s : isObj(s) ? [s] : []).filter(isObj) as PolicyStatement[];
};

function roles(model: Model, src: Sources): Principal[] {
  const attached = new Map<string, Principal['permissions'][number][]>();
  const attach = (role: string, p: Principal['permissions'][number]) => attached.set(role, [...(attached.get(role) ?? []), p]);
  for (const type of ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy']) {
    for (const e of src.of(type)) {
      const targets = Array.isArray(e.props.Roles) ? e.props.Roles : [];
      for (const t of targets) {
        const role = roleOf(src, e.template, t);
        if (role) attach(role, { policy: src.key(e.template.path, e.id), statements: statements(e.props.PolicyDocument), source: src.cfnSource(e) });
      }
    }
  }
  return src.of('AWS::IAM::Role').map((e): Principal => {
    const id = src.key(e.template.path, e.id);
    const name = typeof e.props.RoleName === 'string' ? e.props.RoleName : undefined;
    const path = typeof e.props.Path === 'string' ? e.props.Path : '/';
    const inline = (Array.isArray(e.props.Policies) ? e.props.Policies : []).filter(isObj).map((p, i) => ({ policy: `${id}.Policies[${i}]${typeof p.PolicyName === 'string' ? ` (${p.PolicyName})` : ''}`, statements: statements(p.PolicyDocument), source: src.cfnSource(e) }));
    const managed: string[] = [];
    for (const arn of Array.isArray(e.props.ManagedPolicyArns) ? e.props.ManagedPolicyArns : []) {
      const r = src.resolve(e.template, arn);
      if (r.kind === 'resource') {
        const policy = src.of('AWS::IAM::ManagedPolicy').find((x) => x.template.path === r.template && x.id === r.id);
        if (policy) attach(id, { policy: src.key(r.template, r.id), statements: statements(policy.props.PolicyDocument), source: src.cfnSource(policy) });
      } else managed.push(...flatten(r, src.key));
    }
    return {
      id,
      kind: 'role',
      ...(name ? { name, arn: `arn:${model.partition}:iam::${model.environment.accountId}:role${path}${name}` } : {}),
      trust: statements(e.props.AssumeRolePolicyDocument),
      permissions: [...inline, ...(attached.get(id) ?? [])],
      managedPolicyArns: managed.sort(),
      source: src.cfnSource(e),
    };
  });
}

function accessEntries(model: Model, src: Sources): AccessEntry[] {
  return src.of('AWS::EKS::AccessEntry').map((e): AccessEntry => {
    const r = src.resolve(e.template, e.props.PrincipalArn);
    const principal = roleOf(src, e.template, e.props.PrincipalArn);
    const team = model.teams.find((t) => e.id === logicalId('team', t.name, 'access', 'entry') || (r.kind === 'literal' && t.roleArn === r.value));
    return {
      principalArn: r.kind === 'literal' ? r.value : r.kind === 'resource' ? src.key(r.template, r.id) : '?',
      ...(principal ? { principal } : {}),
      ...(team && team.principal.kind === 'external' ? { external: { team: team.name, roleName: team.iamRoleName } } : {}),
      type: String(e.props.Type ?? 'STANDARD'),
      kubernetesGroups: (Array.isArray(e.props.KubernetesGroups) ? e.props.KubernetesGroups : []).map(String),
      accessPolicies: (Array.isArray(e.props.AccessPolicies) ? e.props.AccessPolicies : []).filter(isObj).map((p) => {
        const namespaces = at(p, 'AccessScope.Namespaces');
        return { policyArn: String(p.PolicyArn), scope: String(at(p, 'AccessScope.Type') ?? 'cluster'), ...(Array.isArray(namespaces) ? { namespaces: namespaces.map(String) } : {}) };
      }),
      source: src.cfnSource(e, team ? ['teams', team.name] : undefined),
    };
  });
}

function binding(src: Sources, e: CfnEntry, namespace: string, serviceAccount: string, roleArn: unknown, via: PodIdentityBinding['via'], source: Source): PodIdentityBinding {
  const role = roleOf(src, e.template, roleArn);
  const r = src.resolve(e.template, roleArn);
  return { namespace, serviceAccount, ...(role ? { role } : {}), ...(r.kind === 'literal' ? { roleArn: r.value } : {}), via, source };
}

function podIdentities(model: Model, src: Sources): PodIdentityBinding[] {
  const out: PodIdentityBinding[] = [];
  for (const e of src.of('AWS::EKS::PodIdentityAssociation')) {
    const wl = model.workloads.find((w) => w.identity.serviceAccount === e.props.ServiceAccount && w.identity.namespace === e.props.Namespace);
    out.push(binding(src, e, String(e.props.Namespace), String(e.props.ServiceAccount), e.props.RoleArn, 'pod-identity', src.cfnSource(e, wl ? ['workloads', wl.name] : undefined)));
  }
  for (const e of src.of('AWS::EKS::Addon')) {
    const name = String(e.props.AddonName);
    const account = ADDON_ACCOUNTS[name] ?? { namespace: 'kube-system', serviceAccount: name };
    const specPath = ['cluster', 'addons'];
    for (const a of (Array.isArray(e.props.PodIdentityAssociations) ? e.props.PodIdentityAssociations : []).filter(isObj)) {
      out.push(binding(src, e, account.namespace, String(a.ServiceAccount), a.RoleArn, 'addon-pod-identity', src.cfnSource(e, specPath)));
    }
    if (e.props.ServiceAccountRoleArn !== undefined) out.push(binding(src, e, account.namespace, account.serviceAccount, e.props.ServiceAccountRoleArn, 'addon-irsa', src.cfnSource(e, specPath)));
  }
  for (const { artifact, doc } of src.docs('ServiceAccount')) {
    const arn = doc.metadata?.annotations?.[IRSA_ANNOTATION];
    if (typeof arn !== 'string') continue;
    const name = arn.replace(/^.*:role\/(?:.*\/)?/, '');
    const role = roleByName(src, name);
    out.push({ namespace: doc.metadata?.namespace ?? 'default', serviceAccount: doc.metadata?.name ?? '?', ...(role ? { role } : {}), roleArn: arn, via: 'irsa', source: { artifact, resource: kubeTarget(doc) } });
  }
  for (const component of Object.values(model.platform)) {
    const v = src.values(component.chart);
    const arn = v ? at(v.values, `serviceAccount.annotations`) : undefined;
    const annotated = isObj(arn) ? arn[IRSA_ANNOTATION] : undefined;
    if (!v || typeof annotated !== 'string') continue;
    const sa = at(v.values, 'serviceAccount.name');
    const role = roleByName(src, annotated.replace(/^.*:role\/(?:.*\/)?/, ''));
    out.push({ namespace: component.namespace, serviceAccount: typeof sa === 'string' ? sa : component.releaseName, ...(role ? { role } : {}), roleArn: annotated, via: 'irsa', source: { artifact: v.path, resource: `${component.chart}:serviceAccount.annotations` } });
  }
  return out.sort((a, b) => (a.namespace + '/' + a.serviceAccount < b.namespace + '/' + b.serviceAccount ? -1 : a.namespace + '/' + a.serviceAccount > b.namespace + '/' + b.serviceAccount ? 1 : 0));
}

/** `artifacts`: everything handed over with the environment, for the spec-wide organization.json and workflows. */
export function principals(model: Model, src: Sources, artifacts: readonly Artifact[]): Principals {
  const sets = permissionSets(artifacts);
  return {
    roles: roles(model, src),
    accessEntries: accessEntries(model, src),
    podIdentities: podIdentities(model, src),
    references: principalReferences(model, src),
    ...(sets ? { permissionSets: sets } : {}),
    workflowRoles: workflowRoles(model, artifacts),
  };
}
