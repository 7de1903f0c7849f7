/**
 * Namespace-scoped RBAC for each team: a Role per namespace the team works in, bound to the
 * Kubernetes group the team's EKS access entry maps its IAM role to. Nobody is bound to
 * cluster-admin here: the platform team's cluster access is the EKS access policy on the AWS side.
 * Secrets stay unreadable (External Secrets writes them), guardrails (quota, limits, network
 * policies) stay read-only.
 */
import type { Model, Team } from '../../compiler/model.js';
import { k8sName } from '../../compiler/names.js';
import { meta, WAVE, waveAnnotations, type Doc } from './meta.js';

const READ = ['get', 'list', 'watch'];
const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** What a team may touch; every group a workload is made of. */
const WORKLOAD_RESOURCES: readonly { apiGroups: string[]; resources: string[] }[] = [
  { apiGroups: [''], resources: ['configmaps', 'pods', 'services'] },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
];

/** Always read-only: platform guardrails, events, logs and the synced secrets' definitions. */
const READ_ONLY: readonly { apiGroups: string[]; resources: string[] }[] = [
  { apiGroups: [''], resources: ['endpoints', 'events', 'limitranges', 'pods/log', 'resourcequotas', 'serviceaccounts'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'] },
  { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'] },
  { apiGroups: ['monitoring.coreos.com'], resources: ['servicemonitors'] },
];

export const teamRoleName = (team: Team): string => k8sName('team', team.name, team.access);

function role(model: Model, team: Team, namespace: string): Doc {
  const verbs = team.access === 'edit' ? WRITE : READ;
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta(model, teamRoleName(team), { namespace, labels: { 'innovate.dev/team': team.name }, annotations: waveAnnotations(WAVE.guardrails) }),
    rules: [
      ...WORKLOAD_RESOURCES.map((r) => ({ apiGroups: r.apiGroups, resources: r.resources, verbs })),
      ...READ_ONLY.map((r) => ({ apiGroups: r.apiGroups, resources: r.resources, verbs: READ })),
    ],
  };
}

function roleBinding(model: Model, team: Team, namespace: string): Doc {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta(model, teamRoleName(team), { namespace, labels: { 'innovate.dev/team': team.name }, annotations: waveAnnotations(WAVE.guardrails) }),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: teamRoleName(team) },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: team.kubernetesGroup }],
  };
}

export function rbacDocuments(model: Model): Doc[] {
  return model.teams.flatMap((team) => team.namespaces.flatMap((ns) => [role(model, team, ns), roleBinding(model, team, ns)]));
}
