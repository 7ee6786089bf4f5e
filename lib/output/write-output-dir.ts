import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Makes `files` (relative path -> content) the whole content of `outdir`, or changes nothing.
 * Everything is written to a sibling folder first and swapped in with renames, so a failure
 * (or a crash) never leaves a half-written output folder for a GitOps controller to prune from.
 */
export function writeOutputDir(outdir: string, files: ReadonlyMap<string, string>): void {
  const target = resolve(outdir);
  const staging = `${target}.staging-${process.pid}`;
  const previous = `${target}.previous-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging, { recursive: true });
    for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const file = join(staging, path);
      if (!file.startsWith(staging + '/')) throw new Error(`output path ${path} leaves the output folder`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const hadPrevious = existsSync(target);
  if (hadPrevious) renameSync(target, previous);
  try {
    renameSync(staging, target);
  } catch (e) {
    if (hadPrevious) renameSync(previous, target);
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  rmSync(previous, { recursive: true, force: true });
}
