import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Prefix of the work folder inside the output folder; left-overs from a crash are removed. */
const WORK_PREFIX = '.synth-';

/**
 * Makes `files` (relative path -> content) the whole content of `outdir`, or changes nothing.
 *
 * Each top-level entry (a cluster folder) is written aside, then swapped in whole with a rename,
 * so no reader (a GitOps controller that prunes) ever sees a half-written cluster. Entries whose
 * content is unchanged are not touched, entries that are no longer in `files` are removed, and if
 * any step fails the entries already swapped are put back: `outdir` is left as it was.
 */
export function writeOutputDir(outdir: string, files: ReadonlyMap<string, string>): void {
  const target = resolve(outdir);
  const groups = new Map<string, Map<string, string>>();
  for (const [path, content] of files) {
    const full = resolve(target, path);
    if (!full.startsWith(target + '/')) throw new Error(`output path ${path} leaves the output folder`);
    const [top, ...rest] = path.split('/');
    if (top.startsWith(WORK_PREFIX)) throw new Error(`output path ${path} uses the reserved prefix ${WORK_PREFIX}`);
    if (!groups.has(top)) groups.set(top, new Map());
    groups.get(top)!.set(rest.join('/'), content);
  }

  mkdirSync(target, { recursive: true });
  const entries = readdirSync(target);
  for (const stale of entries.filter((e) => e.startsWith(WORK_PREFIX))) rmSync(join(target, stale), { recursive: true, force: true });
  const work = join(target, `${WORK_PREFIX}${process.pid}`);
  const changed = [...groups].filter(([name, group]) => !sameContent(join(target, name), group)).map(([name]) => name);
  const vanished = entries.filter((e) => !e.startsWith(WORK_PREFIX) && !groups.has(e));
  if (!changed.length && !vanished.length) return;

  const swapped: { name: string; hadOld: boolean }[] = [];
  try {
    for (const name of changed) writeGroup(join(work, 'new', name), groups.get(name)!);
    mkdirSync(join(work, 'old'), { recursive: true });
    for (const name of [...changed, ...vanished]) {
      const hadOld = existsSync(join(target, name));
      if (hadOld) renameSync(join(target, name), join(work, 'old', name));
      swapped.push({ name, hadOld });
      if (groups.has(name)) renameSync(join(work, 'new', name), join(target, name));
    }
  } catch (e) {
    for (const { name, hadOld } of swapped.reverse()) {
      if (groups.has(name) && existsSync(join(target, name))) rmSync(join(target, name), { recursive: true, force: true });
      if (hadOld) renameSync(join(work, 'old', name), join(target, name));
    }
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
  rmSync(work, { recursive: true, force: true });
}

/** A top-level file has the path '' in its group. */
function writeGroup(path: string, group: ReadonlyMap<string, string>): void {
  for (const [rest, content] of group) {
    const file = rest ? join(path, rest) : path;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

function sameContent(path: string, group: ReadonlyMap<string, string>): boolean {
  try {
    if (group.has('')) return group.size === 1 && statSync(path).isFile() && readFileSync(path, 'utf8') === group.get('');
    const found = new Map<string, string>();
    const walk = (dir: string, prefix: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(join(dir, entry.name), rel);
        else found.set(rel, readFileSync(join(dir, entry.name), 'utf8'));
      }
    };
    walk(path, '');
    return found.size === group.size && [...group].every(([rest, content]) => found.get(rest) === content);
  } catch {
    return false;
  }
}
