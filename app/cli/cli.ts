import { Command, help, parseCommandArgs, TOOL, usage, UsageError } from './command';
import { mapStack } from './source-stack';
import { DiscoverError } from '../discover/http';
import { escapeControl } from '../output/terminal-text';
import { version } from '../../package.json';

const TOOL_HELP = (commands: readonly Command[]) => [
  `usage: ${TOOL} <command> [options]        (${TOOL} <command> --help for its options)`,
  `       ${TOOL} --version`,
  '',
  ...commands.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`),
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

/**
 * Each command's module, loaded only when that command runs: synth's constructs and validate's
 * schemas are most of the tool's start-up, and `discover` or `--version` need neither. The order
 * is the tool's help's.
 */
function commandLoaders(workerScript?: string): Record<string, () => Promise<Command>> {
  return {
    synth: async () => (await import('./synth-command')).synthCommand(workerScript) as Command,
    validate: async () => (await import('./validate-command')).validateCommand as Command,
    diff: async () => (await import('./diff-command')).diffCommand as Command,
    discover: async () => (await import('./discover-command')).discoverCommand as Command,
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
export async function runCli(argv: string[], options: { workerScript?: string } = {}): Promise<number> {
  guardStandardStreams();
  const loaders = commandLoaders(options.workerScript);
  const allCommands = () => Promise.all(Object.values(loaders).map((load) => load()));
  const [name, ...args] = argv;
  if (name === '--version' || name === '-V') {
    process.stdout.write(VERSION_TEXT);
    return 0;
  }
  const known = name !== undefined && Object.hasOwn(loaders, name);
  let cmd: Command | undefined;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      (name === undefined ? process.stderr : process.stdout).write(TOOL_HELP(await allCommands()));
      return name === undefined ? 2 : 0;
    }
    if (!known) {
      console.error(`${TOOL}: unknown command ${escapeControl(JSON.stringify(name))}\n${TOOL_HELP(await allCommands())}`);
      return 2;
    }
    // Inside the try: a defect that breaks loading a command is reported like any other.
    cmd = await loaders[name]();
    const parsed = parseCommandArgs(cmd, args);
    if (!parsed) {
      process.stdout.write(help(cmd));
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
    console.error(`${known ? `${TOOL} ${name}` : TOOL}: internal error, please report it: ${stack.split('\n').map(escapeControl).join('\n')}`);
    return 1;
  }
}
