#!/usr/bin/env node
/** Entry point: wires the CLI to the real process. */
import { runCli } from './cli.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
});
process.exitCode = code;
