import { finding, type Finding } from '../diagnostics/diagnostic.js';
import { clusterName, logicalId, NAME_LIMITS, podRoleName, teamRoleName } from '../compiler/names.js';
import type { Validator } from './registry.js';

/** Derived AWS names fit their limits; distinct spec names map to distinct logical ids. */
const derivedNames: Validator = ({ spec, env }) => {
  const out: Finding[] = [];
  const cluster = clusterName(spec.metadata.name, env);
  const longest = ['karpenter-node', 'cloudwatch-agent', 'alb-controller', 'external-secrets', 'github-ci'].map((c) => podRoleName(cluster, c)).sort((a, b) => b.length - a.length)[0]!;
  if (longest.length > NAME_LIMITS.iamRole) {
    out.push(finding('INN047', ['metadata', 'name'], `the IAM role name "${longest}" is ${longest.length} characters; the limit is ${NAME_LIMITS.iamRole}`));
  }
  for (const name of Object.keys(spec.workloads)) {
    const role = podRoleName(cluster, `wl-${name}`);
    if (role.length > NAME_LIMITS.iamRole) out.push(finding('INN047', ['workloads', name], `the IAM role name "${role}" is ${role.length} characters; the limit is ${NAME_LIMITS.iamRole}`));
  }
  for (const [name, t] of Object.entries(spec.teams)) {
    const role = teamRoleName(cluster, name);
    if (t.permissionSet !== undefined && role.length > NAME_LIMITS.iamRole) out.push(finding('INN047', ['teams', name], `the IAM role name "${role}" is ${role.length} characters; the limit is ${NAME_LIMITS.iamRole}`));
  }
  const collisions = (section: string, keys: string[]) => {
    const seen = new Map<string, string>();
    for (const k of keys.sort()) {
      const id = logicalId(k);
      const prev = seen.get(id);
      if (prev) out.push(finding('INN048', [section, k].flatMap((s) => s.split('.')), `"${k}" and "${prev}" produce the same resource id ${id}`));
      else seen.set(id, k);
    }
  };
  collisions('workloads', Object.keys(spec.workloads));
  collisions('cluster.nodePools', Object.keys(spec.cluster.nodePools));
  collisions('security.secrets', Object.keys(spec.security.secrets));
  collisions('teams', Object.keys(spec.teams));
  collisions('registry.repositories', Object.keys(spec.registry.repositories));
  return out;
};

export const namingValidators = [['derived-names', derivedNames, ['metadata', 'workloads', 'cluster', 'security', 'teams', 'registry']]] as const;
