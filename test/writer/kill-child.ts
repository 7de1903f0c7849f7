/**
 * A writer in a process of its own, for the crash and concurrency tests (bundled by esbuild at
 * test time, so it runs the current sources). Usage: node child.mjs <outDir> <stopAt|-> <tree>
 * It writes tree <tree> (see trees.ts) into outDir; at step <stopAt> it prints "at <step>" and
 * waits to be killed. Exit 0 written, 3 busy (another writer holds the folder), 1 anything else.
 */
import { OutputBusyError, writeArtifacts } from '../../src/writer/index.js';
import { tree } from './trees.js';

const [outDir, stopAt, name] = process.argv.slice(2) as [string, string, string];
const hang = () => new Promise<never>(() => setInterval(() => undefined, 1 << 30));

writeArtifacts(outDir, tree(name), {
  onStep: async (step) => {
    if (step !== stopAt) return;
    process.stdout.write(`at ${step}\n`);
    await hang();
  },
}).then(
  () => process.stdout.write('done\n', () => process.exit(0)),
  (e: unknown) => {
    process.stderr.write(`${(e as Error).message}\n`, () => process.exit(e instanceof OutputBusyError ? 3 : 1));
  },
);
