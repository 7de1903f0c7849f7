/**
 * Crash safety: a writer process is SIGKILLed after each step of a write; the next run (compile
 * or --check) must leave out/ as one whole tree, old or new, never a mix and never none, and
 * remove everything the killed run left beside it (staged trees, old trees, journal, lock).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recoverOutput, writeArtifacts, WRITE_STEPS, type WriteStep } from '../../src/writer/index.js';
import { readTree, tmp } from './helpers.js';
import { bundleChild, kill, startChild } from './spawn.js';
import { tree, treeFiles } from './trees.js';

let script: string;
beforeAll(async () => {
  script = await bundleChild();
}, 60_000);

/** From the journal on, the new tree wins; before it, the old one. */
const winner = (step: WriteStep): 'old' | 'new' => (WRITE_STEPS.indexOf(step) >= WRITE_STEPS.indexOf('journaled') ? 'new' : 'old');

async function killedAt(out: string, step: WriteStep): Promise<void> {
  const child = startChild(script, out, step, 'new');
  expect(await child.stopped, child.stderr()).toBe(step);
  await kill(child);
}

describe('a writer killed after each step', () => {
  it.each(WRITE_STEPS)('after %s, --check recovery leaves one whole tree and no leftovers', async (step) => {
    const dir = tmp();
    const out = join(dir, 'out');
    await writeArtifacts(out, tree('old'));
    await killedAt(out, step);
    expect(readdirSync(dir).length).toBeGreaterThan(1); // the killed run left something (its lock at least)
    if (step === 'moved-old') expect(existsSync(out)).toBe(false); // the state that used to lose out/

    const recovery = await recoverOutput(out);
    expect(recovery).toBeDefined();
    expect(readTree(out)).toEqual(treeFiles(winner(step)));
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it.each(WRITE_STEPS)('after %s, the next compile recovers, then writes its own tree whole', async (step) => {
    const dir = tmp();
    const out = join(dir, 'out');
    await writeArtifacts(out, tree('old'));
    await killedAt(out, step);
    await writeArtifacts(out, tree('third'));
    expect(readTree(out)).toEqual(treeFiles('third'));
    expect(readdirSync(dir)).toEqual(['out']);
  });

  const FIRST_COMPILE_STEPS = WRITE_STEPS.filter((s) => s !== 'moved-old' && s !== 'removed-old'); // no old tree to move
  it.each(FIRST_COMPILE_STEPS)('after %s on a first compile (no out/ before), recovery leaves nothing or the new tree', async (step) => {
    const dir = tmp();
    const out = join(dir, 'out');
    await killedAt(out, step);
    await recoverOutput(out);
    if (winner(step) === 'new') expect(readTree(out)).toEqual(treeFiles('new'));
    else expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual(winner(step) === 'new' ? ['out'] : []);
  });

  it('a run that finished leaves nothing to recover', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    await writeArtifacts(out, tree('old'));
    const child = startChild(script, out, '-', 'new');
    expect(await child.stopped).toBeUndefined();
    expect(await child.exited).toBe(0);
    expect(await recoverOutput(out)).toBeUndefined();
    expect(readTree(out)).toEqual(treeFiles('new'));
  });

  it('puts back the old tree an earlier innovate (no journal) left when killed between its renames', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    await writeArtifacts(out, tree('old'));
    renameSync(out, join(dir, '.out.innovate-AbC123.old'));
    mkdirSync(join(dir, '.out.innovate-AbC123'));
    writeFileSync(join(dir, '.out.innovate-AbC123', 'half.txt'), 'half\n');
    const recovery = await recoverOutput(out);
    expect(recovery).toMatchObject({ finished: false, restoredOld: true, removed: ['.out.innovate-AbC123'] });
    expect(readTree(out)).toEqual(treeFiles('old'));
    expect(readdirSync(dir)).toEqual(['out']);
  });
});
