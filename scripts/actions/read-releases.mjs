#!/usr/bin/env node
// Reads the newest release tag of every action the generated workflows use from local git mirrors
// of the actions' own repositories (the session's `fetch` snapshots under /work/.mirror/<owner>+<repo>/repo),
// with the commit it points at, its date and the runtime its action.yml declares at that commit.
// Writes test/fixtures/actions/releases.json, which test/delivery/actions.test.ts compares with
// src/emitters/ci/actions.ts. Usage: node scripts/actions/read-releases.mjs [mirror-root] [retrieved-date]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const root = process.argv[2] ?? '/work/.mirror';
const retrieved = process.argv[3] ?? new Date().toISOString().slice(0, 10);
const REPOS = [
  ['actions/checkout', 'action.yml'],
  ['actions/setup-node', 'action.yml'],
  ['actions/setup-python', 'action.yml'],
  ['actions/create-github-app-token', 'action.yml'],
  ['github/codeql-action', 'upload-sarif/action.yml'],
  ['aws-actions/configure-aws-credentials', 'action.yml'],
  ['aws-actions/amazon-ecr-login', 'action.yml'],
  ['docker/setup-qemu-action', 'action.yml'],
  ['docker/setup-buildx-action', 'action.yml'],
  ['docker/build-push-action', 'action.yml'],
  ['sigstore/cosign-installer', 'action.yml'],
];
const git = (dir, ...args) => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8' }).trim();
const out = { source: 'git tags of each repository (git tag -l --sort=-v:refname; git rev-list -n1 <tag>)', retrieved, actions: {} };
for (const [repo, actionFile] of REPOS) {
  const dir = `${root}/${repo.replace('/', '+')}/repo`;
  const tags = git(dir, 'tag', '-l', 'v*', '--sort=-v:refname').split('\n').filter((t) => /^v\d+\.\d+\.\d+$/.test(t));
  const tag = tags[0];
  const sha = git(dir, 'rev-list', '-n1', tag);
  const runtime = /^\s+using:\s*['"]?([\w-]+)/m.exec(git(dir, 'show', `${sha}:${actionFile}`))?.[1];
  out.actions[repo] = { version: tag, sha, tagged: git(dir, 'log', '-1', '--format=%cs', sha), runtime, actionFile, snapshotHead: git(dir, 'rev-parse', 'HEAD') };
}
writeFileSync(new URL('../../test/fixtures/actions/releases.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
