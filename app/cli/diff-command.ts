import { command, oneOf } from './command';
import { diffOutputs, formatMarkdown, formatText, SHOWN_LENGTH } from '../diff/object-diff';
import { readTree } from '../output/read-tree';
import { unfinishedSwaps } from '../output/write-output-dir';
import { readConfigFolder, synthesizeFleet, SynthError } from '../synth';

/** `diff`: what a synth would change in dist/, object by object. */
export const diffCommand = command({
  name: 'diff',
  summary: 'Synthesizes in memory and compares with the output folder, object by object.',
  synopsis: '[--config DIR] [--dist DIR] [--format text|markdown] [--full]',
  details: [
    '  --config DIR     folder of cluster configs (default: config)',
    '  --dist DIR       the committed output to compare with (default: dist)',
    '  --format FORMAT  text (default) or markdown (for a pull-request comment)',
    `  --full           show every value whole (a Job's patch, a script); by default a value longer`,
    `                   than ${SHOWN_LENGTH} characters is cut to the part that changed`,
    'Exit 0 when dist/ is up to date, 1 when it differs, 2 on a bad config or bad usage.',
  ],
  options: {
    config: { type: 'string', default: 'config' },
    dist: { type: 'string', default: 'dist' },
    format: { type: 'string', default: 'text' },
    full: { type: 'boolean', default: false },
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
    const options = { full: values.full };
    process.stdout.write(format === 'markdown' ? formatMarkdown(changes, options) : formatText(changes, options));
    return changes.length ? 1 : 0;
  },
});
