import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeCluster } from './charts/cluster';
import { ConfigError } from './config/config-error';
import { loadConfigFile, LoadedConfig } from './config/loader';
import { writeOutputDir } from './output/write-output-dir';

export interface SynthOptions {
  /** Folder of cluster config files (`*.yaml`, `*.yml`), one cluster each. */
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

/**
 * Synthesizes every cluster config in `configDir` into `<outdir>/<cluster>/<chart>.yaml`.
 * All configs are checked before anything is written; on any error nothing is written.
 * Returns the written paths, relative to `outdir`.
 */
export function synth(options: SynthOptions): string[] {
  const files = configFiles(options.configDir);
  const errors: ConfigError[] = [];
  const output = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const file of files) {
    try {
      const loaded: LoadedConfig = loadConfigFile(file);
      const name = loaded.config.name;
      if (owners.has(name)) throw loaded.error('name', `cluster "${name}" is already defined in ${owners.get(name)}; cluster names must be unique`);
      owners.set(name, file);
      for (const [chartFile, yaml] of synthesizeCluster(loaded)) output.set(`${name}/${chartFile}`, yaml);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors.push(e);
    }
  }
  if (errors.length) throw new SynthError(errors);
  writeOutputDir(options.outdir, output);
  return [...output.keys()].sort();
}

function configFiles(configDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(configDir);
  } catch (e) {
    throw new SynthError([new ConfigError(configDir, [{ field: '', message: `cannot read the config folder: ${(e as Error).message}` }])]);
  }
  const files = names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(configDir, n));
  if (!files.length) throw new SynthError([new ConfigError(configDir, [{ field: '', message: 'no cluster config (*.yaml) in this folder' }])]);
  return files;
}
