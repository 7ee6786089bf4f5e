// The app's entry point: `openshift-image-registry-cdk8s <command>` (bin/cli.mjs runs this file,
// bundled). `npm run synth` and `cdk8s synth` run its synth command.
// A large fleet is spread over worker threads that run this same file, when it is the bundle
// (plain JavaScript); under a TypeScript runner everything runs on the main thread.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runCli } from './app/cli/cli';
import type { SynthWorkerData, WorkerScript } from './app/synth';

if (isMainThread) {
  // bin/run-bundle.mjs, when it runs this bundle, says how a worker runs it too (with the code
  // caches it reads); else a worker loads the bundle as Node loads any script.
  const runner = (module as { workerEntry?: WorkerScript }).workerEntry;
  const workerScript = runner ?? (/\.c?js$/.test(__filename) ? __filename : undefined);
  void runCli(process.argv.slice(2), { workerScript }).then((code) => {
    process.exitCode = code;
  });
} else {
  // Loaded here, not above: the main thread loads only the command it runs (app/cli/cli.ts).
  void import('./app/synth').then(({ runSynthWorker }) => runSynthWorker(workerData as SynthWorkerData, (result) => parentPort!.postMessage(result)));
}
