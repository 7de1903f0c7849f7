/**
 * innovate diff: resources with their replacement impact, documents and fields, stateful
 * hazards, the environment filter; the CLI against a folder and against a git ref; and the
 * promotion design point: recording a tag in the spec changes one line of one values file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { diffArtifacts, formatDiff } from '../../src/diff/index.js';
import { compile } from '../../src/pipeline.js';
import { cli, EXAMPLE } from '../helpers.js';
import { promoted } from '../kubernetes/support.js';

/** The example after a first promotion (every workload at one CI tag), so later promotions change a tag. */
const SPEC = promoted(EXAMPLE, 'sha-000000000001');
const { artifacts } = compile(SPEC);
const onDisk = () => new Map(artifacts.map((a) => [a.path, a.content]));
const edit = (files: Map<string, string>, path: string, f: (t: string) => string) => files.set(path, f(files.get(path)!));
const editJson = (files: Map<string, string>, path: string, f: (j: any) => void) =>
  edit(files, path, (t) => {
    const j = JSON.parse(t);
    f(j);
    return JSON.stringify(j);
  });

/** What the promote step of the workflows does: yq on the spec, then compile. */
function promoteInSpec(spec: string, env: string, workload: string, tag: string): string {
  const doc = parseDocument(spec);
  doc.setIn(['environments', env, 'overrides', 'workloads', workload, 'tag'], tag);
  return doc.toString();
}

describe('diffArtifacts', () => {
  it('reports nothing when the output is current', async () => {
    expect((await diffArtifacts(onDisk(), artifacts)).files).toEqual([]);
  });

  it('flags a replaced database cluster and a deleted KMS key as hazards', async () => {
    const before = onDisk();
    editJson(before, 'cloudformation/production/data.json', (t) => (t.Resources.DatabaseCluster.Properties.DatabaseName = 'legacy'));
    editJson(before, 'cloudformation/staging/security.json', (t) => (t.Resources.OldKey = { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: {} } }));
    const r = await diffArtifacts(before, artifacts);
    expect(r.hazards).toContainEqual({ path: 'cloudformation/production/data.json', environment: 'production', id: 'DatabaseCluster', type: 'AWS::RDS::DBCluster', impact: 'replace' });
    expect(r.hazards).toContainEqual({ path: 'cloudformation/staging/security.json', environment: 'staging', id: 'OldKey', type: 'AWS::KMS::Key', impact: 'destroy' });
    // what refers to the replaced cluster is replaced with it (the instances name it)
    expect(r.hazards.filter((h) => h.type === 'AWS::RDS::DBInstance').map((h) => h.impact)).toContain('replace');
    const data = r.files.find((f) => f.path === 'cloudformation/production/data.json')!;
    const cluster = data.entries.find((e) => e.id === 'DatabaseCluster')!;
    expect(cluster.fields).toContainEqual({ path: 'Properties.DatabaseName', kind: 'changed', before: 'legacy', after: 'app', replaces: true });
    const text = formatDiff(r);
    expect(text).toContain('!! STATEFUL AWS::RDS::DBCluster DatabaseCluster in cloudformation/production/data.json will be REPLACED');
    expect(text).toContain('!! STATEFUL AWS::KMS::Key OldKey in cloudformation/staging/security.json will be DELETED');
  });

  it('does not flag an in-place update or a stateless replacement', async () => {
    const before = onDisk();
    editJson(before, 'cloudformation/production/data.json', (t) => (t.Resources.DatabaseCluster.Properties.BackupRetentionPeriod = 7));
    const r = await diffArtifacts(before, artifacts);
    expect(r.hazards).toEqual([]);
    expect(r.files.map((f) => f.path)).toEqual(['cloudformation/production/data.json']);
    expect(r.files[0]!.entries).toMatchObject([{ id: 'DatabaseCluster', kind: 'changed', impact: 'update', fields: [{ path: 'Properties.BackupRetentionPeriod', before: 7, after: 30 }] }]);
  });

  it('diffs manifests by document and values by field, and files added or removed', async () => {
    const before = onDisk();
    edit(before, 'kubernetes/staging/00-namespaces.yaml', (t) => t.replace('pods: "150"', 'pods: "90"'));
    edit(before, 'helm/staging/workloads/api.values.yaml', (t) => t.replace('max: 20', 'max: 5'));
    edit(before, 'helm/staging/workloads/web.values.yaml', (t) => t.replace('tag: sha-000000000001', 'tag: 0.0.9'));
    before.delete('docker/web/nginx.conf');
    before.set('docker/old/Dockerfile', 'FROM scratch\n');
    const r = await diffArtifacts(before, artifacts);
    const text = formatDiff(r);
    expect(text).toContain('~ kubernetes/staging/00-namespaces.yaml\n    ~ ResourceQuota apps/quota\n        ~ spec.hard.pods: 90 -> 150');
    expect(text).toContain('~ helm/staging/workloads/api.values.yaml\n    ~ replicas.max: 5 -> 20');
    expect(text).toContain('~ helm/staging/workloads/web.values.yaml\n    ~ image.tag: 0.0.9 -> sha-000000000001');
    expect(text).toContain('+ docker/web/nginx.conf');
    expect(text).toContain('- docker/old/Dockerfile');
  });

  it('compares a workload chart template as text (it is a Go template, not YAML)', async () => {
    const before = onDisk();
    edit(before, 'charts/api/templates/pdb.yaml', (t) => t.replace('maxUnavailable: 1', 'maxUnavailable: 2'));
    const r = await diffArtifacts(before, artifacts);
    expect(r.files).toEqual([{ path: 'charts/api/templates/pdb.yaml', kind: 'changed', format: 'text', entries: [] }]);
  });

  it('keeps to one environment when asked', async () => {
    const before = onDisk();
    edit(before, 'helm/staging/workloads/web.values.yaml', (t) => t.replace('tag: sha-000000000001', 'tag: 0.0.9'));
    edit(before, 'helm/production/workloads/web.values.yaml', (t) => t.replace('tag: sha-000000000001', 'tag: 0.0.9'));
    const r = await diffArtifacts(before, artifacts, { environment: 'production' });
    expect(r.files.map((f) => f.path)).toEqual(['helm/production/workloads/web.values.yaml']);
  });

  it('the first promotion adds image.tag, one line of one values file (the chart then renders the pods)', async () => {
    const first = compile(EXAMPLE);
    const next = compile(promoteInSpec(EXAMPLE, 'staging', 'api', 'sha-0123456789ab'));
    const r = await diffArtifacts(new Map(first.artifacts.map((a) => [a.path, a.content])), next.artifacts);
    expect(r.files.map((f) => f.path)).toEqual(['helm/staging/workloads/api.values.yaml', 'innovate.lock.json']);
    const lines = (t: string) => t.split('\n');
    const a = lines(first.artifacts.find((x) => x.path === 'helm/staging/workloads/api.values.yaml')!.content);
    const b = lines(next.artifacts.find((x) => x.path === 'helm/staging/workloads/api.values.yaml')!.content);
    expect(b.filter((l) => !a.includes(l))).toEqual(['  tag: sha-0123456789ab']);
    expect(b).toHaveLength(a.length + 1);
  });

  it('shows a promotion recorded in the spec as a one-line change of one values file', async () => {
    const promoted = compile(promoteInSpec(SPEC, 'staging', 'api', 'sha-0123456789ab'));
    const r = await diffArtifacts(onDisk(), promoted.artifacts);
    expect(r.files.map((f) => f.path)).toEqual(['helm/staging/workloads/api.values.yaml', 'innovate.lock.json']);
    expect(r.files[0]!.entries).toEqual([{ id: '', kind: 'changed', fields: [{ path: 'image.tag', kind: 'changed', before: 'sha-000000000001', after: 'sha-0123456789ab' }] }]);
    const lines = (t: string) => t.split('\n');
    const a = lines(artifacts.find((x) => x.path === 'helm/staging/workloads/api.values.yaml')!.content);
    const b = lines(promoted.artifacts.find((x) => x.path === 'helm/staging/workloads/api.values.yaml')!.content);
    expect(a.filter((l, i) => l !== b[i])).toEqual(['  tag: sha-000000000001']);
  });
});

describe('innovate diff (CLI)', () => {
  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, stdio: 'pipe' }).toString();

  it('exits 0 on a current folder, 1 with the changes after an edit, 2 on a missing folder ref', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'innovate-diff-'));
    writeFileSync(join(dir, 'innovate.yaml'), SPEC);
    expect((await cli(['compile', 'innovate.yaml', '--out', 'out'], dir)).code).toBe(0);
    const clean = await cli(['diff', 'innovate.yaml', '--out', 'out'], dir);
    expect(clean.code).toBe(0);
    expect(clean.stderr).toContain('out/: no changes');

    writeFileSync(join(dir, 'innovate.yaml'), promoteInSpec(SPEC, 'production', 'web', 'sha-fedcba987654'));
    const changed = await cli(['diff', 'innovate.yaml', '--out', 'out', '--env', 'production'], dir);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toBe('~ helm/production/workloads/web.values.yaml\n    ~ image.tag: sha-000000000001 -> sha-fedcba987654\n');
    expect(changed.stderr).toContain('out/: 1 file differ (0 added, 0 removed, 1 changed)');

    const json = await cli(['diff', 'innovate.yaml', '--out', 'out', '--format', 'json'], dir);
    expect(JSON.parse(json.stdout).files.map((f: { path: string }) => f.path)).toEqual(['helm/production/workloads/web.values.yaml', 'innovate.lock.json']);
  });

  it('compares with the output committed at a git ref', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'innovate-diff-ref-'));
    git(dir, 'init', '-q');
    writeFileSync(join(dir, 'innovate.yaml'), SPEC);
    expect((await cli(['compile', 'innovate.yaml', '--out', 'deploy'], dir)).code).toBe(0);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'initial');
    // the working tree moves on: spec promoted and recompiled, nothing committed yet
    writeFileSync(join(dir, 'innovate.yaml'), promoteInSpec(readFileSync(join(dir, 'innovate.yaml'), 'utf8'), 'staging', 'api', 'sha-0123456789ab'));
    expect((await cli(['compile', 'innovate.yaml', '--out', 'deploy'], dir)).code).toBe(0);
    expect((await cli(['diff', 'innovate.yaml', '--out', 'deploy'], dir)).code).toBe(0);
    const vsHead = await cli(['diff', 'innovate.yaml', '--out', 'deploy', '--against-ref', 'HEAD', '--env', 'staging'], dir);
    expect(vsHead.code).toBe(1);
    expect(vsHead.stdout).toContain('~ image.tag: sha-000000000001 -> sha-0123456789ab');
    expect(vsHead.stderr).toContain('deploy/ at HEAD: 1 file differ');
    const bad = await cli(['diff', 'innovate.yaml', '--out', 'deploy', '--against-ref', 'no-such-ref'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cannot read deploy at no-such-ref');
  });
});
