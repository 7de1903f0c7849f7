'use strict';
/**
 * Loads the bundled CLI (dist/innovate-cli.cjs) with a V8 code cache, which spares every run the
 * parsing and compiling of ~1 MB of JavaScript. A code cache fits only the V8 (Node.js version)
 * and flags that wrote it, so none is shipped in the package: the first run on a machine writes
 * one into the user's cache folder, and later runs start from it. V8 checks the cache itself; a
 * rejected one (after a Node.js upgrade) is simply written again.
 *
 * The folder is per user ($INNOVATE_CACHE_DIR, else $XDG_CACHE_HOME/innovate, ~/.cache/innovate,
 * or %LOCALAPPDATA%\innovate on Windows), never the shared temp folder: a code cache is code, and
 * one planted by another user would run in this process. When it cannot be written, innovate
 * runs as before, only without the cache.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const v8 = require('node:v8');
const Module = require('node:module');

const BUNDLE = path.join(__dirname, '..', 'dist', 'innovate-cli.cjs');

function cacheDir(env) {
  if (env.INNOVATE_CACHE_DIR) return env.INNOVATE_CACHE_DIR;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'innovate', 'Cache');
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'innovate');
  return path.join(os.homedir(), '.cache', 'innovate');
}

/** One file per bundle (its size and mtime stand for its content), V8 version and architecture. */
function cacheFileFor(env, stat) {
  const key = `${stat.size}-${Math.floor(stat.mtimeMs)}-${process.versions.v8}-${process.arch}`.replace(/[^\w.-]/g, '_');
  return path.join(cacheDir(env), `innovate-cli-${key}.cache`);
}

function readCache(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes atomically (a temporary file renamed), in a folder only this user can write. */
function writeCache(file, data) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    // No cache this time: a read-only home or a full disk costs start-up time, never the run.
  }
}

/**
 * @param {{ useCache?: boolean, env?: NodeJS.ProcessEnv }} [options]
 * @returns {{ main: Function, script: vm.Script, save: () => void }} `save` writes the cache when
 *   there was none or V8 rejected it; call it after the run, so the cache holds the functions the
 *   run compiled (V8 compiles most of them lazily).
 */
function loadBundle({ useCache = true, env = process.env } = {}) {
  const source = fs.readFileSync(BUNDLE, 'utf8');
  const file = useCache ? cacheFileFor(env, fs.statSync(BUNDLE)) : undefined;
  const cachedData = file ? readCache(file) : undefined;
  const script = new vm.Script(Module.wrap(source), { filename: BUNDLE, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  const bundleRequire = Module.createRequire(BUNDLE);
  script.runInThisContext()(module.exports, bundleRequire, module, BUNDLE, path.dirname(BUNDLE));
  const fresh = file !== undefined && (cachedData === undefined || script.cachedDataRejected === true);
  const save = () => {
    if (!fresh) return;
    // V8 stamps a cache with a hash of its flags and rejects it under other flags: the launcher
    // changes one after loading (bin/innovate.cjs), so the default is put back before writing.
    v8.setFlagsFromString('--heap-growing-percent=0');
    writeCache(file, script.createCachedData());
  };
  return { main: module.exports.main, script, save };
}

module.exports = { loadBundle, cacheFileFor };
