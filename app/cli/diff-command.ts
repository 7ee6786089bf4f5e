import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { command, oneOf } from './command';
import { escapeControl } from '../output/terminal-text';
import { diffOutputs, formatMarkdown, formatText, SHOWN_LENGTH } from '../diff/object-diff';
import { readTree } from '../output/read-tree';
import { foreignEntries, unfinishedSwaps } from '../output/write-output-dir';
import { readConfigFolder, synthesizeFleet, SynthError } from '../synth';

/** `diff`: what a synth would change in dist/, object by object. */
export const diffCommand = command({
  name: 'diff',
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
    const dist = values.dist!;
    let changes;
    try {
      const next = synthesizeFleet(readConfigFolder(values.config!));
      // What synth leaves alone in its folder (a README, say) is not drift.
      const foreign = foreignEntries(dist);
      for (const entry of foreign) console.error(`note: ${escapeControl(join(dist, entry))} was not written by synth: not compared`);
      if (!existsSync(dist)) console.error(`note: ${escapeControl(dist)} does not exist: every object is new`);
      // synth writes only YAML, and replaces a cluster folder whole: any other file in one (a
      // README, a .gitattributes) is gone after the next synth, and is not read.
      const ours = (path: string) => !foreign.includes(path.split('/')[0]);
      const otherFiles: string[] = [];
      const old = readTree(dist, {
        wanted: (path) => ours(path) && /\.ya?ml$/.test(path),
        unread: (path) => { if (ours(path)) otherFiles.push(path); },
      });
      changes = diffOutputs(old, next, { folder: dist, otherFiles });
    } catch (e) {
      if (!(e instanceof SynthError)) throw e;
      console.error(e.message);
      return 2;
    }
    for (const work of unfinishedSwaps(dist)) console.error(`warning: ${escapeControl(join(dist, work))} holds a killed synth's unfinished change: this output may mix old and new clusters; run synth to finish it`);
    const options = { full: values.full, dist: dist.replace(/\/+$/, '') };
    process.stdout.write(format === 'markdown' ? formatMarkdown(changes, options) : formatText(changes, options));
    return changes.length ? 1 : 0;
  },
});
