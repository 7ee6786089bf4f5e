// The app: every cluster config in config/ -> dist/<cluster>/<chart>.yaml.
// `npm run synth` and `cdk8s synth` both run this (bundled by scripts/synth.mjs).
// Options: --config DIR (default config), --outdir DIR (default $CDK8S_OUTDIR or dist).
import { parseArgs } from 'node:util';
import { synth, SynthError } from './lib/synth';

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'config' },
    outdir: { type: 'string', default: process.env.CDK8S_OUTDIR || 'dist' },
  },
});

try {
  const written = synth({ configDir: values.config!, outdir: values.outdir! });
  console.error(`synthesized ${written.length} files into ${values.outdir}/`);
} catch (e) {
  if (!(e instanceof SynthError)) throw e;
  console.error(e.message);
  console.error(`synth failed: ${values.outdir}/ was left unchanged`);
  process.exitCode = 1;
}
