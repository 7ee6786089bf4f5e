// Helpers shared by the unit and integration tests.
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { readTree } from '../app/output/read-tree';

/**
 * The objects of YAML the tool wrote, read with js-yaml (as validate reads manifests): several
 * times faster than the yaml package's document model, which these reads do not need. That both
 * read our YAML alike is to-yaml.test.ts's round-trip property.
 */
export const readObjects = (text: string): any[] => loadAll(text);
/** The one object of YAML the tool wrote (see readObjects). */
export const readObject = (text: string): any => load(text);

/** The repository's root folder. */
export const repoRoot = join(__dirname, '..');

/** Every file below `dir`: relative path -> content. */
export function snapshotDir(dir: string): Record<string, string> {
  return Object.fromEntries(readTree(dir));
}

/**
 * Whether this process may make a mount namespace of its own (`unshare -m`, as root), for the
 * tests that mount a read-only or a tiny folder that only their child process sees.
 */
export const canMountPrivately = (): boolean => spawnSync('unshare', ['-m', 'true']).status === 0;

/** Runs the tool (`bin/cli.mjs`) with `args`; never throws. */
export function runCli(args: string[], options: SpawnSyncOptions = {}) {
  return spawnSync(process.execPath, [join(repoRoot, 'bin', 'cli.mjs'), ...args], { encoding: 'utf8', ...options }) as ReturnType<typeof spawnSync> & { stdout: string; stderr: string };
}

/**
 * The folder of raw upstream CRDs ($CRD_DIR, or .crds/ from `npm run fetch-crds`), needed only by
 * the checks that regenerate committed files. Without it those checks are skipped, loudly.
 */
export function rawCrdDir(what: string): string | undefined {
  const dir = process.env.CRD_DIR ?? join(repoRoot, '.crds');
  if (existsSync(dir)) return dir;
  console.warn(`SKIPPED: ${what}: the upstream CRDs are not here. Run \`npm run fetch-crds\` (downloads them at their pinned commits) or set CRD_DIR to a folder of them.`);
  return undefined;
}
