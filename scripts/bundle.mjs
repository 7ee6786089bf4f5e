// Runs a TypeScript entry point fast: esbuild bundles it (about 0.1 s) into node_modules/.cache,
// and the bundle is reused until one of its input files changes (checked by size and mtime from
// esbuild's metafile). ts-node would type-check and compile on every run (seconds); type
// checking is `npm test`'s job.
import { readFileSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  // The bundle reads process.argv and sets process.exitCode itself.
  createRequire(import.meta.url)(bundle);
}
