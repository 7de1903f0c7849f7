import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // Vitest's default leaves one core to its main process, which is idle while the files run: on
    // the 2-core CI machine that ran every file on one worker.
    maxWorkers: availableParallelism(),
    reporters: ['default', './test/summary-reporter.ts'],
    // Imports its JSON schema without an import attribute, which Node 20 refuses: let Vite load it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
