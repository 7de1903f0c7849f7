/**
 * IAM building blocks: policy documents, trust policies for Pod Identity / IRSA / GitHub
 * OIDC, and roles. Every statement names its actions; none grants "*" on "*".
 */
import type { Model, PodIdentity } from '../../compiler/model.js';
import { logicalId } from '../../compiler/names.js';
import { getAtt, ref, type Json, type Template } from './template.js';

export interface Statement {
  readonly Sid?: string;
  readonly Effect?: 'Allow' | 'Deny';
  readonly Principal?: Json;
  readonly Action: string | readonly string[];
  readonly Resource?: Json;
  readonly Condition?: Json;
}

export const document = (statements: readonly Statement[]): Json => ({
  Version: '2012-10-17',
  Statement: statements.map((s) => ({ Effect: 'Allow', ...s }) as Json),
});

export const allow = (sid: string, action: string | readonly string[], resource: Json, condition?: Json): Statement => ({
  Sid: sid,
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...(condition ? { Condition: condition } : {}),
});

export const managedPolicy = (name: string): string => `arn:aws:iam::aws:policy/${name}`;

export const serviceTrust = (...services: string[]): Json =>
  document([{ Effect: 'Allow', Principal: { Service: services.length === 1 ? services[0]! : services }, Action: 'sts:AssumeRole' }]);

/** The cluster's ARN, resolved by CloudFormation (partition, region and account of the stack). */
export const clusterArnSub = (model: Model): Json => ({ 'Fn::Sub': `arn:\${AWS::Partition}:eks:\${AWS::Region}:\${AWS::AccountId}:cluster/${model.cluster.name}` });

/**
 * EKS Pod Identity: the pods.eks.amazonaws.com service assumes the role and tags the session. The
 * service principal is the same for every cluster of every account, so the trust is narrowed to
 * this account (aws:SourceAccount), this cluster and this service account: EKS Pod Identity sends
 * the session tags eks-cluster-arn, kubernetes-namespace and kubernetes-service-account with its
 * AssumeRole request (EKS User Guide, "Create IAM role with trust policy required by EKS Pod
 * Identity" and "List of session tags added by EKS Pod Identity"), and the trust matches them as
 * aws:RequestTag/... keys. An association of this role on another cluster, or for another service
 * account, cannot assume it. sts:TagSession stays: the service passes those tags.
 */
const podIdentityTrust = (model: Model, identity: PodIdentity): Json =>
  document([
    {
      Sid: 'EksPodIdentity',
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:SourceAccount': model.environment.accountId,
          'aws:RequestTag/eks-cluster-arn': clusterArnSub(model),
          'aws:RequestTag/kubernetes-namespace': identity.namespace,
          'aws:RequestTag/kubernetes-service-account': identity.serviceAccount,
        },
      },
    },
  ]);

/** The cluster OIDC provider (IRSA only) lives in the cluster template under this id. */
export const OIDC_PROVIDER_ID = 'ClusterOidcProvider';
export const CLUSTER_ID = 'Cluster';

/**
 * The cluster as a template names it: a Ref in cluster.json, elsewhere (karpenter.json) the name
 * cluster.json publishes, read from SSM, so the reading stack deploys after the cluster exists.
 */
export const clusterName = (t: Template): Json => (t.resources[CLUSTER_ID] ? ref(CLUSTER_ID) : t.ssm(['cluster', 'name']));

/** The OIDC provider's ARN and the issuer's host/path (IRSA only), in or from cluster.json. */
const oidc = (t: Template): { OidcProviderArn: Json; OidcIssuer: Json } => {
  const own = Boolean(t.resources[CLUSTER_ID]);
  const issuerUrl = own ? getAtt(CLUSTER_ID, 'OpenIdConnectIssuerUrl') : t.ssm(['cluster', 'oidc-issuer-url']);
  return {
    OidcProviderArn: own ? ref(OIDC_PROVIDER_ID) : t.ssm(['cluster', 'oidc-provider-arn']),
    OidcIssuer: { 'Fn::Select': [1, { 'Fn::Split': ['//', issuerUrl] }] },
  };
};

/**
 * IRSA: web identity from the cluster's OIDC issuer, limited to one service account. The issuer
 * host is only known once the cluster exists, and appears in condition keys, so the document is
 * a Fn::Sub string (the same technique as Karpenter's own CloudFormation).
 */
const irsaTrust = (t: Template, identity: PodIdentity): Json => {
  const doc = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EksServiceAccount',
        Effect: 'Allow',
        Principal: { Federated: '${OidcProviderArn}' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            '${OidcIssuer}:aud': 'sts.amazonaws.com',
            '${OidcIssuer}:sub': `system:serviceaccount:${identity.namespace}:${identity.serviceAccount}`,
          },
        },
      },
    ],
  };
  return {
    'Fn::Sub': [
      JSON.stringify(doc),
      oidc(t),
    ],
  };
};

/**
 * A customer-managed policy of its own, for a role whose statements are split as upstream splits
 * them (Karpenter): IAM limits one managed policy document to 6,144 characters (whitespace excluded).
 */
export interface PolicySpec {
  /** appended to the role's policy logical id ('' keeps `<Role>Policy`). */
  readonly idSuffix: string;
  readonly name: string;
  readonly description: string;
  readonly statements: readonly Statement[];
}

export interface RoleSpec {
  readonly roleName: string;
  readonly description: string;
  readonly trust: Json;
  readonly managed?: readonly string[];
  readonly statements?: readonly Statement[];
  /** several customer-managed policies instead of one (`statements` must then be empty). */
  readonly policies?: readonly PolicySpec[];
  readonly dependsOn?: readonly string[];
}

/** Logical id of the customer-managed policy that carries a role's statements. */
export const rolePolicyId = (roleId: string): string => `${roleId}Policy`;

/**
 * An IAM role; its statements go into a customer-managed policy of their own (created before the
 * role, attached through ManagedPolicyArns), never inline: NIST 800-53 rev 5 (AC-6) and the scanners
 * that implement it ask for managed policies, which are versioned and visible in IAM on their own.
 * Returns the role's logical id.
 */
export function addRole(t: Template, id: string, spec: RoleSpec): string {
  const managed: Json[] = [...(spec.managed ?? [])].sort();
  if (spec.statements?.length) {
    t.add(rolePolicyId(id), 'AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: spec.roleName,
      Description: `Least privilege of role ${spec.roleName}: ${spec.description}`.slice(0, 1000),
      PolicyDocument: document(spec.statements),
    });
    managed.push(ref(rolePolicyId(id)));
  }
  for (const p of spec.policies ?? []) {
    const pid = `${id}${p.idSuffix}Policy`;
    t.add(pid, 'AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: p.name,
      Description: `${p.description} (role ${spec.roleName})`.slice(0, 1000),
      PolicyDocument: document(p.statements),
    });
    managed.push(ref(pid));
  }
  return t.add(
    id,
    'AWS::IAM::Role',
    {
      RoleName: spec.roleName,
      Description: spec.description,
      AssumeRolePolicyDocument: spec.trust,
      ...(managed.length ? { ManagedPolicyArns: managed } : {}),
    },
    { ...(spec.dependsOn ? { dependsOn: spec.dependsOn } : {}) },
  );
}

/**
 * A role for a pod (add-on, platform component or workload) and its binding: a Pod Identity
 * association, or an IRSA trust on the cluster's OIDC provider. Returns the role's logical id.
 */
export function addPodRole(
  t: Template,
  name: string,
  identity: PodIdentity,
  description: string,
  policy: { managed?: readonly string[]; statements?: readonly Statement[]; policies?: readonly PolicySpec[] },
  options: { associate: boolean } = { associate: true },
): string {
  const model = t.model;
  const irsa = model.security.workloadIdentity === 'irsa';
  const id = logicalId(name, 'role');
  addRole(t, id, {
    roleName: identity.roleName,
    description,
    trust: irsa ? irsaTrust(t, identity) : podIdentityTrust(model, identity),
    ...(policy.managed ? { managed: policy.managed } : {}),
    ...(policy.statements ? { statements: policy.statements } : {}),
    ...(policy.policies ? { policies: policy.policies } : {}),
  });
  if (!irsa && options.associate) {
    t.add(logicalId(name, 'pod', 'identity'), 'AWS::EKS::PodIdentityAssociation', {
      ClusterName: clusterName(t),
      Namespace: identity.namespace,
      ServiceAccount: identity.serviceAccount,
      RoleArn: getAtt(id, 'Arn'),
    });
  }
  return id;
}

export const arn = {
  ssmParameters: (m: Model): string => `arn:aws:ssm:${m.environment.region}:${m.environment.accountId}:parameter${m.ssmPrefix}/*`,
  secrets: (m: Model): string => `arn:aws:secretsmanager:${m.environment.region}:${m.environment.accountId}:secret:${m.project}/${m.environment.name}/*`,
  ecrRepository: (m: Model, name: string): string => `arn:aws:ecr:${m.environment.region}:${m.environment.accountId}:repository/${name}`,
  root: (accountId: string): string => `arn:aws:iam::${accountId}:root`,
};

/** kms:ViaService condition: the key is usable only through the named AWS service in this region. */
export const viaService = (m: Model, service: string): Json => ({
  StringEquals: { 'kms:ViaService': `${service}.${m.environment.region}.amazonaws.com`, 'kms:CallerAccount': m.environment.accountId },
});

/**
 * Node roles: as Karpenter v1.14's getting-started CloudFormation attaches them, image pulls through
 * AmazonEC2ContainerRegistryPullOnly (ecr:GetAuthorizationToken, BatchGetImage, GetDownloadUrlForLayer,
 * BatchImportUpstreamImage) instead of ReadOnly, which also lists and describes every repository.
 */
const NODE_POLICIES = ['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKS_CNI_Policy', 'AmazonEKSWorkerNodePolicy', 'AmazonSSMManagedInstanceCore'].map(managedPolicy);

/** An EC2 node role with the policies every EKS node needs (managed node group or Karpenter). */
export const nodeRoleFor = (t: Template, id: string, roleName: string, description: string): string =>
  addRole(t, id, { roleName, description, trust: serviceTrust('ec2.amazonaws.com'), managed: NODE_POLICIES });
