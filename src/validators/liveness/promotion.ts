/**
 * The way images travel to every environment (docs/boot.md, "Promotion"), judged on the artifacts:
 *   INV120 (error) every environment receives its images: the build environment pushes; every other
 *          has a job of promote-production.yml that copies the tags of an environment which itself
 *          gets them (back to the build environment, no cycle), and its registry receives the images
 *          by ECR replication from the build registry (the build registry.json's replication rule
 *          names it and covers every workload repository; cross-account, its registry.json's registry
 *          policy lets the build account replicate into those repositories);
 *   INV121 (error) the production door: a promotion into a production environment whose registry
 *          scans reads that registry's scan of the image (describe-image-scan-findings) before it
 *          pushes the tag (issue 17: "ECR image scanning blocks images with critical CVEs from
 *          reaching production");
 *   INV122 (error) every push to the config repository goes through the promoter GitHub App's
 *          token, never GITHUB_TOKEN (no job asks for contents: write): a protected branch can let
 *          the App through, and its pushes start the workflows GITHUB_TOKEN's would not.
 * The shared batch carries every environment's CloudFormation and the workflows; a part of the
 * check whose artifact is not in the batch (compile --env) is skipped, never guessed.
 */
import { parse } from 'yaml';
import type { Model } from '../../compiler/model.js';
import { ciEmitter } from '../../emitters/ci/index.js';
import { allows, type PolicyStatement } from '../../emitters/ci/calls.js';
import type { CfnResource, PolicyContext, PolicyFinding, Rule, Template } from '../policies/types.js';

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const WORKFLOW = /(^|\/)workflows\/[^/]+\.ya?ml$/;
const PROMOTE = /(^|\/)workflows\/promote-production\.ya?ml$/;

/** The workflows in the batch, or those compile would write for these models (validate emits none). */
function workflows(ctx: PolicyContext): { path: string; doc: Doc }[] {
  const given = [
    ...ctx.artifacts.filter((a) => WORKFLOW.test(a.path) && isDoc(a.data)).map((a) => ({ path: a.path, doc: a.data as Doc })),
    ...ctx.texts().filter((a) => WORKFLOW.test(a.path)).map((a) => ({ path: a.path, doc: parse(a.content) as Doc })),
  ];
  if (given.length > 0 || ctx.models.length === 0 || !ctx.templates.some((t) => t.path.endsWith('/registry.json'))) return given;
  return ciEmitter.emit(ctx.models).map((a) => ({ path: a.path, doc: parse(a.content) as Doc }));
}

const jobsOf = (doc: Doc): [string, Doc][] => (isDoc(doc.jobs) ? Object.entries(doc.jobs).filter((e): e is [string, Doc] => isDoc(e[1])) : []);
const envOf = (job: Doc): string | undefined => (isDoc(job.environment) ? String(job.environment.name) : typeof job.environment === 'string' ? job.environment : undefined);
const stepsOf = (job: Doc): Doc[] => list(job.steps).filter(isDoc);
const registryOf = (ctx: PolicyContext, env: string): Template | undefined => ctx.templates.find((t) => t.environment === env && t.path.endsWith('/registry.json'));
const ofType = (t: Template, type: string): [string, CfnResource][] => Object.entries(t.resources).filter(([, r]) => r.Type === type);
const repositoriesOf = (m: Model): string[] => [...new Set(m.workloads.map((w) => w.image.repository))].sort();

/** The promotion jobs by target environment: the environment whose tags each copies. */
function promotionJobs(ctx: PolicyContext): { path: string; sources: Map<string, { job: string; from?: string }> } | undefined {
  const wf = workflows(ctx);
  if (wf.length === 0) return undefined;
  const promote = wf.find((w) => PROMOTE.test(w.path));
  const sources = new Map<string, { job: string; from?: string }>();
  for (const [id, job] of promote ? jobsOf(promote.doc) : []) {
    const env = envOf(job);
    const from = isDoc(job.env) && job.env.SOURCE_ENVIRONMENT !== undefined ? String(job.env.SOURCE_ENVIRONMENT) : undefined;
    if (env) sources.set(env, { job: id, ...(from ? { from } : {}) });
  }
  return { path: promote?.path ?? wf[0]!.path.replace(/[^/]+$/, 'promote-production.yml'), sources };
}

function replicationGap(build: Template, m: Model): string | undefined {
  const e = m.environment;
  const rules = ofType(build, 'AWS::ECR::ReplicationConfiguration').flatMap(([, r]) => list((r.Properties?.ReplicationConfiguration as Doc | undefined)?.Rules).filter(isDoc));
  const reaching = rules.filter((rule) => list(rule.Destinations).some((d) => isDoc(d) && d.Region === e.region && d.RegistryId === e.accountId));
  if (reaching.length === 0) return `no replication rule of ${build.path} names ${e.name}'s registry (${e.accountId}, ${e.region})`;
  const covered = (repo: string): boolean =>
    reaching.some((rule) => {
      const filters = list(rule.RepositoryFilters).filter(isDoc);
      return filters.length === 0 || filters.some((f) => f.FilterType === 'PREFIX_MATCH' && repo.startsWith(String(f.Filter)));
    });
  const missing = repositoriesOf(m).filter((r) => !covered(r));
  return missing.length > 0 ? `the replication rule to ${e.name} does not cover ${missing.join(', ')}` : undefined;
}

function registryPolicyGap(target: Template, m: Model, source: string): string | undefined {
  const e = m.environment;
  const statements = ofType(target, 'AWS::ECR::RegistryPolicy').flatMap(([, r]) => {
    const text = r.Properties?.PolicyText;
    const doc = typeof text === 'string' ? (JSON.parse(text) as Doc) : isDoc(text) ? text : {};
    return list(doc.Statement).filter(isDoc);
  });
  // Only the statements that name the build account as principal.
  const principals = (s: Doc): string[] => (isDoc(s.Principal) ? list(s.Principal.AWS).map(String) : []);
  const fromSource = statements.filter((s) => principals(s).some((p) => p === source || p === `arn:aws:iam::${source}:root`)) as PolicyStatement[];
  for (const repo of repositoriesOf(m)) {
    for (const action of ['ecr:CreateRepository', 'ecr:ReplicateImage']) {
      const resource = `arn:aws:ecr:${e.region}:${e.accountId}:repository/${repo}`;
      if (!allows(fromSource, { action, resource })) return `${e.name}'s registry policy does not let account ${source} ${action} on ${resource}`;
    }
  }
  return undefined;
}

export const imagesReachEveryEnvironment: Rule = {
  id: 'INV120',
  title: 'Every environment receives its images',
  principle: 'first deploy',
  severity: 'error',
  hint: 'keep every environment in the promotion chain (registry.replication) and deploy the registry stacks of the build environment and of each target',
  help: 'CI pushes to the build environment\'s registry only. Any other environment gets an image when its registry receives it by ECR replication (the build registry\'s rule names it; across accounts, the target\'s registry policy consents) and a promotion job records its tag, copying it from an environment that has it. Without either, the promotion waits for a tag that never arrives.',
  check(ctx) {
    const models = ctx.models;
    if (models.length === 0 || !ctx.templates.some((t) => t.path.endsWith('/registry.json'))) return [];
    const build = models[0]!.delivery.promotion.build;
    const buildTemplate = registryOf(ctx, build.name);
    const jobs = promotionJobs(ctx);
    const out: PolicyFinding[] = [];
    for (const m of models) {
      const e = m.environment;
      if (e.name === build.name) continue;
      const at = (artifact: string, target: string, message: string): PolicyFinding => ({ rule: 'INV120', artifact, target, environment: e.name, specPath: ['registry', 'replication'], message });
      if (jobs) {
        // Walk the hops back to the build environment: each step must be a job, without a cycle.
        const seen = new Set<string>();
        let at_ = e.name;
        let broken: string | undefined;
        while (at_ !== build.name) {
          const job = jobs.sources.get(at_);
          if (!job || !job.from) {
            broken = `no job of promote-production.yml records tags for ${at_}`;
            break;
          }
          if (seen.has(at_)) {
            broken = `the promotion chain into ${e.name} loops through ${[...seen].join(', ')}`;
            break;
          }
          seen.add(at_);
          at_ = job.from;
        }
        if (broken) out.push(at(jobs.path, jobs.sources.get(e.name)?.job ?? `promote-${e.name}`, `${e.name} never receives an image: ${broken}`));
      }
      if (e.accountId === build.accountId && e.region === build.region) continue;
      const gap = buildTemplate && replicationGap(buildTemplate, m);
      if (gap) out.push(at(buildTemplate!.path, 'RegistryReplication', `${e.name} never receives an image: ${gap}`));
      const target = registryOf(ctx, e.name);
      const consent = target && e.accountId !== build.accountId ? registryPolicyGap(target, m, build.accountId) : undefined;
      if (consent) out.push(at(target!.path, 'RegistryPolicy', `${e.name} never receives an image: ${consent}, so replication from ${build.name} fails`));
    }
    return out;
  },
};

/** The index of the first step whose script matches. */
const stepIndex = (steps: Doc[], re: RegExp): number => steps.findIndex((s) => typeof s.run === 'string' && re.test(s.run));

export const productionCveGate: Rule = {
  id: 'INV121',
  title: 'Production promotions fail on CRITICAL findings',
  principle: 'supply chain',
  severity: 'error',
  hint: 'keep the CVE gate step of promote-production.yml (registry scanning on in production: registry.scanOnPush or registry.enhancedScanning)',
  help: 'The architecture document: "ECR image scanning blocks images with critical CVEs from reaching production". The build gate runs once, at push time; new CVEs are published after. A promotion into production therefore reads the production registry\'s own scan of the image (enhanced scanning rescans continuously) and fails on any CRITICAL finding before it records the tag.',
  check(ctx) {
    const jobs = workflows(ctx).filter((w) => PROMOTE.test(w.path));
    const out: PolicyFinding[] = [];
    for (const w of jobs) {
      for (const [id, job] of jobsOf(w.doc)) {
        const m = ctx.models.find((x) => x.environment.name === envOf(job));
        if (!m || !m.environment.production || !(m.registry.scanOnPush || m.registry.enhancedScanning)) continue;
        const steps = stepsOf(job);
        const gate = stepIndex(steps, /(^|\$\(|[\s;&|!])aws\s+ecr\s+describe-image-scan-findings\b/m);
        const push = stepIndex(steps, /\bgit\s+push\b/);
        if (gate < 0 || (push >= 0 && gate > push)) {
          out.push({ rule: 'INV121', artifact: w.path, target: id, environment: m.environment.name, specPath: ['registry', 'enhancedScanning'], message: `job ${id} promotes into production without reading the ${m.environment.name} registry's scan of the image first: a CRITICAL finding would reach production` });
        }
      }
    }
    return out;
  },
};

export const promoterAppPushes: Rule = {
  id: 'INV122',
  title: 'Pushes to the config repository use the promoter App token',
  principle: 'supply chain',
  severity: 'error',
  hint: 'check out the config repository with the token of actions/create-github-app-token (INNOVATE_PROMOTER_APP_ID / INNOVATE_PROMOTER_PRIVATE_KEY) and give the job no contents: write',
  help: 'A push with GITHUB_TOKEN is refused by a protected branch that only lets the promoter App through, and starts no other workflow. Every job that pushes checks out with the App token minted by an earlier step of the same job; no job asks GITHUB_TOKEN for contents: write.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const w of workflows(ctx)) {
      for (const [id, job] of jobsOf(w.doc)) {
        const steps = stepsOf(job);
        const at = (message: string): PolicyFinding => ({ rule: 'INV122', artifact: w.path, target: id, specPath: ['delivery', 'configRepository'], message });
        if (isDoc(job.permissions) && job.permissions.contents === 'write') out.push(at(`job ${id} gives GITHUB_TOKEN contents: write`));
        steps.forEach((s, i) => {
          const withs = isDoc(s.with) ? s.with : {};
          if (!String(s.uses ?? '').startsWith('actions/checkout@') || withs['persist-credentials'] !== true) return;
          const token = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.token\s*\}\}$/.exec(String(withs.token ?? ''));
          const minted = token && steps.slice(0, i).some((x) => x.id === token[1] && String(x.uses ?? '').startsWith('actions/create-github-app-token@'));
          if (!minted) out.push(at(`job ${id} keeps push credentials from a checkout that does not use the promoter App's token (${withs.token === undefined ? 'GITHUB_TOKEN' : String(withs.token)})`));
        });
      }
    }
    return out;
  },
};
