import { readFileSync } from 'node:fs';
import { Document, isMap, isNode, isPair, isScalar, LineCounter, parseAllDocuments } from 'yaml';
import { ConfigError, ConfigProblem } from './config-error';

/** Where a field sits in a file: 1-based line and column, and how much of its path was found. */
export interface Location {
  readonly line: number;
  readonly column: number;
  /** Number of path segments found (the rest is missing from the file). */
  readonly depth: number;
}

/** One parsed YAML file holding one document, able to point at its fields. */
export class YamlSource {
  /** Reads and parses `file`; `what` names the content in messages ("cluster config"). */
  public static load(file: string, what: string): YamlSource {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(file, [{ field: '', message: `cannot read the file: ${(e as Error).message}` }]);
    }
    return YamlSource.parse(text, file, what);
  }

  /** Parses `text`; throws a ConfigError for YAML errors, an empty file or several documents. */
  public static parse(text: string, file: string, what: string): YamlSource {
    const lines = new LineCounter();
    const documents = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    if (!Array.isArray(documents) || documents.length === 0 || documents[0].contents === null) {
      throw new ConfigError(file, [{ field: '', message: `the file is empty; it must hold one ${what}` }]);
    }
    const syntax = documents.flatMap((d) => d.errors).map((e): ConfigProblem => {
      const pos = lines.linePos(e.pos[0]);
      return { field: '', line: pos.line, column: pos.col, message: `invalid YAML: ${e.message.split('\n')[0]}` };
    });
    if (syntax.length) throw new ConfigError(file, syntax);
    const source = new YamlSource(file, documents[0], lines);
    if (documents.length > 1) {
      const extra = new YamlSource(file, documents[1], lines).locate([]);
      throw new ConfigError(file, [{ field: '', ...extra, message: `the file holds more than one YAML document; it must hold one ${what}` }]);
    }
    return source;
  }

  /** The document as plain data. */
  public readonly data: unknown;

  private constructor(public readonly file: string, private readonly document: Document, private readonly lines: LineCounter) {
    this.data = document.toJS({ maxAliasCount: 100 });
  }

  /**
   * The node at `path`, or its nearest parent in the file; with `atKey`, the key of the last
   * segment rather than its value (for unknown keys).
   */
  public locate(path: readonly (string | number)[], atKey = false): Location | undefined {
    for (let depth = path.length; depth >= 0; depth--) {
      let node: unknown = depth === 0 ? this.document.contents : this.document.getIn(path.slice(0, depth), true);
      if (atKey && depth === path.length && depth > 0) {
        const parent = this.document.getIn(path.slice(0, depth - 1), true) ?? (depth === 1 ? this.document.contents : undefined);
        if (isMap(parent)) node = parent.items.find((pair) => isPair(pair) && isScalar(pair.key) && pair.key.value === path[depth - 1])?.key;
      }
      if (isNode(node) && node.range) {
        const pos = this.lines.linePos(node.range[0]);
        return { line: pos.line, column: pos.col, depth };
      }
    }
    return undefined;
  }
}
