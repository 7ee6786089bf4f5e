// Runs a TypeScript entry point fast: esbuild bundles it (about 0.1 s) into node_modules/.cache,
// and the bundle is reused until one of its input files changes (checked by size and mtime from
// esbuild's metafile). ts-node would type-check and compile on every run (seconds); type
// checking is `npm test`'s job.
import { readFileSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import vm from 'node:vm';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, 'node_modules', '.cache', 'image-registry-synth');

function stamp(file) {
  try {
    const s = statSync(join(root, file));
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function isFresh(stampFile) {
  try {
    const inputs = JSON.parse(readFileSync(stampFile, 'utf8'));
    return Object.entries(inputs).every(([file, seen]) => stamp(file) === seen);
  } catch {
    return false;
  }
}

/** Bundles `entry` (relative to the project root) if needed and runs it in this process. */
export async function runTs(entry) {
  const name = entry.replace(/\.ts$/, '').replace(/\//g, '__');
  const bundle = join(cacheDir, `${name}.cjs`);
  const stampFile = join(cacheDir, `${name}.inputs.json`);
  if (!isFresh(stampFile)) {
    mkdirSync(cacheDir, { recursive: true });
    // Loaded only when needed: importing esbuild costs more than a fresh check.
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [join(root, entry)],
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minifyWhitespace: true,
      metafile: true,
      write: false,
      logLevel: 'error',
    });
    const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((file) => [file, stamp(file)]));
    // Write-then-rename: concurrent runs (parallel tests) never read a half-written bundle.
    writeFileSync(`${bundle}.${process.pid}`, result.outputFiles[0].contents);
    renameSync(`${bundle}.${process.pid}`, bundle);
    writeFileSync(`${stampFile}.${process.pid}`, JSON.stringify(inputs));
    renameSync(`${stampFile}.${process.pid}`, stampFile);
  }
  runWithCodeCache(bundle);
}

/**
 * Runs the CommonJS bundle like require() would, with V8's code cache kept next to it: V8 then
 * skips compiling the bundle's 3 MB of JavaScript on later runs (what Node 22's
 * module.enableCompileCache does; Node 20 has no such switch). The bundle reads process.argv and
 * sets process.exitCode itself.
 */
function runWithCodeCache(bundle) {
  const cacheFile = `${bundle}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // After the run, so that the cache also holds the functions the run compiled.
    process.once('exit', () => {
      try {
        writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData());
        renameSync(`${cacheFile}.${process.pid}`, cacheFile);
      } catch {
        // A cache that cannot be written only costs time.
      }
    });
  }
  const module = new Module(bundle);
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(dirname(bundle));
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
}
