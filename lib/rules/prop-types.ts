// The types of construct props, checked when a construct or factory is called. TypeScript checks
// them for TypeScript callers; JavaScript callers (and props built at run time) get no such check,
// and a string "true" for a boolean would be written as it is and refused later by the API server.
// Each construct declares its props' types once, as a table typed against its props interface (a
// prop missing from the table, or of another type, does not compile), and registers it here by
// name; the rules proper (names, quantities, the operator's rules) run after.
import { isMap } from './shapes';
import { ValidationError } from './validation-error';

/** What a check accepts, for tests that try values of every other kind. */
export type CheckKind = 'string' | 'boolean' | 'number' | 'oneOf' | 'list' | 'map' | 'instance';

/** A check of one value, for a value of TypeScript type `T`. */
export interface Check<T> {
  readonly kind: CheckKind;
  /** What is allowed, for messages: `true or false`, `a string`. */
  readonly expected: string;
  /** Whether undefined is refused. */
  readonly required: boolean;
  /** The values a `oneOf` check allows. */
  readonly values?: readonly unknown[];
  /** The fields a `shape` check checks. */
  readonly fields?: Readonly<Record<string, Check<unknown>>>;
  /** Throws a ValidationError naming `field` unless `value` is allowed. */
  check(value: unknown, field: string): void;
  /** Never set: ties the check to the type it accepts, so that a table must match its interface. */
  readonly type?: T;
}

/** A check that refuses undefined. */
export interface RequiredCheck<T> extends Check<T> {
  readonly required: true;
}

/** A check that lets undefined pass. */
export interface OptionalCheck<T> extends Check<T> {
  readonly required: false;
  /** The same check, refusing undefined. */
  readonly isRequired: RequiredCheck<T>;
}

/** A check per prop of `P`, required exactly where `P` requires the prop. */
export type PropChecks<P> = {
  readonly [K in keyof P]-?: object extends Pick<P, K> ? OptionalCheck<NonNullable<P[K]>> : RequiredCheck<P[K]>;
};

/** The value as a message shows it: its kind, and scalars themselves. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'a map';
  }
  return typeof value;
}

/** `parent.key`, or `parent["a.b"]` for a key that is not a plain name. */
function fieldOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const name = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  if (!parent) return name;
  return name.startsWith('"') ? `${parent}[${name}]` : `${parent}.${name}`;
}

function make<T>(kind: CheckKind, expected: string, test: (value: unknown, field: string) => void, details: Pick<Check<T>, 'values' | 'fields'> = {}): OptionalCheck<T> {
  const build = (required: boolean) => ({
    ...details,
    kind,
    expected,
    required,
    check(value: unknown, field: string) {
      if (value === undefined) {
        if (required) throw new ValidationError(field, `is required: ${expected}`);
        return;
      }
      test(value, field);
    },
  });
  return { ...build(false), required: false, isRequired: { ...build(true), required: true } };
}

function simple<T>(kind: CheckKind, expected: string, ok: (value: unknown) => boolean): OptionalCheck<T> {
  return make<T>(kind, expected, (value, field) => {
    if (!ok(value)) throw new ValidationError(field, `must be ${expected}, not ${describe(value)}`);
  });
}

export const is = {
  string: simple<string>('string', 'a string', (v) => typeof v === 'string'),
  boolean: simple<boolean>('boolean', 'true or false', (v) => typeof v === 'boolean'),
  number: simple<number>('number', 'a number', (v) => typeof v === 'number' && Number.isFinite(v)),

  /** One of `values` (an enum's); `what` names them in the message. */
  oneOf<T extends string>(values: readonly T[], what?: string): OptionalCheck<T> {
    return make<T>('oneOf', `one of ${values.join(', ')}`, (value, field) => {
      if (!(values as readonly unknown[]).includes(value)) {
        const shown = typeof value === 'string' ? JSON.stringify(value) : describe(value);
        throw new ValidationError(field, `${shown} is not ${what ?? 'allowed'}; use one of ${values.join(', ')}`);
      }
    }, { values });
  },

  /** A list whose items pass `item`. */
  listOf<T>(item: Check<T>): OptionalCheck<T[]> {
    return make<T[]>('list', 'a list', (value, field) => {
      if (!Array.isArray(value)) throw new ValidationError(field, `must be a list, not ${describe(value)}`);
      value.forEach((v, i) => item.check(v, fieldOf(field, i)));
    });
  },

  /** A map whose values pass `entry`. */
  mapOf<T>(entry: Check<T>): OptionalCheck<Record<string, T>> {
    return make<Record<string, T>>('map', 'a map', (value, field) => {
      if (!isMap(value)) throw new ValidationError(field, `must be a map, not ${describe(value)}`);
      for (const [key, v] of Object.entries(value)) entry.check(v, fieldOf(field, key));
    });
  },

  /** A map with these fields (others are left alone, as TypeScript callers may pass them too). */
  shape<P>(fields: PropChecks<P>): OptionalCheck<P> {
    const checks: Record<string, Check<unknown>> = fields;
    return make<P>('map', 'a map', (value, field) => {
      if (!isMap(value)) throw new ValidationError(field || 'props', `must be a map, not ${describe(value)}`);
      for (const [key, check] of Object.entries(checks)) check.check(value[key], fieldOf(field, key));
    }, { fields: checks });
  },

  /** Any map: what it holds is checked elsewhere (by the CRD's rules), or not at all. */
  map<T extends object>(): OptionalCheck<T> {
    return simple<T>('map', 'a map', isMap);
  },

  /** A value `ok` accepts, described by `expected` (`a quantity such as { value: "1Gi" }`). */
  matching<T>(kind: CheckKind, expected: string, ok: (value: unknown) => boolean): OptionalCheck<T> {
    return simple<T>(kind, expected, ok);
  },

  /** An instance of `type`, as its factories make it; `expected` says how to get one. */
  instanceOf<T>(type: { readonly prototype: T }, expected: string): OptionalCheck<T> {
    // A class with a private constructor (made by its factories) is still a function.
    return simple<T>('instance', expected, (v) => v instanceof (type as unknown as abstract new () => T));
  },
};

/** Every props table, by construct (`ImageRegistry`) or factory (`RegistryStorage.s3`), for tests. */
export const PROP_TABLES = new Map<string, Check<unknown>>();

/**
 * The props table of the construct or factory `name`: a check of the whole props object, whose
 * messages name each prop as the construct's other errors do (`routes[0].name`).
 */
export function propTypes<P>(name: string, fields: PropChecks<P>): Check<P> {
  const table = is.shape<P>(fields);
  PROP_TABLES.set(name, table as Check<unknown>);
  return table;
}

/** Throws a ValidationError naming the first prop of `props` that `table` refuses. */
export function checkProps<P>(table: Check<P>, props: P): void {
  table.check(props ?? {}, '');
}
