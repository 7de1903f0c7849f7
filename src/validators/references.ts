import { finding, type Finding } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../util/suggest.js';
import type { Validator } from './registry.js';

const unknownRef = (code: 'INN033' | 'INN034' | 'INN035' | 'INN036' | 'INN073', path: (string | number)[], kind: string, name: string, known: readonly string[]): Finding => {
  const guess = didYouMean(name, known);
  return finding(code, path, `${kind} "${name}" is not declared${guess ? `; did you mean "${guess}"?` : ''}`, known.length === 0 ? undefined : `declared: ${known.join(', ')}`);
};

/** Names a workload or team points at must exist: pool, namespace, secret, repository. */
const workloadRefs: Validator = ({ spec }) => {
  const out: Finding[] = [];
  const pools = Object.keys(spec.cluster.nodePools);
  const namespaces = Object.keys(spec.namespaces);
  const secrets = Object.keys(spec.security.secrets);
  for (const [name, w] of Object.entries(spec.workloads)) {
    if (w.pool !== undefined && !pools.includes(w.pool)) out.push(unknownRef('INN033', ['workloads', name, 'pool'], 'node pool', w.pool, pools));
    if (w.pool !== undefined && spec.cluster.nodePools[w.pool]?.role === 'platform') {
      out.push(finding('INN033', ['workloads', name, 'pool'], `node pool "${w.pool}" is a platform pool; workloads run on application pools`));
    }
    if (!namespaces.includes(w.namespace)) out.push(unknownRef('INN034', ['workloads', name, 'namespace'], 'namespace', w.namespace, namespaces));
    for (const [envVar, ref] of Object.entries(w.secrets)) {
      if (!secrets.includes(ref.secret)) out.push(unknownRef('INN035', ['workloads', name, 'secrets', envVar, 'secret'], 'secret', ref.secret, secrets));
    }
  }
  for (const [team, t] of Object.entries(spec.teams)) {
    t.namespaces.forEach((ns, i) => {
      if (!namespaces.includes(ns)) out.push(unknownRef('INN034', ['teams', team, 'namespaces', i], 'namespace', ns, namespaces));
    });
  }
  return out;
};

/** Environment names used by replication and SSO assignments must exist. */
const environmentRefs: Validator = ({ spec }) => {
  const out: Finding[] = [];
  const envs = Object.keys(spec.environments);
  const rep = spec.registry.replication;
  if (rep) {
    if (!envs.includes(rep.from)) out.push(unknownRef('INN036', ['registry', 'replication', 'from'], 'environment', rep.from, envs));
    // `to` is one environment (the shape before promotion chains) or the chain in order.
    const at = (i: number): (string | number)[] => (typeof rep.to === 'string' ? ['registry', 'replication', 'to'] : ['registry', 'replication', 'to', i]);
    (typeof rep.to === 'string' ? [rep.to] : rep.to).forEach((to, i) => {
      if (!envs.includes(to)) out.push(unknownRef('INN036', at(i), 'environment', to, envs));
      if (to === rep.from) out.push(finding('INN052', at(i), `replication from "${rep.from}" to itself`));
    });
  }
  for (const [name, p] of Object.entries(spec.organization?.sso?.permissionSets ?? {})) {
    (p.environments ?? []).forEach((e, i) => {
      if (!envs.includes(e)) out.push(unknownRef('INN036', ['organization', 'sso', 'permissionSets', name, 'environments', i], 'environment', e, envs));
    });
  }
  return out;
};

/**
 * Each team names exactly one principal: an IAM Identity Center permission set (innovate creates
 * the team role) or an existing role. A set assigned to no environment leaves the team without
 * access anywhere (the compiler creates its role only where the set is assigned).
 */
const teamPrincipals: Validator = ({ spec }) => {
  const out: Finding[] = [];
  const sets = spec.organization?.sso?.permissionSets ?? {};
  for (const [team, t] of Object.entries(spec.teams)) {
    if ((t.permissionSet === undefined) === (t.iamRoleName === undefined)) {
      out.push(finding('INN072', ['teams', team], t.permissionSet === undefined ? `team "${team}" names no principal` : `team "${team}" names both permissionSet "${t.permissionSet}" and iamRoleName "${t.iamRoleName}"`));
      continue;
    }
    if (t.permissionSet === undefined) continue;
    const set = sets[t.permissionSet];
    if (!set) {
      out.push(
        spec.organization?.sso
          ? unknownRef('INN073', ['teams', team, 'permissionSet'], 'permission set', t.permissionSet, Object.keys(sets))
          : finding('INN073', ['teams', team, 'permissionSet'], `permission set "${t.permissionSet}" needs organization.sso (IAM Identity Center), which the spec does not configure`),
      );
    } else if (set.groupId !== undefined && (set.environments ?? Object.keys(spec.environments)).length === 0) {
      out.push(finding('INN074', ['teams', team, 'permissionSet'], `permission set "${t.permissionSet}" is assigned to no environment, so team "${team}" can reach no cluster`));
    }
  }
  return out;
};

/** Environments in separate accounts; regions allowed by the organization; DR elsewhere. */
const accounts: Validator = ({ spec, env }) => {
  const out: Finding[] = [];
  const me = spec.environments[env];
  if (!me) return out;
  for (const [other, e] of Object.entries(spec.environments)) {
    if (other < env && e.accountId === me.accountId) {
      out.push(finding('INN051', ['environments', env, 'accountId'], `environments "${other}" and "${env}" share account ${me.accountId}`));
    }
  }
  if (me.drRegion !== undefined && me.drRegion === me.region) out.push(finding('INN054', ['environments', env, 'drRegion'], `DR region ${me.drRegion} is the primary region`));
  if (spec.database.crossRegionReplica === true && me.drRegion === undefined) {
    out.push(finding('INN053', ['database', 'crossRegionReplica'], 'crossRegionReplica is on but the environment has no drRegion for the replica'));
  }
  const allowed = spec.organization?.allowedRegions;
  if (allowed) {
    for (const key of ['region', 'drRegion'] as const) {
      const r = me[key];
      if (r !== undefined && !allowed.includes(r)) out.push(finding('INN058', ['environments', env, key], `${r} is not in organization.allowedRegions (${allowed.join(', ')})`));
    }
  }
  return out;
};

export const referenceValidators = [
  ['workload-references', workloadRefs, ['workloads', 'cluster', 'namespaces', 'security', 'teams']],
  ['environment-references', environmentRefs, ['environments', 'registry', 'organization']],
  ['team-principals', teamPrincipals, ['teams', 'organization', 'environments']],
  ['accounts-and-regions', accounts, ['environments', 'database', 'organization']],
] as const;
