/**
 * Every action the generated workflows use, pinned by the full commit SHA of a release tag
 * (a tag can be moved; a commit cannot). The version is written as a comment after each
 * `uses:` so Dependabot and Renovate can bump the pin and a reviewer can read it.
 */
export interface PinnedAction {
  /** owner/repo[/path] */
  readonly uses: string;
  readonly sha: string;
  readonly version: string;
}

export const ACTIONS = {
  checkout: { uses: 'actions/checkout', sha: '11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' },
  setupNode: { uses: 'actions/setup-node', sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' },
  setupPython: { uses: 'actions/setup-python', sha: 'a26af69be951a213d495a4c3e4e4022e16d87065', version: 'v5.6.0' },
  appToken: { uses: 'actions/create-github-app-token', sha: 'df432ceedc7162793a195dd1713ff69aefc7379e', version: 'v2.0.6' },
  uploadSarif: { uses: 'github/codeql-action/upload-sarif', sha: 'ff0a06e83cb2de871e5a09832bc6a81e7276941f', version: 'v3.28.18' },
  awsCredentials: { uses: 'aws-actions/configure-aws-credentials', sha: 'b47578312673ae6fa5b5096b330d9fbac3d116df', version: 'v4.2.1' },
  ecrLogin: { uses: 'aws-actions/amazon-ecr-login', sha: '062b18b96a7aff071d4dc91bc00c4c1a7945b076', version: 'v2.0.1' },
  setupQemu: { uses: 'docker/setup-qemu-action', sha: '29109295f81e9208d7d86ff1c6c12d2833863392', version: 'v3.6.0' },
  setupBuildx: { uses: 'docker/setup-buildx-action', sha: 'b5ca514318bd6ebac0fb2aedd5d36ec1b5c232a2', version: 'v3.10.0' },
  buildPush: { uses: 'docker/build-push-action', sha: '263435318d21b8e681c14492fe198d362a7d2c83', version: 'v6.18.0' },
  cosign: { uses: 'sigstore/cosign-installer', sha: 'd7d6bc7722e3daa8354c50bcb52f4837da5e9b6a', version: 'v3.8.1' },
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
