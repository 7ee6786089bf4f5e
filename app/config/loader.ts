import { z } from 'zod';
import { ConfigError, ConfigProblem, formatFieldPath, parseFieldPath, quote, SynthError } from './config-error';
import { mergeDefaults } from './merge';
import { unsetPlainSecretVariables } from './plain-secret-variables';
import { ClusterConfig, clusterConfigSchema } from './schema';
import { YamlSource } from './yaml-source';

/** A validated cluster config, able to point at its own fields (in its file or the defaults). */
export class LoadedConfig {
  /** The cluster's file as named by the caller. */
  public readonly file: string;

  constructor(
    public readonly config: ClusterConfig,
    private readonly sources: Sources,
  ) {
    this.file = sources.cluster.file;
  }

  /** What synth says about this config without refusing it: `warning: file:line:col: field: message`. */
  public readonly warnings: string[] = [];

  /**
   * A ConfigError of the cluster's file for `field` (a dotted path such as `registry.replicas`),
   * a rule that may relate it to other fields: a value inherited from the defaults is named
   * where it is set, as `(set in _defaults.yaml:line:col)`.
   */
  public error(field: string, message: string): ConfigError {
    return new ConfigError(this.file, [{ field, message, ...placeInClusterFile(this.sources, parseFieldPath(field)) }]);
  }

  /** Where `field` is set: `file:line:col`, in the cluster's file or the defaults. */
  public locate(field: string): string {
    const at = placeInClusterFile(this.sources, parseFieldPath(field));
    return at.from ?? `${this.file}${at.line === undefined ? '' : `:${at.line}:${at.column}`}`;
  }

  /** Records a warning about `field`, located like an error. */
  public warn(field: string, message: string): void {
    this.warnings.push(`warning: ${this.error(field, message).message}`);
  }
}

/** Name of the file in a config folder that holds the defaults shared by every cluster. */
export const DEFAULTS_FILE = '_defaults.yaml';

/** Reads and validates one cluster config file over optional fleet defaults. */
export function loadConfigFile(file: string, defaults?: YamlSource, options: LoadOptions = {}): LoadedConfig {
  return parseConfig(YamlSource.load(file, CLUSTER), defaults, options);
}

export interface LoadOptions {
  /**
   * Whether every environment variable a `plainSecret` names must be set, as synth needs.
   * @default true
   */
  readonly needsEnvironment?: boolean;
}

/** Reads a fleet defaults file: a map of config keys, without `name`. */
export function loadDefaultsFile(file: string): YamlSource {
  return checkDefaults(YamlSource.load(file, DEFAULTS));
}

/** Validates config `text`; `file` is only used in messages. */
export function parseConfigText(text: string, file: string, defaults?: YamlSource): LoadedConfig {
  return parseConfig(YamlSource.parse(text, file, CLUSTER), defaults);
}

/** Parses defaults `text`; `file` is only used in messages. */
export function parseDefaultsText(text: string, file: string): YamlSource {
  return checkDefaults(YamlSource.parse(text, file, DEFAULTS));
}

const CLUSTER = 'cluster config (name, registry)';
const DEFAULTS = 'map of defaults for every cluster';

function checkDefaults(source: YamlSource): YamlSource {
  const data = source.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(source.file, [{ field: '', ...source.locate([]), message: 'defaults must be a map of config keys (registry, minio)' }]);
  }
  if (Object.hasOwn(data, 'name')) {
    throw new ConfigError(source.file, [{ field: 'name', ...source.locate(['name'], true), message: 'each cluster names itself; remove name from the defaults' }]);
  }
  return source;
}

/** A cluster's file and the fleet defaults under it, if any. */
interface Sources {
  readonly cluster: YamlSource;
  readonly defaults?: YamlSource;
}

/** A problem and whether it belongs to the defaults file (a value the cluster inherits whole) or the cluster's. */
interface PlacedProblem {
  readonly inDefaults: boolean;
  readonly problem: ConfigProblem;
}

function parseConfig(cluster: YamlSource, defaults?: YamlSource, { needsEnvironment = true }: LoadOptions = {}): LoadedConfig {
  const sources: Sources = { cluster, defaults };
  const data = defaults ? mergeDefaults(defaults.data, cluster.data) : cluster.data;
  const result = clusterConfigSchema.safeParse(data);
  if (!result.success) throwProblems(sources, result.error.issues.flatMap((issue) => describeIssue(issue, data, sources)));
  // The schema's numbers refuse YAML's .inf and .nan; where it takes any value (affinity terms),
  // they would reach an object, which is JSON and has no form for them.
  const notJson = nonFiniteNumbers(data).map((path) => {
    const { inDefaults, at } = placeIn(sources, path);
    return { inDefaults, problem: { field: formatFieldPath(path), message: `${describe(valueAt(data, path))} is not a number a Kubernetes object can hold (objects are JSON, which has no infinity or NaN); write a finite number`, ...at } };
  });
  if (notJson.length) throwProblems(sources, notJson);
  const unset = (needsEnvironment ? unsetPlainSecretVariables(result.data) : []).map(({ path, message }) => {
    const { inDefaults, at } = placeIn(sources, path);
    return { inDefaults, problem: { field: formatFieldPath(path), message, ...at } };
  });
  if (unset.length) throwProblems(sources, unset);
  return new LoadedConfig(result.data, sources);
}

/**
 * Throws the problems, each with the file where its value was written: one ConfigError, or a
 * SynthError holding the defaults' and the cluster's. A problem of the defaults is the same for
 * every cluster that inherits it, so synth reports it once (see `combine` in app/synth.ts).
 */
function throwProblems(sources: Sources, placed: readonly PlacedProblem[]): never {
  const errors: ConfigError[] = [];
  for (const source of [sources.defaults, sources.cluster]) {
    const problems = placed.filter((p) => p.inDefaults === (source === sources.defaults)).map((p) => p.problem);
    if (source && problems.length) errors.push(new ConfigError(source.file, [...problems].sort(byPosition)));
  }
  throw errors.length === 1 ? errors[0] : new SynthError(errors);
}

/** Problems in file order (those without a line first). */
export function byPosition(a: ConfigProblem, b: ConfigProblem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/**
 * Which file wrote the value at `path` of the merged config: the cluster's (its value replaces the
 * defaults', and a path found in neither file is the cluster's to add), the defaults (the cluster
 * inherits it whole), or both (a map below the top merged from the two). See mergeDefaults.
 */
function originOf(cluster: unknown, defaults: unknown, path: readonly (string | number)[]): 'cluster' | 'defaults' | 'both' {
  if (!path.length) return 'cluster';
  let [fromCluster, fromDefaults] = [cluster, defaults];
  for (const key of path) {
    if (!isMap(fromCluster) || !isMap(fromDefaults) || !Object.hasOwn(fromDefaults, key)) return 'cluster';
    if (!Object.hasOwn(fromCluster, key)) return 'defaults';
    [fromCluster, fromDefaults] = [fromCluster[key], fromDefaults[key]];
  }
  return isMap(fromCluster) && isMap(fromDefaults) ? 'both' : 'cluster';
}

function isMap(value: unknown): value is Record<string | number, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Where the value at `path` was written (with `atKey`, the key of its last segment, for unknown
 * keys): `inDefaults` when the cluster inherits it whole from the defaults, with its position
 * there; else its position in the cluster's file, and for a map merged from both files, where
 * the defaults' part is (`mergedWith`).
 */
function placeIn(sources: Sources, path: readonly (string | number)[], atKey = false): { inDefaults: boolean; at: Pick<ConfigProblem, 'line' | 'column' | 'mergedWith'> } {
  const { cluster, defaults } = sources;
  const origin = defaults ? originOf(cluster.data, defaults.data, path) : 'cluster';
  if (origin === 'defaults') return { inDefaults: true, at: position(defaults!, path, atKey) };
  return { inDefaults: false, at: { ...position(cluster, path, atKey), ...(origin === 'both' ? { mergedWith: reference(defaults!, path) } : {}) } };
}

/**
 * Where `path` is for a problem of the cluster's file: a value the cluster inherits from the
 * defaults is named there, as `from`.
 */
function placeInClusterFile(sources: Sources, path: readonly (string | number)[]): Pick<ConfigProblem, 'line' | 'column' | 'from' | 'mergedWith'> {
  const { inDefaults, at } = placeIn(sources, path);
  return inDefaults ? { from: reference(sources.defaults!, path) } : at;
}

/** The line and column of `path` in `source` (of its nearest parent the file has), if any. */
function position(source: YamlSource, path: readonly (string | number)[], atKey = false): Pick<ConfigProblem, 'line' | 'column'> {
  const found = source.locate(path, atKey);
  return found ? { line: found.line, column: found.column } : {};
}

/** `file:line:column` of `path` in `source`. */
function reference(source: YamlSource, path: readonly (string | number)[]): string {
  const { line, column } = position(source, path);
  return line === undefined ? source.file : `${source.file}:${line}:${column}`;
}

/** One zod issue as problems that say what was found and what is allowed, placed where the value was written. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown, sources: Sources): PlacedProblem[] {
  const path = issue.path as (string | number)[];
  const field = formatFieldPath(path);
  const found = valueAt(data, path);
  let message = issue.message;
  switch (issue.code) {
    case 'unrecognized_keys': {
      // Each file's unknown keys where that file has them; the defaults may not hold `name`.
      const placed = issue.keys.map((key) => ({ key, ...placeIn(sources, [...path, key], true) }));
      return [true, false].flatMap((inDefaults) => {
        const keys = placed.filter((p) => p.inDefaults === inDefaults);
        if (!keys.length) return [];
        const allowed = allowedKeys(path).filter((k) => !(inDefaults && !path.length && k === 'name'));
        return [{ inDefaults, problem: { field, message: unknownKeys(keys.map((k) => k.key), allowed), ...keys[0].at } }];
      });
    }
    case 'invalid_type':
      message = found === undefined
        ? `is required (${TYPE_NAMES[issue.expected] ?? `a ${issue.expected}`})`
        : `expected ${TYPE_NAMES[issue.expected] ?? `a ${issue.expected}`}, got ${describe(found)}`;
      break;
    case 'invalid_value': {
      message = `${describe(found)} is not allowed; use one of ${issue.values.map(String).join(', ')}`;
      // YAML reads an unquoted 4.20 as the number 4.2: name the string that was probably meant.
      const meant = typeof found === 'number' ? issue.values.find((v) => typeof v === 'string' && Number(v) === found) : undefined;
      if (meant !== undefined) message += `; write it in quotes, "${String(meant)}"${String(meant) === String(found) ? '' : ` (YAML reads an unquoted ${String(meant)} as the number ${found})`}`;
      break;
    }
    case 'invalid_format':
    case 'too_big':
    case 'too_small':
      message = `${describe(found)} is not valid: expected ${issue.message.replace(/^Too (big|small): expected /, '')}`;
      break;
  }
  const { inDefaults, at } = placeIn(sources, path);
  return [{ inDefaults, problem: { field, message, ...at } }];
}

/**
 * Unknown keys, a few, cut short: the keys come from the file, and a file that is not a config
 * (a credentials file reached by mistake) must not be printed.
 */
function unknownKeys(keys: readonly string[], allowed: readonly string[]): string {
  const shown = keys.slice(0, MAX_KEYS_SHOWN).map((k) => quote(k)).join(', ');
  const more = keys.length > MAX_KEYS_SHOWN ? ` and ${keys.length - MAX_KEYS_SHOWN} more` : '';
  return `unknown key${keys.length > 1 ? 's' : ''} ${shown}${more}; allowed: ${allowed.join(', ')}`;
}

/** Unknown keys listed in a message. */
const MAX_KEYS_SHOWN = 5;

const TYPE_NAMES: Record<string, string> = { int: 'a whole number', object: 'a map', array: 'a list', string: 'a string', boolean: 'true or false', number: 'a number' };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value} (YAML's ${Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf'})`;
  return typeof value === 'string' ? `string ${quote(value)}` : `${typeof value} ${JSON.stringify(value)}`;
}

/** The paths of every infinite or NaN number in `value`. */
function nonFiniteNumbers(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => nonFiniteNumbers(item, [...path, i]));
  if (isMap(value)) return Object.entries(value).flatMap(([key, item]) => nonFiniteNumbers(item, [...path, key]));
  return [];
}

function valueAt(data: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined), data);
}

/** Keys the schema allows for the object at `path`. */
function allowedKeys(path: (string | number)[]): string[] {
  let schema: z.core.$ZodType = clusterConfigSchema;
  const unwrap = (s: z.core.$ZodType): z.core.$ZodType => {
    const def = s._zod.def as { type: string; innerType?: z.core.$ZodType; element?: z.core.$ZodType; valueType?: z.core.$ZodType };
    return def.type === 'optional' ? unwrap(def.innerType!) : s;
  };
  for (const key of path) {
    const def = unwrap(schema)._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType; valueType?: z.core.$ZodType };
    schema = (def.type === 'object' ? def.shape![key as string] : def.type === 'array' ? def.element : def.valueType)!;
  }
  const def = unwrap(schema)._zod.def as { shape?: Record<string, z.core.$ZodType> };
  // Deprecated keys are in the schema only to be refused with a reason: never offered.
  return Object.entries(def.shape ?? {}).filter(([k, s]) => k !== '$schema' && !z.globalRegistry.get(s)?.deprecated).map(([k]) => k);
}
