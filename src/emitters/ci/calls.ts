/**
 * What the generated workflows ask of AWS, read from the workflows themselves: for every job,
 * the role it assumes (aws-actions/configure-aws-credentials) and each IAM action a step needs,
 * with the resource it acts on. Sources:
 *   - `aws <service> <command>` in `run:` scripts, at a command position (a line start, after
 *     `$(`, `|`, `;`, `&&`, `||`, `if`, `then`, `do`, `!`), through CLI_ACTIONS;
 *   - `aws-actions/amazon-ecr-login` (docker login to ECR);
 *   - `docker/build-push-action` with `push: true`, `docker push`, `docker buildx imagetools
 *     inspect` and `cosign sign` (registry traffic of the OCI distribution API, which ECR
 *     authorizes as the ECR actions in REGISTRY_ACTIONS; cosign with an awskms:// key also calls KMS).
 * Pure: a workflow (text or parsed) in, calls out. Variables are resolved through the step's and
 * job's `env:` and `${{ matrix.<key> }}` over the job's matrix; an unknown command is reported in
 * `unmapped` rather than guessed, and a resource that cannot be resolved is "*", which no
 * repository-scoped grant allows: both make the role check fail instead of passing silently.
 *
 * `allows` is a small IAM check of one call against policy statements: Allow / Deny, Action and
 * Resource with IAM's wildcards (`*`, `?`; actions case-insensitive). Statements with a Condition,
 * NotAction or NotResource are never taken as allowing (they may not apply to the call).
 */
import { parse } from 'yaml';

/** A call a job makes: the IAM action and the ARN it is authorized against ("*" for none). */
export interface AwsCall {
  readonly action: string;
  readonly resource: string;
  /** What makes the call: `aws ecr describe-images`, `uses: aws-actions/amazon-ecr-login`, `cosign sign`. */
  readonly source: string;
}

export interface JobCalls {
  readonly workflow: string;
  readonly job: string;
  /** role-to-assume of the job's credentials step, when it has one. */
  readonly role?: string;
  readonly region?: string;
  readonly calls: readonly AwsCall[];
  /** Commands or actions that talk to AWS and have no entry in the tables. */
  readonly unmapped: readonly string[];
}

type Resource = 'any' | 'repository' | 'key';
interface Mapping {
  readonly actions: readonly string[];
  readonly resource: Resource;
}

/**
 * AWS CLI command → IAM actions (Service Authorization Reference: an ECR or Inspector API call is
 * authorized as the action of the same name). ecr:DescribeImageScanFindings on a registry with
 * enhanced scanning also needs inspector2:ListFindings and inspector2:ListCoverage, which have no
 * resource-level permissions (ECR user guide, "IAM permissions required for enhanced scanning"):
 * see ENHANCED_SCAN_ACTIONS.
 */
export const CLI_ACTIONS: Readonly<Record<string, Mapping>> = {
  'ecr describe-image-scan-findings': { actions: ['ecr:DescribeImageScanFindings'], resource: 'repository' },
  'ecr describe-images': { actions: ['ecr:DescribeImages'], resource: 'repository' },
  'ecr list-images': { actions: ['ecr:ListImages'], resource: 'repository' },
  'ecr batch-get-image': { actions: ['ecr:BatchGetImage'], resource: 'repository' },
  'ecr describe-repositories': { actions: ['ecr:DescribeRepositories'], resource: 'repository' },
  'ecr start-image-scan': { actions: ['ecr:StartImageScan'], resource: 'repository' },
  'ecr get-login-password': { actions: ['ecr:GetAuthorizationToken'], resource: 'any' },
  'inspector2 list-findings': { actions: ['inspector2:ListFindings'], resource: 'any' },
  'inspector2 list-coverage': { actions: ['inspector2:ListCoverage'], resource: 'any' },
  // Needs no permission: IAM never denies GetCallerIdentity.
  'sts get-caller-identity': { actions: [], resource: 'any' },
};

/** Reading enhanced (Amazon Inspector) scan findings through ECR. */
export const ENHANCED_SCAN_ACTIONS: readonly string[] = ['inspector2:ListCoverage', 'inspector2:ListFindings'];

/**
 * Registry traffic → ECR actions (ECR user guide, "IAM permissions for pushing an image" and
 * "… for pulling an image"). A push checks which layers exist, uploads the missing ones and puts
 * the manifest (BatchGetImage: clients read an existing manifest or index first); reading a
 * manifest is BatchGetImage, reading layers GetDownloadUrlForLayer. cosign sign reads the image
 * and any signature already stored for it (to append to it), then pushes the signature.
 */
export const REGISTRY_ACTIONS = {
  login: { actions: ['ecr:GetAuthorizationToken'], resource: 'any' },
  push: { actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'], resource: 'repository' },
  readManifest: { actions: ['ecr:BatchGetImage'], resource: 'repository' },
  pull: { actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], resource: 'repository' },
  /** cosign's awskms signer: the key's spec (DescribeKey), its public key, the signature. */
  kmsSign: { actions: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'], resource: 'key' },
} as const satisfies Record<string, Mapping>;

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([a-z0-9._/-]+?)(?:[:@].*)?$/;
const COMMAND_POSITION = String.raw`(?:^|\$\(|[|;&(!]|\b(?:if|then|do|else|while|until)\b)\s*`;

/** The values a string can take in a job: `${{ matrix.<key> }}` expanded over the matrix. */
function expand(value: string, job: Doc): string[] {
  const m = /\$\{\{\s*matrix\.([\w-]+)\s*\}\}/.exec(value);
  if (!m) return [value];
  const matrix = isDoc(job.strategy) && isDoc(job.strategy.matrix) ? job.strategy.matrix : {};
  const include = Array.isArray(matrix.include) ? matrix.include.filter(isDoc) : [];
  const key = m[1]!;
  const options = [...include.map((i) => i[key]).filter((v) => v !== undefined), ...(Array.isArray(matrix[key]) ? (matrix[key] as unknown[]) : [])].map(str);
  return [...new Set(options)].flatMap((o) => expand(value.replace(m[0], o), job));
}

interface Context {
  readonly job: Doc;
  readonly step: Doc;
  readonly account?: string;
  readonly region?: string;
}

/** A shell variable's values from the step's or the job's env (script-local variables: none). */
function variable(name: string, c: Context): string[] | undefined {
  const env = { ...(isDoc(c.job.env) ? c.job.env : {}), ...(isDoc(c.step.env) ? c.step.env : {}) };
  return name in env ? expand(str(env[name]), c.job) : undefined;
}

/**
 * The repositories a `--repository-name` argument names: a literal, an env variable, or a
 * script-local variable read from the job's REPOSITORIES ("workload=repository" pairs), the one
 * list the promotion scripts iterate over. Unresolvable: "*".
 */
function repositoryNames(arg: string, c: Context): string[] {
  const v = /^"?\$\{?(\w+)\}?"?$/.exec(arg);
  if (!v) return [arg.replace(/^"|"$/g, '')];
  const direct = variable(v[1]!, c);
  if (direct) return direct;
  const pairs = variable('REPOSITORIES', c);
  return pairs ? pairs.flatMap((p) => p.split(/\s+/)).filter(Boolean).map((p) => p.slice(p.indexOf('=') + 1)) : ['*'];
}

/** An image argument ("$IMAGE@$DIGEST", registry/repo:tag) as repository ARNs. */
function imageArns(arg: string, c: Context): string[] {
  const v = /^"?\$\{?(\w+)\}?/.exec(arg);
  const values = v ? (variable(v[1]!, c) ?? ['*']) : [arg.replace(/^"|"$/g, '')];
  return values.map((image) => {
    const m = ECR_HOST.exec(image);
    return m ? `arn:aws:ecr:${m[2]}:${m[1]}:repository/${m[3]}` : '*';
  });
}

const repoArn = (c: Context, name: string): string => (name === '*' || !c.account || !c.region ? '*' : `arn:aws:ecr:${c.region}:${c.account}:repository/${name}`);

function mapped(m: Mapping, resources: readonly string[], source: string): AwsCall[] {
  return m.actions.flatMap((action) => (m.resource === 'any' ? [{ action, resource: '*', source }] : resources.map((resource) => ({ action, resource, source }))));
}

/** Shell lines with continuations joined and comment lines dropped. */
const lines = (script: string): string[] =>
  script
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => !/^\s*#/.test(l));

/** The first word after a flag: `--key "$COSIGN_KEY"` → "$COSIGN_KEY". */
const flag = (line: string, name: string): string | undefined => new RegExp(`${name}[= ]\\s*("[^"]*"|\\S+)`).exec(line)?.[1];

function scriptCalls(script: string, c: Context, unmapped: string[]): AwsCall[] {
  const out: AwsCall[] = [];
  for (const line of lines(script)) {
    for (const m of line.matchAll(new RegExp(`${COMMAND_POSITION}aws\\s+([a-z0-9-]+)\\s+([a-z0-9-]+)([^;|&)]*)`, 'g'))) {
      const command = `${m[1]} ${m[2]}`;
      const mapping = CLI_ACTIONS[command];
      const source = `aws ${command}`;
      if (!mapping) {
        unmapped.push(source);
        continue;
      }
      const repos = mapping.resource === 'repository' ? repositoryNames(flag(m[3]!, '--repository-name') ?? '*', c).map((r) => repoArn(c, r)) : [];
      out.push(...mapped(mapping, repos, source));
      if (command === 'ecr describe-image-scan-findings' && (variable('SCAN_TYPE', c) ?? []).includes('enhanced')) {
        out.push(...ENHANCED_SCAN_ACTIONS.map((action) => ({ action, resource: '*', source })));
      }
    }
    for (const m of line.matchAll(new RegExp(`${COMMAND_POSITION}docker\\s+(push|buildx\\s+imagetools\\s+inspect)\\s+((?:--?[\\w-]+\\s+)*)("[^"]*"|\\S+)`, 'g'))) {
      const push = m[1] === 'push';
      out.push(...mapped(push ? REGISTRY_ACTIONS.push : REGISTRY_ACTIONS.readManifest, imageArns(m[3]!, c), push ? 'docker push' : 'docker buildx imagetools inspect'));
    }
    for (const m of line.matchAll(new RegExp(`${COMMAND_POSITION}cosign\\s+(\\w+)([^;|&)]*)`, 'g'))) {
      const args = m[2]!.trim().split(/\s+/);
      const source = `cosign ${m[1]}`;
      if (m[1] !== 'sign') {
        unmapped.push(source);
        continue;
      }
      const images = imageArns(args.at(-1) ?? '*', c);
      out.push(...mapped(REGISTRY_ACTIONS.pull, images, source), ...mapped(REGISTRY_ACTIONS.push, images, source));
      const key = flag(m[2]!, '--key');
      const keyValues = key ? (/^"?\$\{?(\w+)\}?"?$/.test(key) ? (variable(/(\w+)/.exec(key)![1]!, c) ?? ['*']) : [key.replace(/^"|"$/g, '')]) : [];
      for (const k of keyValues) {
        const alias = /^awskms:\/\/\/(.+)$/.exec(k)?.[1];
        if (!alias) continue;
        const keyArn = alias.startsWith('arn:') ? alias : c.account && c.region ? `arn:aws:kms:${c.region}:${c.account}:${alias}` : '*';
        out.push(...mapped(REGISTRY_ACTIONS.kmsSign, [keyArn], source));
      }
    }
  }
  return out;
}

function actionCalls(step: Doc, c: Context, unmapped: string[]): AwsCall[] {
  const uses = str(step.uses).replace(/@.*$/, '');
  const w = isDoc(step.with) ? step.with : {};
  if (uses === 'aws-actions/amazon-ecr-login') return mapped(REGISTRY_ACTIONS.login, [], `uses: ${uses}`);
  if (uses === 'docker/build-push-action') {
    // push: true, or an expression deciding at run time (a re-run does not push again): it may push.
    if (String(w.push) !== 'true' && !/\$\{\{/.test(str(w.push))) return [];
    const tags = expand(str(w.tags), c.job).flatMap((t) => t.split(/[,\n]/)).map((t) => t.trim()).filter(Boolean);
    return mapped(REGISTRY_ACTIONS.push, [...new Set(tags.flatMap((t) => imageArns(t, c)))], `uses: ${uses} (push)`);
  }
  if (uses.startsWith('aws-actions/') && uses !== 'aws-actions/configure-aws-credentials') unmapped.push(`uses: ${uses}`);
  return [];
}

/** The AWS calls of every job of one workflow. */
export function workflowCalls(workflow: string, doc: unknown): JobCalls[] {
  const jobs = isDoc(doc) && isDoc(doc.jobs) ? doc.jobs : {};
  return Object.entries(jobs).flatMap(([id, job]) => {
    if (!isDoc(job)) return [];
    const steps = Array.isArray(job.steps) ? job.steps.filter(isDoc) : [];
    const credentials = steps.find((s) => str(s.uses).startsWith('aws-actions/configure-aws-credentials@'));
    const w = credentials && isDoc(credentials.with) ? credentials.with : {};
    const role = credentials ? str(w['role-to-assume']) : undefined;
    const region = credentials ? str(w['aws-region']) : undefined;
    const account = role ? /^arn:aws:iam::(\d{12}):role\//.exec(role)?.[1] : undefined;
    const unmapped: string[] = [];
    const calls = steps.flatMap((step) => {
      const c: Context = { job, step, ...(account ? { account } : {}), ...(region ? { region } : {}) };
      return [...actionCalls(step, c, unmapped), ...(typeof step.run === 'string' ? scriptCalls(step.run, c, unmapped) : [])];
    });
    const seen = new Set<string>();
    const unique = calls.filter((x) => {
      const k = `${x.action} ${x.resource}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
    return [{ workflow, job: id, ...(role ? { role } : {}), ...(region ? { region } : {}), calls: unique, unmapped: [...new Set(unmapped)] }];
  });
}

/** The same, from the workflow's YAML text as written to github/workflows/. */
export const workflowTextCalls = (workflow: string, text: string): JobCalls[] => workflowCalls(workflow, parse(text));

const wildcard = (pattern: string, flags = ''): RegExp => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, flags);

export interface PolicyStatement {
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Whether statements allow a call: some Allow statement without Condition / NotAction /
 * NotResource names the action and the resource, and no Deny names them. `resolve` turns a
 * non-string Resource (an intrinsic function) into the ARNs it stands for; unresolved, it matches nothing.
 */
export function allows(statements: readonly PolicyStatement[], call: Pick<AwsCall, 'action' | 'resource'>, resolve: (r: unknown) => readonly string[] = () => []): boolean {
  const names = (s: PolicyStatement): boolean => list(s.Action).some((a) => typeof a === 'string' && wildcard(a, 'i').test(call.action));
  const covers = (s: PolicyStatement): boolean =>
    list(s.Resource)
      .flatMap((r) => (typeof r === 'string' ? [r] : resolve(r)))
      .some((r) => wildcard(r).test(call.resource));
  const applies = (s: PolicyStatement): boolean => s.Condition === undefined && s.NotAction === undefined && s.NotResource === undefined && names(s) && covers(s);
  if (statements.some((s) => s.Effect === 'Deny' && names(s) && covers(s))) return false;
  return statements.some((s) => s.Effect === 'Allow' && applies(s));
}
