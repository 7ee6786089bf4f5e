import { command, oneOf } from './command';
import { diffOutputs, formatMarkdown, formatText } from '../diff/object-diff';
import { readTree } from '../output/read-tree';
import { unfinishedSwaps } from '../output/write-output-dir';
import { readConfigFolder, synthesizeFleet, SynthError } from '../synth';

/** `diff`: what a synth would change in dist/, object by object. */
export const diffCommand = command({
  name: 'diff',
  summary: 'Synthesizes in memory and compares with the output folder, object by object.',
  synopsis: '[--config DIR] [--dist DIR] [--format text|markdown]',
  details: [
    '  --config DIR     folder of cluster configs (default: config)',
    '  --dist DIR       the committed output to compare with (default: dist)',
    '  --format FORMAT  text (default) or markdown (for a pull-request comment)',
    'Exit 0 when dist/ is up to date, 1 when it differs, 2 on a bad config or bad usage.',
  ],
  options: {
    config: { type: 'string', default: 'config' },
    dist: { type: 'string', default: 'dist' },
    format: { type: 'string', default: 'text' },
  },
  run({ values }) {
    const format = oneOf('--format', values.format, ['text', 'markdown']);
    let changes;
    try {
      changes = diffOutputs(readTree(values.dist!), synthesizeFleet(readConfigFolder(values.config!)));
    } catch (e) {
      if (!(e instanceof SynthError)) throw e;
      console.error(e.message);
      return 2;
    }
    for (const work of unfinishedSwaps(values.dist!)) console.error(`warning: ${values.dist!}/${work} holds a killed synth's unfinished change: this output may mix old and new clusters; run synth to finish it`);
    process.stdout.write(format === 'markdown' ? formatMarkdown(changes) : formatText(changes));
    return changes.length ? 1 : 0;
  },
});
