/**
 * INV113: what the first sync needs exists before it. On an empty account ArgoCD syncs every
 * workload's chart as soon as the stacks are up; whatever its pods pull or log in as must be
 * there by then, or the sync is ImagePullBackOff or a failing PreSync hook.
 *   (a) images: a workload pod's tag is one CI produces (none yet: the chart renders no pods
 *       until CI's promotion records `sha-<commit>`; or that tag as promoted), or an explicit
 *       spec tag (an external input `innovate plan` verifies, not judged here); never a tag the
 *       registry rewrites (an IMMUTABLE_WITH_EXCLUSION filter: cosign's signature tags) or a
 *       lifecycle rule expires, never `latest`. A CI-produced image is built by a workflow, for
 *       every architecture the pod may be scheduled on.
 *   (b) database users: each `database-user` secret a workload (and so its migration Job) logs in
 *       with is created by a template, and the bootstrap custom resource's user list holds it.
 *   (c) the migration hook runs the workload's image.
 * Over the platform model (src/platform/first-deploy.ts gathers repositories, CI builds and
 * database users; pods.ts marks pods awaiting their first image).
 */
import type { Model, Workload } from '../../compiler/model.js';
import { CI_TAG_PATTERN, CI_TAG_PREFIX } from '../../compiler/names.js';
import type { Platform, Pod, Repository } from '../../platform/index.js';
import type { PolicyFinding, Rule } from '../policies/types.js';

/** An ECR wildcard (`*` any run of characters) as a test on a tag. */
const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** The lifecycle rule that expires a tag, if any. */
export function expiringRule(repo: Repository, tag: string): string | undefined {
  return repo.expiring.find((r) => r.any === true || r.prefixes.some((p) => tag.startsWith(p)) || r.patterns.some((p) => wildcard(p).test(tag)))?.description;
}

/**
 * The lifecycle rule that expires CI's tags: `sha-` followed by 12 hex digits, so a prefix
 * expires them when it is a prefix of `sha-` or `sha-` followed by hex digits only.
 */
export function expiringCiRule(repo: Repository): string | undefined {
  const hex = /^[0-9a-f]*$/;
  const prefixHits = (p: string) => CI_TAG_PREFIX.startsWith(p) || (p.startsWith(CI_TAG_PREFIX) && p.length <= CI_TAG_PREFIX.length + 12 && hex.test(p.slice(CI_TAG_PREFIX.length)));
  return repo.expiring.find((r) => r.any === true || r.prefixes.some(prefixHits) || r.patterns.some((p) => wildcard(p).test(`${CI_TAG_PREFIX}0123456789ab`)))?.description;
}

const tagOf = (image: string): string | undefined => /:([^/:@]+)$/.exec(image)?.[1];

/** Architectures a pod may be scheduled on: its node kinds' arch labels, narrowed by its required affinity. */
function architecturesOf(platform: Platform, pod: Pod): string[] {
  const required = new Set((pod.nodeAffinity ?? []).flatMap((term) => term.filter((e) => e.key === 'kubernetes.io/arch' && e.operator === 'In').flatMap((e) => e.values)));
  const out = new Set<string>();
  for (const n of platform.nodeKinds.filter((k) => pod.placement.includes(k.id))) {
    for (const a of n.labels['kubernetes.io/arch'] ?? []) if (required.size === 0 || required.has(a)) out.add(a);
  }
  return [...out].sort();
}

interface Ctx {
  readonly model: Model;
  readonly platform: Platform;
}

const at = (platform: Platform, pod: Pod, specPath: readonly (string | number)[], message: string): PolicyFinding => ({
  rule: 'INV113',
  message,
  artifact: pod.source.artifact,
  target: pod.source.resource,
  environment: platform.environment,
  specPath: [...specPath],
});

/** (a) and (c) for one workload's pods. */
function images({ platform }: Ctx, w: Workload, pods: readonly Pod[]): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  const repo = platform.repositories.find((r) => r.name === w.image.repository);
  const first = pods.find((p) => p.origin === 'workload') ?? pods[0]!;
  if (!repo) {
    if (platform.repositories.length > 0) out.push(at(platform, first, ['workloads', w.name, 'repository'], `${first.id} pulls from ${w.image.repository}, which no template of ${platform.environment} creates`));
    return out;
  }
  const seen = new Set<string>();
  for (const pod of pods) {
    const tag = pod.image ? tagOf(pod.image) : undefined;
    const key = pod.awaitingImage ? '' : (tag ?? '?');
    if (seen.has(key)) continue;
    seen.add(key);
    if (pod.awaitingImage) {
      // Not yet promoted: CI's first build and promotion give it sha-<commit>.
      const ciRule = expiringCiRule(repo);
      if (ciRule) out.push(at(platform, pod, ['registry', 'lifecycle'], `${pod.id} waits for CI's first image (${CI_TAG_PREFIX}<commit>), which ${repo.name}'s lifecycle rule "${ciRule}" expires: once expired, a rescheduled pod cannot pull it`));
      continue;
    }
    if (!tag) {
      if (pod.image && !pod.image.includes('@sha256:')) out.push(at(platform, pod, ['workloads', w.name, 'tag'], `${pod.id} pulls ${pod.image}, which names no tag`));
      continue;
    }
    const note = w.image.tagSource === 'spec' ? ` (an explicit tag: an image the spec asserts is in ${repo.name}, which innovate plan checks)` : '';
    if (tag !== w.image.tag && !CI_TAG_PATTERN.test(tag)) {
      // Neither what CI builds (sha-<commit>) nor a tag the spec names: nothing puts this image in the registry.
      out.push(at(platform, pod, ['workloads', w.name, 'tag'], `${pod.id} pulls ${repo.name}:${tag}, a tag CI never produces (it pushes ${CI_TAG_PREFIX}<commit>) and the spec does not name: the first sync is ImagePullBackOff`));
    } else if (tag === 'latest') out.push(at(platform, pod, ['workloads', w.name, 'tag'], `${pod.id} pulls ${repo.name}:latest, a tag CI never produces and anyone may move${note}`));
    else if (repo.mutability === 'IMMUTABLE_WITH_EXCLUSION' && repo.mutableTagFilters.some((f) => wildcard(f).test(tag))) {
      out.push(at(platform, pod, ['workloads', w.name, 'tag'], `${pod.id} pulls ${repo.name}:${tag}, a tag ${repo.name} keeps mutable (${repo.mutableTagFilters.filter((f) => wildcard(f).test(tag)).join(', ')}: cosign's signature tags), not an image CI produces${note}`));
    } else {
      const expiry = expiringRule(repo, tag);
      if (expiry) out.push(at(platform, pod, ['workloads', w.name, 'tag'], `${pod.id} pulls ${repo.name}:${tag}, which the lifecycle rule "${expiry}" expires: once expired, the first sync (or a rescheduled pod) cannot pull it${note}`));
    }
  }
  // (c) The migration hook runs before the rollout, on the workload's image.
  const deployment = pods.find((p) => p.origin === 'workload');
  for (const job of pods.filter((p) => p.origin === 'job')) {
    if (!deployment) continue;
    const a = deployment.awaitingImage ? 'no image yet' : (deployment.image ?? '?');
    const b = job.awaitingImage ? 'no image yet' : (job.image ?? '?');
    if (a !== b) out.push(at(platform, job, ['workloads', w.name, 'migration'], `${job.id} runs ${b}, the workload ${deployment.id} ${a}: the migration must run the image it migrates for`));
  }
  return out;
}

/** (a) continued: a CI-produced image is built, for every architecture the pods may land on. */
function builds({ platform }: Ctx, w: Workload, pods: readonly Pod[]): PolicyFinding[] {
  if (!platform.ciBuilds || w.image.tagSource !== 'ci') return [];
  const first = pods.find((p) => p.origin === 'workload') ?? pods[0]!;
  const built = platform.ciBuilds.filter((b) => b.repository === w.image.repository);
  if (built.length === 0) return [at(platform, first, ['workloads', w.name], `${first.id} waits for an image of ${w.image.repository} that no workflow builds: CI never promotes it, so it never runs`)];
  const platforms = new Set(built.flatMap((b) => b.platforms));
  const out: PolicyFinding[] = [];
  for (const pod of pods) {
    const missing = architecturesOf(platform, pod).filter((a) => !platforms.has(`linux/${a}`));
    if (missing.length > 0) {
      out.push(at(platform, pod, ['workloads', w.name, 'pool'], `${pod.id} may run on ${missing.join(', ')} nodes, but CI builds ${w.image.repository} for ${[...platforms].sort().join(', ')} only (${built[0]!.source.artifact}): the pull finds no image for that platform`));
      break;
    }
  }
  return out;
}

/** (b) Every database user the pods log in as exists before the first sync. */
function databaseUsers({ platform }: Ctx): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  for (const u of platform.databaseUsers) {
    const who = u.pods.join(', ');
    const user = u.username ?? u.secret;
    if (!u.createdBy) {
      out.push({ rule: 'INV113', message: `${who} log in with secret ${u.secretName}, which no template of ${platform.environment} creates`, artifact: `cloudformation/${platform.environment}`, target: u.secretName, environment: platform.environment, specPath: ['security', 'secrets', u.secret] });
    } else if (u.bootstraps.length === 0) {
      out.push({
        rule: 'INV113',
        message: `${who} log in as database user ${user} (secret ${u.secretName}), which nothing creates: no custom resource's USER_SECRET_ARNS lists the secret, so the migration hook and the workload fail to log in (and the secret's rotation with them)`,
        artifact: u.createdBy.artifact,
        target: u.createdBy.resource,
        environment: platform.environment,
        specPath: ['security', 'secrets', u.secret],
      });
    }
  }
  return out;
}

export const firstDeploy: Rule = {
  id: 'INV113',
  title: 'What the first sync needs exists',
  principle: 'first deploy',
  severity: 'error',
  hint: 'leave workloads.<name>.tag out (CI builds and promotes sha-<commit>; the chart runs no pods until then), build every architecture the pool may use, keep tags outside registry.lifecycle.devTagPrefix, and let the database bootstrap create every database-user secret\'s role',
  help: 'On an empty account ArgoCD syncs every workload as soon as the stacks are up. A tag no registry holds (the old default 0.1.0), a tag a lifecycle rule expires or the registry lets be rewritten, an image built for another architecture, a database user no bootstrap creates, or a migration hook on another image make the first sync fail (ImagePullBackOff, a failing PreSync hook). A workload without a tag renders no pods until CI promotes its first image. An explicit tag is an external input innovate plan verifies (ecr:DescribeImages). See docs/boot.md.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const c of ctx.platforms()) {
      for (const w of c.model.workloads) {
        // The Deployment's pod first: a finding names it rather than its migration Job when both pull the same image.
        const pods = c.platform.pods.filter((p) => (p.origin === 'workload' || p.origin === 'job') && p.owner === w.name).sort((a, b) => (a.origin === b.origin ? 0 : a.origin === 'workload' ? -1 : 1));
        if (pods.length === 0) continue;
        out.push(...images(c, w, pods), ...builds(c, w, pods));
      }
      out.push(...databaseUsers(c));
    }
    return out;
  },
};
