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
  const transaction = OutputTransaction.begin(outdir);
  try {
    const groups = groupByEntry(transaction.target, files);
    for (const [name, group] of groups) transaction.stage(name, group);
    transaction.commit([...groups.keys()]);
  } catch (e) {
    transaction.abort();
    throw e;
  }
}

/**
 * The steps of writeOutputDir, for callers that stage entries from several threads: `begin` on
 * one thread, `stage` on any (with the same target and work folder), `commit` or `abort` on one.
 */
export class OutputTransaction {
  /** Starts a transaction on `outdir`: creates it if needed, removes left-overs of crashed runs. */
  public static begin(outdir: string): OutputTransaction {
    const target = resolve(outdir);
    mkdirSync(target, { recursive: true });
    for (const stale of readdirSync(target).filter((e) => e.startsWith(WORK_PREFIX))) rmSync(join(target, stale), { recursive: true, force: true });
    return new OutputTransaction(target, join(target, `${WORK_PREFIX}${process.pid}`));
  }

  /** Names of the entries staged so far by this object. */
  public readonly staged: string[] = [];

  constructor(public readonly target: string, public readonly work: string) {}

  /** Writes entry `name` aside, unless the output already holds exactly `group`. */
  public stage(name: string, group: ReadonlyMap<string, string>): void {
    if (sameContent(join(this.target, name), group)) return;
    writeGroup(join(this.work, 'new', name), group);
    this.staged.push(name);
  }

  /** Swaps in the `staged` entries and removes those not in `entries`; all or nothing. */
  public commit(entries: readonly string[], staged: readonly string[] = this.staged): void {
    const keep = new Set(entries);
    const vanished = readdirSync(this.target).filter((e) => !e.startsWith(WORK_PREFIX) && !keep.has(e));
    const swapped: { name: string; hadOld: boolean; isNew: boolean }[] = [];
    try {
      mkdirSync(join(this.work, 'old'), { recursive: true });
      for (const [name, isNew] of [...staged.map((n) => [n, true] as const), ...vanished.map((n) => [n, false] as const)]) {
        const hadOld = existsSync(join(this.target, name));
        if (hadOld) renameSync(join(this.target, name), join(this.work, 'old', name));
        swapped.push({ name, hadOld, isNew });
        if (isNew) renameSync(join(this.work, 'new', name), join(this.target, name));
      }
    } catch (e) {
      for (const { name, hadOld, isNew } of swapped.reverse()) {
        if (isNew && existsSync(join(this.target, name))) rmSync(join(this.target, name), { recursive: true, force: true });
        if (hadOld) renameSync(join(this.work, 'old', name), join(this.target, name));
      }
      throw e;
    } finally {
      this.abort();
    }
  }

  /** Drops everything staged; the output folder is as it was. */
  public abort(): void {
    rmSync(this.work, { recursive: true, force: true });
  }
}

/** `files` grouped by top-level entry; a top-level file is a group with the path ''. */
export function groupByEntry(target: string, files: ReadonlyMap<string, string>): Map<string, Map<string, string>> {
  const groups = new Map<string, Map<string, string>>();
  for (const [path, content] of files) {
    const full = resolve(target, path);
    if (!full.startsWith(target + '/')) throw new Error(`output path ${path} leaves the output folder`);
    const [top, ...rest] = path.split('/');
    if (top.startsWith(WORK_PREFIX)) throw new Error(`output path ${path} uses the reserved prefix ${WORK_PREFIX}`);
    if (!groups.has(top)) groups.set(top, new Map());
    groups.get(top)!.set(rest.join('/'), content);
  }
  return groups;
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
