/**
 * registry.json: the supply chain. ECR repositories (scan on push, KMS, immutable tags but
 * cosign's signature tags, lifecycle), registry scanning, cross-account replication (source side) or the registry
 * policy allowing it (destination side), the CI artifact bucket, and GitHub Actions' OIDC
 * provider with the CI role scoped to the repositories and branch / environment, granted exactly
 * what the generated workflows call (src/emitters/ci/calls.ts).
 */
import type { Model } from '../../compiler/model.js';
import { logicalId } from '../../compiler/names.js';
import { addBucket } from './audit.js';
import { ciRoleCalls } from '../ci/role.js';
import { addRole, allow, arn, document, type Statement } from './iam.js';
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
        // Release tags never move; cosign's signature tags are rewritten when an image is signed again
        // (and replicated as such), so they are the one exception.
        ...(r.immutableTags
          ? {
              ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
              ImageTagMutabilityExclusionFilters: SIGNATURE_TAG_FILTERS.map((f) => ({ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: f })),
            }
          : { ImageTagMutability: 'MUTABLE' }),
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
    // One rule to every registry of the promotion chain: each hop's target receives the image
    // straight from the build registry, whatever hop it is promoted by.
    t.add('RegistryReplication', 'AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [
          {
            Destinations: rep.destinations.map((d) => ({ Region: d.region, RegistryId: d.accountId })),
            RepositoryFilters: [{ Filter: `${m.project}/`, FilterType: 'PREFIX_MATCH' }],
          },
        ],
      },
    });
  } else if (rep?.role === 'destination' && rep.source.accountId !== m.environment.accountId) {
    // Cross-account replication needs the destination's consent; within one account it needs none.
    t.add('RegistryPolicy', 'AWS::ECR::RegistryPolicy', {
      PolicyText: document([
        {
          Sid: `ReplicationFrom${logicalId(rep.source.name)}`,
          Effect: 'Allow',
          Principal: { AWS: arn.root(rep.source.accountId) },
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

/** Cosign's signature and attestation tags (sha256-<digest>.sig / .att), rewritten whenever an image is signed again. */
export const SIGNATURE_TAG_FILTERS = ['sha256-*.sig', 'sha256-*.att'] as const;

/**
 * The CI role's statements: exactly the calls the workflow jobs that assume it make (derived from
 * the workflows by src/emitters/ci/calls.ts), grouped by resource. Repository-scoped ECR actions
 * name the repositories; ecr:GetAuthorizationToken and the inspector2 List actions have no
 * resource-level permissions ("*"); the signing key is the KMS key behind the signing alias.
 */
export function ciStatements(t: Template): Statement[] {
  const m = t.model;
  const calls = ciRoleCalls(m);
  const keyPrefix = `arn:aws:kms:${m.environment.region}:${m.environment.accountId}:`;
  const byResource = new Map<string, Set<string>>();
  for (const c of calls) byResource.set(c.resource, (byResource.get(c.resource) ?? new Set()).add(c.action));
  const statements: Statement[] = [];
  const any = [...(byResource.get('*') ?? [])].sort();
  const ecrAny = any.filter((a) => a.startsWith('ecr:'));
  if (ecrAny.length) statements.push(allow('EcrLogin', ecrAny.length === 1 ? ecrAny[0]! : ecrAny, '*'));
  // Repositories with the same actions share a statement.
  const repos = new Map<string, string[]>();
  for (const [resource, actions] of [...byResource].filter(([r]) => r.includes(':repository/')).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const key = [...actions].sort().join(' ');
    repos.set(key, [...(repos.get(key) ?? []), resource]);
  }
  for (const [key, resources] of repos) {
    const actions = key.split(' ');
    const sid = actions.includes('ecr:PutImage') ? 'PushImages' : 'ReadImages';
    statements.push(allow(repos.size > 1 ? `${sid}${[...repos.keys()].indexOf(key) + 1}` : sid, actions, resources));
  }
  const inspector = any.filter((a) => a.startsWith('inspector2:'));
  if (inspector.length) statements.push(allow('ScanFindings', inspector, '*'));
  for (const [resource, actions] of byResource) {
    if (!resource.startsWith(keyPrefix)) continue;
    if (resource !== `${keyPrefix}${m.names.signingKeyAlias}`) throw new Error(`the CI workflows use the KMS key ${resource}, which is not this environment's signing key`);
    statements.push(allow('SignImages', [...actions].sort(), keyArn(t, 'signing')));
  }
  const granted = new Set(statements.flatMap((s) => (typeof s.Action === 'string' ? [s.Action] : s.Action)));
  const missing = calls.filter((c) => !granted.has(c.action));
  if (missing.length) throw new Error(`no CI role statement for ${missing.map((c) => `${c.action} on ${c.resource}`).join(', ')}`);
  return statements;
}

function ci(t: Template): void {
  const m = t.model;
  const host = m.github.oidcProviderUrl.replace(/^https:\/\//, '');
  t.add('GitHubOidcProvider', 'AWS::IAM::OIDCProvider', { Url: m.github.oidcProviderUrl, ClientIdList: ['sts.amazonaws.com'] });
  const statements = ciStatements(t);
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
