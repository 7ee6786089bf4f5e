import { resolve } from 'node:path';
import { command } from './command';
import { writeOutputDir } from '../output/write-output-dir';
import { synth, SynthError, WorkerScript } from '../synth';

/**
 * `synth`: every cluster config in the config folder -> `<outdir>/<cluster>/`.
 * `cdk8s synth` runs it too (cdk8s.yaml `app:`), with CDK8S_OUTDIR set to its own output folder,
 * which it deletes before the run: that folder is a scratch copy, dist/ changes only on success.
 */
export function synthCommand(workerScript?: WorkerScript) {
  return command({
    name: 'synth',
    synopsis: '[--config DIR] [--outdir DIR]',
    details: [
      '  --config DIR   folder of cluster configs (*.yaml) and optional _defaults.yaml (default: config)',
      '  --outdir DIR   output folder, one sub-folder per cluster (default: dist)',
      'Exit 0 on success; 1 when a config is wrong (every problem is listed, nothing is written).',
    ],
    options: {
      config: { type: 'string', default: 'config' },
      outdir: { type: 'string', default: 'dist' },
    },
    async run({ values }) {
      const outdir = values.outdir!;
      const scratch = process.env.CDK8S_OUTDIR;
      const toScratch = scratch !== undefined && scratch !== '' && resolve(scratch) !== resolve(outdir);
      try {
        // The scratch copy first: if it cannot be written (a stale CDK8S_OUTDIR naming a folder of
        // other files), the output folder is still as it was.
        const written = await synth({ configDir: values.config!, outdir, workerScript, before: toScratch ? (files) => writeOutputDir(scratch, files) : undefined });
        console.error(`synthesized ${written.size} files into ${outdir}/`);
        return 0;
      } catch (e) {
        if (!(e instanceof SynthError)) throw e;
        console.error(e.message);
        if (toScratch && !e.errors.length) console.error(`(CDK8S_OUTDIR names ${scratch}, the scratch folder cdk8s synth writes too; unset it outside cdk8s synth)`);
        // An output error says itself what became of the output folder.
        if (e.errors.length) console.error(`synth failed: ${outdir}/ was left unchanged`);
        return 1;
      }
    },
  });
}
