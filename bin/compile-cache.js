'use strict';
// A V8 code cache for Hooklens' own bundles (out/main). Compiling the ~1.7 MB bundle costs every
// start ~40 ms; with the cache, V8 reuses the bytecode of the functions that ran last time.
// Node >= 22.1 can do this itself (module.enableCompileCache), but Hooklens runs on Node 20, and
// one way on every version keeps the behaviour the same and tested.
const { createHash } = require('node:crypto');
const { accessSync, constants, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { homedir } = require('node:os');
const { basename, dirname, join, sep } = require('node:path');
const { debuglog } = require('node:util');
const vm = require('node:vm');
const { withV8DefaultFlags } = require('./young-generation');

const debug = debuglog('hooklens');
/** Written after start-up has run, so the cache holds the functions a start compiles. */
const WRITE_AFTER_MS = 1000;
/** An accepted cache is replaced when this run's would be this much larger. */
const GROWTH_WORTH_WRITING = 1.1;

/** The user's own cache folder (never a shared one like /tmp: cached bytecode is code we run). */
function defaultCacheDir() {
  const { env, platform } = process;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'Hooklens', 'compile-cache');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Hooklens', 'compile-cache');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'hooklens', 'compile-cache');
}

/** The folder, created if needed; null when it is not ours alone (then nothing is cached). */
function privateDir(dir) {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stats = statSync(dir);
    if (process.platform !== 'win32' && stats.uid !== process.getuid()) {
      debug('compile cache: %s belongs to another user; not used', dir);
      return null;
    }
    if (process.platform !== 'win32' && (stats.mode & 0o022) !== 0) {
      debug('compile cache: %s is writable by others; not used', dir);
      return null;
    }
    // Read-only: nothing could be written, so nothing is serialised in vain.
    accessSync(dir, constants.W_OK);
    return dir;
  } catch (error) {
    debug('compile cache: %s unusable (%s)', dir, error.message);
    return null;
  }
}

/**
 * V8 checks a cache against its own version and flags but only the source's length, so the key
 * also covers the content: a rebuilt bundle never runs stale bytecode.
 */
function keyOf(filename, content) {
  return createHash('sha256').update(`${process.versions.v8}\0${process.arch}\0${filename}\0`).update(content).digest();
}

/**
 * Node options change V8's flags, which V8 stamps its caches with: runs started with other
 * options (e.g. NODE_OPTIONS=--max-old-space-size) keep a cache of their own instead of each
 * rejecting and rewriting the other's.
 */
function optionsTag() {
  const options = `${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}`;
  return options === '\0' ? '' : `-${createHash('sha256').update(options).digest('hex').slice(0, 8)}`;
}

const digest = (data) => createHash('sha256').update(data).digest();

/** Marks a cache written once start-up had run (by a long run, `serve`), not at a short command's exit. */
const AFTER_START_UP = 1;

/**
 * A cache file is [key][sha-256 of the data][mark][data]. V8 does not check the data itself, and
 * corrupt data crashes the process in its deserializer, so a file that fails either check is
 * never handed to V8 (and is rewritten). Returns null for no usable file.
 */
function readCache(file, key) {
  let contents;
  try {
    contents = readFileSync(file);
  } catch {
    debug('compile cache: none for %s', file);
    return null;
  }
  const data = contents.subarray(2 * key.length + 1);
  if (!contents.subarray(0, key.length).equals(key)) debug('compile cache: %s is for another build', file);
  else if (!contents.subarray(key.length, 2 * key.length).equals(digest(data))) debug('compile cache: %s is damaged', file);
  else return { data, afterStartUp: contents[2 * key.length] === AFTER_START_UP };
  return null;
}

function writeCache(file, key, data, afterStartUp) {
  try {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.concat([key, digest(data), Buffer.from([afterStartUp ? AFTER_START_UP : 0]), data]), { mode: 0o600 });
    renameSync(temporary, file); // atomic: another Hooklens starting now reads the old or the new
    debug('compile cache: wrote %s', file);
  } catch (error) {
    debug('compile cache: could not write %s (%s)', file, error.message);
  }
}

/**
 * Compiles every module under `root` with a code cache kept in `cacheDir`. Never stops a start:
 * without a usable folder (no home folder, no permission) nothing is cached.
 */
function enableCompileCache(root, cacheDir) {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return;
  let dir;
  try {
    const chosen = cacheDir ?? process.env.HOOKLENS_COMPILE_CACHE;
    // root with a user's HOME (sudo keeping it) would create root-owned folders in that home.
    if (!chosen && process.getuid?.() === 0 && statSync(homedir()).uid !== 0) {
      debug('compile cache: running as root in another user\'s home folder; not used');
      return;
    }
    dir = privateDir(chosen || defaultCacheDir());
  } catch (error) {
    debug('compile cache: no folder for it (%s)', error.message);
    return;
  }
  if (dir === null) return;
  const prefix = root.endsWith(sep) ? root : root + sep;
  // Files of this install are named <install>-<bundle>.bin; a build names its chunks by content hash.
  const install = createHash('sha256').update(prefix).digest('hex').slice(0, 16);
  const tag = optionsTag();
  const compile = Module.prototype._compile;
  /** What this run compiled, by cache file name. */
  const compiled = new Map();

  /**
   * A missing or rejected cache is written at exit or once start-up has run. An accepted one that
   * a short command wrote (`--version` may come first) is replaced by a long run that compiled
   * clearly more: `serve`'s start is the one worth having cached. Once a long run's is in place,
   * no start serialises again (it costs the event loop ~20 ms).
   */
  function writeAll(atExit) {
    for (const [name, entry] of compiled) {
      if (entry.written || (entry.accepted && (atExit || entry.afterStartUp))) continue;
      const data = withV8DefaultFlags(() => entry.script.createCachedData());
      if (entry.accepted && data.length < entry.cachedLength * GROWTH_WORTH_WRITING) continue;
      entry.written = true;
      writeCache(join(dir, name), entry.key, data, !atExit);
    }
    // Every command loads the same bundles, so this install's other files (with these options)
    // are an older build's. Another process's file being written (.tmp) is left alone.
    try {
      for (const name of readdirSync(dir)) {
        const sameOptions = tag === '' ? name.endsWith('.js.bin') : name.endsWith(`${tag}.bin`);
        if (name.startsWith(`${install}-`) && sameOptions && !compiled.has(name)) rmSync(join(dir, name), { force: true });
      }
    } catch {
      // Only tidying.
    }
  }
  setTimeout(() => writeAll(false), WRITE_AFTER_MS).unref();
  process.once('exit', () => writeAll(true));

  Module.prototype._compile = function compileWithCache(content, filename, ...rest) {
    if (!filename.startsWith(prefix)) return compile.call(this, content, filename, ...rest);
    const key = keyOf(filename, content);
    const name = `${install}-${basename(filename)}${tag}.bin`;
    const cached = readCache(join(dir, name), key);
    const script = new vm.Script(Module.wrap(content), { filename, cachedData: cached?.data });
    const accepted = cached !== null && !script.cachedDataRejected;
    if (cached !== null) debug('compile cache: %s for %s', accepted ? 'accepted' : 'rejected by V8', filename);
    compiled.set(name, { script, key, accepted, afterStartUp: accepted && cached.afterStartUp, cachedLength: accepted ? cached.data.length : 0, written: false });
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dirname(filename));
  };
}

module.exports = { enableCompileCache };
