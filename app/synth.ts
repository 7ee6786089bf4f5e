import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { synthesizeCluster } from './charts/cluster';
import { ConfigError, ConfigProblem, SynthError } from './config/config-error';
import { byPosition, DEFAULTS_FILE, loadConfigFile, loadDefaultsFile } from './config/loader';
import { YamlSource } from './config/yaml-source';
import { OutputError } from './output/output-error';
import { groupByEntry, OutputTransaction } from './output/write-output-dir';

export interface SynthOptions {
  /** Folder of cluster configs (`*.yaml`, `*.yml`, one cluster each) and optional `_defaults.yaml`. */
  readonly configDir: string;
  /**
   * Output folder. On success its cluster folders are the configured clusters; synth only ever
   * replaces or removes what it wrote itself (see OutputTransaction and docs/output.md).
   */
  readonly outdir: string;
  /**
   * A script that runs `runSynthWorker` in worker threads (the bundled app), to spread a large
   * fleet over the machine's cores: a path, or a `data:` URL of an ES module.
   * @default - everything on the calling thread
   */
  readonly workerScript?: WorkerScript;
  /**
   * How long to wait for another synth writing the same output folder.
   * @default LOCK_WAIT_MS
   */
  readonly lockWaitMs?: number;
  /**
   * Told what the configs' rules say without refusing (what `managementState: Removed` would
   * delete), and about entries of the output folder that synth leaves alone because it did not
   * write them.
   * @default - printed to stderr
   */
  readonly warn?: (message: string) => void;
  /**
   * Runs with the whole output before the output folder changes (cdk8s synth's scratch copy);
   * if it throws, the output folder is left as it was.
   * @default - nothing
   */
  readonly before?: (output: ReadonlyMap<string, string>) => void;
}

export { SynthError };

/** The cluster config files in `configDir` (sorted) and its defaults file, if any. */
export interface ConfigFolder {
  readonly clusters: string[];
  readonly defaults?: string;
}

/** Lists a config folder: `_defaults.yaml` holds defaults, other `_*` names are refused. */
export function readConfigFolder(configDir: string): ConfigFolder {
  let names: string[];
  try {
    names = readdirSync(configDir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the config folder does not exist (give it with --config DIR)' : code === 'ENOTDIR' ? 'is not a folder: --config names the folder of cluster configs' : `cannot read the config folder: ${(e as Error).message}`;
    throw new SynthError([new ConfigError(configDir, [{ field: '', message: why }])]);
  }
  const reserved = names.filter((n) => n.startsWith('_') && n !== DEFAULTS_FILE);
  if (reserved.length) {
    throw new SynthError(reserved.map((n) => new ConfigError(join(configDir, n), [{ field: '', message: `names starting with _ are reserved; the only one used is ${DEFAULTS_FILE} (defaults for every cluster)` }])));
  }
  const clusters = names.filter((n) => !n.startsWith('_')).map((n) => join(configDir, n));
  if (!clusters.length) throw new SynthError([new ConfigError(configDir, [{ field: '', message: 'no cluster config (*.yaml) in this folder' }])]);
  return { clusters, defaults: names.includes(DEFAULTS_FILE) ? join(configDir, DEFAULTS_FILE) : undefined };
}

/** What synthesizing some cluster files gives; plain data, so it can cross a worker boundary. */
interface PartResult {
  /** `<cluster>/<path>` -> content. */
  readonly output: [string, string][];
  /** [file, cluster name], in file order. */
  readonly clusters: [string, string][];
  readonly errors: { file: string; problems: ConfigProblem[] }[];
  /** What the configs' rules say without refusing, in file order. */
  readonly warnings: string[];
}

function synthesizePart(files: readonly string[], defaultsFile?: string): PartResult {
  const result: PartResult = { output: [], clusters: [], errors: [], warnings: [] };
  const record = (e: unknown) => {
    // A cluster's problems, and those of the defaults it inherits (a SynthError holds both).
    const errors = e instanceof ConfigError ? [e] : e instanceof SynthError && !(e instanceof OutputError) ? e.errors : undefined;
    if (!errors) throw e;
    for (const { file, problems } of errors) result.errors.push({ file, problems: [...problems] });
  };
  let defaults: YamlSource | undefined;
  try {
    defaults = defaultsFile === undefined ? undefined : loadDefaultsFile(defaultsFile);
    for (const file of files) {
      try {
        const loaded = loadConfigFile(file, defaults);
        result.clusters.push([file, loaded.config.name]);
        for (const [path, content] of synthesizeCluster(loaded)) result.output.push([`${loaded.config.name}/${path}`, content]);
        result.warnings.push(...loaded.warnings);
      } catch (e) {
        record(e);
      }
    }
  } catch (e) {
    record(e);
  }
  return result;
}

/**
 * Joins the parts (in file order), checks that cluster names are unique, and sorts the output.
 * A problem of the defaults comes from every cluster that inherits the value: it is reported once.
 */
function combine(parts: readonly PartResult[], defaultsFile?: string): Map<string, string> {
  const problems = new Map<string, Map<string, ConfigProblem>>();
  for (const part of parts) {
    for (const { file, problems: found } of part.errors) {
      const known = problems.get(file) ?? problems.set(file, new Map()).get(file)!;
      for (const problem of found) known.set(JSON.stringify(problem), problem);
    }
  }
  const errors = new Map([...problems].map(([file, found]) => [file, new ConfigError(file, [...found.values()].sort(byPosition))]));
  const owners = new Map<string, string>();
  for (const [file, name] of parts.flatMap((p) => p.clusters)) {
    if (owners.has(name)) {
      // Rare: load the file again to point at its name.
      const defaults = defaultsFile === undefined ? undefined : loadDefaultsFile(defaultsFile);
      errors.set(file, loadConfigFile(file, defaults).error('name', `cluster "${name}" is already defined in ${owners.get(name)}; cluster names must be unique`));
    } else owners.set(name, file);
  }
  if (errors.size) throw new SynthError([...errors].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, e]) => e));
  return new Map(parts.flatMap((p) => p.output).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Synthesizes every cluster, in memory: `<cluster>/...` -> content. Every file is checked and
 * every error collected before anything is returned; the result does not depend on the order
 * of `folder.clusters`.
 */
export function synthesizeFleet(folder: ConfigFolder): Map<string, string> {
  return combine([synthesizePart([...folder.clusters].sort(), folder.defaults)], folder.defaults);
}

/** What a worker thread runs: a script's path, or a URL (`new Worker` takes both). */
export type WorkerScript = string | URL;

/** Below this many clusters per thread, starting worker threads costs more than it saves. */
const CLUSTERS_PER_WORKER = 100;
/** Files claimed at a time by a thread: small enough to balance, large enough to be cheap. */
const CHUNK = 25;

/** What a synth thread is given: all files, the shared index of the next chunk, where to stage. */
export interface SynthWorkerData {
  readonly files: string[];
  readonly defaults?: string;
  readonly next: Int32Array;
  /** Output transaction to stage clusters in as they are made (target and work folders; `shown` for messages). */
  readonly stage?: { readonly target: string; readonly work: string; readonly shown: string };
}

/** `outputError`: staging failed (an OutputError's message: errors lose their class between threads). */
type ClaimedPart = { chunk: number; result: PartResult; staged: string[]; outputError?: string };

/** Claims chunks of files until none are left; synthesizes, and stages clusters when asked. */
function claimAndSynthesize(data: SynthWorkerData): ClaimedPart[] {
  const parts: ClaimedPart[] = [];
  const transaction = data.stage && new OutputTransaction(data.stage.target, data.stage.work, data.stage.shown);
  for (let chunk = Atomics.add(data.next, 0, 1); chunk * CHUNK < data.files.length; chunk = Atomics.add(data.next, 0, 1)) {
    const result = synthesizePart(data.files.slice(chunk * CHUNK, (chunk + 1) * CHUNK), data.defaults);
    const before = transaction?.staged.length ?? 0;
    // Staging is wasted work when the synth fails anyway; the transaction is then dropped.
    try {
      if (transaction && !result.errors.length) {
        for (const [name, group] of groupByEntry(transaction.target, new Map(result.output))) transaction.stage(name, group);
      }
    } catch (e) {
      if (!(e instanceof OutputError)) throw e;
      parts.push({ chunk, result, staged: [], outputError: e.message });
      break;
    }
    parts.push({ chunk, result, staged: transaction ? transaction.staged.slice(before) : [] });
  }
  return parts;
}

/** The body of a synth worker thread: synthesizes the chunks it claims and posts the results. */
export function runSynthWorker(data: SynthWorkerData, post: (result: ClaimedPart[]) => void): void {
  post(claimAndSynthesize(data));
}

/**
 * Synthesizes on this thread and, for a large fleet, on worker threads running `workerScript`.
 * Threads claim chunks of files from a shared counter, so a worker that starts late (it must
 * load the code first) simply takes fewer.
 */
async function synthesizeOnThreads(folder: ConfigFolder, stage?: SynthWorkerData['stage'], workerScript?: WorkerScript) {
  const files = [...folder.clusters].sort();
  const threads = workerScript ? Math.max(1, Math.min(availableParallelism(), Math.floor(files.length / CLUSTERS_PER_WORKER))) : 1;
  const data: SynthWorkerData = { files, defaults: folder.defaults, next: new Int32Array(new SharedArrayBuffer(4)), stage };
  const workers = Array.from({ length: threads - 1 }, () => new Worker(workerScript!, { workerData: data }));
  const results = Promise.all(workers.map((worker) => new Promise<ClaimedPart[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    // After 'message' or 'error' this changes nothing; without either, the run would wait forever
    // on nothing and end with status 0, as if done.
    worker.once('exit', (code) => reject(new Error(`a synth worker thread ended (exit code ${code}) without its clusters`)));
  })));
  let threadParts: ClaimedPart[][];
  try {
    threadParts = [claimAndSynthesize(data), ...(await results)];
  } catch (e) {
    // One thread failed while others may still be staging: they stop before synth's abort
    // removes the work folder, or they would make it again (and the failure would be theirs).
    results.catch(() => undefined);
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw e;
  }
  const parts = threadParts.flat().sort((a, b) => a.chunk - b.chunk);
  const output = combine(parts.map((p) => p.result), folder.defaults);
  const failed = parts.find((p) => p.outputError);
  if (failed) throw new OutputError(failed.outputError!);
  return { output, staged: parts.flatMap((p) => p.staged), warnings: parts.flatMap((p) => p.result.warnings) };
}

/**
 * Synthesizes the config folder into `<outdir>/<cluster>/`. On any error nothing is written.
 * Clusters are staged aside as they are made and swapped in at the end (see OutputTransaction);
 * the output folder may not be or hold the config folder. Another synth writing the same folder
 * is waited for. Returns what was written: path relative to `outdir` -> content.
 */
export async function synth(options: SynthOptions): Promise<Map<string, string>> {
  const folder = readConfigFolder(options.configDir);
  const transaction = await OutputTransaction.beginWhenFree(options.outdir, { inputs: [options.configDir], warn: options.warn, waitMs: options.lockWaitMs });
  try {
    const { output, staged, warnings } = await synthesizeOnThreads(folder, { target: transaction.target, work: transaction.work, shown: transaction.shown }, options.workerScript);
    options.before?.(output);
    transaction.commit([...new Set([...output.keys()].map((path) => path.split('/')[0]))], staged);
    for (const warning of warnings) (options.warn ?? console.error)(warning);
    return output;
  } catch (e) {
    transaction.abort();
    throw e;
  }
}
