import { parseArgs, ParseArgsConfig } from 'node:util';

/** The tool's name, as installed (package.json `bin`). */
export const TOOL = 'openshift-image-registry-cdk8s';

type Options = NonNullable<ParseArgsConfig['options']>;

/** One subcommand: its options, its help, and what it does with the parsed arguments. */
export interface Command<O extends Options = Options> {
  readonly name: string;
  /** The synopsis line, after the tool's and command's names. */
  readonly synopsis: string;
  /** Lines that explain each option, for the command's --help. */
  readonly details: readonly string[];
  readonly options: O;
  readonly allowPositionals?: boolean;
  run(args: ParsedArgs<O>): number | Promise<number>;
}

export interface ParsedArgs<O extends Options> {
  readonly values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>>['values'];
  readonly positionals: string[];
}

/** Wrong usage: the tool prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {}

/** Declares a command with its option types checked. */
export function command<O extends Options>(definition: Command<O>): Command<O> {
  return definition;
}

export function usage(cmd: Command): string {
  return `usage: ${TOOL} ${cmd.name} ${cmd.synopsis}`;
}

/** The command's --help: its usage, `summary` (the line the tool's help gives it, app/cli/cli.ts) and its options. */
export function help(cmd: Command, summary: string): string {
  return [usage(cmd), '', summary, '', ...cmd.details, ''].join('\n');
}

/**
 * Parses a command's arguments; node's parseArgs errors become UsageErrors that name the
 * option in one line. Returns undefined when --help was asked for.
 */
export function parseCommandArgs<O extends Options>(cmd: Command<O>, args: string[]): ParsedArgs<O> | undefined {
  // --help wins over other mistakes, but only as an option: not as a value (`--crds --help`)
  // or a path after `--`.
  const options = { ...cmd.options, help: { type: 'boolean', short: 'h' } } as const;
  if (parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true }).tokens.some((t) => t.kind === 'option' && t.name === 'help')) return undefined;
  try {
    const parsed = parseArgs({ args, options: cmd.options, allowPositionals: true, strict: true });
    if (!cmd.allowPositionals && parsed.positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
    return parsed as ParsedArgs<O>;
  } catch (e) {
    throw toUsageError(e);
  }
}

function toUsageError(e: unknown): unknown {
  const { code, message } = e as { code?: string; message: string };
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${message.match(/'([^']*)'/)?.[1] ?? ''}`.trim());
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /^Option '([^ ']*)/.exec(message)?.[1] ?? 'an option';
    if (/does not take an argument/.test(message)) return new UsageError(`${option} takes no value (it is on when given)`);
    if (/argument is ambiguous/.test(message)) return new UsageError(`${option} needs a value, and the next argument is an option (a value that starts with - is written ${option}=-value)`);
    return new UsageError(`${option} needs a value`);
  }
  if (code?.startsWith('ERR_PARSE_ARGS')) return new UsageError(message.split('. ')[0]);
  return e;
}

/** An option value that must be one of `allowed`. */
export function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`${option} must be ${allowed.join(' or ')}, got ${JSON.stringify(value)}`);
  return value as T;
}
