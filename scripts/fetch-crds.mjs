#!/usr/bin/env node
// Downloads the CRDs listed in crd-sources.json from their pinned upstream URLs into a folder and
// checks each sha256: for machines without ../shared/crds (GitHub Actions). Then set CRD_DIR.
// Usage: node scripts/fetch-crds.mjs --to DIR
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--to');
if (flag < 0 || !process.argv[flag + 1]) {
  console.error('usage: node scripts/fetch-crds.mjs --to DIR');
  process.exit(2);
}
const dir = resolve(process.argv[flag + 1]);
mkdirSync(dir, { recursive: true });
const { crds } = JSON.parse(readFileSync(join(root, 'crd-sources.json'), 'utf8'));
for (const crd of crds) {
  const response = await fetch(crd.url);
  if (!response.ok) throw new Error(`${crd.url}: HTTP ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  const sha = createHash('sha256').update(body).digest('hex');
  if (sha !== crd.sha256) throw new Error(`${crd.url}: sha256 ${sha}, expected ${crd.sha256}`);
  writeFileSync(join(dir, crd.file), body);
  console.log(`${crd.file} <- ${crd.url}`);
}
