import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeCluster } from './charts/cluster';
import { ConfigError } from './config/config-error';
import { DEFAULTS_FILE, loadConfigFile, loadDefaultsFile } from './config/loader';
import { YamlSource } from './config/yaml-source';
import { writeOutputDir } from './output/write-output-dir';

export interface SynthOptions {
  /** Folder of cluster configs (`*.yaml`, `*.yml`, one cluster each) and optional `_defaults.yaml`. */
  readonly configDir: string;
  /** Output folder; replaced as a whole on success. */
  readonly outdir: string;
}

/** Thrown when one or more config files are wrong; holds each file's errors. */
export class SynthError extends Error {
  constructor(public readonly errors: readonly ConfigError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'SynthError';
  }
}

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
    throw new SynthError([new ConfigError(configDir, [{ field: '', message: `cannot read the config folder: ${(e as Error).message}` }])]);
  }
  const reserved = names.filter((n) => n.startsWith('_') && n !== DEFAULTS_FILE);
  if (reserved.length) {
    throw new SynthError(reserved.map((n) => new ConfigError(join(configDir, n), [{ field: '', message: `names starting with _ are reserved; the only one used is ${DEFAULTS_FILE} (defaults for every cluster)` }])));
  }
  const clusters = names.filter((n) => !n.startsWith('_')).map((n) => join(configDir, n));
  if (!clusters.length) throw new SynthError([new ConfigError(configDir, [{ field: '', message: 'no cluster config (*.yaml) in this folder' }])]);
  return { clusters, defaults: names.includes(DEFAULTS_FILE) ? join(configDir, DEFAULTS_FILE) : undefined };
}

/**
 * Synthesizes every cluster, in memory: `<cluster>/...` -> content. Every file is checked and
 * every error collected before anything is returned; the result does not depend on the order
 * of `folder.clusters`.
 */
export function synthesizeFleet(folder: ConfigFolder): Map<string, string> {
  const errors: ConfigError[] = [];
  let defaults: YamlSource | undefined;
  try {
    defaults = folder.defaults === undefined ? undefined : loadDefaultsFile(folder.defaults);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new SynthError([e]);
  }
  const output = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const file of [...folder.clusters].sort()) {
    try {
      const loaded = loadConfigFile(file, defaults);
      const name = loaded.config.name;
      if (owners.has(name)) throw loaded.error('name', `cluster "${name}" is already defined in ${owners.get(name)}; cluster names must be unique`);
      owners.set(name, file);
      for (const [path, content] of synthesizeCluster(loaded)) output.set(`${name}/${path}`, content);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(e);
    }
  }
  if (errors.length) throw new SynthError(errors);
  return new Map([...output].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Synthesizes the config folder into `<outdir>/<cluster>/`. On any error nothing is written.
 * Returns what was written: path relative to `outdir` -> content.
 */
export function synth(options: SynthOptions): Map<string, string> {
  const output = synthesizeFleet(readConfigFolder(options.configDir));
  writeOutputDir(options.outdir, output);
  return output;
}
