// `cdk8s import` of several CRD files in one process: given on its command line it imports only
// the first, so each file took a process of its own (about 1.2 s of CPU each, most of it cdk8s-cli
// loading). Without arguments it imports every entry of the cdk8s.yaml in its working folder: this
// writes one, naming the local files, in a folder of its own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `cdk8s import` (TypeScript) of `specs` (`name:=/path/to/crd.yaml`) into `outDir`. */
export function cdk8sImport(specs, outDir, stdio = ['ignore', 'ignore', 'inherit']) {
  const work = mkdtempSync(join(tmpdir(), 'cdk8s-import-'));
  try {
    writeFileSync(join(work, 'cdk8s.yaml'), `language: typescript\nimports:\n${specs.map((spec) => `  - ${JSON.stringify(spec)}\n`).join('')}`);
    execFileSync(join(root, 'node_modules', '.bin', 'cdk8s'), ['import', '--output', resolve(outDir), '--no-check-upgrade'],
      { cwd: work, stdio, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
