'use strict';
/**
 * Loads the bundled CLI (dist/innovate-cli.cjs) through V8's code cache
 * (dist/innovate-cli.cjs.cache, written by scripts/write-code-cache.cjs at build time), which
 * spares every run the parsing and compiling of ~1 MB of JavaScript. V8 checks the cache
 * itself: one from another Node.js or V8 version is rejected and the bundle compiles as usual.
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const BUNDLE = path.join(__dirname, '..', 'dist', 'innovate-cli.cjs');
const CACHE = `${BUNDLE}.cache`;

function loadBundle({ useCache = true } = {}) {
  const source = fs.readFileSync(BUNDLE, 'utf8');
  let cachedData;
  if (useCache) {
    try {
      cachedData = fs.readFileSync(CACHE);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(source), { filename: BUNDLE, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  const bundleRequire = Module.createRequire(BUNDLE);
  script.runInThisContext()(module.exports, bundleRequire, module, BUNDLE, path.dirname(BUNDLE));
  return { main: module.exports.main, script, cacheFile: CACHE };
}

module.exports = { loadBundle };
