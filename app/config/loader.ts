import { z } from 'zod';
import { ConfigError, ConfigProblem, formatFieldPath, parseFieldPath, quote } from './config-error';
import { mergeDefaults } from './merge';
import { ClusterConfig, clusterConfigSchema } from './schema';
import { YamlSource } from './yaml-source';

/** A validated cluster config, able to point at its own fields (in its file or the defaults). */
export class LoadedConfig {
  constructor(
    /** The cluster's file as named by the caller. */
    public readonly file: string,
    public readonly config: ClusterConfig,
    private readonly sources: readonly YamlSource[],
  ) {}

  /** What synth says about this config without refusing it: `warning: file:line:col: field: message`. */
  public readonly warnings: string[] = [];

  /** A ConfigError for `field` (a dotted path such as `registry.replicas`). */
  public error(field: string, message: string): ConfigError {
    return new ConfigError(this.file, [{ field, message, ...locateIn(this.sources, parseFieldPath(field)) }]);
  }

  /** Where `field` is set: `file:line:col`, in the cluster's file or the defaults. */
  public locate(field: string): string {
    const at = locateIn(this.sources, parseFieldPath(field));
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
export function loadConfigFile(file: string, defaults?: YamlSource): LoadedConfig {
  return parseConfig(YamlSource.load(file, CLUSTER), defaults);
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

function parseConfig(cluster: YamlSource, defaults?: YamlSource): LoadedConfig {
  const sources = defaults ? [cluster, defaults] : [cluster];
  const data = defaults ? mergeDefaults(defaults.data, cluster.data) : cluster.data;
  const result = clusterConfigSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => describeIssue(issue, data, sources))
      .sort((a, b) => Number(Boolean(a.from)) - Number(Boolean(b.from)) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw new ConfigError(cluster.file, problems);
  }
  return new LoadedConfig(cluster.file, result.data, sources);
}

/**
 * Where `path` is set: in the cluster's file (line and column), or, when the defaults hold more
 * of it, in the defaults (`from`).
 */
function locateIn(sources: readonly YamlSource[], path: (string | number)[], atKey = false): Pick<ConfigProblem, 'line' | 'column' | 'from'> {
  const [cluster, defaults] = sources.map((source) => source.locate(path, atKey));
  if (defaults && (!cluster || defaults.depth > cluster.depth)) {
    return { from: `${sources[1].file}:${defaults.line}:${defaults.column}` };
  }
  return cluster ? { line: cluster.line, column: cluster.column } : {};
}

/** One zod issue as a problem that says what was found and what is allowed. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown, sources: readonly YamlSource[]): ConfigProblem {
  const path = issue.path as (string | number)[];
  const found = valueAt(data, path);
  let message = issue.message;
  let where = path;
  switch (issue.code) {
    case 'unrecognized_keys': {
      // The keys come from the file: a few, cut short (a file that is not a config, such as a
      // credentials file reached by mistake, must not be printed).
      const shown = issue.keys.slice(0, MAX_KEYS_SHOWN).map((k) => quote(k)).join(', ');
      const more = issue.keys.length > MAX_KEYS_SHOWN ? ` and ${issue.keys.length - MAX_KEYS_SHOWN} more` : '';
      message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${shown}${more}; allowed: ${allowedKeys(path).join(', ')}`;
      where = [...path, issue.keys[0]];
      return { field: formatFieldPath(path), message, ...locateIn(sources, where, true) };
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
  return { field: formatFieldPath(path), message, ...locateIn(sources, where) };
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
