import { Command, help, parseCommandArgs, TOOL, usage, UsageError } from './command';
import { mapStack } from './source-stack';
import { DiscoverError } from '../discover/http';
import { escapeControl } from '../output/terminal-text';
import { version } from '../../package.json';
import type { WorkerScript } from '../synth';

const TOOL_HELP = (commands: Readonly<Record<string, CommandEntry>>) => [
  `usage: ${TOOL} <command> [options]        (${TOOL} <command> --help for its options)`,
  `       ${TOOL} --version`,
  '',
  ...Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(9)} ${summary}`),
  '',
].join('\n');

/**
 * What `--version` prints: the program's name and version on the first line, as GNU tools do
 * (GNU Coding Standards, "--version"), and the Node.js that runs it.
 */
export const VERSION_TEXT = `${TOOL} ${version}\nNode.js ${process.version}\n`;

/**
 * Exit status when standard output closes before everything is written (`... | head -1`): what
 * the shell reports for a program killed by SIGPIPE, 128 + 13, as coreutils' `seq` or `yes` end
 * (they keep SIGPIPE's default action), and as git ends on purpose (git/git `write-or-die.c`
 * check_pipe: raise SIGPIPE, else exit(141)). Node ignores SIGPIPE, so a write gets EPIPE instead.
 * Not 0: under `set -o pipefail` a validate whose report was cut must not read as a pass.
 */
export const CLOSED_OUTPUT_EXIT = 141;

/** A command: the line the tool's help gives it, and its module, loaded only to run it. */
interface CommandEntry {
  readonly summary: string;
  load(): Promise<Command>;
}

/**
 * The commands, in the order of the tool's help. Their modules load only when they run: synth's
 * constructs and validate's schemas are most of the tool's start-up, and `discover`, `--version`,
 * the help and a mistyped command need neither.
 */
function commandTable(workerScript?: WorkerScript): Record<string, CommandEntry> {
  return {
    synth: {
      summary: 'Writes validated YAML for every cluster config into the output folder (all or nothing).',
      load: async () => (await import('./synth-command')).synthCommand(workerScript) as Command,
    },
    validate: {
      summary: 'Checks manifests offline (a folder, a file or a stream): schemas, Pod Security, plain Secrets, the operator\'s rules.',
      load: async () => (await import('./validate-command')).validateCommand as Command,
    },
    diff: {
      summary: 'Synthesizes in memory and compares with the output folder, object by object.',
      load: async () => (await import('./diff-command')).diffCommand as Command,
    },
    discover: {
      summary: 'Lists the repositories, tags and digests of a registry.',
      load: async () => (await import('./discover-command')).discoverCommand as Command,
    },
  };
}

let streamsGuarded = false;

/**
 * Makes a closed or failing standard output or error end the tool with a message at most, never
 * a stack trace (an 'error' event without a listener). Only reports go to standard output, written
 * when a command's work is done (synth writes none), so stopping at once leaves nothing half done.
 * Messages to a closed standard error are dropped, as `console.error` drops them: the command
 * finishes, and its exit status tells.
 */
function guardStandardStreams(): void {
  if (streamsGuarded) return;
  streamsGuarded = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') console.error(`${TOOL}: cannot write to standard output: ${escapeControl(e.message)}`);
    process.exit(e.code === 'EPIPE' ? CLOSED_OUTPUT_EXIT : 1);
  });
  process.stderr.on('error', () => undefined);
}

/**
 * Runs the tool with `argv` (without node and script) and returns the exit code: 0 success,
 * 1 a finding or failure the command reports, 2 bad usage; 141 when standard output closed early.
 * Every error is printed as a message; only a defect of the tool prints a stack trace (mapped to
 * the TypeScript sources).
 */
export async function runCli(argv: string[], options: { workerScript?: WorkerScript } = {}): Promise<number> {
  guardStandardStreams();
  const commands = commandTable(options.workerScript);
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(TOOL_HELP(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(VERSION_TEXT);
    return 0;
  }
  if (!Object.hasOwn(commands, name)) {
    console.error(`${TOOL}: unknown command ${escapeControl(JSON.stringify(name))}\n${TOOL_HELP(commands)}`);
    return 2;
  }
  let cmd: Command | undefined;
  try {
    // Inside the try: a defect that breaks loading the command is reported like any other.
    cmd = await commands[name].load();
    const parsed = parseCommandArgs(cmd, args);
    if (!parsed) {
      process.stdout.write(help(cmd, commands[name].summary));
      return 0;
    }
    return await cmd.run(parsed);
  } catch (e) {
    if (e instanceof UsageError && cmd) {
      console.error(`${TOOL} ${name}: ${escapeControl(e.message)}\n${usage(cmd)}`);
      return 2;
    }
    if (e instanceof DiscoverError) {
      console.error(`discover: ${e.message}`);
      return 1;
    }
    // The message may quote a file: escaped, one stack frame a line.
    const stack = e instanceof Error && e.stack ? mapStack(e.stack) : String(e);
    console.error(`${TOOL} ${name}: internal error, please report it: ${stack.split('\n').map(escapeControl).join('\n')}`);
    return 1;
  }
}
