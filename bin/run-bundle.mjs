// Runs a CommonJS bundle of the tool (a file, or a file and the `./<name>.vendor.cjs` it requires)
// in this process, with a V8 code cache made at the end of a successful run. V8 compiles most
// functions only when they first run, so a cache made at load (Node's compile cache) holds little
// of what a command runs; this one holds every function the command ran, and a later run of that
// command compiles almost nothing. One cache file per bundle file and command, beside the bundle;
// where that folder is not writable, Node's compile cache instead. A run that compiled much more
// than the run that made the cache (a synth with MinIO and routes after one with a claim only)
// makes it again: the new cache holds both. Beside the cache of a bundle's part (the packages'
// bundle of a checkout) is the list of its exports the command read (`<file>.<command>.read`), for
// the next run to load them early (see bundleRunner).
// A cache file is the bundle's SHA-256 (V8 itself checks only the source's length), the SHA-256 of
// the rest (V8 checks a cache's header, not the rest, in a release build: a damaged cache crashed
// every run; a damaged size could stop it being made again), the process's bytecode size when the
// cache was made (16 hex digits; see bytecodeSize), then the cache.
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { isMainThread } from 'node:worker_threads';

// V8 accepts a cache only under the flags it was made with, and the bundle sets this one when it
// loads (app/validate/safe-regexp.ts): set before anything is compiled, it is the same at load
// and at exit.
try {
  setFlagsFromString('--enable-experimental-regexp-engine');
} catch {
  // Not in this V8: the bundle does without it too.
}

const WRAPPER_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

/**
 * Runs `bundle`. `command` names the cache (the CLI's first argument, when it is a plain word:
 * each command runs other functions). Caches are written when the process exits with code 0.
 */
export function runBundle(bundle, command = process.argv[2]) {
  bundleRunner(command).run(bundle);
}

/**
 * What runs a bundle for `command`: `run(bundle)`; before that, `preload(file)` may load the
 * packages' bundle `file` and the packages the command read from it when it last made its cache
 * (while esbuild builds the sources' bundle after an edit, the process has nothing else to do).
 * Preloaded modules are dropped if that file has changed by the time the bundle runs.
 */
export function bundleRunner(command = process.argv[2]) {
  // A command's cache is made by its first run that ends well, and again by a run that compiled
  // much more (a `synth --help` first, then a synth). Options and anything else share one.
  const kind = /^[a-z]{1,20}$/.test(command ?? '') ? command : 'run';
  let loaded = new Map(); // file -> { module, identity: the file as loaded, read: the packages read from it }
  let toCache = [];

  const load = (filename, isBundle = false) => {
    if (loaded.has(filename)) return loaded.get(filename).module.exports;
    const fd = openSync(filename, 'r');
    let bytes, identity;
    try {
      identity = fileIdentity(fstatSync(fd));
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
    const key = sha256(bytes);
    const cacheFile = `${filename}.${kind}.v8cache`;
    const { cache: cachedData, bytecode } = readCache(cacheFile, key) ?? {};
    // The module wrapper on a line of its own, so that line and column numbers are the file's.
    const script = new Script(`(function (${WRAPPER_PARAMS.join(', ')}) {\n${bytes.toString('utf8')}\n})`, { filename, lineOffset: -1, cachedData });
    const read = new Set();
    toCache.push({ script, cacheFile, key, read, made: cachedData && !script.cachedDataRejected ? bytecode : undefined });
    const module = { exports: {}, filename, id: filename, loaded: false };
    // How the bundle's worker threads run it: as this one, with the caches of this command.
    if (isBundle) module.workerEntry = workerEntry(filename, kind);
    loaded.set(filename, { module, identity, read });
    const nodeRequire = createRequire(filename);
    // The bundle's own parts load the same way; everything else (Node's modules, packages left
    // out of the bundle) as Node would.
    const require = Object.assign((id) => (/^\.\/[\w.-]+\.cjs$/.test(id) ? part(join(dirname(filename), id)) : nodeRequire(id)), {
      resolve: nodeRequire.resolve,
      cache: nodeRequire.cache,
      main: nodeRequire.main,
    });
    script.runInThisContext().call(module.exports, module.exports, require, module, filename, dirname(filename));
    module.loaded = true;
    return module.exports;
  };

  /** Another file of the bundle, as its code requires it: which of its exports are read is recorded. */
  const part = (file) => {
    load(file);
    const entry = loaded.get(file);
    entry.recording ??= new Proxy(entry.module.exports, {
      get(exports, name, receiver) {
        if (typeof name === 'string' && Object.hasOwn(exports, name)) entry.read.add(name);
        return Reflect.get(exports, name, receiver);
      },
    });
    return entry.recording;
  };

  return {
    preload(file) {
      const readBefore = readNames(`${file}.${kind}.read`);
      if (readBefore === undefined || !writable(dirname(file))) return;
      try {
        const exports = load(file);
        for (const name of readBefore) if (Object.hasOwn(exports, name)) exports[name];
      } catch {
        // The run meets the same error where the command reads the package, and reports it there.
      }
    },
    run(bundle) {
      if (!writable(dirname(bundle))) {
        // No cache can be made beside it (a global install used by another user, a read-only image):
        // Node's compile cache instead, in the temp folder, which holds at least what loads.
        nodeModule.enableCompileCache?.();
        createRequire(import.meta.url)(bundle);
        return;
      }
      for (const [file, { identity }] of loaded) {
        if (fileIdentityOf(file) !== identity) {
          // Built again since it was preloaded (a package imported for the first time): start over.
          loaded = new Map();
          toCache = [];
          break;
        }
      }
      // Only the main thread writes: a worker's run is part of the command's.
      if (isMainThread) {
        process.once('exit', (code) => {
          if (code !== 0) return;
          const bytecode = bytecodeSize();
          for (const { script, cacheFile, key, made, read } of toCache) {
            if (made === undefined || bytecode > made * WIDER) writeCache(cacheFile, key, script, bytecode);
            // What preload reads next time: every export a run of this command read.
            const readFile = cacheFile.replace(/\.v8cache$/, '.read');
            const readBefore = readNames(readFile) ?? [];
            if ([...read].some((name) => !readBefore.includes(name))) writeAside(readFile, Buffer.from(JSON.stringify([...new Set([...readBefore, ...read])])));
          }
        });
      }
      load(bundle, true);
    },
  };
}

/**
 * The process's bytecode, as the size of V8's trusted space, where V8 12 and later (Node 22 and
 * 24) keep it: reading that is one call, where getHeapCodeStatistics walks the heap (about 6 ms at
 * the end of a synth). It counts code the run generated too (Ajv's validators under `validate --crds`).
 */
function bytecodeSize() {
  return getHeapSpaceStatistics().filter((space) => space.space_name.startsWith('trusted')).reduce((sum, space) => sum + space.space_used_size, 0);
}

/** An ES module, as a `data:` URL (which `new Worker` runs), that runs `bundle` as runBundle does. */
function workerEntry(bundle, kind) {
  const code = `import { runBundle } from ${JSON.stringify(import.meta.url)};\nrunBundle(${JSON.stringify(bundle)}, ${JSON.stringify(kind)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const HASH = 64; // characters of a SHA-256 in hex
const SIZE = 16; // hex digits of the bytecode size
const HEADER = 2 * HASH + SIZE;
/**
 * A run whose process ends with this much more bytecode than the run that made the cache compiled
 * what the cache lacks. (A cache holds what its run had compiled; the same command with the same
 * cache varies by a few percent, Node's own modules included.)
 */
const WIDER = 1.1;

/** The cache in `file` made for the bundle of hash `key`, and the bytecode size when it was made; undefined if there is none. */
function readCache(file, key) {
  try {
    const data = readRegularFile(file);
    if (data.subarray(0, HASH).toString('latin1') !== key || data.subarray(HASH, 2 * HASH).toString('latin1') !== sha256(data.subarray(2 * HASH))) return undefined;
    const bytecode = Number.parseInt(data.subarray(2 * HASH, HEADER).toString('latin1'), 16);
    return Number.isSafeInteger(bytecode) ? { cache: data.subarray(HEADER), bytecode } : undefined;
  } catch {
    return undefined;
  }
}

/** The cache for `script`, with its header (see the top of this file), written aside and renamed. */
function writeCache(file, key, script, bytecode) {
  writeAside(file, () => {
    const rest = Buffer.concat([Buffer.from(bytecode.toString(16).padStart(SIZE, '0'), 'latin1'), script.createCachedData()]);
    return Buffer.concat([Buffer.from(key + sha256(rest), 'latin1'), rest]);
  });
}

/**
 * Writes `file` aside and renames it, so that a concurrent run reads a whole file or none. The
 * aside file is made new (never through a link left there), before `contents` is made (a buffer,
 * or a function that makes it): where nothing can be written, nothing is spent. What killed runs
 * left aside is removed first.
 */
function writeAside(file, contents) {
  const folder = dirname(file);
  const prefix = `.${basename(file)}.`;
  const aside = join(folder, `${prefix}${process.pid}`);
  try {
    for (const name of readdirSync(folder)) {
      const pid = name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)) ? Number(name.slice(prefix.length)) : 0;
      if (pid && (pid === process.pid || !isAlive(pid))) rmSync(join(folder, name), { force: true });
    }
    const fd = openSync(aside, 'wx');
    try {
      writeFileSync(fd, typeof contents === 'function' ? contents() : contents);
    } finally {
      closeSync(fd);
    }
    renameSync(aside, file);
  } catch {
    try {
      rmSync(aside, { force: true });
    } catch {
      // Nothing was written.
    }
  }
}

const MAX_NAMES = 1000;
const MAX_NAME = 500;

/** The names in `file` (a JSON list of at most MAX_NAMES strings of at most MAX_NAME characters), or undefined. */
function readNames(file) {
  try {
    // A larger file is no such list: not read (a huge one would cost seconds and its size in memory).
    const names = JSON.parse(readRegularFile(file, MAX_NAMES * (3 * MAX_NAME + 3) + 2).toString('utf8'));
    return Array.isArray(names) && names.length <= MAX_NAMES && names.every((name) => typeof name === 'string' && name.length <= MAX_NAME) ? names : undefined;
  } catch {
    return undefined;
  }
}

/** The bytes of `file`, if it is a regular file of at most `maxBytes`; throws otherwise. Not blocking: a FIFO put there would wait for a writer forever. */
function readRegularFile(file, maxBytes = Infinity) {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new Error(`${file}: not a file`);
    if (stats.size > maxBytes) throw new Error(`${file}: larger than ${maxBytes} bytes`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * A file as it is now: another inode, size, modification or change time is another file. (The
 * change time, which no call sets, tells a file written again in place with its modification time
 * put back, as `cp -p` does.)
 */
const fileIdentity = (stats) => `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;

function fileIdentityOf(file) {
  try {
    return fileIdentity(statSync(file));
  } catch {
    return 'missing';
  }
}

function writable(folder) {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM'; // alive, someone else's
  }
}
