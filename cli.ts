// The command-line tool: `npm run cli -- <command>` (bundled by scripts/cli.mjs).
//   diff [--config DIR] [--dist DIR] [--format text|markdown]
//       Synthesizes in memory and compares with dist/ object by object; exit 1 on drift.
import { parseArgs } from 'node:util';
import { diffOutputs, formatMarkdown, formatText } from './lib/cli/object-diff';
import { readTree } from './lib/cli/read-tree';
import { readConfigFolder, synthesizeFleet, SynthError } from './lib/synth';

const USAGE = 'usage: cli diff [--config DIR] [--dist DIR] [--format text|markdown]';

function diff(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', default: 'config' },
      dist: { type: 'string', default: 'dist' },
      format: { type: 'string', default: 'text' },
    },
  });
  if (values.format !== 'text' && values.format !== 'markdown') throw new UsageError(`--format must be text or markdown, got ${values.format}`);
  const changes = diffOutputs(readTree(values.dist!), synthesizeFleet(readConfigFolder(values.config!)));
  process.stdout.write(values.format === 'markdown' ? formatMarkdown(changes) : formatText(changes));
  return changes.length ? 1 : 0;
}

class UsageError extends Error {}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    if (command === 'diff') return diff(rest);
    throw new UsageError(command ? `unknown command ${command}` : 'a command is required');
  } catch (e) {
    if (e instanceof SynthError) {
      console.error(e.message);
      return 2;
    }
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(e as Error).message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
