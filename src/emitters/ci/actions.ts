/**
 * Every action the generated workflows use, pinned by the full commit SHA of a release tag
 * (a tag can be moved; a commit cannot). The version is written as a comment after each
 * `uses:` so Dependabot and Renovate can bump the pin and a reviewer can read it.
 *
 * The table is vendored: each row is the newest release tag of the action's own repository,
 * read with git from a snapshot of that repository on 2026-12-06 (`git tag -l --sort=-v:refname`,
 * `git rev-list -n1 <tag>`), never typed from memory. `node scripts/actions/read-releases.mjs`
 * rereads them into test/fixtures/actions/releases.json, which test/delivery/actions.test.ts holds
 * this table to. Every one runs on node24 (or is a composite action): GitHub retires node20.
 * The generated renovate.json keeps the copies in users' repositories current between releases.
 */
export interface PinnedAction {
  /** owner/repo[/path] */
  readonly uses: string;
  readonly sha: string;
  readonly version: string;
  /** Commit date of the release tag (yyyy-mm-dd). */
  readonly tagged: string;
}

export const ACTIONS = {
  checkout: { uses: 'actions/checkout', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1', tagged: '2026-07-17' },
  setupNode: { uses: 'actions/setup-node', sha: '820762786026740c76f36085b0efc47a31fe5020', version: 'v7.0.0', tagged: '2026-07-13' },
  setupPython: { uses: 'actions/setup-python', sha: '5fda3b95a4ea91299a34e894583c3862153e4b97', version: 'v7.0.0', tagged: '2026-07-19' },
  appToken: { uses: 'actions/create-github-app-token', sha: '1b10c78c7865c340bc4f6099eb2f838309f1e8c3', version: 'v3.1.1', tagged: '2026-04-11' },
  uploadSarif: { uses: 'github/codeql-action/upload-sarif', sha: '8aad20d150bbac5944a9f9d289da16a4b0d87c1e', version: 'v4.36.2', tagged: '2026-06-04' },
  awsCredentials: { uses: 'aws-actions/configure-aws-credentials', sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c', version: 'v6.2.3', tagged: '2026-07-22' },
  ecrLogin: { uses: 'aws-actions/amazon-ecr-login', sha: '03f1aad4c6c7ffd436567f42f9384779290529bd', version: 'v2.1.7', tagged: '2026-08-19' },
  setupQemu: { uses: 'docker/setup-qemu-action', sha: '96fe6ef7f33517b61c61be40b68a1882f3264fb8', version: 'v4.2.0', tagged: '2026-07-01' },
  setupBuildx: { uses: 'docker/setup-buildx-action', sha: '37fe631027851001ddb9b187196cc803df7f5f0e', version: 'v4.3.0', tagged: '2026-08-17' },
  buildPush: { uses: 'docker/build-push-action', sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a', version: 'v7.3.0', tagged: '2026-07-01' },
  cosign: { uses: 'sigstore/cosign-installer', sha: '6f9f17788090df1f26f669e9d70d6ae9567deba6', version: 'v4.1.2', tagged: '2026-05-06' },
} as const satisfies Record<string, PinnedAction>;

export type ActionName = keyof typeof ACTIONS;

/** The `uses:` value of an action: owner/repo@<40-hex sha>. */
export const uses = (name: ActionName): string => `${ACTIONS[name].uses}@${ACTIONS[name].sha}`;

/** Appends `# vX.Y.Z` to every pinned `uses:` line of serialized YAML. */
export function commentVersions(yaml: string): string {
  const bySha = new Map<string, string>(Object.values(ACTIONS).map((a) => [a.sha, a.version]));
  return yaml.replace(/^(\s*(?:- )?uses: [^\s@]+@([0-9a-f]{40}))$/gm, (line, _all: string, sha: string) => {
    const version = bySha.get(sha);
    return version ? `${line} # ${version}` : line;
  });
}
