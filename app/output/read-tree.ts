import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RESERVED_PREFIX } from './write-output-dir';

/**
 * Every file below `dir` (relative path -> text), sorted; empty when `dir` does not exist.
 * synth's own top-level entries (`.synth-*`: the marker, the lock, a killed run's work folder)
 * are not output and are left out.
 */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (d === dir && entry.name.startsWith(RESERVED_PREFIX)) continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}
