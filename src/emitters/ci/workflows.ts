/**
 * The three workflows as plain objects. Hardening, everywhere: actions pinned by commit SHA,
 * `permissions: {}` at the top and the least each job needs, a concurrency group, checkouts
 * without persisted credentials unless the job pushes, and no `${{ }}` inside `run:` (values
 * reach scripts through `env:`). Jobs run only in the repository they belong to, so the same
 * `github/` folder can be copied into the application and the config repository.
 */
import { uses } from './actions.js';
import { NODE_VERSION, PYTHON_VERSION, REACT_NODE_VERSION, RUNNER, SPEC_FILE, type CiPlan, type Stage } from './plan.js';
import { EXISTING_IMAGE, IMAGE_TAG, PROMOTE_BUILT, PROMOTE_RECORD, PROMOTE_RESOLVE, promotionCveGate, PUSHED_DIGEST, SCAN_GATE, SIGN } from './scripts.js';

type Doc = Record<string, unknown>;

/**
 * A string literal inside an expression (`if:`): GitHub's expression syntax writes a quote in a
 * literal as two. Spec values that reach one (repository and environment names) are checked to
 * hold no quote at all; this keeps even an unchecked one a literal.
 */
const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const inRepo = (repo: string): string => `github.repository == ${literal(repo)}`;

/**
 * A branch name as a filter pattern (on.push.branches): GitHub reads * ? + [ ] ! (leading) as
 * pattern characters and a backslash as their escape, so a branch name matches only itself.
 */
export const branchFilter = (branch: string): string => branch.replace(/[*?+[\]\\]|^!/g, (c) => `\\${c}`);
const checkout = (extra: Doc = {}): Doc => ({ name: 'Check out', uses: uses('checkout'), with: { 'persist-credentials': false, ...extra } });
const setupNode = (version: string, cacheFile?: string): Doc => ({
  name: `Set up Node.js ${version}`,
  uses: uses('setupNode'),
  with: { 'node-version': version, cache: 'npm', ...(cacheFile ? { 'cache-dependency-path': cacheFile } : {}) },
});
const awsCredentials = (s: Stage, session: string): Doc => ({
  name: `AWS credentials for ${s.env} (GitHub OIDC, no stored keys)`,
  uses: uses('awsCredentials'),
  with: { 'role-to-assume': s.roleArn, 'aws-region': s.region, 'role-session-name': session },
});
/** The GitHub environment a job acts on; the CI role trusts `repo:<repo>:environment:<env>`. */
const environment = (s: Stage): Doc => ({ environment: { name: s.env } });

/** Pull requests: tests of every workload (application repository), spec checks (config repository). */
export function pullRequestWorkflow(p: CiPlan): Doc {
  const jobs: Doc = {};
  const byType = (type: 'flask' | 'react') => p.workloads.filter((w) => w.type === type).map((w) => w.workload);
  const flask = byType('flask');
  if (flask.length > 0) {
    jobs['test-flask'] = {
      name: 'lint and test ${{ matrix.workload }}',
      if: inRepo(p.appRepository),
      'runs-on': RUNNER,
      permissions: { contents: 'read' },
      'timeout-minutes': 20,
      strategy: { 'fail-fast': false, matrix: { workload: flask } },
      defaults: { run: { 'working-directory': '${{ matrix.workload }}' } },
      steps: [
        checkout(),
        { name: `Set up Python ${PYTHON_VERSION}`, uses: uses('setupPython'), with: { 'python-version': PYTHON_VERSION, cache: 'pip', 'cache-dependency-path': '${{ matrix.workload }}/requirements*.txt' } },
        { name: 'Install', run: 'python -m pip install -r requirements.txt -r requirements-dev.txt' },
        { name: 'Lint', run: 'ruff check .' },
        { name: 'Unit tests', run: 'pytest' },
      ],
    };
  }
  const react = byType('react');
  if (react.length > 0) {
    jobs['test-react'] = {
      name: 'lint and test ${{ matrix.workload }}',
      if: inRepo(p.appRepository),
      'runs-on': RUNNER,
      permissions: { contents: 'read' },
      'timeout-minutes': 20,
      strategy: { 'fail-fast': false, matrix: { workload: react } },
      defaults: { run: { 'working-directory': '${{ matrix.workload }}' } },
      env: { CI: 'true' },
      steps: [checkout(), setupNode(REACT_NODE_VERSION, '${{ matrix.workload }}/package-lock.json'), { name: 'Install', run: 'npm ci' }, { name: 'Lint', run: 'npm run lint' }, { name: 'Unit tests', run: 'npm test' }, { name: 'Build', run: 'npm run build' }],
    };
  }
  jobs.spec = {
    name: 'innovate validate and compile --check',
    if: inRepo(p.configRepository),
    'runs-on': RUNNER,
    // security-events: upload SARIF; actions: read lets upload-sarif read the run in private repositories.
    permissions: { actions: 'read', contents: 'read', 'security-events': 'write' },
    'timeout-minutes': 10,
    env: { INNOVATE_SPEC: SPEC_FILE, INNOVATE_OUT: p.outDir },
    steps: [
      checkout(),
      setupNode(NODE_VERSION),
      { name: 'Install', run: 'npm ci' },
      { name: 'innovate validate (SARIF)', run: 'npx --no-install innovate validate "$INNOVATE_SPEC" --format sarif > innovate.sarif' },
      { name: 'Upload findings to code scanning', if: "always() && hashFiles('innovate.sarif') != ''", uses: uses('uploadSarif'), with: { sarif_file: 'innovate.sarif', category: 'innovate' } },
      { name: 'Committed output is up to date', run: 'npx --no-install innovate compile "$INNOVATE_SPEC" --out "$INNOVATE_OUT" --check' },
    ],
  };
  return {
    name: 'innovate pull request',
    on: { pull_request: { branches: [branchFilter(p.branch)] } },
    permissions: {},
    concurrency: { group: 'innovate-pr-${{ github.ref }}', 'cancel-in-progress': true },
    jobs,
  };
}

/**
 * Checkout of the config repository with a token that may push, and the job's permissions. Every
 * push goes through the promoter GitHub App's token, never GITHUB_TOKEN: a protected branch can let
 * the App through (a ruleset bypass) while it refuses GITHUB_TOKEN, and a push by the App starts the
 * workflows a push by GITHUB_TOKEN would not (docs/delivery.md, "The config repository's settings").
 */
function configRepoAccess(p: CiPlan): { permissions: Doc; steps: Doc[] } {
  const [owner, repo] = p.configRepository.split('/') as [string, string];
  return {
    // The job's own token needs nothing: the App's token checks out and pushes.
    permissions: {},
    steps: [
      {
        name: `Token for ${p.configRepository} (promoter GitHub App)`,
        id: 'config-token',
        uses: uses('appToken'),
        with: { 'client-id': '${{ vars.INNOVATE_PROMOTER_CLIENT_ID }}', 'private-key': '${{ secrets.INNOVATE_PROMOTER_PRIVATE_KEY }}', owner, repositories: repo },
      },
      checkout({ repository: p.configRepository, ref: p.branch, token: '${{ steps.config-token.outputs.token }}', 'persist-credentials': true }),
    ],
  };
}

/** The pushed digest: this run's build, or the image an earlier run of the commit pushed. */
const DIGEST = '${{ steps.digest.outputs.digest }}';

/** Merge to the delivery branch: build, push, scan, sign every workload, then promote to the build environment. */
export function buildAndPromoteWorkflow(p: CiPlan): Doc {
  const s = p.build;
  const multiArch = p.workloads.some((w) => w.platforms !== 'linux/amd64');
  const buildSteps: Doc[] = [
    checkout(),
    awsCredentials(s, 'innovate-build'),
    { name: 'Log in to ECR', id: 'ecr', uses: uses('ecrLogin') },
    ...(multiArch ? [{ name: 'QEMU (arm64 images)', uses: uses('setupQemu') }] : []),
    { name: 'Docker Buildx', uses: uses('setupBuildx') },
    { name: 'Image tag', id: 'tag', run: IMAGE_TAG },
    { name: 'Already pushed by an earlier run?', id: 'existing', env: { REPOSITORY: '${{ matrix.repository }}', TAG: '${{ steps.tag.outputs.tag }}' }, run: EXISTING_IMAGE },
    {
      name: 'Build and push (multi-stage)',
      id: 'build',
      uses: uses('buildPush'),
      with: {
        // The workload's folder and generated Dockerfile (flask, react), or the repository's own (type container).
        context: '${{ matrix.context }}',
        file: '${{ matrix.dockerfile }}',
        platforms: '${{ matrix.platforms }}',
        // false when an earlier run of the commit pushed the tag (immutable): that image is the one scanned and signed.
        push: '${{ steps.existing.outputs.push }}',
        provenance: false,
        tags: '${{ matrix.image }}:${{ steps.tag.outputs.tag }}',
      },
    },
    { name: 'Pushed digest', id: 'digest', env: { BUILT: '${{ steps.build.outputs.digest }}', EXISTING: '${{ steps.existing.outputs.digest }}' }, run: PUSHED_DIGEST },
    ...(s.scanning
      ? [{ name: 'Wait for the ECR scan, fail on CRITICAL', env: { IMAGE: '${{ matrix.image }}', REPOSITORY: '${{ matrix.repository }}', DIGEST, SCAN_TYPE: s.scanType ?? 'basic' }, run: SCAN_GATE }]
      : []),
    ...(s.signingKey
      ? [
          { name: 'Install cosign', uses: uses('cosign') },
          { name: 'Sign with the KMS signing key', env: { COSIGN_KEY: s.signingKey, IMAGE: '${{ matrix.image }}', DIGEST }, run: SIGN },
        ]
      : []),
  ];
  const access = configRepoAccess(p);
  return {
    name: 'build and promote',
    on: { push: { branches: [branchFilter(p.branch)] } },
    permissions: {},
    // Never cancel a run half-way through pushing images; a newer merge waits its turn.
    concurrency: { group: 'build-and-promote-${{ github.ref }}', 'cancel-in-progress': false },
    jobs: {
      build: {
        name: 'build ${{ matrix.workload }}',
        if: inRepo(p.appRepository),
        'runs-on': RUNNER,
        ...environment(s),
        permissions: { contents: 'read', 'id-token': 'write' },
        'timeout-minutes': 45,
        strategy: { 'fail-fast': true, matrix: { include: p.workloads.map((w) => ({ workload: w.workload, context: w.context, dockerfile: w.dockerfile, repository: w.repository, image: w.image, platforms: w.platforms })) } },
        steps: buildSteps,
      },
      [`promote-${s.env}`]: {
        name: `promote to ${s.env}`,
        needs: 'build',
        if: inRepo(p.appRepository),
        'runs-on': RUNNER,
        ...environment(s),
        permissions: access.permissions,
        'timeout-minutes': 15,
        concurrency: { group: `promote-${s.env}`, 'cancel-in-progress': false },
        env: { ENVIRONMENT: s.env, WORKLOADS: p.workloads.map((w) => w.workload).join(' '), BRANCH: p.branch, INNOVATE_SPEC: SPEC_FILE, INNOVATE_OUT: p.outDir },
        steps: [...access.steps, setupNode(NODE_VERSION), { name: 'Install innovate', run: 'npm ci' }, { name: `Record the new tag for ${s.env} in the spec and recompile`, run: PROMOTE_BUILT }],
      },
    },
  };
}

/**
 * Manual promotion along the chain: one job per hop, behind the target's GitHub environment
 * (required reviewers), copying the tags its source environment runs. A production target's
 * registry scan must show no CRITICAL finding first (the CVE gate).
 */
export function promoteWorkflow(p: CiPlan): Doc | undefined {
  if (p.hops.length === 0) return undefined;
  const jobs: Doc = {};
  const access = configRepoAccess(p);
  for (const { from, to: t, cveGate } of p.hops) {
    const repositories = t.workloads.map((w) => `${w.name}=${w.repository}`).join(' ');
    jobs[`promote-${t.env}`] = {
      name: `promote ${from} to ${t.env}`,
      if: `${inRepo(p.configRepository)} && inputs.environment == ${literal(t.env)}`,
      'runs-on': RUNNER,
      // Required reviewers on this GitHub environment are the approval gate (docs/delivery.md).
      ...environment(t),
      permissions: { ...access.permissions, 'id-token': 'write' },
      'timeout-minutes': cveGate ? 30 : 20,
      concurrency: { group: `promote-${t.env}`, 'cancel-in-progress': false },
      env: {
        ENVIRONMENT: t.env,
        SOURCE_ENVIRONMENT: from,
        BRANCH: p.branch,
        INNOVATE_SPEC: SPEC_FILE,
        INNOVATE_OUT: p.outDir,
      },
      steps: [
        ...access.steps,
        awsCredentials(t, 'innovate-promote'),
        setupNode(NODE_VERSION),
        { name: 'Install innovate', run: 'npm ci' },
        {
          name: `${from}'s tags, once the images are in the ${t.env} registry`,
          id: 'resolve',
          env: { SELECTED: '${{ inputs.workload }}', WORKLOADS: t.workloads.map((w) => w.name).join(' '), REPOSITORIES: repositories },
          run: PROMOTE_RESOLVE,
        },
        ...(cveGate
          ? [{ name: `No CRITICAL finding in the ${t.env} registry's scan`, env: { PROMOTIONS: PROMOTIONS, REPOSITORIES: repositories, SCAN_TYPE: t.scanType ?? 'basic' }, run: promotionCveGate(t.scanType ?? 'basic') }]
          : []),
        { name: `Record the tags for ${t.env} in the spec and recompile`, env: { PROMOTIONS: PROMOTIONS }, run: PROMOTE_RECORD },
      ],
    };
  }
  const names = [...new Set(p.hops.flatMap((h) => h.to.workloads.map((w) => w.name)))].sort();
  return {
    name: 'promote',
    on: {
      workflow_dispatch: {
        inputs: {
          environment: {
            description: `Environment to promote: ${p.hops.map((h) => `${h.to.env} (from ${h.from})`).join(', ')}`,
            type: 'choice',
            required: true,
            options: p.hops.map((h) => h.to.env),
            default: (p.hops.find((h) => h.to.production) ?? p.hops[0]!).to.env,
          },
          workload: { description: 'Workload to promote (all: every workload)', type: 'choice', required: true, options: ['all', ...names], default: 'all' },
        },
      },
    },
    permissions: {},
    concurrency: { group: 'promote-workflow-${{ inputs.environment }}', 'cancel-in-progress': false },
    jobs,
  };
}

/** The resolve step's "workload=tag" pairs. */
const PROMOTIONS = '${{ steps.resolve.outputs.promotions }}';
