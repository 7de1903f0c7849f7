/**
 * registry.json: the supply chain. ECR repositories (scan on push, KMS, immutable tags,
 * lifecycle), registry scanning, cross-account replication (source side) or the registry
 * policy allowing it (destination side), the CI artifact bucket, and GitHub Actions' OIDC
 * provider with the CI role scoped to the repositories and branch / environment.
 */
import type { Model } from '../../compiler/model.js';
import { logicalId } from '../../compiler/names.js';
import { addBucket } from './audit.js';
import { addRole, allow, arn, document, viaService, type Statement } from './iam.js';
import { keyArn } from './security.js';
import { getAtt, ref, Template } from './template.js';

function lifecyclePolicy(m: Model): string {
  const l = m.registry.lifecycle;
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images after ${l.untaggedExpireDays} day(s)`,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: l.untaggedExpireDays },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Expire ${l.devTagPrefix} images after ${l.devExpireDays} days`,
        selection: { tagStatus: 'tagged', tagPrefixList: [l.devTagPrefix], countType: 'sinceImagePushed', countUnit: 'days', countNumber: l.devExpireDays },
        action: { type: 'expire' },
      },
    ],
  });
}

function repositories(t: Template): void {
  const m = t.model;
  for (const r of m.registry.repositories) {
    t.add(
      logicalId(r.name, 'repository'),
      'AWS::ECR::Repository',
      {
        RepositoryName: r.repositoryName,
        ImageTagMutability: r.immutableTags ? 'IMMUTABLE' : 'MUTABLE',
        ImageScanningConfiguration: { ScanOnPush: m.registry.scanOnPush },
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: keyArn(t, 'registry') },
        LifecyclePolicy: { LifecyclePolicyText: lifecyclePolicy(m) },
      },
      { retain: 'Retain' },
    );
  }
  t.add('RegistryScanning', 'AWS::ECR::RegistryScanningConfiguration', {
    ScanType: m.registry.enhancedScanning ? 'ENHANCED' : 'BASIC',
    Rules: [
      {
        ScanFrequency: m.registry.enhancedScanning ? 'CONTINUOUS_SCAN' : 'SCAN_ON_PUSH',
        RepositoryFilters: [{ Filter: `${m.project}/*`, FilterType: 'WILDCARD' }],
      },
    ],
  });
  const rep = m.registry.replication;
  if (rep?.role === 'source') {
    t.add('RegistryReplication', 'AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [
          {
            Destinations: [{ Region: rep.peer.region, RegistryId: rep.peer.accountId }],
            RepositoryFilters: [{ Filter: `${m.project}/`, FilterType: 'PREFIX_MATCH' }],
          },
        ],
      },
    });
  } else if (rep?.role === 'destination') {
    t.add('RegistryPolicy', 'AWS::ECR::RegistryPolicy', {
      PolicyText: document([
        {
          Sid: `ReplicationFrom${logicalId(rep.peer.name)}`,
          Effect: 'Allow',
          Principal: { AWS: arn.root(rep.peer.accountId) },
          Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
          Resource: `arn:aws:ecr:${m.environment.region}:${m.environment.accountId}:repository/${m.project}/*`,
        },
      ]),
    });
  }
}

/** GitHub subjects allowed to assume the CI role: the environment, plus the branch where no approval gate applies. */
export function githubSubjects(m: Model): string[] {
  return m.github.repositories.flatMap((repo) => [
    ...(m.delivery.approvalRequired ? [] : [`repo:${repo}:ref:refs/heads/${m.delivery.branch}`]),
    `repo:${repo}:environment:${m.environment.name}`,
  ]);
}

function ci(t: Template): void {
  const m = t.model;
  const host = m.github.oidcProviderUrl.replace(/^https:\/\//, '');
  t.add('GitHubOidcProvider', 'AWS::IAM::OIDCProvider', { Url: m.github.oidcProviderUrl, ClientIdList: ['sts.amazonaws.com'] });
  const repoArns = m.registry.repositories.map((r) => arn.ecrRepository(m, r.repositoryName));
  const statements: Statement[] = [
    allow('EcrLogin', 'ecr:GetAuthorizationToken', '*'),
    allow(
      'PushImages',
      ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:DescribeImageScanFindings', 'ecr:DescribeImages', 'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload', 'ecr:ListImages', 'ecr:PutImage', 'ecr:UploadLayerPart'],
      repoArns,
    ),
    allow('Artifacts', ['s3:GetObject', 's3:ListBucket', 's3:PutObject'], [`arn:aws:s3:::${m.names.artifactBucket}`, `arn:aws:s3:::${m.names.artifactBucket}/*`]),
    allow('ArtifactsKey', ['kms:Decrypt', 'kms:GenerateDataKey'], keyArn(t, 'storage'), viaService(m, 's3')),
  ];
  if (m.registry.signing) statements.push(allow('SignImages', ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'], keyArn(t, 'signing')));
  addRole(t, 'CiRole', {
    roleName: m.names.ciRole,
    description: `GitHub Actions for ${m.github.repositories.join(', ')} (${m.environment.name})`,
    trust: document([
      {
        Sid: 'GitHubActions',
        Effect: 'Allow',
        Principal: { Federated: ref('GitHubOidcProvider') },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${host}:aud`]: 'sts.amazonaws.com' },
          StringLike: { [`${host}:sub`]: githubSubjects(m) },
        },
      },
    ]),
    statements,
  });
  t.publish(['registry', 'ci-role-arn'], getAtt('CiRole', 'Arn'), 'GitHub Actions CI role ARN');
}

export function registryTemplate(m: Model): Template {
  const t = new Template(m, `${m.names.cluster}: ECR repositories, scanning, replication, CI artifact bucket and the GitHub Actions OIDC role.`);
  repositories(t);
  addBucket(t, 'artifact', m.names.artifactBucket, keyArn(t, 'storage'));
  t.publish(['registry', 'artifact-bucket'], ref('ArtifactBucket'), 'CI artifact bucket name');
  ci(t);
  return t;
}
