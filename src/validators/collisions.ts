/**
 * Names the emitters derive from spec strings must stay distinct after the emitters' own
 * normalisation (compiler/names.ts: logicalId drops punctuation and capitalises, k8sName
 * lowercases and folds punctuation into "-"). Two spec values that differ only in case or
 * punctuation would otherwise become one CloudFormation logical id (the template cannot hold
 * both) or one Kubernetes object. Each collision is INN048 at the later value, naming the first.
 * Exact repeats of a list entry are INN062's (lists.ts); record keys that collide on their
 * own (workloads, pools, secrets, teams, extra repositories) are naming.ts's.
 */
import { finding, formatPath, type Finding, type SpecPath } from '../diagnostics/diagnostic.js';
import { k8sName, logicalId } from '../compiler/names.js';
import type { Validator } from './registry.js';

interface Named {
  readonly path: SpecPath;
  /** The spec value as written. */
  readonly name: string;
  /** What the emitter derives from it. */
  readonly derived: string;
  /** Entries of the same group are naming.ts's concern when they collide with each other. */
  readonly group?: string;
}

/** INN048 for every entry whose derived name an earlier entry already has (a different spec value). */
function collisions(entries: readonly Named[], what: string): Finding[] {
  const first = new Map<string, Named>();
  const out: Finding[] = [];
  for (const e of entries) {
    const prev = first.get(e.derived);
    if (!prev) first.set(e.derived, e);
    else if (prev.name !== e.name && !(prev.group !== undefined && prev.group === e.group)) {
      out.push(finding('INN048', e.path, `"${e.name}" and "${prev.name}" (${formatPath(prev.path)}) produce the same ${what} ${e.derived}`));
    }
  }
  return out;
}

/** observability.alerts.emails: one SNS subscription each, logicalId('alarm', 'email', address). */
const alertEmails: Validator = ({ spec }) =>
  collisions(
    spec.observability.alerts.emails.map((email, i) => ({ path: ['observability', 'alerts', 'emails', i], name: email, derived: logicalId('alarm', 'email', email) })),
    'CloudFormation logical id',
  );

/** One ECR repository per workload (its `repository`, or its name) and per registry.repositories key: logicalId(name, 'repository'). */
const repositories: Validator = ({ spec }) => {
  const entries: Named[] = [
    ...Object.entries(spec.workloads).map(([w, x]) => ({ path: ['workloads', w, ...(x.repository ? ['repository'] : [])], name: x.repository ?? w })),
    ...Object.keys(spec.registry.repositories).map((r) => ({ path: ['registry', 'repositories', r], name: r, group: 'registry' })),
  ].map((e) => ({ ...e, derived: logicalId(e.name, 'repository') }));
  return collisions(entries, 'CloudFormation logical id');
};

/** One SSO assignment per permission set and environment: logicalId(set, environment, 'assignment'). */
const ssoAssignments: Validator = ({ spec }) => {
  const sets = spec.organization?.sso?.permissionSets ?? {};
  const envs = Object.keys(spec.environments).sort();
  const entries = Object.entries(sets)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([name, p]) =>
      (p.groupId ? (p.environments ?? envs).filter((e) => envs.includes(e)) : []).map((env) => ({
        path: ['organization', 'sso', 'permissionSets', name],
        name: `${name} in ${env}`,
        derived: logicalId(name, env, 'assignment'),
      })),
    );
  return collisions(entries, 'CloudFormation logical id');
};

/** One ArgoCD Application per workload in the argocd namespace: k8sName(namespace, workload). */
const argocdApplications: Validator = ({ spec }) =>
  collisions(
    Object.entries(spec.workloads).map(([name, w]) => ({ path: ['workloads', name], name: `${w.namespace}/${name}`, derived: k8sName(w.namespace, name) })),
    'ArgoCD Application name',
  );

/** One EKS access entry per team, keyed by its IAM role; IAM role names are case-insensitive. */
const teamRoles: Validator = ({ spec }) =>
  collisions(
    Object.entries(spec.teams).flatMap(([team, t]) => (t.iamRoleName === undefined ? [] : [{ path: ['teams', team, 'iamRoleName'], name: t.iamRoleName, derived: t.iamRoleName.toLowerCase() }])),
    'EKS access entry principal (IAM role names ignore case)',
  );

export const collisionValidators = [
  ['alert-email-ids', alertEmails, ['observability']],
  ['repository-ids', repositories, ['workloads', 'registry']],
  ['sso-assignment-ids', ssoAssignments, ['organization', 'environments']],
  ['argocd-application-names', argocdApplications, ['workloads']],
  ['team-role-principals', teamRoles, ['teams']],
] as const;
