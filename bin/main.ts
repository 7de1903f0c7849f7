/** The CLI bound to the real process: what the bundled launcher (bin/innovate.cjs) runs. */
import './zod-jitless.js';
import { runCli, type CliIO } from './cli.js';

export async function main(argv: readonly string[], io?: Partial<CliIO>): Promise<number> {
  const code = await runCli(argv, {
    stdout: io?.stdout ?? ((s) => process.stdout.write(s)),
    stderr: io?.stderr ?? ((s) => process.stderr.write(s)),
    cwd: io?.cwd ?? process.cwd(),
    env: io?.env ?? process.env,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
    isTTY: io?.isTTY ?? { stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
    ...(io?.today ? { today: io.today } : {}),
  });
  process.exitCode = code;
  return code;
}
