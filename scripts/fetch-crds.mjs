#!/usr/bin/env node
// Downloads the upstream CRDs listed in crd-sources.json from their pinned URLs and checks each
// sha256, into .crds/ (git-ignored) or --to DIR; the per-version registry CRDs ("versions") go to
// DIR/versions/<4.x>/. They are needed only to regenerate imports/ and the compiled validators
// (npm run import), lib/rules/generated/openshift-versions.ts (npm run versions), and for the
// tests that check those are current.
// Usage: npm run fetch-crds [-- --to DIR]
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--to');
const dir = resolve(flag >= 0 && process.argv[flag + 1] ? process.argv[flag + 1] : join(root, '.crds'));
const fail = (message) => {
  console.error(`fetch-crds: ${message}`);
  process.exit(1);
};
mkdirSync(dir, { recursive: true });
const { crds, versions } = JSON.parse(readFileSync(join(root, 'crd-sources.json'), 'utf8'));
const wanted = [
  ...crds.map((crd) => ({ ...crd, target: crd.file })),
  ...versions.map((crd) => ({ ...crd, target: join('versions', crd.version, crd.file) })),
];
for (const crd of wanted) {
  let body;
  try {
    const response = await fetch(crd.url, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok) fail(`${crd.url}: HTTP ${response.status}`);
    body = Buffer.from(await response.arrayBuffer());
  } catch (e) {
    fail(`${crd.url}: ${e.cause?.message ?? e.message}`);
  }
  const sha = createHash('sha256').update(body).digest('hex');
  if (sha !== crd.sha256) fail(`${crd.url}: sha256 ${sha}, crd-sources.json pins ${crd.sha256}; nothing written for it`);
  const file = join(dir, crd.target);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.part`, body);
  renameSync(`${file}.part`, file);
  console.log(`${crd.target} <- ${crd.url}`);
}
console.log(`${wanted.length} CRDs in ${dir}`);
