import { dirname } from 'node:path';
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { Document, isMap, isNode, isScalar, isSeq, LineCounter, Pair, parseAllDocuments, YAMLMap } from 'yaml';
import { formatBytes, InputFileError, readInputFile } from '../output/read-tree';
import { ConfigError, ConfigProblem, formatFieldPath } from './config-error';
import { countNodes, PROTOTYPE_KEYS, TreeError } from './yaml-bounds';

/** Largest config file read: 1 MiB (a real one is a few kilobytes). */
export const CONFIG_FILE_LIMIT = 1024 * 1024;
/** Most values a config may hold with its aliases expanded (maps, lists and scalars). */
export const CONFIG_NODE_LIMIT = 100_000;
/** Deepest nesting js-yaml reads (its default). */
const MAX_DEPTH = 100;
/** Keys refused in a config: `__proto__`, and `constructor`, on which cdk8s fails to write a map. */
const REFUSED_KEYS = new Map([...PROTOTYPE_KEYS, ['constructor', 'cdk8s, which writes the manifests, cannot write a map with this key']]);

/** Where a field sits in a file: 1-based line and column, and how much of its path was found. */
export interface Location {
  readonly line: number;
  readonly column: number;
  /** Number of path segments found (the rest is missing from the file). */
  readonly depth: number;
}

/**
 * One parsed YAML file holding one document, able to point at its fields.
 *
 * The data is read with js-yaml (YAML 1.2 core schema), about five times faster than the `yaml`
 * package; the `yaml` package's document, which knows where each node is, is only built when
 * a message needs a line and column (`locate`) or the file is not valid YAML.
 *
 * The file is untrusted: it must be a regular file of at most CONFIG_FILE_LIMIT bytes (a link
 * only to a file in the same folder), expand to at most CONFIG_NODE_LIMIT values, hold no
 * recursive alias and no `__proto__` or `constructor` key. `<<` is a plain key (YAML 1.2 has no
 * merge keys).
 */
export class YamlSource {
  /** Reads and parses `file`; `what` names the content in messages ("cluster config"). */
  public static load(file: string, what: string): YamlSource {
    let text: string;
    try {
      text = readInputFile(file, CONFIG_FILE_LIMIT, dirname(file));
    } catch (e) {
      if (!(e instanceof InputFileError)) throw e;
      throw new ConfigError(file, [{ field: '', message: e.message }]);
    }
    return YamlSource.parse(text, file, what);
  }

  /** Parses `text`; throws a ConfigError for YAML errors, an empty file or several documents. */
  public static parse(text: string, file: string, what: string): YamlSource {
    if (Buffer.byteLength(text) > CONFIG_FILE_LIMIT) {
      throw new ConfigError(file, [{ field: '', message: `is ${Buffer.byteLength(text)} bytes; the limit is ${formatBytes(CONFIG_FILE_LIMIT)}` }]);
    }
    let data: unknown;
    try {
      data = load(text, { schema: CORE_SCHEMA, maxDepth: MAX_DEPTH });
    } catch (e) {
      if (!(e instanceof YAMLException)) throw e;
      const mark = e.mark ? { line: e.mark.line + 1, column: e.mark.column + 1 } : {};
      if (/maxDepth/.test(e.reason)) throw new ConfigError(file, [{ field: '', ...mark, message: `invalid YAML: nested more than ${MAX_DEPTH} levels deep` }]);
      // Describe the problem with the `yaml` package's positions and wording.
      const source = new YamlSource(file, text, undefined, what);
      source.checkSyntax();
      if (source.documents.documents[0]?.contents != null) {
        const reason = e.reason === 'duplicated mapping key' ? 'Map keys must be unique' : e.reason;
        throw new ConfigError(file, [{ field: '', ...mark, message: `invalid YAML: ${reason}` }]);
      }
    }
    if (data === undefined || data === null) {
      throw new ConfigError(file, [{ field: '', message: `the file is empty; it must hold one ${what}` }]);
    }
    const source = new YamlSource(file, text, data, what);
    source.checkTree();
    return source;
  }

  private parsed?: { documents: Document[]; lines: LineCounter };
  /** Each map's pairs by key, built on first use, so that locating fields stays linear. */
  private readonly pairs = new WeakMap<YAMLMap, Map<string, Pair>>();

  private constructor(
    public readonly file: string,
    private readonly text: string,
    /** The document as plain data. */
    public readonly data: unknown,
    private readonly what: string,
  ) {}

  private get documents() {
    if (!this.parsed) {
      // js-yaml has already refused duplicate keys; the `yaml` package's check is quadratic.
      const lines = new LineCounter();
      const documents = parseAllDocuments(this.text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
      this.parsed = { documents: Array.isArray(documents) ? documents : [], lines };
    }
    return this.parsed;
  }

  /** Throws a ConfigError for syntax errors (the first, and how many more) and extra documents. */
  private checkSyntax(): void {
    const { documents, lines } = this.documents;
    const errors = documents.flatMap((d) => d.errors);
    if (errors.length) {
      const pos = lines.linePos(errors[0].pos[0]);
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more YAML errors)` : '';
      throw new ConfigError(this.file, [{ field: '', line: pos.line, column: pos.col, message: `invalid YAML: ${errors[0].message.split('\n')[0]}${more}` }]);
    }
    if (documents.length > 1) {
      const pos = lines.linePos((documents[1].contents?.range ?? documents[1].range)?.[0] ?? 0);
      throw new ConfigError(this.file, [{ field: '', line: pos.line, column: pos.col, message: `the file holds more than one YAML document; it must hold one ${this.what}` }]);
    }
  }

  /** Throws a ConfigError when the data is too large once aliases are expanded, cyclic, or has a `__proto__` key. */
  private checkTree(): void {
    try {
      countNodes(this.data, CONFIG_NODE_LIMIT, REFUSED_KEYS);
    } catch (e) {
      if (!(e instanceof TreeError)) throw e;
      if (!e.path.length) throw new ConfigError(this.file, [{ field: '', message: `the file ${e.message}` }]);
      const isKey = e.reason === 'key';
      const field = formatFieldPath(isKey ? e.path.slice(0, -1) : e.path);
      const problem: ConfigProblem = { field, message: e.message, ...this.locate(e.path, isKey) };
      throw new ConfigError(this.file, [problem]);
    }
  }

  /**
   * The node at `path`, or its nearest parent in the file; with `atKey`, the key of the last
   * segment rather than its value (for unknown keys).
   */
  public locate(path: readonly (string | number)[], atKey = false): Location | undefined {
    const { documents: [document], lines } = this.documents;
    if (!document) return undefined;
    // nodes[d]: the node at path[0..d), as far as the path exists in the file.
    const nodes: unknown[] = [document.contents];
    let key: unknown;
    for (const [depth, segment] of path.entries()) {
      const parent = nodes[depth];
      if (isMap(parent)) {
        const pair = this.pairOf(parent, segment);
        if (!pair) break;
        nodes.push(pair.value);
        key = pair.key;
      } else if (isSeq(parent) && typeof segment === 'number' && segment < parent.items.length) {
        nodes.push(parent.items[segment]);
        key = undefined;
      } else break;
    }
    if (atKey && path.length > 0 && nodes.length === path.length + 1) nodes[path.length] = key;
    for (let depth = nodes.length - 1; depth >= 0; depth--) {
      const node = nodes[depth];
      if (isNode(node) && node.range) {
        const pos = lines.linePos(node.range[0]);
        return { line: pos.line, column: pos.col, depth };
      }
    }
    return undefined;
  }

  private pairOf(map: YAMLMap, key: string | number): Pair | undefined {
    let index = this.pairs.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) if (isScalar(pair.key) && !index.has(String(pair.key.value))) index.set(String(pair.key.value), pair);
      this.pairs.set(map, index);
    }
    return index.get(String(key));
  }
}
