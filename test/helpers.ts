import { readTree } from '../lib/cli/read-tree';

/** Every file below `dir`: relative path -> content. */
export function snapshotDir(dir: string): Record<string, string> {
  return Object.fromEntries(readTree(dir));
}
