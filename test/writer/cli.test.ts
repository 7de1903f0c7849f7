/**
 * `innovate compile --out` through the CLI: folders innovate does not own are refused before
 * anything is touched (exit 2, one line naming the folder and the reason), one compile at a time,
 * recovery after a killed run, --env keeping the other environments' files, and umask modes.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, EXAMPLE_PATH } from '../helpers.js';
import { owned, readTree, tmp } from './helpers.js';
import { bundleChild, kill, startChild } from './spawn.js';
import { treeFiles } from './trees.js';

/** A project folder: the example spec, a README and a .git folder, as a user has it. */
function project(): string {
  const dir = join(tmp(), 'proj');
  mkdirSync(join(dir, '.git'), { recursive: true });
  writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  cpSync(EXAMPLE_PATH, join(dir, 'innovate.yaml'));
  writeFileSync(join(dir, 'README.md'), '# mine\n');
  return dir;
}

/** Every file and folder under `root`, with contents: to prove nothing was touched. */
const snapshot = (root: string) => readTree(root);

describe('compile refuses folders innovate does not own', () => {
  const cases: [string, (dir: string) => { cwd: string; argv: string[]; watch: string; reason: RegExp }][] = [
    ['--out . (the spec\'s folder)', (dir) => ({ cwd: dir, argv: ['--out', '.'], watch: dir, reason: /it is the folder of the spec innovate\.yaml$/ })],
    ['--out .. (an ancestor of the spec)', (dir) => ({ cwd: dir, argv: ['--out', '..'], watch: dirname(dir), reason: /it contains the folder of the spec innovate\.yaml$/ })],
    ["--out '' (the working folder)", (dir) => ({ cwd: dir, argv: ['--out', ''], watch: dir, reason: /it is the folder of the spec innovate\.yaml$/ })],
    ['--out / (the root)', (dir) => ({ cwd: dir, argv: ['--out', '/'], watch: dir, reason: /refusing to replace \/: it is the root folder$/ })],
    ['--out naming the spec\'s folder by a symlinked path', (dir) => {
      symlinkSync(dir, join(dirname(dir), 'alias'));
      return { cwd: dir, argv: ['--out', '../alias'], watch: dir, reason: /it is the folder of the spec/ };
    }],
  ];
  it.each(cases)('%s', async (_, setup) => {
    const dir = project();
    const { cwd, argv, watch, reason } = setup(dir);
    const before = snapshot(watch);
    const r = await cli(['compile', 'innovate.yaml', ...argv], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(reason);
    expect(r.stderr).toMatch(/^refusing to replace \//);
    expect(snapshot(watch)).toEqual(before);
    expect(existsSync(join(dir, 'innovate.yaml'))).toBe(true);
  });

  it('the working folder, when the spec is elsewhere', async () => {
    const dir = project();
    const cwd = join(tmp(), 'here');
    mkdirSync(cwd);
    const r = await cli(['compile', join(dir, 'innovate.yaml'), '--out', '.'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`refusing to replace ${cwd}: it is the working folder\n`);
  });

  const savedHome = process.env.HOME;
  afterEach(() => {
    process.env.HOME = savedHome;
  });
  it('the home folder', async () => {
    const dir = project();
    const home = join(tmp(), 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.bashrc'), 'x\n');
    process.env.HOME = home; // os.homedir() reads it
    const r = await cli(['compile', 'innovate.yaml', '--out', home], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`refusing to replace ${home}: it is the home folder or one of its parents\n`);
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe('x\n');
  });

  const folderCases: [string, (out: string) => void, string[], RegExp][] = [
    ['a folder with .git, even with --force', (out) => {
      owned(out, ['a.txt']);
      mkdirSync(join(out, '.git'));
      writeFileSync(join(out, '.git', 'HEAD'), 'x\n');
    }, ['--force'], /: it holds a \.git repository$/],
    ['a folder with files and no lock, even with --force', (out) => {
      mkdirSync(join(out, 'notes'), { recursive: true });
      writeFileSync(join(out, 'notes', 'todo.md'), 'x\n');
      writeFileSync(join(out, 'photo.jpg'), 'x\n');
    }, ['--force'], /: it holds 2 files and no innovate\.lock\.json, so innovate did not write it \(notes\/todo\.md, photo\.jpg\); choose an empty or new folder$/],
    ['a folder whose innovate.lock.json innovate did not write', (out) => {
      mkdirSync(out);
      writeFileSync(join(out, 'innovate.lock.json'), '{"name":"some npm thing"}\n');
    }, ['--force'], /: its innovate\.lock\.json was not written by innovate$/],
    ['an owned folder with files innovate did not write (listed)', (out) => {
      owned(out, ['cloudformation/a.json']);
      writeFileSync(join(out, 'NOTES.md'), 'mine\n');
      mkdirSync(join(out, 'cloudformation', 'extra'));
      writeFileSync(join(out, 'cloudformation', 'extra', 'x.json'), '{}\n');
    }, [], /: it holds 2 files innovate did not write: NOTES\.md, cloudformation\/extra\/x\.json; move them away, or pass --force to delete them$/],
    ['a file', (out) => writeFileSync(out, 'x\n'), ['--force'], /: it exists and is not a folder$/],
    ['a symbolic link', (out) => {
      owned(`${out}-real`, ['a.txt']);
      symlinkSync(`${out}-real`, out);
    }, ['--force'], /: it is a symbolic link; give the folder it points to$/],
  ];
  it.each(folderCases)('%s', async (_, setup, extra, reason) => {
    const base = tmp();
    const out = join(base, 'out');
    setup(out);
    const before = snapshot(base);
    const r = await cli(['compile', EXAMPLE_PATH, '--out', out, ...extra], base);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(new RegExp(`^refusing to replace ${out}${reason.source}`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(snapshot(base)).toEqual(before);
    expect(readdirSync(base).filter((n) => n.startsWith('.'))).toEqual([]); // no lock, no staging
  });

  it('--force replaces an owned folder holding stray files; an empty folder needs nothing', async () => {
    const base = tmp();
    const out = join(base, 'out');
    owned(out, ['a.txt']);
    writeFileSync(join(out, 'stray.txt'), 'x\n');
    const r = await cli(['compile', EXAMPLE_PATH, '--out', out, '--force'], base);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, 'stray.txt'))).toBe(false);
    const empty = join(base, 'empty');
    mkdirSync(empty);
    expect((await cli(['compile', EXAMPLE_PATH, '--out', empty], base)).code).toBe(0);
    expect((await cli(['compile', EXAMPLE_PATH, '--out', empty], base)).code).toBe(0); // its own output: owned
  });
});

describe('compile and other runs', () => {
  let script: string;
  beforeAll(async () => {
    script = await bundleChild();
  }, 60_000);

  it('a second compile while one is writing says so and exits 2; after a kill the next compile recovers', async () => {
    const base = tmp();
    const out = join(base, 'out');
    const writer = startChild(script, out, 'staged', 'new');
    expect(await writer.stopped).toBe('staged');
    const second = await cli(['compile', EXAMPLE_PATH, '--out', out], base);
    expect(second.code).toBe(2);
    expect(second.stderr).toBe(`${out} is being written by another innovate (pid ${writer.process.pid}); try again when it has finished, or remove ${join(base, '.out.innovate.lock')} if no innovate is running\n`);
    await kill(writer);
    const third = await cli(['compile', EXAMPLE_PATH, '--out', out], base);
    expect(third.code).toBe(0);
    expect(third.stderr.split('\n')[0]).toBe(`${out}/: an earlier run was interrupted; kept the tree in place and removed 1 leftover beside it`);
    expect(readdirSync(base)).toEqual(['out']);
    expect((await cli(['compile', EXAMPLE_PATH, '--out', out, '--check'], base)).code).toBe(0);
  });

  it('two writers racing: each one wins whole or says it is busy, never a raw error or a mix', async () => {
    const base = tmp();
    const out = join(base, 'out');
    for (let round = 0; round < 4; round++) {
      const a = startChild(script, out, '-', 'alpha');
      const b = startChild(script, out, '-', 'beta');
      const codes = [await a.exited, await b.exited];
      expect(codes.every((c) => c === 0 || c === 3), `${a.stderr()}${b.stderr()}`).toBe(true);
      expect(codes).toContain(0);
      const tree = readTree(out);
      expect([treeFiles('alpha'), treeFiles('beta')]).toContainEqual(tree);
      expect(readdirSync(base)).toEqual(['out']);
      if (codes.includes(3)) expect(a.stderr() + b.stderr()).toMatch(/is being written by another innovate \(pid \d+\)/);
    }
  });

  it('--check after a compile killed between its renames finishes the swap and says so', async () => {
    const base = tmp();
    const out = join(base, 'out');
    owned(out, ['old.txt']);
    const writer = startChild(script, out, 'moved-old', 'new');
    expect(await writer.stopped).toBe('moved-old');
    await kill(writer);
    expect(existsSync(out)).toBe(false); // what used to be lost
    const r = await cli(['compile', EXAMPLE_PATH, '--out', out, '--check'], base);
    expect(r.code).toBe(1); // the new tree is not the example's: stale, but whole
    expect(r.stderr.split('\n')[0]).toBe(`${out}/: an earlier run was interrupted; finished its swap`);
    expect(readTree(out)).toEqual(treeFiles('new'));
    expect(readdirSync(base)).toEqual(['out']);
  });
});

describe('compile --env and modes', () => {
  it('--env keeps the other environments\' files and lock entries: a narrowed compile equals a full one', async () => {
    const base = tmp();
    const full = join(base, 'full');
    const out = join(base, 'out');
    expect((await cli(['compile', EXAMPLE_PATH, '--out', full], base)).code).toBe(0);
    expect((await cli(['compile', EXAMPLE_PATH, '--out', out, '--env', 'production'], base)).code).toBe(0);
    const staging = await cli(['compile', EXAMPLE_PATH, '--out', out, '--env', 'staging'], base);
    expect(staging.code).toBe(0);
    expect(staging.stderr).toMatch(/for staging to .*out\/ \(kept \d+ of other environments\)/);
    expect(readTree(out)).toEqual(readTree(full));
    const again = await cli(['compile', EXAMPLE_PATH, '--out', out, '--env', 'production'], base);
    expect(again.code).toBe(0);
    expect(readTree(out)).toEqual(readTree(full));
    expect((await cli(['compile', EXAMPLE_PATH, '--out', out, '--check'], base)).code).toBe(0);
  });

  it('the tree has the modes the umask gives, not 0700 from a temporary folder', async () => {
    const base = tmp();
    const out = join(base, 'out');
    mkdirSync(join(base, 'ref'));
    writeFileSync(join(base, 'ref', 'f'), '');
    expect((await cli(['compile', EXAMPLE_PATH, '--out', out], base)).code).toBe(0);
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(out)).toBe(mode(join(base, 'ref')));
    expect(mode(join(out, 'cloudformation'))).toBe(mode(join(base, 'ref')));
    expect(mode(join(out, 'innovate.lock.json'))).toBe(mode(join(base, 'ref', 'f')));
  });
});
