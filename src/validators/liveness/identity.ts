/**
 * Identity: deployed, does every principal the platform names exist, and can the platform team
 * reach the cluster at all?
 *   INV110 (error) a principal named by an access entry, a Pod Identity binding, a trust or
 *          resource policy, or a workflow's role-to-assume that no template creates, that is no
 *          account of the spec and that the spec does not declare as an existing role: EKS
 *          refuses an access entry whose principal does not exist, IAM a trust policy naming a
 *          role that does not, and a workflow's AssumeRole fails;
 *   INV111 (error) no working cluster-admin path: with BootstrapClusterCreatorAdminPermissions
 *          false, the only way in is an access entry with AmazonEKSClusterAdminPolicy, whose role
 *          must exist and, when it is a team role of an IAM Identity Center permission set, be
 *          assumable by that set (organization.json's inline policy) in this account.
 * External roles (teams.<name>.iamRoleName) are inputs, not findings: `innovate plan` checks them.
 */
import type { Model } from '../../compiler/model.js';
import { isAllowed } from '../../platform/permissions.js';
import type { AccessEntry, Platform, Source } from '../../platform/index.js';
import { CLUSTER_ADMIN_POLICY } from '../../emitters/cloudformation/teams.js';
import { get } from '../policies/context.js';
import type { PolicyFinding, Rule } from '../policies/types.js';

const ACCOUNT_ROOT = /^(?:arn:aws:iam::(\d{12}):root|(\d{12}))$/;
const ROLE_ARN = /^arn:aws:(?:iam|sts)::(\d{12}):(?:role|assumed-role)\/(.+)$/;

const at = (rule: string, environment: string | undefined, source: Source, message: string): PolicyFinding => ({
  rule,
  message,
  artifact: source.artifact,
  target: source.resource,
  ...(environment ? { environment } : {}),
  ...(source.specPath ? { specPath: source.specPath } : {}),
});

/**
 * What exists before or by the deploy, as one environment's platform sees it: the roles its
 * templates create, the spec's accounts, the existing roles teams declare. A role in another
 * environment's account is judged with that environment.
 */
function known(model: Model, platform: Platform) {
  const roles = new Set(platform.principals.roles.flatMap((r) => (r.arn ? [r.arn] : [])));
  const external = new Set(platform.principals.accessEntries.flatMap((e) => (e.external ? [e.principalArn] : [])));
  const accounts = new Set([...model.environments.map((e) => e.accountId), ...(model.organization ? [model.organization.managementAccountId] : [])]);
  /** Why an ARN names nothing, or undefined when it names something that exists (or another environment judges it). */
  return (arn: string): string | undefined => {
    const root = ACCOUNT_ROOT.exec(arn);
    if (root) {
      const account = root[1] ?? root[2]!;
      return accounts.has(account) ? undefined : `account ${account} is none of the spec's accounts (${[...accounts].sort().join(', ')})`;
    }
    const role = ROLE_ARN.exec(arn);
    if (role) {
      if (role[1] !== platform.accountId) return accounts.has(role[1]!) ? undefined : `account ${role[1]} is none of the spec's accounts (${[...accounts].sort().join(', ')})`;
      const name = role[2]!.split('/')[0]!;
      const asRole = arn.includes(':assumed-role/') ? `arn:aws:iam::${role[1]}:role/${name}` : arn;
      if (roles.has(asRole) || external.has(asRole)) return undefined;
      return `no template creates role ${asRole.replace(/^.*:role\//, '')} in account ${role[1]}, and no team declares it as an existing role`;
    }
    return `no template creates ${arn}, and the spec does not declare it`;
  };
}

export const principalsExist: Rule = {
  id: 'INV110',
  title: 'Every principal the platform names exists',
  principle: 'identity',
  severity: 'error',
  hint: 'let the output create the principal (a team of a permission set: teams.<name>.permissionSet), or declare the existing role (teams.<name>.iamRoleName) so `innovate plan` checks it before any change',
  help: 'EKS refuses an access entry whose principal does not exist (the cluster stack fails), IAM refuses a trust or key policy naming a role that does not exist, and a workflow cannot assume a role nobody created. Every principal an artifact names must be created by the output, be one of the spec\'s accounts, or be an explicit input. See docs/boot.md.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const { model, platform } of ctx.platforms()) {
      const env = platform.environment;
      const missing = known(model, platform);
      for (const e of platform.principals.accessEntries) {
        const why = e.principal || e.external ? undefined : missing(e.principalArn);
        if (why) out.push(at('INV110', env, e.source, `access entry for ${e.principalArn}: ${why}; EKS refuses the entry and the stack fails`));
      }
      for (const b of platform.principals.podIdentities) {
        const why = b.role ? undefined : b.roleArn ? missing(b.roleArn) : 'its role cannot be followed to a template';
        if (why) out.push(at('INV110', env, b.source, `service account ${b.namespace}/${b.serviceAccount} (${b.via}) runs as ${b.roleArn ?? '?'}: ${why}`));
      }
      for (const r of platform.principals.references) {
        const why = r.arn !== undefined ? missing(r.arn) : undefined;
        if (why) out.push(at('INV110', env, r.source, `${r.where} names ${r.arn}: ${why}`));
      }
      for (const w of platform.principals.workflowRoles) {
        const why = missing(w.roleArn);
        if (why) out.push(at('INV110', env, w.source, `job ${w.job} assumes ${w.roleArn}: ${why}`));
      }
    }
    return out;
  },
};

const isAdmin = (e: AccessEntry) => e.accessPolicies.some((p) => p.policyArn === CLUSTER_ADMIN_POLICY && p.scope === 'cluster');

/** The IAM Identity Center permission set names a trust policy admits (AWSReservedSSO_<name>_*). */
const ssoSets = (platform: Platform, role: string): string[] => [
  ...new Set((platform.principals.roles.find((r) => r.id === role)?.trust ?? []).flatMap((s) => JSON.stringify(s.Condition ?? {}).match(/AWSReservedSSO_[^_"]+_/g) ?? []).map((x) => x.slice('AWSReservedSSO_'.length, -1))),
];

export const clusterAdminReachable: Rule = {
  id: 'INV111',
  title: 'The platform team can administer the cluster',
  principle: 'identity',
  severity: 'error',
  hint: 'give the platform team cluster access: a team with clusterAdmin: true whose permission set is assigned to this environment (or an existing role in iamRoleName)',
  help: 'The cluster is created with BootstrapClusterCreatorAdminPermissions false (nobody is admin by having created it), so an access entry with AmazonEKSClusterAdminPolicy is the only way in. Its role must exist and someone must be able to assume it: for a team role of an IAM Identity Center permission set, the set is assigned to this account and its inline policy allows sts:AssumeRole on the role. See docs/boot.md.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const { model, platform } of ctx.platforms()) {
      const cluster = ctx.templates.find((t) => t.path === `cloudformation/${platform.environment}/cluster.json`);
      if (get(cluster?.resources.Cluster?.Properties, 'AccessConfig', 'BootstrapClusterCreatorAdminPermissions') === true) continue;
      const sets = platform.principals.permissionSets;
      const reasons: string[] = [];
      const working = platform.principals.accessEntries.filter(isAdmin).filter((e) => {
        if (e.external) return true; // an input plan checks
        if (!e.principal) return reasons.push(`${e.principalArn} is not created by the output`), false;
        const names = ssoSets(platform, e.principal);
        if (names.length === 0 || !sets) return true; // not an SSO team role, or organization.json not at hand
        const role = platform.principals.roles.find((r) => r.id === e.principal)!;
        return names.some((name) => {
          const set = sets.find((x) => x.name === name);
          if (!set) return reasons.push(`${role.name}: permission set ${name} is not in organization.json`), false;
          if (set.assignedAccounts && !set.assignedAccounts.includes(model.environment.accountId)) return reasons.push(`${role.name}: permission set ${name} is assigned to other accounts only`), false;
          if (!role.arn || !isAllowed(set.inline, { action: 'sts:AssumeRole', resource: role.arn })) return reasons.push(`${role.name}: permission set ${name} may not sts:AssumeRole it`), false;
          return true;
        });
      });
      if (working.length > 0) continue;
      out.push(
        at('INV111', platform.environment, { artifact: `cloudformation/${platform.environment}/cluster.json`, resource: 'Cluster', specPath: ['teams'] }, `nobody can administer ${platform.cluster}: BootstrapClusterCreatorAdminPermissions is false and ${reasons.length ? `no cluster-admin access entry works (${reasons.join('; ')})` : 'no access entry grants AmazonEKSClusterAdminPolicy'}`),
      );
    }
    return out;
  },
};
