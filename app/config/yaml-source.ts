import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { Document, isMap, isNode, isPair, isScalar, LineCounter, parseAllDocuments } from 'yaml';
import { ConfigError, ConfigProblem } from './config-error';

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
 */
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
    let data: unknown;
    try {
      data = load(text, { schema: CORE_SCHEMA });
    } catch (e) {
      if (!(e instanceof YAMLException)) throw e;
      // Describe the problem with the `yaml` package's positions and wording.
      const source = new YamlSource(file, text, undefined, what);
      source.checkSyntax();
      if (source.documents.documents[0]?.contents != null) {
        const mark = e.mark ? { line: e.mark.line + 1, column: e.mark.column + 1 } : {};
        throw new ConfigError(file, [{ field: '', ...mark, message: `invalid YAML: ${e.reason}` }]);
      }
    }
    if (data === undefined || data === null) {
      throw new ConfigError(file, [{ field: '', message: `the file is empty; it must hold one ${what}` }]);
    }
    return new YamlSource(file, text, data, what);
  }

  private parsed?: { documents: Document[]; lines: LineCounter };

  private constructor(
    public readonly file: string,
    private readonly text: string,
    /** The document as plain data. */
    public readonly data: unknown,
    private readonly what: string,
  ) {}

  private get documents() {
    if (!this.parsed) {
      const lines = new LineCounter();
      const documents = parseAllDocuments(this.text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
      this.parsed = { documents: Array.isArray(documents) ? documents : [], lines };
    }
    return this.parsed;
  }

  /** Throws a ConfigError for syntax errors and extra documents, as the `yaml` package sees them. */
  private checkSyntax(): void {
    const { documents, lines } = this.documents;
    const syntax = documents.flatMap((d) => d.errors).map((e): ConfigProblem => {
      const pos = lines.linePos(e.pos[0]);
      return { field: '', line: pos.line, column: pos.col, message: `invalid YAML: ${e.message.split('\n')[0]}` };
    });
    if (syntax.length) throw new ConfigError(this.file, syntax);
    if (documents.length > 1) {
      const pos = lines.linePos((documents[1].contents?.range ?? documents[1].range)?.[0] ?? 0);
      throw new ConfigError(this.file, [{ field: '', line: pos.line, column: pos.col, message: `the file holds more than one YAML document; it must hold one ${this.what}` }]);
    }
  }

  /**
   * The node at `path`, or its nearest parent in the file; with `atKey`, the key of the last
   * segment rather than its value (for unknown keys).
   */
  public locate(path: readonly (string | number)[], atKey = false): Location | undefined {
    const { documents: [document], lines } = this.documents;
    if (!document) return undefined;
    for (let depth = path.length; depth >= 0; depth--) {
      let node: unknown = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
      if (atKey && depth === path.length && depth > 0) {
        const parent = depth === 1 ? document.contents : document.getIn(path.slice(0, depth - 1), true);
        if (isMap(parent)) node = parent.items.find((pair) => isPair(pair) && isScalar(pair.key) && pair.key.value === path[depth - 1])?.key;
      }
      if (isNode(node) && node.range) {
        const pos = lines.linePos(node.range[0]);
        return { line: pos.line, column: pos.col, depth };
      }
    }
    return undefined;
  }
}
