/**
 * What the first sync needs to exist before it: the ECR repositories the pods pull from (with
 * what makes a tag mutable or expires it) and the database users the pods log in as.
 *
 * Repositories: each AWS::ECR::Repository with its tag mutability, the WILDCARD exclusion filters
 * of IMMUTABLE_WITH_EXCLUSION (tags that may be overwritten), and the lifecycle rules that expire
 * tagged images (tagStatus tagged with tagPrefixList or tagPatternList, or any).
 *
 * CI builds: what the generated workflows build and push (the build job's matrix: each
 * repository with its platforms), undefined when no workflow is at hand.
 *
 * Database users: the users the platform's pods log in as, and what creates each.
 *
 * A workload (and its migration Job, which runs the same container environment) logs in as the
 * user of every `database-user` secret its `secrets` reference. That secret is an
 * AWS::SecretsManager::Secret whose SecretStringTemplate carries the username; the user itself is
 * created by the bootstrap custom resource (src/emitters/cloudformation/db-bootstrap.ts): a
 * custom resource whose ServiceToken is a Lambda function whose USER_SECRET_ARNS lists the
 * secret. A Ref there is the same template; an SSM parameter another template publishes is an
 * earlier stack (its parameter must exist when this one deploys): either way the user exists
 * once the stack holding the custom resource is complete, before ArgoCD syncs the workloads.
 */
import { parse } from 'yaml';
import type { Model } from '../compiler/model.js';
import type { Artifact } from '../emitters/artifact.js';
import { flatten, isObj, type CfnEntry, type Sources } from './sources.js';
import type { CiBuild, DatabaseUser, Pod, Repository, Source } from './types.js';

/** The username a secret's generated string starts from, when its template says it literally. */
function usernameOf(entry: CfnEntry): string | undefined {
  const generate = entry.props.GenerateSecretString;
  if (!isObj(generate) || typeof generate.SecretStringTemplate !== 'string') return undefined;
  try {
    const t: unknown = JSON.parse(generate.SecretStringTemplate);
    return isObj(t) && typeof t.username === 'string' ? t.username : undefined;
  } catch {
    return undefined;
  }
}

/** Custom resources backed by a function, with the secrets (`<template>#<id>`) its USER_SECRET_ARNS lists. */
function bootstraps(src: Sources): { source: Source; secrets: Set<string> }[] {
  const customs = src.templates.flatMap((template) =>
    Object.entries(template.resources)
      .filter(([, r]) => r.Type === 'AWS::CloudFormation::CustomResource' || r.Type.startsWith('Custom::'))
      .map(([id, r]): CfnEntry => ({ template, id, type: r.Type, props: r.Properties ?? {} })),
  );
  const out: { source: Source; secrets: Set<string> }[] = [];
  for (const c of customs) {
    const token = src.resolve(c.template, c.props.ServiceToken);
    if (token.kind !== 'resource') continue;
    const fn = src.templates.find((t) => t.path === token.template)?.resources[token.id];
    if (!fn || fn.Type !== 'AWS::Lambda::Function') continue;
    const variables = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    if (!variables || variables.USER_SECRET_ARNS === undefined) continue;
    const fnTemplate = src.templates.find((t) => t.path === token.template)!;
    const listed = flatten(src.resolve(fnTemplate, variables.USER_SECRET_ARNS), src.key);
    out.push({ source: src.cfnSource(c), secrets: new Set(listed) });
  }
  return out;
}

export function databaseUsers(model: Model, src: Sources, pods: readonly Pod[]): DatabaseUser[] {
  const dbSecrets = model.security.secrets.filter((s) => s.kind === 'database-user');
  if (dbSecrets.length === 0) return [];
  const created = src.of('AWS::SecretsManager::Secret');
  const boots = bootstraps(src);
  const out: DatabaseUser[] = [];
  for (const s of dbSecrets) {
    const users = model.workloads.filter((w) => w.secrets.some((r) => r.secret === s.name)).map((w) => w.name);
    const loggingIn = pods.filter((p) => (p.origin === 'workload' || p.origin === 'job') && users.includes(p.owner)).map((p) => p.id);
    if (loggingIn.length === 0) continue;
    const entry = created.find((e) => e.props.Name === s.secretName);
    const key = entry ? src.key(entry.template.path, entry.id) : undefined;
    const username = entry ? usernameOf(entry) : undefined;
    out.push({
      secret: s.name,
      secretName: s.secretName,
      ...(username ? { username } : {}),
      ...(entry ? { createdBy: src.cfnSource(entry, ['security', 'secrets', s.name]) } : {}),
      bootstraps: key ? boots.filter((b) => b.secrets.has(key)).map((b) => b.source) : [],
      pods: loggingIn.sort(),
      workloads: users,
    });
  }
  return out;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The lifecycle rules of a repository that expire tagged images (untagged-only rules never touch a tag). */
function expiring(text: unknown): Repository['expiring'] {
  let policy: unknown;
  try {
    policy = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    return [];
  }
  const rules = isObj(policy) && Array.isArray(policy.rules) ? policy.rules.filter(isObj) : [];
  return rules
    .filter((r) => isObj(r.selection) && (r.selection.tagStatus === 'tagged' || r.selection.tagStatus === 'any') && (!isObj(r.action) || r.action.type === 'expire'))
    .map((r) => {
      const sel = r.selection as Record<string, unknown>;
      return {
        description: typeof r.description === 'string' ? r.description : `rule ${String(r.rulePriority)}`,
        ...(sel.tagStatus === 'any' ? { any: true as const } : {}),
        prefixes: strings(sel.tagPrefixList),
        patterns: strings(sel.tagPatternList),
      };
    });
}

/** Every ECR repository the environment's templates create. */
export function repositories(src: Sources): Repository[] {
  return src.of('AWS::ECR::Repository').map((e) => {
    const filters = Array.isArray(e.props.ImageTagMutabilityExclusionFilters) ? e.props.ImageTagMutabilityExclusionFilters.filter(isObj) : [];
    return {
      name: typeof e.props.RepositoryName === 'string' ? e.props.RepositoryName : e.id,
      mutability: typeof e.props.ImageTagMutability === 'string' ? e.props.ImageTagMutability : 'MUTABLE',
      mutableTagFilters: filters.map((f) => f.ImageTagMutabilityExclusionFilterValue).filter((v): v is string => typeof v === 'string'),
      expiring: expiring(isObj(e.props.LifecyclePolicy) ? e.props.LifecyclePolicy.LifecyclePolicyText : undefined),
      source: src.cfnSource(e, ['registry']),
    };
  });
}

const WORKFLOW = /(^|\/)workflows\/[^/]+\.ya?ml$/;

/**
 * The images the workflows build: each job matrix entry naming a repository and the platforms it
 * is built for (build-and-promote's build job). Undefined when no workflow is among the artifacts.
 */
export function ciBuilds(artifacts: readonly Artifact[]): CiBuild[] | undefined {
  const workflows = artifacts.filter((a) => a.environment === undefined && WORKFLOW.test(a.path));
  if (workflows.length === 0) return undefined;
  const out: CiBuild[] = [];
  for (const w of workflows) {
    let doc: unknown = w.data;
    if (doc === undefined) {
      try {
        doc = parse(w.content);
      } catch {
        continue;
      }
    }
    const jobs = isObj(doc) && isObj(doc.jobs) ? doc.jobs : {};
    for (const [job, j] of Object.entries(jobs)) {
      const include = isObj(j) && isObj(j.strategy) && isObj(j.strategy.matrix) && Array.isArray(j.strategy.matrix.include) ? j.strategy.matrix.include.filter(isObj) : [];
      for (const e of include) {
        if (typeof e.repository !== 'string' || typeof e.platforms !== 'string') continue;
        out.push({
          repository: e.repository,
          platforms: e.platforms.split(',').map((x) => x.trim()).filter((x) => x !== ''),
          ...(typeof e.workload === 'string' ? { workload: e.workload } : {}),
          source: { artifact: w.path, resource: `jobs.${job}.strategy.matrix`, specPath: ['delivery'] },
        });
      }
    }
  }
  return out;
}
