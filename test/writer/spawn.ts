/** Runs the writer in a child process (test/writer/kill-child.ts, bundled once per test file). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Bundles the child with the current sources; returns the script's path. */
export async function bundleChild(): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'innovate-child-')), 'child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./kill-child.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}

export interface Child {
  readonly process: ChildProcess;
  /** Resolves with the step it stopped at, or undefined when it exited first. */
  readonly stopped: Promise<string | undefined>;
  /** Resolves with the exit code (null when killed) once it has exited. */
  readonly exited: Promise<number | null>;
  stderr(): string;
}

export function startChild(script: string, outDir: string, stopAt: string, tree: string): Child {
  const child = spawn(process.execPath, [script, outDir, stopAt, tree], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const stopped = new Promise<string | undefined>((res) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^at (\S+)$/m.exec(out);
      if (m) res(m[1]);
    });
    void exited.then(() => res(undefined));
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return { process: child, stopped, exited, stderr: () => err };
}

/** SIGKILL (no cleanup runs, as when the machine or CI kills a job) and wait for the exit. */
export async function kill(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  await child.exited;
}
