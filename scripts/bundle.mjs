// Bundles a TypeScript entry point with esbuild into node_modules/.cache, reused until one of its
// input files changes (checked by size and mtime from esbuild's metafile). ts-node would
// type-check and compile on every run (seconds); type checking is `npm test`'s job.
// In a checkout (bundleIfStale) the sources and the packages they import are two files: the
// packages' (about 0.7 s to bundle) are rebuilt only when a package or the set of imports
// changes, so an edit to a source rebuilds only the sources' (about 0.2 s).
// `npm run build` bundles it all into one file, the one the package ships (build/cli.cjs).
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBundle } from '../bin/run-bundle.mjs';
import { linearToJsonMaps } from './linear-maps.mjs';
import { fasterResolve } from './cdk8s-resolve.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the bundles, their stamps and their code caches are. */
export const cacheDir = join(root, 'node_modules', '.cache', 'image-registry-synth');

// Input paths are relative to the root and already normal: joined by hand, not by path.join,
// whose normalizing cost a third of a fresh check (some 1,700 files, before V8 optimizes it).
const rootPrefix = `${root}${sep}`;

function stamp(file) {
  try {
    const s = statSync(rootPrefix + file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** Writes `file` whole or not at all: concurrent runs (parallel tests) never read half a file. */
function writeAtomically(file, contents) {
  const aside = `${file}.${process.pid}`;
  // Made new: a link left at that name is replaced, never written through.
  rmSync(aside, { force: true });
  try {
    writeFileSync(aside, contents, { flag: 'wx' });
    renameSync(aside, file);
  } catch (e) {
    // A full disk leaves no half file behind.
    rmSync(aside, { force: true });
    throw e;
  }
}

/**
 * cdk8s-plus-28's own typed imports have the quadratic toJson maps, and the filter over every
 * field of each struct, that imports/ no longer has (scripts/linear-maps.mjs);
 * cdk8s's resolve looks up an object's App, and makes a context and a key path, for each value.
 */
const dependencyRewrites = {
  name: 'dependency-rewrites',
  setup(build) {
    build.onLoad({ filter: /[\\/]cdk8s-plus-28[\\/]lib[\\/]imports[\\/]k8s\.js$/ }, ({ path }) => {
      const { code, count } = linearToJsonMaps(readFileSync(path, 'utf8'));
      // A cdk8s-plus-28 that writes them otherwise needs a look, not a silent slow path.
      if (count === 0) throw new Error(`${path}: no toJson map to make linear; see scripts/linear-maps.mjs`);
      return { contents: code, loader: 'js' };
    });
    build.onLoad({ filter: /[\\/]cdk8s[\\/]lib[\\/]resolve\.js$/ }, async ({ path }) => {
      const { code, count } = await fasterResolve(readFileSync(path, 'utf8'));
      if (count !== 1) throw new Error(`${path}: not the resolve scripts/cdk8s-resolve.mjs mirrors; see that file`);
      return { contents: code, loader: 'js' };
    });
  },
};

const OPTIONS = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minifyWhitespace: true,
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  write: false,
  logLevel: 'error',
  // A dependency (ajv-formats-draft2019) requires "punycode", which Node resolves to its own
  // deprecated copy (a warning on every run) rather than the punycode package it depends on.
  alias: { punycode: 'punycode/' },
};

/**
 * Runs esbuild and writes its bundle (and the map first, so a reader of the new bundle finds its
 * map), unless `check` (given esbuild's result) throws. `whileBuilding` is called once esbuild has
 * the build, before its result. Returns the input files it read, and esbuild's metafile.
 */
async function buildAndWrite(options, check = async () => {}, whileBuilding = () => {}) {
  // Loaded only when needed: importing esbuild costs more than a fresh check. Required, not
  // imported: an import of its CommonJS reads it for its exports first (30 ms instead of 12).
  const { build } = requireFromRoot('esbuild');
  const building = build({ ...OPTIONS, ...options });
  whileBuilding();
  const result = await building;
  await check(result);
  mkdirSync(dirname(options.outfile), { recursive: true });
  const map = result.outputFiles.find((file) => file.path.endsWith('.map'));
  const code = result.outputFiles.find((file) => file !== map);
  writeAtomically(map.path, map.contents);
  writeAtomically(code.path, code.contents);
  return { inputs: Object.keys(result.metafile.inputs), metafile: result.metafile };
}

/** Bundles `entry` (relative to the project root) into `outfile`, packages included: one CommonJS file with a source map beside it. */
export async function bundle(entry, outfile) {
  await buildAndWrite({ entryPoints: [resolve(root, entry)], outfile, plugins: [dependencyRewrites] });
}

const isPackageImport = (path) => /^[^./]/.test(path) && !path.startsWith('node:') && !builtinModules.includes(path);

const requireFromRoot = createRequire(join(root, 'package.json'));
/**
 * Where package `path` is found from the project's root for an `import` or a `require`, or
 * undefined. An import follows the package's "exports" (some export only to `import`); a package
 * without them is found as a require finds it (Node's ES module resolution tries no extension or
 * index.js, esbuild's does: `ajv/dist/standalone` is its index.js).
 */
function resolvePackage(path, kind) {
  const required = () => {
    try {
      return requireFromRoot.resolve(path);
    } catch {
      return undefined;
    }
  };
  if (kind === 'require-call') return required();
  try {
    const imported = fileURLToPath(import.meta.resolve(path));
    if (statSync(imported).isFile()) return imported;
  } catch {
    // not found as an import: as a require, below
  }
  return required();
}

/**
 * The sources alone: each package import stays a `require` of the package, which the banner reads
 * from the packages' bundle, `vendorFile` beside it. esbuild keeps packages out itself
 * (`packages: 'external'`): a plugin that sent each import to node to be resolved took half the
 * build's time, which an edit waits for. No plugin at all: for a build with one, esbuild waits for
 * node to answer its start (evanw/esbuild, cmd/esbuild/service.go: "Always register OnStart"), and
 * node is busy loading the packages (`whileBuilding`).
 */
async function bundleSources(entry, outfile, vendorFile, whileBuilding) {
  const vendor = JSON.stringify(`./${basename(vendorFile)}`);
  const options = {
    entryPoints: [resolve(root, entry)],
    outfile,
    packages: 'external',
    // The generated CRD validators (about 1 MB, two thirds of the sources' bundle) change only
    // when regenerated: they go with the packages, and an edit to a source bundles a third as much.
    // Matched once resolved (one missing is esbuild's error at the line that imports it), they are
    // required by their path from the bundle's folder, which the packages' bundle names them by.
    external: [GENERATED_VALIDATORS],
    // A package's `import()` a `require` too, which the banner sends to the packages' bundle (left
    // an `import()`, Node would load the package itself: a second copy, unbundled).
    supported: { 'dynamic-import': false },
    // The module's own `require`, for what the packages' bundle holds, reads that instead; that
    // bundle is loaded by the first require of something other than Node's own modules (not by
    // `--version`, `--help` or `discover`). The sources are ES modules, strict: the directive
    // esbuild writes for them must stay first.
    banner: { js: `"use strict";var require=((req,vendor)=>Object.assign((id)=>!id.startsWith("node:")&&Object.hasOwn(vendor??=req(${vendor}),id)?vendor[id]:req(id),req))(require);` },
  };
  const { inputs, metafile } = await buildAndWrite(options, ({ metafile }) => failOnMissingPackages(metafile, options), whileBuilding);
  const imports = new Map(); // package import -> how the sources import it
  for (const { path, kind } of packageImports(metafile)) if (imports.get(path) !== 'import-statement') imports.set(path, kind);
  for (const path of externalImports(metafile)) if (path.startsWith('.')) imports.set(path, 'require-call');
  return { inputs, imports: Object.fromEntries([...imports].sort()) };
}

/** Where the generated validators are, for esbuild's `external` (relative to the project root, `*` any folders). */
const GENERATED_VALIDATORS = './*/generated/crd-validators.js';

/** The paths the sources' bundle requires that are not in it. */
const externalImports = (metafile) => new Set(Object.values(metafile.outputs).flatMap(({ imports }) => imports.filter(({ external }) => external).map(({ path }) => path)));

/** Each package the sources' bundle requires, with how the sources import it (as an ES module or by require). */
function packageImports(metafile) {
  // A package imported for its types only is in the metafile's inputs, not in the bundle.
  const required = externalImports(metafile);
  return Object.values(metafile.inputs).flatMap(({ imports }) => imports
    .filter(({ path, external }) => external && isPackageImport(path) && required.has(path))
    .map(({ path, kind }) => ({ path, kind: asImportedBy(kind) })));
}

const asImportedBy = (kind) => (kind === 'require-call' ? 'require-call' : 'import-statement');
const notInstalled = (path) => `Could not resolve "${path}": not in node_modules (a dependency in package.json, installed by npm ci?)`;

/**
 * Fails as esbuild fails on a path it cannot resolve if the bundle requires a package that is not
 * in node_modules (each package and kind checked once). The metafile names only the file that
 * imports it: the sources are built again (only then) with a plugin that refuses those imports,
 * and esbuild names each source line that imports one.
 */
async function failOnMissingPackages(metafile, options) {
  const checked = new Set();
  const missing = new Map(); // `${kind} ${path}` -> path
  for (const { path, kind } of packageImports(metafile)) {
    const key = `${kind} ${path}`;
    if (checked.has(key)) continue;
    checked.add(key);
    if (resolvePackage(path, kind) === undefined) missing.set(key, path);
  }
  if (missing.size === 0) return;
  const refuseMissing = {
    name: 'packages-not-installed',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, ({ path, kind }) => (missing.has(`${asImportedBy(kind)} ${path}`) ? { errors: [{ text: notInstalled(path) }] } : undefined));
    },
  };
  await requireFromRoot('esbuild').build({ ...OPTIONS, ...options, plugins: [refuseMissing] });
  // Not reached unless esbuild no longer meets those imports.
  const errors = [...missing.values()].map((path) => ({ text: notInstalled(path) }));
  console.error(errors.map(({ text }) => text).join('\n'));
  throw Object.assign(new Error(`Build failed with ${errors.length} errors`), { errors, warnings: [] });
}

/**
 * The packages `imports` names, each resolved as the sources import it (some packages export
 * their ES modules only to `import`), each loaded when first read: a command loads only the
 * packages its code reaches (`discover` none, `validate` no cdk8s-plus-28).
 */
async function bundleVendor(imports, outfile) {
  // A required ES module comes back as its namespace marked __esModule (esbuild's __toCommonJS),
  // so that the sources' default imports read `default`, as they do for an import.
  // A path (the generated validators) is named as the sources' bundle, beside this one, requires it.
  const fromRoot = (path) => (path.startsWith('.') ? `./${relative(root, resolve(dirname(outfile), path)).split(sep).join('/')}` : path);
  const properties = Object.keys(imports).map((path) => `  ${JSON.stringify(path)}: { get: () => require(${JSON.stringify(fromRoot(path))}), enumerable: true },`);
  const entry = join(root, 'vendor-entry.js'); // esbuild's name for the stdin entry below
  const asTheSourcesImport = {
    name: 'resolve-as-the-sources-import',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, ({ path, importer }) => {
        if (importer !== entry || !Object.hasOwn(imports, path)) return undefined;
        // Not build.resolve: esbuild makes a new resolver (an empty directory cache) for each call,
        // seconds for kubernetes-models' thousands of folders (evanw/esbuild#3795). Node resolves
        // an import here as it would for the sources' `import`; a require needs no help.
        if (imports[path] !== 'import-statement') return undefined;
        const resolved = resolvePackage(path, 'import-statement');
        return resolved === undefined ? undefined : { path: resolved };
      });
    },
  };
  const { inputs } = await buildAndWrite({
    stdin: { contents: `Object.defineProperties(module.exports, {\n${properties.join('\n')}\n});\n`, resolveDir: root, sourcefile: basename(entry), loader: 'js' },
    outfile,
    plugins: [asTheSourcesImport, dependencyRewrites],
  });
  return inputs.filter((file) => file !== basename(entry)); // the generated entry is no file
}

// The bundler's own files, the TypeScript settings esbuild reads and esbuild itself are inputs too:
// a change to how it bundles makes new bundles.
const BUNDLER_FILES = ['scripts/bundle.mjs', 'scripts/linear-maps.mjs', 'scripts/cdk8s-resolve.mjs', 'tsconfig.json', 'node_modules/esbuild/package.json'];

const isMap = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A stamp file's record, {inputs, outputs: {file: stamp}, imports: {package: kind}}, or undefined. */
function readStamp(file) {
  try {
    const recorded = JSON.parse(readFileSync(file, 'utf8'));
    return isMap(recorded.inputs) && isMap(recorded.outputs) && isMap(recorded.imports) ? recorded : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every input as it was when built, and the bundle files `outputs` as they were written (one
 * deleted or cut short is built again; a record that does not name them, and the bundler's own
 * files, is no record).
 */
const isFresh = (recorded, outputs) => recorded !== undefined
  && outputs.every((file) => Object.hasOwn(recorded.outputs, file)) && BUNDLER_FILES.every((file) => Object.hasOwn(recorded.inputs, file))
  && [...Object.entries(recorded.inputs), ...Object.entries(recorded.outputs)].every(([file, seen]) => stamp(file) === seen);

/**
 * Records a build that started at `startedMs`, unless an input changed since then: an edit saved
 * while esbuild read the files is then built by the next run, never recorded as built.
 */
function record(stampFile, { inputs, outputs, imports }, startedMs) {
  const files = [...new Set([...inputs, ...BUNDLER_FILES])];
  const changed = files.some((file) => {
    try {
      return statSync(join(root, file)).mtimeMs >= startedMs;
    } catch {
      return false;
    }
  });
  const recorded = { inputs: Object.fromEntries(files.map((file) => [file, stamp(file)])), outputs: Object.fromEntries(outputs.map((file) => [file, stamp(file)])), imports };
  if (changed) rmSync(stampFile, { force: true });
  else writeAtomically(stampFile, JSON.stringify(recorded));
  return recorded;
}

/**
 * The bundle of `entry`, rebuilt first if any of its inputs changed (the packages' part only when
 * they did). While esbuild builds the sources' part, `whileBuilding(vendorFile)` is called if the
 * packages' part is up to date (it may load it: it is built again only if the sources now import
 * another package).
 */
export async function bundleIfStale(entry, { whileBuilding } = {}) {
  const name = entry.replace(/\.ts$/, '').replace(/\//g, '__');
  const outfile = join(cacheDir, `${name}.cjs`);
  const vendorFile = join(cacheDir, `${name}.vendor.cjs`);
  const outputsOf = (file) => [file, `${file}.map`].map((output) => relative(root, output));
  const sourcesStamp = join(cacheDir, `${name}.inputs.json`);
  const vendorStamp = join(cacheDir, `${name}.vendor.inputs.json`);
  let sources = readStamp(sourcesStamp);
  let vendor;
  const vendorIsFresh = () => {
    vendor ??= readStamp(vendorStamp);
    return isFresh(vendor, outputsOf(vendorFile));
  };
  let vendorFresh;
  if (!isFresh(sources, outputsOf(outfile))) {
    const startedMs = Date.now();
    // The packages' part is checked while esbuild works, not before.
    const { inputs, imports } = await bundleSources(entry, outfile, vendorFile, () => {
      vendorFresh = vendorIsFresh();
      if (vendorFresh) whileBuilding?.(vendorFile);
    });
    sources = record(sourcesStamp, { inputs, outputs: outputsOf(outfile), imports }, startedMs);
  }
  if (!(vendorFresh ?? vendorIsFresh()) || JSON.stringify(vendor.imports) !== JSON.stringify(sources.imports)) {
    const startedMs = Date.now();
    const inputs = await bundleVendor(sources.imports, vendorFile);
    record(vendorStamp, { inputs, outputs: outputsOf(vendorFile), imports: sources.imports }, startedMs);
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
