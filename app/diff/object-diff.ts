import { escapeControl } from '../output/terminal-text';
import { markdownCode, markdownText } from '../output/markdown-text';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { ConfigError, SynthError } from '../config/config-error';
import { hideCredentials } from '../../lib/rules/shapes';
import { countNodes, describeTreeError, MANIFEST_YAML_SCHEMA, TreeError } from '../config/yaml-bounds';
import { MANIFEST_NODE_LIMIT } from '../output/read-tree';
import { ClusterContext, DataRisk, dataRisk, GitOpsToolsApplying, gitOpsToolsOf, ManifestObject } from './data-risk';

/** One object of an output tree, keyed so that the same object matches across two trees. */
interface Keyed {
  readonly key: string;
  readonly cluster: string;
  readonly label: string;
  readonly value: unknown;
}

/** A field that differs between two versions of an object. */
export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /**
   * A value of a Secret (`data.K`, `stringData.K`): `before` and `after` are then only
   * `SECRET_VALUE` or undefined (set or not), never the value, so no report can print it.
   */
  readonly secret?: boolean;
}

/** Stands for a Secret value in a FieldChange. */
export const SECRET_VALUE = '(secret)';

/** The fields of a Secret that hold its values. */
const SECRET_FIELDS = ['data', 'stringData'];

export interface ObjectChange {
  readonly change: 'added' | 'removed' | 'changed';
  /** Top folder of dist/: the cluster; '' for a file at the top. */
  readonly cluster: string;
  /** `apiVersion kind namespace/name`, or the file for documents that are not API objects. */
  readonly object: string;
  /** For `changed`: the differing fields. */
  readonly fields: readonly FieldChange[];
  /** What the change does to data (images), when it touches any: see data-risk.ts. */
  readonly data?: DataRisk;
}

/** What is known of the old output tree besides its YAML files. */
export interface OldTree {
  /**
   * The folder it was read from, as the user named it: an error names a file in it by both.
   * @default '': by the path in the tree
   */
  readonly folder?: string;
  /**
   * Its files that are not YAML, not read: synth writes only YAML, and replaces a cluster folder
   * whole, so each is a file removed.
   * @default []
   */
  readonly otherFiles?: readonly string[];
}

/** Object-by-object difference between two output trees (relative path -> YAML text). */
export function diffOutputs(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>, { folder = '', otherFiles = [] }: OldTree = {}): ObjectChange[] {
  const old = index(before, folder);
  for (const path of otherFiles) {
    const { cluster, file } = place(path);
    old.set(fileKey(cluster, file), { key: file, cluster, label: file, value: undefined });
  }
  const next = index(after, '');
  // The tools that apply each cluster's new output, worked out once, and only when needed.
  let tools: Map<string, GitOpsToolsApplying> | undefined;
  const toolsOf = (cluster: string) => {
    if (!tools) {
      const objects = new Map<string, ManifestObject[]>();
      for (const item of next.values()) (objects.get(item.cluster) ?? objects.set(item.cluster, []).get(item.cluster)!).push(asObject(item.value));
      tools = new Map([...objects].map(([name, list]) => [name, gitOpsToolsOf(list)]));
    }
    return tools.get(cluster) ?? gitOpsToolsOf([]);
  };
  const context = (cluster: string): ClusterContext => ({
    tools: toolsOf(cluster),
    claimsIn: (namespace: string) => [...old.values()]
      .filter((o) => o.cluster === cluster && asObject(o.value)?.kind === 'PersistentVolumeClaim' && asObject(o.value)?.metadata?.namespace === namespace)
      .map((o) => `${namespace}/${String(asObject(o.value)?.metadata?.name)}`).sort(),
    removedNamespace: (namespace: string) => {
      const key = objectKey(cluster, `v1 Namespace ${namespace}`);
      return next.has(key) ? undefined : asObject(old.get(key)?.value);
    },
  });
  const risk = (cluster: string, before: Keyed | undefined, after: Keyed | undefined) => {
    const data = dataRisk(asObject(before?.value), asObject(after?.value), context(cluster));
    return data ? { data } : {};
  };
  const changes: ObjectChange[] = [];
  for (const [key, item] of next) {
    const previous = old.get(key);
    if (!previous) changes.push({ change: 'added', cluster: item.cluster, object: item.label, fields: [] });
    else {
      const fields = isSecret(previous.value) || isSecret(item.value) ? diffSecrets(previous.value, item.value) : diffValues(previous.value, item.value, '');
      if (fields.length) changes.push({ change: 'changed', cluster: item.cluster, object: item.label, fields, ...risk(item.cluster, previous, item) });
    }
  }
  for (const [key, item] of old) {
    if (!next.has(key)) changes.push({ change: 'removed', cluster: item.cluster, object: item.label, fields: [], ...risk(item.cluster, item, undefined) });
  }
  return changes.sort((a, b) => (a.cluster + a.object < b.cluster + b.object ? -1 : a.cluster + a.object > b.cluster + b.object ? 1 : 0));
}

function index(tree: ReadonlyMap<string, string>, folder: string): Map<string, Keyed> {
  const items = new Map<string, Keyed>();
  for (const [path, text] of tree) {
    const { cluster, file } = place(path);
    readDocuments(join(folder, path), text).forEach((document, i) => {
      const value = document as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } } | null;
      if (value === null || value === undefined) return;
      const name = value.metadata?.name;
      if (value.kind && name) {
        const label = `${value.apiVersion} ${value.kind} ${value.metadata?.namespace ? `${value.metadata.namespace}/` : ''}${name}`;
        items.set(objectKey(cluster, label), { key: label, cluster, label, value });
      } else {
        const label = `${file}${i ? ` (document ${i + 1})` : ''}`;
        items.set(fileKey(cluster, label), { key: label, cluster, label, value });
      }
    });
  }
  return items;
}

/** The keys of an API object, and of a document that is not one or a file not read: never the same. */
const objectKey = (cluster: string, label: string) => JSON.stringify([cluster, 'object', label]);
const fileKey = (cluster: string, label: string) => JSON.stringify([cluster, 'file', label]);

/** A file's cluster (its top folder; none for a file at the top) and its path in that folder. */
function place(path: string): { cluster: string; file: string } {
  const slash = path.indexOf('/');
  return slash < 0 ? { cluster: '', file: path } : { cluster: path.slice(0, slash), file: path.slice(slash + 1) };
}

/**
 * The documents of a file in the output folder, which anyone may have edited: a syntax error, a
 * duplicate key or an alias bomb is one error naming the file, never a stack trace. js-yaml, as
 * validate reads manifests: its duplicate-key check is linear (the `yaml` package's is quadratic,
 * 40000 keys of one map took 19 s), and countNodes bounds what the aliases expand to.
 */
function readDocuments(path: string, text: string): unknown[] {
  const refuse = (message: string) => new SynthError([new ConfigError(path, [{ field: '', message }])]);
  let documents: unknown[];
  try {
    documents = loadAll(text, { schema: MANIFEST_YAML_SCHEMA, maxDepth: 100 });
  } catch (e) {
    throw refuse(`cannot be read as YAML: ${String((e as Error).message).split('\n')[0]}`);
  }
  let budget = MANIFEST_NODE_LIMIT;
  for (const [i, document] of documents.entries()) {
    try {
      budget -= countNodes(document, budget);
    } catch (e) {
      if (!(e instanceof TreeError)) throw e;
      throw refuse(`${i ? `document ${i + 1}: ` : ''}${describeTreeError(e, e.reason === 'size' ? 'the file' : 'the document')}`);
    }
  }
  return documents;
}

function diffValues(before: unknown, after: unknown, path: string): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((v, i) => diffValues(v, after[i], `${path}[${i}]`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

function asObject(v: unknown): Exclude<ManifestObject, null | undefined> | undefined {
  return isObject(v) ? v : undefined;
}

function isSecret(v: unknown): boolean {
  return isObject(v) && v.kind === 'Secret';
}

/** kubectl's copy of the object last applied: for a Secret, its values again. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Like diffValues, but the values of `data` and `stringData`, and kubectl's last-applied copy of
 * them, only show as set or not.
 */
function diffSecrets(before: unknown, after: unknown): FieldChange[] {
  const annotations = (v: unknown) => (isObject(v) && isObject(v.metadata) && isObject(v.metadata.annotations) ? v.metadata.annotations : {});
  const rest = (v: unknown) => {
    if (!isObject(v)) return v;
    const shown = Object.fromEntries(Object.entries(v).filter(([k]) => !SECRET_FIELDS.includes(k)));
    if (!(LAST_APPLIED in annotations(v))) return shown;
    const { [LAST_APPLIED]: _, ...others } = annotations(v);
    return { ...shown, metadata: { ...(v.metadata as Record<string, unknown>), annotations: others } };
  };
  const lastApplied = JSON.stringify(annotations(before)[LAST_APPLIED]) === JSON.stringify(annotations(after)[LAST_APPLIED]) ? []
    : [{ path: `metadata.annotations.${LAST_APPLIED}`, before: LAST_APPLIED in annotations(before) ? SECRET_VALUE : undefined, after: LAST_APPLIED in annotations(after) ? SECRET_VALUE : undefined, secret: true }];
  const values = SECRET_FIELDS.flatMap((field) => {
    const old = isObject(before) && isObject(before[field]) ? before[field] : {};
    const next = isObject(after) && isObject(after[field]) ? after[field] : {};
    return [...new Set([...Object.keys(old), ...Object.keys(next)])].sort()
      .filter((key) => JSON.stringify(old[key]) !== JSON.stringify(next[key]))
      .map((key) => ({ path: `${field}.${key}`, before: key in old ? SECRET_VALUE : undefined, after: key in next ? SECRET_VALUE : undefined, secret: true }));
  });
  return [...diffValues(rest(before), rest(after), ''), ...values, ...lastApplied].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How reports show values. */
export interface FormatOptions {
  /**
   * Every value whole (a Job's patch, a script), however long.
   * @default false: a value longer than SHOWN_LENGTH is cut, around what changed
   */
  readonly full?: boolean;
  /**
   * The output folder compared, as the user named it.
   * @default 'dist'
   */
  readonly dist?: string;
}

/** Characters of a value shown, when not `full`. */
export const SHOWN_LENGTH = 100;
/** Unchanged characters shown before and after what changed in a long value. */
const CONTEXT = 30;

/**
 * A field's old and new values as shown: JSON, whole with `full`. Otherwise a long value is cut:
 * where both sides exist, to the part that differs with a little context on each side (so that
 * two long values never look the same), else to its first SHOWN_LENGTH characters.
 */
function showChange(f: FieldChange, { full = false }: FormatOptions): [string, string] {
  // A URL's user and password are never shown (a change to them shows as two equal-looking values).
  const [before, after] = [f.before, f.after].map((v) => (v === undefined ? '(none)' : [...hideCredentials(JSON.stringify(v))]));
  if (typeof before === 'string' || typeof after === 'string') {
    const cut = (t: string | string[]) => (typeof t === 'string' ? t : full || t.length <= SHOWN_LENGTH ? t.join('') : `${t.slice(0, SHOWN_LENGTH - 3).join('')}...`);
    return [cut(before), cut(after)];
  }
  if (full || (before.length <= SHOWN_LENGTH && after.length <= SHOWN_LENGTH)) return [before.join(''), after.join('')];
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < after.length - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const start = Math.max(0, prefix - CONTEXT);
  const window = (t: string[]) => {
    const end = Math.min(t.length, t.length - suffix + CONTEXT, start + SHOWN_LENGTH);
    return `${start > 0 ? '...' : ''}${t.slice(start, end).join('')}${end < t.length ? '...' : ''}`;
  };
  return [window(before), window(after)];
}

/** What happened to a Secret value, which is never shown. */
const secretChange = (f: FieldChange) => `${f.before === undefined ? 'added' : f.after === undefined ? 'removed' : 'changed'} (Secret value not shown)`;

/** `cluster: object`, or the file alone for a file at the top of the output folder. */
const where = (c: ObjectChange) => (c.cluster ? `${c.cluster}: ${c.object}` : c.object);

/** A terminal report. */
export function formatText(changes: readonly ObjectChange[], options: FormatOptions = {}): string {
  if (!changes.length) return `no drift: ${escapeControl(options.dist ?? 'dist')}/ is what the configs synthesize\n`;
  const mark = { added: '+', removed: '-', changed: '~' };
  // Data first, where nobody scrolls past it.
  const lines = [
    ...changes.filter((c) => c.data?.loss).map((c) => `!!! DATA LOSS: ${where(c)}: ${c.data!.message}`),
    ...changes.filter((c) => c.data && !c.data.loss).map((c) => `kept: ${where(c)}: ${c.data!.message}`),
    summary(changes),
  ];
  for (const c of changes) {
    lines.push(`${mark[c.change]} ${where(c)}${c.data?.loss ? '  !!! DATA LOSS (above)' : ''}`);
    for (const f of c.fields) lines.push(`    ${f.path}: ${f.secret ? secretChange(f) : showChange(f, options).join(' -> ')}`);
  }
  // Names, kinds and keys come from files: nothing in them may act on the terminal or add a line.
  return lines.map(escapeControl).join('\n') + '\n';
}

/** A Markdown report, for a pull request comment: see markdown-text.ts for what names from files may not do there. */
export function formatMarkdown(changes: readonly ObjectChange[], options: FormatOptions = {}): string {
  if (!changes.length) return `### Registry config: no change to ${markdownText(options.dist ?? 'dist')}/\n`;
  const lines = [`### Registry config: ${summary(changes)}`, ''];
  // GitHub alerts: a red CAUTION box for what deletes data, a NOTE for what is left behind.
  for (const [loss, box, title] of [[true, 'CAUTION', 'Data loss'], [false, 'NOTE', 'Kept in the cluster']] as const) {
    const risky = changes.filter((c) => c.data && c.data.loss === loss);
    const named = (c: ObjectChange) => [c.cluster && markdownText(c.cluster), markdownCode(c.object)].filter(Boolean).join(': ');
    if (risky.length) lines.push(`> [!${box}]`, `> **${title}**`, ...risky.map((c) => `> - ${named(c)}: ${markdownText(c.data!.message)}`), '');
  }
  lines.push('| change | cluster | object | fields |', '|---|---|---|---|');
  const cell = (s: string) => markdownCode(s, { inTable: true });
  for (const c of changes) {
    const fields = c.fields.map((f) => `${cell(f.path)}: ${f.secret ? secretChange(f) : showChange(f, options).map(cell).join(' → ')}`).join('<br>');
    lines.push(`| ${c.change} | ${markdownText(c.cluster)} | ${cell(c.object)} | ${fields} |`);
  }
  return lines.join('\n') + '\n';
}

function summary(changes: readonly ObjectChange[]): string {
  const count = (kind: ObjectChange['change']) => changes.filter((c) => c.change === kind).length;
  return `${count('added')} added, ${count('changed')} changed, ${count('removed')} removed`;
}
