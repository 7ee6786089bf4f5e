#!/usr/bin/env node
// openshift-image-registry-cdk8s <synth|validate|diff|discover>: see --help.
// In a checkout it runs the TypeScript sources (bundled again when they change); in an installed
// package, which ships no sources, the prebuilt bundle.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBundle } from './run-bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fromSources = existsSync(join(root, 'main.ts')) && existsSync(join(root, 'scripts', 'bundle.mjs'));
runBundle(fromSources
  ? await (await import('../scripts/bundle.mjs')).bundleIfStale('main.ts')
  : join(root, 'build', 'cli.cjs'));
