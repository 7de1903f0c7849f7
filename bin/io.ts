/** Reading spec files for the CLI: every failure becomes a diagnostic, never an exception. */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { diagnosticAt, type Diagnostic } from '../src/diagnostics/diagnostic.js';
import { MAX_SOURCE_BYTES } from '../src/source/parse.js';

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic; exitCode: 1 | 2 };

const fail = (file: string, code: 'INN001' | 'INN002' | 'INN003', message: string, exitCode: 1 | 2): ReadResult => ({
  ok: false,
  diagnostic: diagnosticAt({ code, path: [], message }, file, 0, 0),
  exitCode,
});

export async function readSpecFile(cwd: string, file: string): Promise<ReadResult> {
  const full = resolve(cwd, file);
  const info = await stat(full).catch((e: NodeJS.ErrnoException) => e);
  if (info instanceof Error) {
    return fail(file, 'INN001', info.code === 'ENOENT' ? 'no such file' : `cannot read the file (${info.code ?? info.message})`, 2);
  }
  if (info.isDirectory()) return fail(file, 'INN001', 'is a directory, not a file', 2);
  if (!info.isFile()) return fail(file, 'INN001', 'is not a regular file', 2);
  if (info.size > MAX_SOURCE_BYTES) return fail(file, 'INN002', `the file is ${info.size} bytes; the limit is ${MAX_SOURCE_BYTES}`, 1);
  const bytes = await readFile(full).catch((e: NodeJS.ErrnoException) => e);
  if (bytes instanceof Error) return fail(file, 'INN001', `cannot read the file (${bytes.code ?? bytes.message})`, 2);
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return fail(file, 'INN003', 'the file is not valid UTF-8', 1);
  }
}
