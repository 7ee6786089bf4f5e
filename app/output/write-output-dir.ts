import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { kustomizationYaml, OPENSHIFT_VERSION_ANNOTATION, parsePlainSecrets, PLAIN_SECRETS_ANNOTATION } from './kustomization';
import { isOpenShiftVersion } from '../../lib/rules/openshift-version';
import { OutputError, OutputLockedError } from './output-error';
import { isAlive, lock, readIfThere } from './output-lock';
import { RESERVED_PREFIX } from './read-tree';

export { LOCK } from './output-lock';

// The rules (docs/output.md): synth only ever replaces or removes what it wrote itself, as listed
// in the marker file; one synth at a time writes a folder (the lock); the swap of new clusters
// into place is journaled, so a run killed half-way is finished by the next one.

/** Lists the entries synth wrote. Without it, synth refuses a folder that holds anything else. */
export const MARKER = `${RESERVED_PREFIX}output`;
/** A run's work folder `.synth-<pid>/` (new/: staged entries, old/: replaced ones, journal.json), or a lock it moved aside. */
const WORK = /^\.synth-(?:lock\.)?(\d+)$/;

/**
 * Work folders in `target` that hold a journal: a killed synth's change, half made, which the
 * next synth finishes. diff and validate read the output as it is and say so.
 */
export function unfinishedSwaps(target: string): string[] {
  try {
    return readdirSync(target).filter((name) => WORK.test(name) && exists(join(target, name, JOURNAL))).sort();
  } catch {
    return [];
  }
}
const JOURNAL = 'journal.json';
/** How long synth waits for another synth's lock before it gives up. */
export const LOCK_WAIT_MS = 30_000;

/** What the swap does; written to the journal before the first rename. */
interface Plan {
  /** Entries staged in new/, to swap in. */
  readonly swap: readonly string[];
  /** Entries synth wrote before and that are no longer wanted. */
  readonly remove: readonly string[];
  /** Every entry of the output once the swap is done: the marker's new list. */
  readonly entries: readonly string[];
}

export interface BeginOptions {
  /** Folders the output folder must not be or contain (the config folder). */
  readonly inputs?: readonly string[];
  /** Told about entries synth leaves alone because it did not write them. */
  readonly warn?: (message: string) => void;
}

/**
 * Makes `files` (relative path -> content) the content of the entries synth owns in `outdir`, or
 * changes nothing. Entries that synth did not write are never replaced or removed (see
 * OutputTransaction). Throws OutputError when the folder cannot or must not be written.
 */
export function writeOutputDir(outdir: string, files: ReadonlyMap<string, string>, options: BeginOptions = {}): void {
  const transaction = OutputTransaction.begin(outdir, options);
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
 * Makes `folder` and what it lacks of its parents, noting each in `made`. A plain mkdir per
 * folder: Node's recursive one costs about three times as much (a fleet makes thousands).
 */
function makeFolder(folder: string, made: Set<string>): void {
  if (made.has(folder)) return;
  try {
    mkdirUnlessThere(folder);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    makeFolder(dirname(folder), made);
    // Worker threads stage into the same work folder: another may have made this one meanwhile.
    mkdirUnlessThere(folder);
  }
  made.add(folder);
}

/**
 * Makes the output folder and what it lacks of its parents (`mkdir -p`: a parent may be a link,
 * as /var/run is); returns the topmost folder it made, if any. Not Node's recursive mkdir: where
 * mkdir fails with ENOENT under a folder that exists (/proc/x), that one retries for ever.
 */
function makeOutputFolder(folder: string): string | undefined {
  let missing: unknown;
  try {
    return mkdirUnlessThere(folder, statSync) ? folder : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(folder) === folder) throw e;
    missing = e;
  }
  let top: string | undefined;
  try {
    top = makeOutputFolder(dirname(folder));
  } catch (e) {
    // A parent that is there but no folder is a link to nothing: this one's ENOENT says it.
    throw (e as NodeJS.ErrnoException).code === 'EEXIST' ? missing : e;
  }
  mkdirUnlessThere(folder, statSync); // ENOENT again (a file system that refuses it) is the error
  return top ?? folder;
}

/**
 * mkdir; whether it made the folder. One already there (made meanwhile by another synth or
 * thread) is no error when `there` says it is a folder: lstat, a real folder only (a link is an
 * error); stat, a link to a folder too.
 */
function mkdirUnlessThere(folder: string, there: typeof lstatSync = lstatSync): boolean {
  try {
    mkdirSync(folder);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !isFolder(folder, there)) throw e;
    return false;
  }
}

function isFolder(path: string, there: typeof lstatSync): boolean {
  try {
    return there(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes an output folder: `begin` takes its lock, finishes a swap that a killed run left
 * half-done, and works out which entries synth owns; `stage` writes entries aside (from any
 * thread, with the same target and work folder); `commit` swaps them in with renames, all or
 * nothing, or `abort` drops them. A reader (a GitOps controller that prunes) never sees a
 * half-written entry.
 */
export class OutputTransaction {
  /**
   * Starts a transaction on `outdir` (created if needed), or throws OutputError: the folder is
   * a symbolic link, holds one of `inputs`, holds entries synth did not write and no marker, or
   * another synth holds its lock (OutputLockedError).
   */
  public static begin(outdir: string, options: BeginOptions = {}): OutputTransaction {
    const shown = outdir.replace(/(.)\/+$/, '$1');
    const target = resolve(outdir);
    const warn = options.warn ?? ((message: string) => console.error(`warning: ${message}`));
    let unlock: (() => void) | undefined;
    try {
      refuseUnsafeTarget(target, shown, options.inputs ?? []);
      // An aborted synth into a new folder leaves no empty folder behind (the lock is released first).
      const created = makeOutputFolder(target);
      const release = lock(target, shown);
      unlock = created ? () => { release(); rmEmptyDirs(target, created); } : release;
      recover(target, shown);
      const { owned, foreign } = ownership(target, shown);
      return new OutputTransaction(target, join(target, `${RESERVED_PREFIX}${process.pid}`), shown, { owned, foreign, unlock, warn });
    } catch (e) {
      unlock?.();
      throw fsError(e, shown, '', 'unchanged');
    }
  }

  /** `begin`, waiting up to `waitMs` for another synth to release the lock. */
  public static async beginWhenFree(outdir: string, options: BeginOptions & { waitMs?: number } = {}): Promise<OutputTransaction> {
    const deadline = Date.now() + (options.waitMs ?? LOCK_WAIT_MS);
    for (;;) {
      try {
        return OutputTransaction.begin(outdir, options);
      } catch (e) {
        if (!(e instanceof OutputLockedError) || Date.now() >= deadline) throw e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Names of the entries staged so far by this object. */
  public readonly staged: string[] = [];
  /** Called before each step of `commit` that changes the disk (tests simulate a kill there). */
  public onStep?: (step: string) => void;
  private done = false;

  /**
   * @param shown the output folder as the user named it, for messages
   * @param state what `begin` found; a transaction made without it (on a worker thread) only stages
   */
  constructor(
    public readonly target: string,
    public readonly work: string,
    public readonly shown: string = target,
    private readonly state?: { owned: string[]; foreign: string[]; unlock: () => void; warn: (message: string) => void },
  ) {}

  /** Writes entry `name` aside, unless the output already holds exactly `group`. */
  public stage(name: string, group: ReadonlyMap<string, string>): void {
    if (sameContent(join(this.target, name), group)) return;
    const made = new Set<string>(); // a cluster's files share a few folders: one mkdir each
    const entry = join(this.work, 'new', name);
    for (const [rest, content] of group) {
      const file = rest ? join(entry, rest) : entry;
      try {
        if (rest) makeFolder(entry, made); // first, so that each of its folders takes one mkdir
        makeFolder(dirname(file), made);
        writeFileSync(file, content);
      } catch (e) {
        throw fsError(e, this.shown, rest ? `${name}/${rest}` : name, 'unchanged');
      }
    }
    this.staged.push(name);
  }

  /**
   * Makes `entries` the entries synth owns: swaps in the `staged` ones and removes the ones it
   * wrote before that are not in `entries`; all or nothing. Refuses to replace an entry that
   * synth did not write; warns about the others, which are left alone.
   */
  public commit(entries: readonly string[], staged: readonly string[] = this.staged): void {
    const { owned, foreign, unlock, warn } = this.state!;
    this.done = true;
    try {
      const taken = entries.filter((e) => foreign.includes(e));
      if (taken.length) {
        throw new OutputError(`refusing to replace ${this.shown}/${taken[0]}: synth did not write it (it is not listed in ${this.shown}/${MARKER}); move it away, or rename the cluster; ${this.shown}/ was left unchanged`);
      }
      const keep = new Set(entries);
      const plan: Plan = { swap: [...staged], remove: owned.filter((e) => !keep.has(e) && exists(join(this.target, e))), entries: [...entries].sort() };
      if (plan.swap.length || plan.remove.length || readMarker(this.target)?.join('\n') !== plan.entries.join('\n')) {
        this.swap(plan, owned);
      }
      for (const e of foreign) warn(`${this.shown}/${e} was not written by synth: left as it is`);
    } finally {
      // A journal left behind means a swap the next run must finish: its work folder stays.
      if (!exists(join(this.work, JOURNAL))) rmSync(this.work, { recursive: true, force: true });
      unlock();
    }
  }

  /** Drops everything staged and releases the lock; the output folder is as it was. */
  public abort(): void {
    if (this.done) return;
    this.done = true;
    rmSync(this.work, { recursive: true, force: true });
    this.state?.unlock();
  }

  /** The journaled swap: marker, journal, renames, final marker; see recover. */
  private swap(plan: Plan, owned: readonly string[]): void {
    const step = (name: string) => this.onStep?.(name);
    let writing = MARKER;
    try {
      // The marker lists every entry synth may have written at any point of the swap.
      step('marker');
      writeMarker(this.target, this.work, [...new Set([...owned, ...plan.entries])]);
      step('journal');
      writing = `${RESERVED_PREFIX}${process.pid}/${JOURNAL}`;
      writeAtomically(join(this.work, JOURNAL), JSON.stringify(plan), join(this.work, `${JOURNAL}.tmp`));
    } catch (e) {
      try {
        writeMarker(this.target, this.work, owned);
      } catch {
        // Then it lists more than synth wrote, which is harmless.
      }
      throw fsError(e, this.shown, writing, 'unchanged');
    }
    let failed = '';
    try {
      rollForward(this.target, this.work, plan, (name) => { failed = name; step(`rename ${name}`); });
    } catch (e) {
      try {
        rollBack(this.target, this.work, plan);
        writeMarker(this.target, this.work, owned);
        rmSync(join(this.work, JOURNAL));
      } catch {
        throw fsError(e, this.shown, failed, 'interrupted');
      }
      throw fsError(e, this.shown, failed, 'unchanged');
    }
    try {
      finish(this.target, this.work, plan, step);
    } catch (e) {
      throw fsError(e, this.shown, MARKER, 'untidy');
    }
  }
}

/** `files` grouped by top-level entry; a top-level file is a group with the path ''. */
export function groupByEntry(target: string, files: ReadonlyMap<string, string>): Map<string, Map<string, string>> {
  const groups = new Map<string, Map<string, string>>();
  for (const [path, content] of files) {
    const full = resolve(target, path);
    if (!full.startsWith(target + sep)) throw new Error(`output path ${path} leaves the output folder`);
    const [top, ...rest] = path.split('/');
    if (!isEntryName(top)) throw new Error(`output path ${path}: a top-level name is letters, digits, -, _ and ., and does not start with . (names starting with ${RESERVED_PREFIX} are synth's own)`);
    if (!groups.has(top)) groups.set(top, new Map());
    groups.get(top)!.set(rest.join('/'), content);
  }
  return groups;
}

const isEntryName = (name: string) => /^[A-Za-z0-9_][-A-Za-z0-9_.]*$/.test(name);

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Write-then-rename: a reader (or the next run, after a kill) sees the old file or the new one. */
function writeAtomically(path: string, content: string, temporary: string): void {
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

function refuseUnsafeTarget(target: string, shown: string, inputs: readonly string[]): void {
  let stats;
  try {
    stats = lstatSync(target);
  } catch {
    return; // created by begin: it holds nothing
  }
  if (stats.isSymbolicLink()) {
    throw new OutputError(`refusing to write into ${shown}: it is a symbolic link (to ${readlinkSync(target)}); synth replaces and removes entries of its output folder, so give it a real folder with --outdir, or replace the link with a folder`);
  }
  const real = realpathSync(target);
  for (const input of inputs) {
    let inputReal: string;
    try {
      inputReal = realpathSync(input);
    } catch {
      continue;
    }
    if (inputReal === real || inputReal.startsWith(real.endsWith(sep) ? real : real + sep)) {
      throw new OutputError(`refusing to write into ${shown}: it holds ${input}, which synth reads; give the output a folder of its own with --outdir (e.g. dist)`);
    }
  }
}

// --- Recovery of a killed run ----------------------------------------------------------------

/**
 * Finishes what killed runs left: a swap with a journal is rolled forward (the journal is
 * written once every new entry is staged); without a journal, an entry found only in old/ is
 * put back. Work folders of live runs are left alone.
 */
function recover(target: string, shown: string): void {
  for (const name of readdirSync(target)) {
    const pid = Number(WORK.exec(name)?.[1]);
    if (!pid || (pid !== process.pid && isAlive(pid))) continue;
    const work = join(target, name);
    // A work folder can come from anywhere (a commit, say): only one synth could have made is used.
    // Its new/ and old/ are real folders, not links that would move files outside `target`, and
    // only entries the marker says synth wrote are moved.
    const parts = [work, join(work, 'new'), join(work, 'old')];
    if (!isRealDirectory(work) || parts.slice(1).some((p) => exists(p) && !isRealDirectory(p))) {
      throw new OutputError(`refusing to recover ${shown}/${name}: it is not a work folder synth made (a link, or links inside); remove it by hand; ${shown}/ was left unchanged`);
    }
    // Removed: only what the marker says synth wrote. Moved in: only real folders from new/ or old/.
    const owned = new Set(readMarker(target) ?? []);
    const ours = (entry: string) => isEntryName(entry) && owned.has(entry);
    const staged = (folder: string) => (entry: string) => isEntryName(entry) && (!exists(join(work, folder, entry)) || isRealDirectory(join(work, folder, entry)));
    try {
      const journal = readIfThere(join(work, JOURNAL));
      if (journal !== undefined) {
        // Like the marker's, the journal's names are checked: neither can point outside `target`.
        const { swap, remove, entries } = JSON.parse(journal) as Plan;
        const list = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
        const plan = { swap: list(swap).filter(staged('new')), remove: list(remove).filter(ours), entries: list(entries).filter(isEntryName) };
        rollForward(target, work, plan);
        finish(target, work, plan);
      } else if (exists(join(work, 'old'))) {
        for (const entry of readdirSync(join(work, 'old')).filter(staged('old'))) {
          if (!exists(join(target, entry))) renameSync(join(work, 'old', entry), join(target, entry));
        }
      }
      rmSync(work, { recursive: true, force: true });
    } catch (e) {
      if (e instanceof OutputError) throw e;
      throw fsError(e, shown, name, 'recovery');
    }
  }
}

function isRealDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Does the swap's remaining renames; each is done once, so a killed run's swap can be redone. */
function rollForward(target: string, work: string, plan: Plan, step: (name: string) => void = () => {}): void {
  mkdirSync(join(work, 'old'), { recursive: true });
  for (const name of plan.swap) {
    if (!exists(join(work, 'new', name))) continue; // already in place
    step(name);
    if (exists(join(target, name))) renameSync(join(target, name), join(work, 'old', name));
    step(name);
    renameSync(join(work, 'new', name), join(target, name));
  }
  for (const name of plan.remove) {
    step(name);
    if (exists(join(target, name))) renameSync(join(target, name), join(work, 'old', name));
  }
}

/** Undoes the renames of a failed swap: new entries back to new/, old ones back in place. */
function rollBack(target: string, work: string, plan: Plan): void {
  for (const name of [...plan.swap, ...plan.remove].reverse()) {
    if (plan.swap.includes(name) && !exists(join(work, 'new', name)) && exists(join(target, name))) renameSync(join(target, name), join(work, 'new', name));
    if (exists(join(work, 'old', name))) renameSync(join(work, 'old', name), join(target, name));
  }
}

/** After the renames: the final marker, then old/ and only then the journal (see recover). */
function finish(target: string, work: string, plan: Plan, step: (name: string) => void = () => {}): void {
  step('final marker');
  writeMarker(target, work, plan.entries);
  step('remove old');
  rmSync(join(work, 'old'), { recursive: true, force: true });
  step('remove journal');
  rmSync(join(work, JOURNAL), { force: true });
}

// --- The marker and who owns what ------------------------------------------------------------

function markerText(entries: readonly string[]): string {
  return [
    '# Written by synth. The entries of this folder that synth wrote, one a line: synth replaces them,',
    '# and removes one when it is no longer configured. It never replaces or removes anything else.',
    ...[...entries].sort(),
  ].join('\n') + '\n';
}

/** The entries the marker lists, or undefined when there is no marker. */
function readMarker(target: string): string[] | undefined {
  const text = readIfThere(join(target, MARKER));
  return text?.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && isEntryName(l)).sort();
}

function writeMarker(target: string, work: string, entries: readonly string[]): void {
  mkdirSync(work, { recursive: true });
  writeAtomically(join(target, MARKER), markerText(entries), join(work, `${MARKER}.tmp`));
}

/**
 * The top-level entries of an output folder that synth did not write and leaves alone: those its
 * marker does not list (none without a marker: synth then refuses a folder with any).
 */
export function foreignEntries(target: string): string[] {
  const listed = readMarker(target);
  if (!listed) return [];
  return readdirSync(target).filter((e) => !e.startsWith(RESERVED_PREFIX) && !listed.includes(e)).sort();
}

/**
 * The entries synth wrote (the marker's list) and the others. Without a marker (a new folder,
 * or the output of a synth older than the marker), the folder must be empty or hold only cluster
 * folders whose kustomization.yaml is byte for byte what synth writes; anything else is refused.
 */
function ownership(target: string, shown: string): { owned: string[]; foreign: string[] } {
  const present = readdirSync(target).filter((e) => !e.startsWith(RESERVED_PREFIX)).sort();
  const listed = readMarker(target);
  if (listed) return { owned: listed.filter((e) => present.includes(e)), foreign: present.filter((e) => !listed.includes(e)) };
  const foreign = present.filter((e) => !isSynthCluster(join(target, e)));
  if (foreign.length) {
    const names = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ` and ${foreign.length - 5} more` : '');
    throw new OutputError(`refusing to write into ${shown}: it is not empty and synth did not write it (it holds ${names}); give the output an empty or new folder with --outdir, or move those entries away; ${shown}/ was left unchanged`);
  }
  return { owned: present, foreign: [] };
}

/** A folder (not a link) whose kustomization.yaml is exactly what synth writes for its resources. */
/** Largest file synth compares with what it would write (its own files are far smaller). */
const OWN_FILE_LIMIT = 4 * 1024 * 1024;

/**
 * A file synth may have written, or undefined: a link (to /dev/zero, say), a FIFO or a file over
 * the limit in the output folder is never read (it would hang synth or fill its memory).
 */
function readOwnFile(path: string): string | undefined {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile() || stat.size > OWN_FILE_LIMIT) return undefined;
  return readFileSync(path, 'utf8');
}

function isSynthCluster(path: string): boolean {
  try {
    if (!lstatSync(path).isDirectory()) return false;
    const text = readOwnFile(join(path, 'kustomization.yaml'));
    if (text === undefined) return false;
    const { resources, metadata } = parse(text) as { resources?: unknown; metadata?: { annotations?: Record<string, unknown> } };
    const version = metadata?.annotations?.[OPENSHIFT_VERSION_ANNOTATION];
    const secrets = metadata?.annotations?.[PLAIN_SECRETS_ANNOTATION];
    const plainSecrets = secrets === undefined ? undefined : parsePlainSecrets(secrets);
    return Array.isArray(resources) && resources.length > 0 && resources.every((r) => typeof r === 'string')
      && (version === undefined || isOpenShiftVersion(version)) && (secrets === undefined || plainSecrets !== undefined)
      && text === kustomizationYaml(resources, { openshiftVersion: version, plainSecrets });
  } catch {
    return false;
  }
}

function sameContent(path: string, group: ReadonlyMap<string, string>): boolean {
  try {
    if (group.has('')) return group.size === 1 && readOwnFile(path) === group.get('');
    const found = new Map<string, string>();
    const walk = (dir: string, prefix: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(join(dir, entry.name), rel);
        else found.set(rel, readOwnFile(join(dir, entry.name)) ?? '\0 not a file of ours');
      }
    };
    walk(path, '');
    return found.size === group.size && [...group].every(([rest, content]) => found.get(rest) === content);
  } catch {
    return false;
  }
}

// --- Errors --------------------------------------------------------------------------------

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/** What became of the output when a step failed. */
const OUTCOME = {
  unchanged: (shown: string) => `${shown}/ was left unchanged`,
  interrupted: (shown: string) => `${shown}/ is part-way through the change and the next synth finishes it (nothing is lost: replaced entries wait in ${shown}/${RESERVED_PREFIX}${process.pid}/)`,
  untidy: (shown: string) => `the new entries are in place, and the next synth tidies up ${shown}/`,
  recovery: (shown: string) => `a killed synth's change could not be finished; ${shown}/ was left as that run left it`,
};

/** A file system error as one line: which path, why, and what became of the output. */
function fsError(e: unknown, shown: string, entry: string, outcome: keyof typeof OUTCOME): Error {
  const error = e as NodeJS.ErrnoException;
  if (e instanceof OutputError || typeof error?.syscall !== 'string') return error; // not a file system error: a defect
  const reason = (error.code && REASONS[error.code]) ?? error.message.replace(/^E[A-Z]+: /, '').replace(/, \w+ '.*$/, '');
  return new OutputError(`cannot write ${entry ? `${shown}/${entry}` : shown}: ${reason} (${error.code}); ${OUTCOME[outcome](shown)}`);
}

/** Removes `dir`, then its parents up to `top`, while each is an empty folder; anything else stays. */
function rmEmptyDirs(dir: string, top: string): void {
  for (let current = dir; ; current = dirname(current)) {
    try {
      if (readdirSync(current).length) return;
      rmdirSync(current);
    } catch {
      return; // gone already, or not ours to remove: leave it
    }
    if (current === top || dirname(current) === current) return;
  }
}
