// Bundles a TypeScript entry point with esbuild (about 0.2 s) into node_modules/.cache, reused
// until one of its input files changes (checked by size and mtime from esbuild's metafile).
// ts-node would type-check and compile on every run (seconds); type checking is `npm test`'s job.
// `npm run build` uses the same settings for the bundle the package ships (build/cli.cjs).
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBundle } from '../bin/run-bundle.mjs';
import { linearToJsonMaps } from './linear-maps.mjs';

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

/** Writes `file` whole or not at all: concurrent runs (parallel tests) never read half a file. */
function writeAtomically(file, contents) {
  writeFileSync(`${file}.${process.pid}`, contents);
  renameSync(`${file}.${process.pid}`, file);
}

/** cdk8s-plus-28's own typed imports have the quadratic toJson maps that imports/ no longer has. */
const linearK8sImports = {
  name: 'linear-k8s-imports',
  setup(build) {
    build.onLoad({ filter: /[\\/]cdk8s-plus-28[\\/]lib[\\/]imports[\\/]k8s\.js$/ }, ({ path }) => {
      const { code, count } = linearToJsonMaps(readFileSync(path, 'utf8'));
      // A cdk8s-plus-28 that writes them otherwise needs a look, not a silent slow path.
      if (count === 0) throw new Error(`${path}: no toJson map to make linear; see scripts/linear-maps.mjs`);
      return { contents: code, loader: 'js' };
    });
  },
};

/**
 * Bundles `entry` (relative to the project root) into `outfile` as one CommonJS file with a
 * source map beside it; returns the input files esbuild read.
 */
export async function bundle(entry, outfile) {
  // Loaded only when needed: importing esbuild costs more than a fresh check.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [resolve(root, entry)],
    absWorkingDir: root,
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minifyWhitespace: true,
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    // The CEL evaluator of the CRDs' rules is loaded from node_modules (it is a dependency of the
    // package) when a rule first runs: bundled, its 800 KB would be parsed on every start.
    external: ['@bufbuild/*', 're2js'],
    write: false,
    logLevel: 'error',
    plugins: [linearK8sImports],
  });
  mkdirSync(dirname(outfile), { recursive: true });
  // The map first: a reader of the new bundle finds the map that belongs to it.
  const map = result.outputFiles.find((file) => file.path.endsWith('.map'));
  const code = result.outputFiles.find((file) => file !== map);
  writeAtomically(map.path, map.contents);
  writeAtomically(code.path, code.contents);
  return Object.keys(result.metafile.inputs);
}

/** The bundle of `entry`, rebuilt first if any of its inputs changed. */
export async function bundleIfStale(entry) {
  const name = entry.replace(/\.ts$/, '').replace(/\//g, '__');
  const outfile = join(cacheDir, `${name}.cjs`);
  const stampFile = join(cacheDir, `${name}.inputs.json`);
  if (!isFresh(stampFile)) {
    // The bundler's own files too: a change to how it bundles makes a new bundle.
    const inputs = [...await bundle(entry, outfile), 'scripts/bundle.mjs', 'scripts/linear-maps.mjs'];
    writeAtomically(stampFile, JSON.stringify(Object.fromEntries(inputs.map((file) => [file, stamp(file)]))));
  }
  return outfile;
}

/** Bundles `entry` if needed and runs it in this process (it reads process.argv itself). */
export async function runTs(entry) {
  runBundle(await bundleIfStale(entry));
}

// `node scripts/bundle.mjs ENTRY OUTFILE`: the bundle the package ships (npm run build).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [entry, outfile] = process.argv.slice(2);
  await bundle(entry, resolve(outfile));
}
