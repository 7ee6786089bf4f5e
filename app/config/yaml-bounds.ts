// Bounds for YAML parsed from files we do not trust (configs, manifests, CRDs).
//
// An alias stands for a copy of its anchor, so a few kilobytes can describe billions of values
// (the "billion laughs"). Parsers hand back the anchored object by reference, so parsing stays
// cheap; the cost comes later, in whatever walks the tree (the schema, the charts, the YAML
// writer, JSON.stringify). countNodes measures the tree as those walkers see it, before they run.
import { CORE_SCHEMA, mergeTag } from 'js-yaml';
import { formatFieldPath } from './config-error';

/**
 * How manifests are read (validate, diff): YAML 1.2's core schema, with merge keys (`<<: *base`)
 * expanded, as kubectl, kustomize, Argo CD and Flux expand them (go-yaml does). js-yaml bounds the
 * keys a file's merges copy (maxTotalMergeKeys, 10000). Config files have no merge keys
 * (docs/configuration.md).
 */
export const MANIFEST_YAML_SCHEMA = CORE_SCHEMA.withTags(mergeTag);

/**
 * Why a parsed tree is refused. `path` is the offending node (a recursive alias) or key
 * (`__proto__`); it is empty for a tree too large or too deep, whose message then reads after a
 * subject: "the file expands to more than ...".
 */
export class TreeError extends Error {
  constructor(public readonly reason: 'size' | 'depth' | 'cycle' | 'key', public readonly path: readonly (string | number)[], message: string) {
    super(message);
    this.name = 'TreeError';
  }
}

/** Characters of a string that count as one more value (see countNodes). */
export const STRING_CHARS_PER_VALUE = 64;

/** Deeper trees are refused (js-yaml stops at 100 levels already; the `yaml` package does not). */
const MAX_DEPTH = 1000;

/**
 * Keys refused anywhere, and why: `__proto__` would become the prototype of an object built by
 * assignment (`copy[key] = value`), with the values it holds read as inherited fields.
 */
export const PROTOTYPE_KEYS: ReadonlyMap<string, string> = new Map([['__proto__', 'JavaScript reads it as the prototype of the object']]);

/**
 * The number of values (maps, lists and scalars) in `root` with every alias expanded. Shared
 * nodes are measured once, so this is linear in the parsed size whatever the expansion. Throws a
 * TreeError past `max` values, for an alias inside its own anchor (a cycle), and for a key of
 * `refusedKeys` (by default `__proto__`).
 */
export function countNodes(root: unknown, max: number, refusedKeys = PROTOTYPE_KEYS): number {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  const path: (string | number)[] = [];
  const visit = (value: unknown): number => {
    // A long string weighs like the values it could have been: an alias of a 3 MB string repeated
    // is gigabytes to the walkers, though a few values.
    if (typeof value === 'string') return 1 + Math.floor(value.length / STRING_CHARS_PER_VALUE);
    if (value === null || typeof value !== 'object') return 1;
    const known = sizes.get(value);
    if (known !== undefined) return known;
    if (open.has(value)) throw new TreeError('cycle', [...path], 'an alias refers to a node that contains it (a recursive alias); the document must be a tree');
    if (path.length >= MAX_DEPTH) throw new TreeError('depth', [], `is nested more than ${MAX_DEPTH} levels deep`);
    open.add(value);
    let size = 1;
    for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
      path.push(key);
      const refused = typeof key === 'string' ? refusedKeys.get(key) : undefined;
      if (refused) throw new TreeError('key', [...path], `"${key}" cannot be a key: ${refused}; remove or rename it`);
      size += visit(child);
      path.pop();
      if (size > max) throw new TreeError('size', [], `expands to more than ${max} values (maps, lists and scalars, a long string one per 64 characters, each alias counted as a copy of its anchor); the limit is ${max}: use fewer aliases`);
    }
    open.delete(value);
    sizes.set(value, size);
    return size;
  };
  return visit(root);
}

/** A TreeError as one message: `field: message`, or `<subject> expands to more than ...`. */
export function describeTreeError(error: TreeError, subject: string): string {
  return error.path.length ? `${formatFieldPath(error.path)}: ${error.message}` : `${subject} ${error.message}`;
}
