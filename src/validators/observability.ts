import { finding } from '../diagnostics/diagnostic.js';
import type { Validator } from './registry.js';

/**
 * Grafana sign-in that admits someone (issue 17 §6). INN107: observability.grafana.sso is set, but
 * no team of the environment maps to a Grafana role (no team's permission set names its IAM
 * Identity Center group for this environment), so every sign-in is refused (role_attribute_strict).
 * Without sso nobody signs in either (Grafana has no local admin), which docs/kubernetes.md says;
 * it is not a finding, so a minimal spec stays clean.
 */
const grafanaAdmits: Validator = ({ spec, env }) => {
  if (!spec.observability.grafana.sso) return [];
  const sets = spec.organization?.sso?.permissionSets ?? {};
  const mapped = Object.values(spec.teams ?? {}).some((t) => t.permissionSet !== undefined && sets[t.permissionSet]?.groupId !== undefined && (sets[t.permissionSet]!.environments ?? [env]).includes(env));
  return mapped ? [] : [finding('INN107', ['observability', 'grafana', 'sso'], `no team of ${env} maps to a Grafana role (a team's permission set needs its IAM Identity Center groupId): every Grafana sign-in would be refused`)];
};

export const observabilityValidators = [['grafana-admits', grafanaAdmits, ['observability', 'environments']]] as const;
