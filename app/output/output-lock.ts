import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { OutputError, OutputLockedError } from './output-error';

// One synth at a time writes an output folder (docs/output.md): the lock is a file created
// exclusively, holding the pid and host of the run. A lock whose process is dead is taken over.

/** The lock file in an output folder (a name starting with .synth-: synth's own, see RESERVED_PREFIX). */
export const LOCK = '.synth-lock';

/** Takes the lock of `target`, or throws OutputLockedError naming the run that holds it; returns the release. */
export function lock(target: string, shown: string): () => void {
  const path = join(target, LOCK);
  const mine = `${process.pid} ${hostname()}\n`;
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      writeFileSync(path, mine, { flag: 'wx' });
      return () => {
        if (readIfThere(path) === mine) rmSync(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        // Created but not written (a full disk): a lock file cut short is no run's; leave none behind.
        const left = readIfThere(path);
        if (left !== undefined && mine.startsWith(left)) rmSync(path, { force: true });
        throw e;
      }
    }
    const held = readIfThere(path);
    if (held === undefined) continue; // released meanwhile
    const [pid, host] = held.trim().split(' ');
    if (isAlive(Number(pid), host)) {
      throw new OutputLockedError(`another synth is running (pid ${pid}${host && host !== hostname() ? ` on ${host}` : ''}) and writing ${shown}/; wait for it to finish, or delete ${shown}/${LOCK} if no synth is running`, Number(pid));
    }
    // A dead run's lock: move it aside. If what moved is not that lock any more (another run
    // took it over in the meantime), put it back: it is a live run's.
    const aside = `${path}.${process.pid}`;
    try {
      renameSync(path, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    if (readIfThere(aside) !== held) {
      try {
        linkSync(aside, path);
      } catch {
        // A third run holds the lock now.
      }
    }
    rmSync(aside, { force: true });
  }
  throw new OutputError(`cannot take the lock ${shown}/${LOCK}: other synths keep taking it; ${shown}/ was left unchanged`);
}

/** Whether process `pid` runs; a lock of another host, or a pid we may not signal, counts as alive. */
export function isAlive(pid: number, host = hostname()): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false; // a lock file cut short by a kill
  if (host !== hostname()) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
