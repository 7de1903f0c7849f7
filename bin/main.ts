/** The CLI bound to the real process: what the bundled launcher (bin/innovate.cjs) runs. */
import { z } from 'zod';
import { runCli, type CliIO } from './cli.js';

export async function main(argv: readonly string[], io?: Partial<CliIO>): Promise<number> {
  // One spec is decoded per run: zod's JIT (compiling a parser per schema with new Function)
  // costs more than it saves in a short-lived process. Set here, never in the library.
  z.config({ jitless: true });
  const code = await runCli(argv, {
    stdout: io?.stdout ?? ((s) => process.stdout.write(s)),
    stderr: io?.stderr ?? ((s) => process.stderr.write(s)),
    cwd: io?.cwd ?? process.cwd(),
    ...(io?.today ? { today: io.today } : {}),
  });
  process.exitCode = code;
  return code;
}
