/**
 * Who reaches the cluster: one EKS access entry per team, and for a team of an IAM Identity
 * Center permission set the role the entry names. EKS refuses an access entry whose principal
 * does not exist, and IAM Identity Center names its roles AWSReservedSSO_<set>_<random>, unknown
 * until the set is provisioned; so the output creates a team role of a fixed name that only the
 * set's SSO roles in this account may assume (trust on the account, narrowed by aws:PrincipalArn),
 * and the set's inline policy may assume it (organization.json). An external team role is named
 * as given: `innovate plan` checks it exists before any change.
 */
import type { Team } from '../../compiler/model.js';
import { logicalId, ssoRolePatterns } from '../../compiler/names.js';
import { addRole, allow, arn, CLUSTER_ID } from './iam.js';
import { getAtt, ref, type Json, type Template } from './template.js';

export const CLUSTER_ADMIN_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

/** The access entry's principal: the created team role, or the external role's ARN. */
function teamRole(t: Template, team: Team): Json {
  if (team.principal.kind === 'external') return team.roleArn;
  const m = t.model;
  const id = addRole(t, logicalId('team', team.name, 'role'), {
    roleName: team.iamRoleName,
    description: `Team ${team.name}: assumed from IAM Identity Center permission set ${team.principal.permissionSetName}, mapped to ${m.cluster.name} by an access entry`,
    trust: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PermissionSetRoles',
          Effect: 'Allow',
          Principal: { AWS: arn.root(m.environment.accountId) },
          Action: 'sts:AssumeRole',
          Condition: { ArnLike: { 'aws:PrincipalArn': ssoRolePatterns(m.environment.accountId, team.principal.permissionSetName) } },
        },
      ],
    },
    // `aws eks update-kubeconfig --role-arn` and the console's Kubernetes views; kubectl itself
    // needs only the access entry (the token is a presigned sts:GetCallerIdentity).
    statements: [allow('Cluster', ['eks:AccessKubernetesApi', 'eks:DescribeCluster'], getAtt(CLUSTER_ID, 'Arn'))],
  });
  return getAtt(id, 'Arn');
}

export function teamAccess(t: Template): void {
  for (const team of t.model.teams) {
    t.add(logicalId('team', team.name, 'access', 'entry'), 'AWS::EKS::AccessEntry', {
      ClusterName: ref(CLUSTER_ID),
      PrincipalArn: teamRole(t, team),
      Type: 'STANDARD',
      ...(team.clusterAdmin ? { AccessPolicies: [{ PolicyArn: CLUSTER_ADMIN_POLICY, AccessScope: { Type: 'cluster' } }] } : { KubernetesGroups: [team.kubernetesGroup] }),
    });
  }
}
