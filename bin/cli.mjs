#!/usr/bin/env node
// openshift-image-registry-cdk8s <synth|validate|diff|discover>: see --help.
// In a checkout it runs the TypeScript sources (bundled again when they change); in an installed
// package, which ships no sources, the prebuilt bundle.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleRunner } from './run-bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fromSources = existsSync(join(root, 'main.ts')) && existsSync(join(root, 'scripts', 'bundle.mjs'));
let bundle = join(root, 'build', 'cli.cjs');
const runner = bundleRunner();
if (fromSources) {
  const { bundleIfStale, cacheDir } = await import('../scripts/bundle.mjs');
  try {
    // After an edit, the packages load while esbuild bundles the sources.
    bundle = await bundleIfStale('main.ts', { whileBuilding: (vendorFile) => runner.preload(vendorFile) });
  } catch (e) {
    if (typeof e?.syscall === 'string' && typeof e?.code === 'string') {
      // The bundle could not be written (node_modules/.cache read-only or full): the folder and
      // Node's message (the call, and the file where Node knows it) say all; a stack trace would not.
      console.error(`openshift-image-registry-cdk8s: the sources changed, and their bundle cannot be written in ${cacheDir}: ${e.message}`);
      process.exit(1);
    }
    if (!Array.isArray(e?.errors)) throw e;
    // esbuild has printed each error with its file and line: its stack trace would add nothing.
    console.error(`openshift-image-registry-cdk8s: the sources do not bundle (${e.errors.length === 1 ? '1 error' : `${e.errors.length} errors`} above)`);
    process.exit(1);
  }
}
runner.run(bundle);
