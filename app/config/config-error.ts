import { escapeControl } from '../output/terminal-text';
import { hideCredentials } from '../../lib/rules/shapes';

/** One problem in a config file, located as precisely as the file allows. */
export interface ConfigProblem {
  /** Dotted field path, e.g. `registry.routes[1].name`; empty for the whole file. */
  readonly field: string;
  /** 1-based line and column of the field in the file, when known. */
  readonly line?: number;
  readonly column?: number;
  /** What is wrong and what is allowed. */
  readonly message: string;
  /** `file:line:column` of the fleet defaults, where the value this cluster inherits is set. */
  readonly from?: string;
  /** `file:line:column` of the fleet defaults' part of a map merged from both files. */
  readonly mergedWith?: string;
}

/** At most this many problems of one file are printed; the rest are counted. */
export const MAX_PRINTED_PROBLEMS = 50;

/** An input file (a config, or a manifest read from disk) that cannot be used, with every problem found in it. */
export class ConfigError extends Error {
  constructor(public readonly file: string, public readonly problems: readonly ConfigProblem[]) {
    const lines = problems.slice(0, MAX_PRINTED_PROBLEMS).map((p) => formatProblem(file, p));
    if (problems.length > MAX_PRINTED_PROBLEMS) lines.push(formatProblem(file, { field: '', message: `${problems.length - MAX_PRINTED_PROBLEMS} more problems in this file` }));
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * A failure the user can fix: input files that are wrong (synth, diff, validate; each file's
 * errors in `errors`), or an output folder that cannot or must not be written (OutputError).
 * `message` is what to print.
 */
export class SynthError extends Error {
  constructor(public readonly errors: readonly ConfigError[], message = errors.map((e) => e.message).join('\n')) {
    super(message);
    this.name = 'SynthError';
  }
}

/** Longest field path printed: paths hold keys from the file (a label, say), which can be any length. */
const MAX_FIELD = 120;

/**
 * One line; everything that comes from a file (name, keys, values) is escaped for terminals, and
 * the credentials of a URL in it are hidden.
 */
function formatProblem(file: string, problem: ConfigProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}:${problem.column}`;
  const from = problem.from ? ` (set in ${problem.from})` : problem.mergedWith ? ` (merged with ${problem.mergedWith})` : '';
  const field = problem.field.length > MAX_FIELD ? `${problem.field.slice(0, MAX_FIELD)}…` : problem.field;
  return escapeControl(hideCredentials(field ? `${where}: ${field}${from}: ${problem.message}` : `${where}: ${problem.message}`));
}

/**
 * `value` quoted for a message, cut to `max` characters: files can hold anything (a token, a
 * password hash), so messages show at most a short excerpt of what is not one of our keys.
 */
export function quote(value: string, max = 40): string {
  return value.length > max ? `${JSON.stringify(`${value.slice(0, max)}…`)} (${value.length} characters)` : JSON.stringify(value);
}

/** `registry.routes[1].name` -> ['registry', 'routes', 1, 'name'] */
export function parseFieldPath(field: string): (string | number)[] {
  return field.split(/\.|(?=\[)/).filter(Boolean).map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
}

/** ['registry', 'routes', 1, 'name'] -> `registry.routes[1].name` */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}
