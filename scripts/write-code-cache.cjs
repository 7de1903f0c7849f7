'use strict';
/**
 * Build step: runs the bundled CLI once over the example (validate, then compile into a temp
 * folder) and saves V8's code cache of everything that ran, next to the bundle. Output of the
 * runs is discarded; a failure here fails the build.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadBundle } = require('../bin/load-bundle.cjs');

async function run() {
  const { main, script, cacheFile } = loadBundle({ useCache: false });
  const example = path.join(__dirname, '..', 'examples', 'innovate.yaml');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'innovate-cache-'));
  const quiet = { stdout: () => {}, stderr: () => {} };
  try {
    for (const argv of [['validate', example], ['compile', example, '--out', path.join(out, 'out')]]) {
      const code = await main(argv, quiet);
      if (code !== 0) throw new Error(`innovate ${argv[0]} exited ${code} while warming the code cache`);
    }
    fs.writeFileSync(cacheFile, script.createCachedData());
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
    process.exitCode = 0;
  }
}

run().catch((e) => {
  console.error(`write-code-cache: ${e.message}`);
  process.exit(1);
});
