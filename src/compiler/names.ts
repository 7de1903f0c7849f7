/**
 * All naming in one module: AWS resource names, Kubernetes names and labels, SSM paths,
 * CloudFormation logical ids. Names derive only from spec names (never from list
 * positions that shift when a list grows), so they are stable across runs and edits.
 */

/** innovate-production: the EKS cluster, and the prefix of most AWS names. */
export const clusterName = (project: string, env: string): string => `${project}-${env}`;

/** The KMS alias of the key CI signs images with (cosign), in the build environment. */
export const signingKeyAlias = (cluster: string): string => `alias/${cluster}-image-signing`;

/** Where templates publish values only AWS knows after deployment. */
export const ssmPrefix = (project: string, env: string): string => `/${project}/${env}`;
/** /innovate/production/database/endpoint: one published runtime value. */
export const ssmParameter = (prefix: string, ...parts: readonly string[]): string => [prefix, ...parts].join('/');

/** Where observability.json publishes Grafana's Cognito app client id (External Secrets reads it). */
export const GRAFANA_CLIENT_ID_PARAMETER = ['observability', 'grafana-client-id'] as const;

export const ecrRepositoryName = (project: string, repo: string): string => `${project}/${repo}`;
export const secretName = (project: string, env: string, name: string): string => `${project}/${env}/${name}`;
/**
 * The tag CI gives every image it builds (src/emitters/ci/scripts.ts IMAGE_TAG): `sha-` and the
 * first 12 hex digits of the commit. What the promotion records in the spec.
 */
export const CI_TAG_PREFIX = 'sha-';
export const CI_TAG_PATTERN = /^sha-[0-9a-f]{12}$/;
export const registryHost = (accountId: string, region: string): string => `${accountId}.dkr.ecr.${region}.amazonaws.com`;
export const roleArn = (accountId: string, name: string): string => `arn:aws:iam::${accountId}:role/${name}`;

/** IAM role of an in-cluster component or workload: innovate-production-karpenter. */
export const podRoleName = (cluster: string, component: string): string => `${cluster}-${component}`;

export const teamGroup = (team: string): string => `innovate:team:${team}`;
/** The role innovate creates for a team mapped to a permission set: innovate-production-team-platform. */
export const teamRoleName = (cluster: string, team: string): string => podRoleName(cluster, `team-${team}`);
/** An IAM Identity Center permission set's name (at most 32 characters): innovate-operators. */
export const permissionSetName = (project: string, set: string): string => `${project}-${set}`.slice(0, 32);
/**
 * The roles IAM Identity Center provisions for a permission set in each assigned account:
 * /aws-reserved/sso.amazonaws.com/[<region>/]AWSReservedSSO_<set name>_<16 hex>. The region
 * segment appears when Identity Center lives outside us-east-1; the suffix is random, so only
 * a pattern names them before they exist (the `_` after the name keeps "ops" from matching "ops-x").
 */
export const ssoRolePatterns = (accountId: string, setName: string): string[] => [
  `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${setName}_*`,
  `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_${setName}_*`,
];

export const LABEL_POOL = 'innovate.dev/pool';
export const LABEL_ROLE = 'innovate.dev/role';
/** Platform pools carry this taint so user-facing pods never land there by accident. */
export const PLATFORM_TAINT = { key: 'innovate.dev/role', value: 'platform', effect: 'NoSchedule' } as const;
/** The architecture document's taint: ARM64 only by explicit toleration. */
export const ARM64_TAINT = { key: 'kubernetes.io/arch', value: 'arm64', effect: 'NoSchedule' } as const;
/** The system node group: only critical add-ons tolerate it. */
export const SYSTEM_TAINT = { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' } as const;

/** IAM role names are limited to 64 characters; queue names to 80; others as noted. */
export const NAME_LIMITS = { iamRole: 64, sqsQueue: 80, dbCluster: 63, eksCluster: 100, k8sName: 63 } as const;

/**
 * CloudFormation logical id from name parts: alphanumeric PascalCase.
 * "spot-x86" + "NodePool" -> "SpotX86NodePool". Distinct spec names can collide
 * ("a-b" and "ab"); the validator reports such collisions (INN048).
 */
export function logicalId(...parts: readonly string[]): string {
  return parts
    .flatMap((p) => p.split(/[^A-Za-z0-9]+/))
    .filter((p) => p.length > 0)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** Kubernetes DNS-1123 name from parts, truncated to 63 characters. */
export function k8sName(...parts: readonly string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, NAME_LIMITS.k8sName)
    .replace(/-$/, '');
}

/** kube-prometheus-stack's namespace (model.platform.monitoring.namespace). */
export const MONITORING_NAMESPACE = 'monitoring';
/** Alertmanager's service account, set in the chart's values (alertmanager.serviceAccount.name) and bound to its IAM role. */
export const ALERTMANAGER_SERVICE_ACCOUNT = 'alertmanager';
/** SNS topic Alertmanager publishes one endpoint kind's notifications to: innovate-production-alertmanager-email. */
export const alertmanagerTopic = (cluster: string, endpoint: string): string => `${cluster}-alertmanager-${endpoint}`;
/** Cognito hosted-UI domain prefix of Grafana's sign-in (unique per region, hence the account). */
export const grafanaDomainPrefix = (cluster: string, accountId: string): string => `${cluster}-grafana-${accountId}`;
/** Grafana is reached with `kubectl port-forward` (no Ingress): its root URL, and so its OAuth callback, is local. */
export const GRAFANA_ROOT_URL = 'http://localhost:3000';
