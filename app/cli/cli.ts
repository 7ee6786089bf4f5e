import { Command, help, parseCommandArgs, TOOL, usage, UsageError } from './command';
import { diffCommand } from './diff-command';
import { discoverCommand } from './discover-command';
import { synthCommand } from './synth-command';
import { validateCommand } from './validate-command';
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
 * Runs the tool with `argv` (without node and script) and returns the exit code: 0 success,
 * 1 a finding or failure the command reports, 2 bad usage. Every error is printed as a message;
 * only a defect of the tool prints a stack trace (mapped to the TypeScript sources).
 */
export async function runCli(argv: string[], options: { workerScript?: string } = {}): Promise<number> {
  const commands: Command[] = [synthCommand(options.workerScript), validateCommand, diffCommand, discoverCommand] as Command[];
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(TOOL_HELP(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(VERSION_TEXT);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    console.error(`${TOOL}: unknown command ${escapeControl(JSON.stringify(name))}\n${TOOL_HELP(commands)}`);
    return 2;
  }
  try {
    const parsed = parseCommandArgs(cmd, args);
    if (!parsed) {
      process.stdout.write(help(cmd));
      return 0;
    }
    return await cmd.run(parsed);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${TOOL} ${cmd.name}: ${escapeControl(e.message)}\n${usage(cmd)}`);
      return 2;
    }
    if (e instanceof DiscoverError) {
      console.error(`discover: ${e.message}`);
      return 1;
    }
    // The message may quote a file: escaped, one stack frame a line.
    const stack = e instanceof Error && e.stack ? mapStack(e.stack) : String(e);
    console.error(`${TOOL} ${cmd.name}: internal error, please report it: ${stack.split('\n').map(escapeControl).join('\n')}`);
    return 1;
  }
}
