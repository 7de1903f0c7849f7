/** Ownership as a table (pure), the lock file (stale, live, foreign), and kept files on --env. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entriesToKeep, judgeContents, judgePlace, mergeLock, OutputBusyError, parseLock, writeArtifacts, type LockData, type Refusal } from '../../src/writer/index.js';
import { acquireLock } from '../../src/writer/lock.js';
import { art, lockFor, readTree, tmp, withLock } from './helpers.js';

const place = (target: string, extra: Partial<Parameters<typeof judgePlace>[0]> = {}) => ({
  target,
  home: '/home/me',
  protect: [{ path: '/work/proj', name: 'the folder of the spec innovate.yaml' }],
  isSymlink: false,
  isFolder: true,
  ...extra,
});

describe('judgePlace', () => {
  const cases: [string, ReturnType<typeof place>, Refusal['kind'] | undefined][] = [
    ['/', place('/'), 'root'],
    ['the home folder', place('/home/me'), 'home'],
    ['a parent of home', place('/home'), 'home'],
    ['the spec folder', place('/work/proj'), 'protected'],
    ['an ancestor of the spec folder', place('/work'), 'protected'],
    ['a sibling sharing a name prefix', place('/work/proj-out'), undefined],
    ['out/ under the spec folder', place('/work/proj/out'), undefined],
    ['out/ under home', place('/home/me/out'), undefined],
    ['a symlink', place('/work/proj/out', { isSymlink: true }), 'symlink'],
    ['a symlink to the spec folder', place('/work/proj/alias', { isSymlink: true, real: '/work/proj' }), 'protected'],
    ['a file', place('/work/proj/out', { isFolder: false }), 'not-a-folder'],
    ['absent', place('/work/proj/out', { isFolder: undefined }), undefined],
  ];
  it.each(cases)('%s', (_, p, kind) => {
    expect(judgePlace(p)?.kind).toBe(kind);
  });
});

describe('judgeContents', () => {
  const lock: LockData = { innovateVersion: '0.1.0', artifacts: [{ path: 'a.json', kind: 'manifest', sha256: 'x' }] };
  const cases: [string, Parameters<typeof judgeContents>[0], boolean, Refusal | undefined][] = [
    ['empty', { files: [], hasGit: false, lock: undefined }, false, undefined],
    ['owned', { files: ['a.json', 'innovate.lock.json'], hasGit: false, lock }, false, undefined],
    ['owned, a listed file missing', { files: ['innovate.lock.json'], hasGit: false, lock }, false, undefined],
    ['.git, even forced', { files: ['a.json', 'innovate.lock.json'], hasGit: true, lock }, true, { kind: 'git' }],
    ['.git in an otherwise empty folder', { files: [], hasGit: true, lock: undefined }, false, { kind: 'git' }],
    ['no lock, even forced', { files: ['x'], hasGit: false, lock: undefined }, true, { kind: 'not-owned', files: ['x'] }],
    ['a foreign lock, even forced', { files: ['innovate.lock.json'], hasGit: false, lock: null }, true, { kind: 'foreign-lock' }],
    ['stray files', { files: ['a.json', 'b', 'innovate.lock.json'], hasGit: false, lock }, false, { kind: 'stray', files: ['b'] }],
    ['stray files, forced', { files: ['a.json', 'b', 'innovate.lock.json'], hasGit: false, lock }, true, undefined],
  ];
  it.each(cases)('%s', (_, c, force, refusal) => {
    expect(judgeContents(c, force)).toEqual(refusal);
  });
});

describe('the lock file of innovate.lock.json', () => {
  it('parses what innovate writes and nothing else', () => {
    expect(parseLock(lockFor([art('a', 'a', 'prod')]).content)?.artifacts).toEqual([{ path: 'a', kind: 'manifest', environment: 'prod', sha256: expect.any(String) }]);
    for (const bad of ['', 'null', '[]', '{"name":"x"}', '{"innovateVersion":"1","artifacts":[{"path":1}]}']) expect(parseLock(bad)).toBeUndefined();
  });

  it('keeps the other environments\' entries and merges them into the new lock in path order', () => {
    const previous = parseLock(lockFor([art('k/prod/a', 'a', 'prod'), art('k/stg/b', 'b', 'stg'), art('shared')]).content)!;
    const keep = entriesToKeep(previous, ['stg']);
    expect(keep.map((e) => e.path)).toEqual(['k/prod/a']);
    const merged = parseLock(mergeLock(lockFor([art('shared'), art('k/stg/b', 'b2', 'stg')]), keep).content)!;
    expect(merged.artifacts.map((e) => e.path)).toEqual(['k/prod/a', 'k/stg/b', 'shared']);
    expect(entriesToKeep(undefined, ['stg'])).toEqual([]);
  });

  it('the writer copies kept files into the new tree and lists them; one deleted since is dropped', async () => {
    const out = join(tmp(), 'out');
    await writeArtifacts(out, withLock([art('k/prod/a', 'prod a\n', 'prod'), art('k/prod/gone', 'x\n', 'prod'), art('k/stg/b', 'old b\n', 'stg')]));
    const previous = parseLock(readFileSync(join(out, 'innovate.lock.json'), 'utf8'))!;
    rmSync(join(out, 'k/prod/gone')); // listed in the lock, but deleted by hand since
    const r = await writeArtifacts(out, withLock([art('k/stg/b', 'new b\n', 'stg')]), { keep: entriesToKeep(previous, ['stg']) });
    expect(r).toEqual({ written: 2, kept: 1, committed: true });
    const tree = readTree(out);
    expect(Object.keys(tree).sort()).toEqual(['innovate.lock.json', 'k/prod/a', 'k/stg/b']);
    expect(tree['k/prod/a']).toBe('prod a\n');
    expect(tree['k/stg/b']).toBe('new b\n');
    expect(parseLock(tree['innovate.lock.json']!)!.artifacts.map((e) => `${e.path} ${e.environment}`)).toEqual(['k/prod/a prod', 'k/stg/b stg']);
  });
});

describe('the writer lock', () => {
  it('a second holder is refused while the first holds it, and gets it once released', async () => {
    const path = join(tmp(), '.out.innovate.lock');
    const first = await acquireLock(path, '/x/out');
    await expect(acquireLock(path, '/x/out')).rejects.toThrow(new RegExp(`^/x/out is being written by another innovate \\(pid ${process.pid}\\)`));
    await first.release();
    expect(existsSync(path)).toBe(false);
    await (await acquireLock(path, '/x/out')).release();
  });

  it('a lock whose process is dead is taken over; one from another host or a live pid is not', async () => {
    const dir = tmp();
    const path = join(dir, '.out.innovate.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    writeFileSync(path, JSON.stringify({ pid: deadPid, host: hostname(), token: 't' }));
    const taken = await acquireLock(path, 'out');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    await taken.release();

    writeFileSync(path, JSON.stringify({ pid: deadPid, host: 'elsewhere', token: 't' }));
    await expect(acquireLock(path, 'out')).rejects.toThrow(/another innovate \(pid \d+ on elsewhere\)/);
    writeFileSync(path, JSON.stringify({ pid: 1, host: hostname(), token: 't' })); // pid 1 is always alive
    await expect(acquireLock(path, 'out')).rejects.toBeInstanceOf(OutputBusyError);
    writeFileSync(path, 'garbage'); // unreadable: stale
    await (await acquireLock(path, 'out')).release();
    expect(readdirSync(dir)).toEqual([]); // no private or takeover files left
  });

  it('a lock with this process\'s pid but a token it does not hold is a dead process\'s (pid reused)', async () => {
    const path = join(tmp(), '.out.innovate.lock');
    writeFileSync(path, JSON.stringify({ pid: process.pid, host: hostname(), token: 'from-an-earlier-container' }));
    await (await acquireLock(path, 'out')).release();
    expect(existsSync(path)).toBe(false);
  });

  it('release leaves a lock it no longer holds alone', async () => {
    const path = join(tmp(), '.out.innovate.lock');
    const mine = await acquireLock(path, 'out');
    writeFileSync(path, JSON.stringify({ pid: 1, host: hostname(), token: 'other' }));
    await mine.release();
    expect(existsSync(path)).toBe(true);
  });
});
