// Objects read from files can have any shape: `containers: "x"`, `spec: null`, `ports: [null]`.
// Rules read through these helpers, which give an empty map or list for anything else, so that a
// rule never fails with a TypeError on a hostile manifest.

export type Obj = Record<string, unknown>;

export function isMap(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` if it is a map, else an empty map. */
export function asMap(value: unknown): Obj {
  return isMap(value) ? value : {};
}

/** `value` if it is a list, else an empty list. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `value` if it is a string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A value from a manifest for a message: strings as they are (cut to `max`), other scalars as JSON, collections by kind. */
export function show(value: unknown, max = 100): string {
  if (typeof value === 'string') return value.length > max ? `${value.slice(0, max)}…` : value;
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a map';
  // JSON writes null for these: name them as YAML wrote them.
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  return JSON.stringify(value) ?? String(value);
}

/** A value for a message: strings quoted, other values shown by kind. */
export function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(show(value)) : show(value);
}

/**
 * Go's strings.TrimSpace: Unicode White_Space off both ends. Not String.prototype.trim, which
 * also takes U+FEFF and leaves U+0085: a value the operator or Argo CD reads must be cut as they cut it.
 */
export function goTrimSpace(text: string): string {
  return text.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, '');
}

/**
 * True when the URL carries credentials before its host: `https://user:password@host` (a password
 * may hold `/` or `@`), or without a scheme `user:password@host` (then without `/`, which would
 * make it a path: `host:5000/name@sha256:...` is an image reference).
 */
export function hasUrlCredentials(url: string): boolean {
  return /^([a-z][a-z0-9+.-]*:\/\/[^/?#@\s]+(:[^?#\s]*)?|[^/?#@\s:]+(:[^/?#@\s]*)?)@/i.test(url);
}

/**
 * `text` with the credentials of every URL in it hidden (`https://***@host`, `***@host`): a message
 * or a diff may show a URL someone wrote with a user and password in it. Without a scheme, only
 * `user:password@` counts (an image reference `host:5000/name@sha256:...` is left as it is).
 */
export function hideCredentials(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s"'<>]+(:[^\s"'<>]*)?@/gi, '$1***@')
    .replace(/(^|[\s"'(=,])[^/?#@\s"'<>:]+:[^/?#@\s"'<>]*@(?=[a-z0-9[])/gi, '$1***@');
}
