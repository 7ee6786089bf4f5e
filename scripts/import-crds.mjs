#!/usr/bin/env node
// Regenerates imports/ (and app/validate/generated/) from local copies of the upstream CRDs
// listed in crd-sources.json.
// Usage: npm run import [-- --crds DIR]   (or CRD_DIR=DIR; default .crds/, see npm run fetch-crds)
// Each file must match the sha256 recorded next to its pinned upstream URL, so imports/
// always corresponds to the URLs in cdk8s.yaml without fetching anything from the network.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cdk8sImport } from './cdk8s-import.mjs';
import { linearToJsonMaps } from './linear-maps.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--crds');
const crdDir = resolve(flag >= 0 ? process.argv[flag + 1] : process.env.CRD_DIR ?? join(root, '.crds'));
const { crds } = JSON.parse(readFileSync(join(root, 'crd-sources.json'), 'utf8'));

const fail = (msg) => { console.error(`import: ${msg}`); process.exit(1); };
if (!existsSync(crdDir)) fail(`CRD folder ${crdDir} does not exist: run npm run fetch-crds (downloads the pinned CRDs into .crds/), or pass --crds DIR or set CRD_DIR`);

const imported = crds.filter((c) => c.import);
for (const crd of imported) {
  const file = join(crdDir, crd.file);
  if (!existsSync(file)) fail(`${file} is missing (expected a copy of ${crd.url})`);
  const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (sha !== crd.sha256) fail(`${file} has sha256 ${sha}, crd-sources.json expects ${crd.sha256} (${crd.url})`);
}
// Staged beside imports/ (on its file system: a rename from the temp folder, often another one,
// fails with EXDEV), and swapped in whole, so a failed run never leaves imports/ half-written.
const cache = join(root, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const staging = mkdtempSync(join(cache, 'imports-'));
const previous = `${staging}.previous`;
try {
  cdk8sImport(imported.map((crd) => `${crd.name}:=${join(crdDir, crd.file)}`), staging);
  for (const crd of imported) console.log(`imported ${crd.name} from ${crd.file} (${crd.url})`);
  for (const file of readdirSync(staging)) {
    const { code } = linearToJsonMaps(readFileSync(join(staging, file), 'utf8'), { typescript: file.endsWith('.ts') });
    writeFileSync(join(staging, file), code);
  }
  const target = join(root, 'imports');
  const had = existsSync(target);
  if (had) renameSync(target, previous);
  try {
    renameSync(staging, target);
  } catch (e) {
    if (had) renameSync(previous, target);
    throw e;
  }
} finally {
  rmSync(staging, { recursive: true, force: true });
  rmSync(previous, { recursive: true, force: true });
}
console.log(`imports/: ${readdirSync(join(root, 'imports')).sort().join(', ')}`);
// The same CRDs, compiled into the validators synth checks its output with.
execFileSync(process.execPath, ['--input-type=module', '-e', "import { runTs } from './scripts/bundle.mjs'; await runTs('scripts/compile-validators.ts');", '--', '--crds', crdDir],
  { cwd: root, stdio: 'inherit' });
