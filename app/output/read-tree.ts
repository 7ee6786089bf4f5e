import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, Stats, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ConfigError, SynthError } from '../config/config-error';

/**
 * Every name synth keeps in an output folder starts with this; no cluster can (names are DNS
 * labels). Here, not beside the writer: readers skip these, and need none of the writer's code.
 */
export const RESERVED_PREFIX = '.synth-';

/** Largest manifest file read from disk (an output tree for diff and validate, a CRD): 4 MiB. */
export const MANIFEST_FILE_LIMIT = 4 * 1024 * 1024;
/** Most values (maps, lists and scalars) a manifest file may hold with its aliases expanded. */
export const MANIFEST_NODE_LIMIT = 1_000_000;

/**
 * Most bytes read from one folder in all: 128 MiB, some 4000 clusters of this tool's output, so
 * that a folder of many large files is refused before it fills the memory.
 */
export const TREE_BYTE_LIMIT = 128 * 1024 * 1024;

/** Why an input file was not read. The message does not name the file: callers do. */
export class InputFileError extends Error {}

/**
 * Reads an input file as UTF-8, refusing what is not a file of ours, before reading anything:
 * a symbolic link whose target is outside `folder` (links within it are followed), anything
 * but a regular file (a FIFO blocks, /dev/zero never ends) and a file over `limit` bytes.
 */
export function readInputFile(file: string, limit: number, folder: string): string {
  let fd: number;
  try {
    let target = file;
    if (lstatSync(file).isSymbolicLink()) {
      target = realpathSync(file);
      const inside = relative(realpathSync(folder), target);
      if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
        throw new InputFileError(`is a symbolic link to ${target}, outside ${folder}; only links to files within the folder are followed`);
      }
    }
    checkRegular(statSync(target), limit);
    // Non-blocking, and without following a link put in place since the check.
    fd = openSync(target, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    throw new InputFileError(`cannot read the file: ${(e as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    checkRegular(stat, limit);
    const buffer = Buffer.alloc(Math.min(stat.size, limit) + 1);
    let length = 0;
    let n = 0;
    while (length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0) length += n;
    if (length > stat.size) throw new InputFileError('changed while it was read');
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

function checkRegular(stat: Stats, limit: number): void {
  if (!stat.isFile()) throw new InputFileError(`is ${describeType(stat)}, not a regular file`);
  if (stat.size > limit) throw new InputFileError(`is ${stat.size} bytes; the limit is ${formatBytes(limit)}`);
}

function describeType(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'a special file';
}

/** 1048576 -> `1 MiB (1048576 bytes)` */
export function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB (${bytes} bytes)` : `${bytes} bytes`;
}

export interface ReadTreeOptions {
  /** Which files to read, by their `/`-separated path in the folder; the others are not opened. */
  readonly wanted?: (path: string) => boolean;
  /** Told each file that `wanted` refuses, by its path as `wanted` got it. */
  readonly unread?: (path: string) => void;
  /** @default MANIFEST_FILE_LIMIT */
  readonly fileLimit?: number;
  /** @default TREE_BYTE_LIMIT */
  readonly treeLimit?: number;
}

/**
 * Every file below `dir` (relative path -> text) that `wanted` accepts, sorted; empty when `dir`
 * does not exist. Each file is read with readInputFile (regular files, links within `dir`, at
 * most `fileLimit` bytes), at most `treeLimit` bytes in all; a SynthError names every file
 * refused, or the folder.
 */
export function readTree(dir: string, { wanted = () => true, unread = () => {}, fileLimit = MANIFEST_FILE_LIMIT, treeLimit = TREE_BYTE_LIMIT }: ReadTreeOptions = {}): Map<string, string> {
  const files = new Map<string, string>();
  const refused: ConfigError[] = [];
  let total = 0;
  if (!existsSync(dir)) return files;
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      refused.push(new ConfigError(d, [{ field: '', message: `cannot read the folder: ${(e as Error).message}` }]));
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      // synth's own top-level entries (the marker, the lock, a killed run's work folder) are not output.
      if (d === dir && entry.name.startsWith(RESERVED_PREFIX)) continue;
      const path = join(d, entry.name);
      const file = relative(dir, path).split(sep).join('/');
      if (entry.isDirectory()) walk(path);
      else if (!wanted(file)) unread(file);
      else {
        try {
          const text = readInputFile(path, fileLimit, dir);
          total += Buffer.byteLength(text);
          if (total > treeLimit) throw new SynthError([new ConfigError(dir, [{ field: '', message: `holds more than ${formatBytes(treeLimit)} of files to read, the most read from one folder; give a folder within it (a cluster folder)` }])]);
          files.set(relative(dir, path), text);
        } catch (e) {
          if (!(e instanceof InputFileError)) throw e;
          refused.push(new ConfigError(path, [{ field: '', message: e.message }]));
        }
      }
    }
  };
  walk(dir);
  if (refused.length) throw new SynthError(refused);
  return files;
}
