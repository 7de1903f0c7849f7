import { defineConfig } from 'vitest/config';

/** The suites that exercise src/validators, for mutation testing (stryker.config.json). */
export default defineConfig({
  test: {
    include: ['test/diagnostics/**/*.test.ts', 'test/policies/**/*.test.ts', 'test/schema.test.ts', 'test/cli/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
