// Helpers shared by the unit and integration tests.
import { join } from 'node:path';
import { readTree } from '../app/output/read-tree';

/** The repository's root folder. */
export const repoRoot = join(__dirname, '..');

/** Every file below `dir`: relative path -> content. */
export function snapshotDir(dir: string): Record<string, string> {
  return Object.fromEntries(readTree(dir));
}
