/**
 * `compile`'s output folder: opening it (ownership, lock, recovery after a killed run), writing
 * the streamed artifacts with the other environments' files kept on a narrowed compile, and the
 * recovery `--check` runs first. Every refusal or failure becomes one line and exit code 2.
 */
import { dirname, resolve } from 'node:path';
import type { Artifact } from '../src/emitters/artifact.js';
import {
  entriesToKeep,
  openOutput,
  OutputBusyError,
  OutputRefusedError,
  recovered,
  recoverOutput,
  UnsafePathError,
  type Recovery,
  type WriteResult,
} from '../src/writer/index.js';

export type Outcome<T> = { ok: true; value: T; notes: string[] } | { ok: false; message: string };

export interface WriteRequest {
  readonly cwd: string;
  /** The spec file as given: its folder (and the working folder) are never replaced. */
  readonly file: string;
  readonly outDir: string;
  /** --out as typed, for messages. */
  readonly shown: string;
  readonly force: boolean;
  /** --env: the other environments' files are kept. */
  readonly environments: readonly string[] | undefined;
  readonly artifacts: Iterable<Artifact>;
  readonly commit: () => boolean;
}

const recoveryNote = (shown: string, r: Recovery): string[] =>
  recovered(r)
    ? [`${shown}/: an earlier run was interrupted; ${r.finished ? 'finished its swap' : r.restoredOld ? 'put the previous tree back' : 'kept the tree in place'}${r.removed.length > 0 ? ` and removed ${r.removed.length} leftover${r.removed.length === 1 ? '' : 's'} beside it` : ''}`]
    : [];

const failure = (shown: string, e: unknown): { ok: false; message: string } => {
  if (e instanceof OutputRefusedError || e instanceof OutputBusyError) return { ok: false, message: e.message };
  if (e instanceof UnsafePathError) return { ok: false, message: `${shown}: ${e.message}` };
  return { ok: false, message: `${shown}: could not write the output (${(e as Error).message}); the previous contents are unchanged` };
};

export async function writeOutput(r: WriteRequest): Promise<Outcome<WriteResult>> {
  try {
    const output = await openOutput(r.outDir, {
      force: r.force,
      protect: [
        { path: dirname(resolve(r.cwd, r.file)), name: `the folder of the spec ${r.file}` },
        { path: r.cwd, name: 'the working folder' },
      ],
    });
    try {
      const keep = r.environments ? entriesToKeep(output.previous, r.environments) : [];
      const value = await output.write(r.artifacts, { commit: r.commit, keep });
      return { ok: true, value, notes: recoveryNote(r.shown, output.recovery) };
    } finally {
      await output.close();
    }
  } catch (e) {
    return failure(r.shown, e);
  }
}

/** Before --check compares: finish or clean up what a killed compile left, as the next compile would. */
export async function recoverBeforeCheck(outDir: string, shown: string): Promise<Outcome<undefined>> {
  try {
    const r = await recoverOutput(outDir);
    return { ok: true, value: undefined, notes: r ? recoveryNote(shown, r) : [] };
  } catch (e) {
    return failure(shown, e);
  }
}
