import { readFileSync } from 'node:fs';
import { Document, isMap, isNode, isPair, isScalar, LineCounter, parseAllDocuments, Node } from 'yaml';
import { z } from 'zod';
import { ConfigError, ConfigProblem, formatFieldPath, parseFieldPath } from './config-error';
import { ClusterConfig, clusterConfigSchema } from './schema';

/** A validated config file, able to point at its own fields for later errors. */
export class LoadedConfig {
  constructor(
    /** The file as named by the caller. */
    public readonly file: string,
    public readonly config: ClusterConfig,
    private readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  /** A ConfigError for `field` (a dotted path such as `registry.replicas`). */
  public error(field: string, message: string): ConfigError {
    return new ConfigError(this.file, [{ field, message, ...locate(this.document, this.lines, parseFieldPath(field)) }]);
  }
}

/** Reads and validates one cluster config file; throws ConfigError listing every problem. */
export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [{ field: '', message: `cannot read the file: ${(e as Error).message}` }]);
  }
  return parseConfig(text, file);
}

/** Validates config `text`; `file` is only used in messages. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (!Array.isArray(documents) || documents.length === 0 || documents[0].contents === null) {
    throw new ConfigError(file, [{ field: '', message: 'the file is empty; it must hold one cluster config (name, registry)' }]);
  }
  const [document, ...extra] = documents;
  const syntax = documents.flatMap((d) => d.errors).map((e): ConfigProblem => {
    const pos = lines.linePos(e.pos[0]);
    return { field: '', line: pos.line, column: pos.col, message: `invalid YAML: ${e.message.split('\n')[0]}` };
  });
  if (syntax.length) throw new ConfigError(file, syntax);
  if (extra.length) {
    throw new ConfigError(file, [{ field: '', ...locate(extra[0], lines, []), message: 'the file holds more than one YAML document; use one file per cluster' }]);
  }

  const data = document.toJS({ maxAliasCount: 100 });
  const result = clusterConfigSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => describeIssue(issue, data, document, lines))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw new ConfigError(file, problems);
  }
  return new LoadedConfig(file, result.data, document, lines);
}

/** One zod issue as a problem that says what was found and what is allowed. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown, document: Document, lines: LineCounter): ConfigProblem {
  const path = issue.path as (string | number)[];
  const found = valueAt(data, path);
  let message = issue.message;
  let where = path;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(path);
      message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; allowed: ${allowed.join(', ')}`;
      where = [...path, issue.keys[0]];
      return { field: formatFieldPath(path), message, ...locate(document, lines, where, true) };
    }
    case 'invalid_type':
      message = found === undefined
        ? `is required (${TYPE_NAMES[issue.expected] ?? `a ${issue.expected}`})`
        : `expected ${TYPE_NAMES[issue.expected] ?? `a ${issue.expected}`}, got ${describe(found)}`;
      break;
    case 'invalid_value':
      message = `${describe(found)} is not allowed; use one of ${issue.values.map(String).join(', ')}`;
      break;
    case 'invalid_format':
    case 'too_big':
    case 'too_small':
      message = `${describe(found)} is not valid: expected ${issue.message.replace(/^Too (big|small): expected /, '')}`;
      break;
  }
  return { field: formatFieldPath(path), message, ...locate(document, lines, where) };
}

const TYPE_NAMES: Record<string, string> = { int: 'a whole number', object: 'a map', array: 'a list', string: 'a string', boolean: 'true or false', number: 'a number' };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(data: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), data);
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
  const def = unwrap(schema)._zod.def as { shape?: Record<string, unknown> };
  return Object.keys(def.shape ?? {}).filter((k) => k !== '$schema');
}

/** Line and column of the node at `path`, or of its nearest existing parent. */
function locate(document: Document, lines: LineCounter, path: (string | number)[], atKey = false): { line?: number; column?: number } {
  for (let depth = path.length; depth >= 0; depth--) {
    const parent = document.getIn(path.slice(0, Math.max(depth - 1, 0)), true);
    let node: unknown = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    if (atKey && depth === path.length && isMap(parent)) {
      // Point at the key itself, e.g. an unknown key.
      node = parent.items.find((pair) => isPair(pair) && isScalar(pair.key) && pair.key.value === path[depth - 1])?.key;
    }
    if (isNode(node) && (node as Node).range) {
      const pos = lines.linePos((node as Node).range![0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}
