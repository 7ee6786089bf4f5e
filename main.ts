// The app: every cluster config in config/ -> dist/<cluster>/.
// `npm run synth` and `cdk8s synth` both run this (bundled by scripts/synth.mjs).
// Options: --config DIR (default config), --outdir DIR (default dist).
//
// `cdk8s synth` deletes its output folder before it runs the app, so cdk8s.yaml points it at a
// scratch folder (CDK8S_OUTDIR): dist/ is only ever changed after a successful synth, and the
// scratch folder gets a copy for cdk8s-cli to list.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { writeOutputDir } from './app/output/write-output-dir';
import { runSynthWorker, synth, SynthError, SynthWorkerData } from './app/synth';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: 'config' },
      outdir: { type: 'string', default: 'dist' },
    },
  });
  const outdir = values.outdir!;
  try {
    // A large fleet is spread over worker threads that run this same file, when it is the
    // bundle (plain JavaScript); under ts-node everything runs on this thread.
    const workerScript = /\.c?js$/.test(__filename) ? __filename : undefined;
    const written = await synth({ configDir: values.config!, outdir, workerScript });
    const scratch = process.env.CDK8S_OUTDIR;
    if (scratch && resolve(scratch) !== resolve(outdir)) writeOutputDir(scratch, written);
    console.error(`synthesized ${written.size} files into ${outdir}/`);
  } catch (e) {
    if (!(e instanceof SynthError)) throw e;
    console.error(e.message);
    if (e.errors.length) console.error(`synth failed: ${outdir}/ was left unchanged`); // an OutputError says what became of the output
    process.exitCode = 1;
  }
}

if (isMainThread) void main();
else runSynthWorker(workerData as SynthWorkerData, (result) => parentPort!.postMessage(result));
