// YAML for dist/, from the plain data of Kubernetes objects (maps, lists, strings, numbers,
// booleans, null). Block style; strings plain where no YAML 1.1 or 1.2 parser (kubectl's
// included) could read them as anything but that string, double-quoted (JSON escapes) otherwise;
// multi-line strings as literal blocks.
//
// Why not a library's stringify: for a 1000-cluster fleet, js-yaml's dump took 1.4 ms per
// cluster and the `yaml` package's 3.5 ms, more than half of the synth (docs/performance.md);
// this writer takes about 0.1 ms. test/output/to-yaml.test.ts checks that both js-yaml and
// the `yaml` package read back exactly the data that went in, on generated data and on dist/.

/** One or more objects as a YAML stream (documents separated by `---`). */
export function toYaml(...documents: unknown[]): string {
  const out: string[] = [];
  documents.forEach((doc, i) => {
    if (i) out.push('---\n');
    if (isCollection(doc)) writeCollection(doc, '', out);
    else out.push(inline(doc, ''), '\n');
  });
  return out.join('');
}

/** A non-empty map or list as block lines at `indent`; with `first`, the first line continues a line already started. */
function writeCollection(value: unknown[] | Record<string, unknown>, indent: string, out: string[], first = false): void {
  const nested = `${indent}  `;
  // Array.from reads a hole as undefined, which is refused below: map would skip it silently.
  const items = Array.isArray(value) ? Array.from(value, (item): [string | undefined, unknown] => [undefined, item]) : Object.entries(value);
  items.forEach(([key, item], i) => {
    if (!(first && i === 0)) out.push(indent);
    out.push(key === undefined ? '-' : `${scalar(key)}:`);
    if (item === undefined) throw new Error('toYaml: undefined has no YAML form');
    if (isCollection(item)) {
      // A list item's collection starts on the item's line; a key's on the next line, indented.
      if (key === undefined) {
        out.push(' ');
        writeCollection(item, nested, out, true);
      } else {
        out.push('\n');
        writeCollection(item, nested, out);
      }
    } else out.push(' ', inline(item, nested), '\n');
  });
}

function isCollection(value: unknown): value is unknown[] | Record<string, unknown> {
  return Array.isArray(value) ? value.length > 0 : isPlainMap(value) && Object.keys(value).length > 0;
}

/** A map of data: a Date, a Map or a class instance is not one (its fields are not what it holds). */
function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (!isMap(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function inline(value: unknown, indent: string): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return '[]';
  if (isPlainMap(value)) return '{}';
  if (typeof value === 'string') return value.includes('\n') ? literal(value, indent) : scalar(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new Error(`toYaml: ${typeof value} ${describe(value)} has no YAML form`);
}

function describe(value: unknown): string {
  return isMap(value) ? (value.constructor?.name ?? 'object') : String(value);
}

/** A multi-line string as a literal block, or quoted where a block cannot hold it exactly. */
function literal(value: string, indent: string): string {
  const lines = value.split('\n');
  const trailing = value.length - value.replace(/\n+$/, '').length;
  // Leading spaces on the first line with content would need an indentation indicator; a block
  // of empty lines reads back as ""; control characters and line separators other than \n
  // cannot stand in a block.
  if (/^\n*[ \t]/.test(value) || !value.trim() || /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/.test(value) || trailing > 1 || lines.some((l) => /[ \t]$/.test(l))) {
    return quoted(value);
  }
  const chomp = trailing === 1 ? '' : '-';
  const body = (trailing ? lines.slice(0, -1) : lines).map((line) => (line ? `${indent}${line}` : '')).join('\n');
  return `|${chomp}\n${body}`;
}

/** Words and number-like forms that YAML 1.1 or 1.2 would read as something else. */
const AMBIGUOUS = new RegExp([
  '^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|=|<<)$',
  '^[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$', // ints and floats, 1.1 underscores
  '^[-+]?0(?:x[0-9a-fA-F_]+|o?[0-7_]+|b[01_]+)$', // hex, octal, binary
  '^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?$', // 1.1 base 60
  '^[-+]?\\.(?:inf|Inf|INF)$|^\\.(?:nan|NaN|NAN)$',
  '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}', // timestamps
  '^(?:---|\\.\\.\\.)', // document markers
].join('|'));

/** Plain scalars: a safe first character, then no `: ` or ` #` (commas are fine in block context). */
const PLAIN = /^(?:[A-Za-z0-9_./$^()~=<\\]|[-:?](?=[A-Za-z0-9_./-]))(?:[A-Za-z0-9_./$^()~=<>\\@%+*&!'"`|:,-]|[ ](?![ #]))*$/;

/**
 * Short strings already written, as written: a fleet writes the same keys and values (`metadata`,
 * `apiVersion`, `v1`, a namespace) thousands of times, and three regular expressions a string were
 * about 4% of its synth. Held per thread, cleared when full.
 */
const written = new Map<string, string>();
/** The longest string remembered, and how many are remembered before the memory is cleared. */
export const MEMO_LENGTH = 64;
export const MEMO_SIZE = 4096;

function scalar(value: string): string {
  if (value.length > MEMO_LENGTH) return writeScalar(value);
  let text = written.get(value);
  if (text === undefined) {
    if (written.size >= MEMO_SIZE) written.clear();
    written.set(value, (text = writeScalar(value)));
  }
  return text;
}

function writeScalar(value: string): string {
  if (value === '' || !PLAIN.test(value) || AMBIGUOUS.test(value) || / $|: |:$/.test(value)) return quoted(value);
  return value;
}

function quoted(value: string): string {
  // JSON's escapes are YAML's; escape what JSON leaves as it is but YAML does not allow in a
  // quoted scalar (DEL, C1 controls, U+FFFE/U+FFFF) or would read as a line break.
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
