// The CEL environment of a Kubernetes minor: the standard library (@bufbuild/cel), the strings
// extension, and the Kubernetes libraries that minor has for CRD rules, as
// k8s.io/apiserver/pkg/cel/environment/base.go introduces them (stored rules may use every
// library of the server's own version): regex (find, findAll), lists (isSorted, sum, min, max,
// indexOf, lastIndexOf) and URLs from the start, quantity from 1.28, sets from 1.29. Not here:
// optional types (1.28), ip and cidr (1.30), format (1.31), two-variable comprehensions (1.32),
// semver (1.33): a rule that uses them is reported as not checked, never as failed.
// Everything is loaded on first use: synth pays for CEL only when a rule runs.
import type * as Cel from '@bufbuild/cel';
import { CHARGE_CALL, CHARGE_STEP, currentMeter, sizeCost } from './meter';

type CelModule = typeof Cel;
let cel: CelModule | undefined;

/** @bufbuild/cel, loaded on first use. */
export function loadCel(): CelModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (cel ??= require('@bufbuild/cel') as CelModule);
}

type Re2 = typeof import('re2js').RE2JS;
let re2: Re2 | undefined;
const patterns = new Map<string, InstanceType<Re2>>();

/** An RE2 pattern (re2js: RE2's syntax, time linear in the input), compiled once. */
function regexp(pattern: string): InstanceType<Re2> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  re2 ??= (require('re2js') as typeof import('re2js')).RE2JS;
  let compiled = patterns.get(pattern);
  if (!compiled) {
    compiled = re2.compile(pattern);
    if (patterns.size > 1000) patterns.clear();
    patterns.set(pattern, compiled);
  }
  return compiled;
}

/** Instructions of a compiled pattern's program (re2js keeps it on re2Input.prog). */
export function regexInstructions(compiled: InstanceType<Re2>): number {
  const inst = (compiled as unknown as { re2Input?: { prog?: { inst?: unknown[] } } }).re2Input?.prog?.inst;
  if (!Array.isArray(inst)) throw new Error('re2js no longer exposes its program: see regexInstructions');
  return inst.length;
}

/**
 * Runs `pattern` on `text`: charged as cel-go charges it (traversal of the string times a quarter
 * of the pattern's length: interpreter/runtimecost.go for matches, k8s.io/apiserver
 * pkg/cel/library/cost.go for find and findAll), and refused when it would take too long here.
 */
function onRegex<T>(text: string, pattern: string, run: (compiled: InstanceType<Re2>) => T): T {
  const compiled = regexp(pattern);
  const meter = currentMeter.meter;
  meter.charge(Math.ceil((1 + text.length) * 0.1) * Math.ceil(pattern.length * 0.25));
  meter.guardRegex((text.length + 1) * regexInstructions(compiled));
  const result = run(compiled);
  meter.checkClock();
  return result;
}

const environments = new Map<number, Cel.CelEnv>();

/** The environment of Kubernetes 1.`minor`, built once. */
export function kubernetesEnvironment(minor: number): Cel.CelEnv {
  let env = environments.get(minor);
  if (!env) {
    const c = loadCel();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { strings } = require('@bufbuild/cel/ext') as typeof import('@bufbuild/cel/ext');
    env = c.celEnv({
      funcs: [...strings.filter((f) => f.name !== 'replace'), ...replaceFunctions(c), ...meterFunctions(c), ...regexFunctions(c), ...listFunctions(c), ...urlFunctions(c), ...(minor >= 28 ? quantityFunctions(c) : []), ...(minor >= 29 ? setFunctions(c) : [])],
      re2: { compile: (pattern: string) => ({ test: (text: string) => onRegex(text, pattern, (compiled) => compiled.matcher(text).find()) }) },
    });
    environments.set(minor, env);
  }
  return env;
}

function meterFunctions({ celFunc, CelScalar }: CelModule): Cel.CelFunc[] {
  // A call: one unit and the size of what it made. A comprehension step: one unit.
  const call = <T>(value: T): T => {
    currentMeter.meter.charge(1 + sizeCost(value));
    return value;
  };
  const step = <T>(value: T): T => {
    currentMeter.meter.charge();
    return value;
  };
  return [celFunc(CHARGE_CALL, [CelScalar.DYN], CelScalar.DYN, call), celFunc(CHARGE_STEP, [CelScalar.DYN], CelScalar.DYN, step)];
}

/** Charges work that grows faster than what it makes, before it is done. */
const precharge = (units: number) => currentMeter.meter.charge(Math.floor(units));

/**
 * The strings extension's replace (cel-go ext/strings.go: Go's strings.Replace, `n` < 0 for all),
 * charged for the string it would make before making it: `s.replace('', s)` makes |s|² bytes.
 */
function replaceFunctions({ celMethod, CelScalar }: CelModule): Cel.CelFunc[] {
  const replace = (text: string, old: string, replacement: string, n: number): string => {
    if (n === 0 || old === replacement) return text;
    const runes = old === '' ? Array.from(text) : undefined;
    const parts = runes ? undefined : text.split(old);
    const found = runes ? runes.length + 1 : parts!.length - 1;
    const count = n < 0 || n > found ? found : n;
    precharge((text.length + count * Math.max(0, replacement.length - old.length)) / 10);
    if (runes) return runes.reduce((out, rune, i) => out + (i < count ? replacement : '') + rune, '') + (runes.length < count ? replacement : '');
    return parts!.slice(0, count + 1).join(replacement) + (count < parts!.length - 1 ? old + parts!.slice(count + 1).join(old) : '');
  };
  return [
    celMethod('replace', CelScalar.STRING, [CelScalar.STRING, CelScalar.STRING], CelScalar.STRING, function (this: string, old: string, replacement: string) {
      return replace(this, old, replacement, -1);
    }),
    celMethod('replace', CelScalar.STRING, [CelScalar.STRING, CelScalar.STRING, CelScalar.INT], CelScalar.STRING, function (this: string, old: string, replacement: string, n: bigint) {
      return replace(this, old, replacement, Number(n));
    }),
  ];
}

/** k8s.io/apiserver/pkg/cel/library/regex.go. */
function regexFunctions({ celMethod, CelScalar, listType }: CelModule): Cel.CelFunc[] {
  const findAll = (text: string, pattern: string, limit: bigint) => onRegex(text, pattern, (compiled) => {
    const matcher = compiled.matcher(text);
    const out: string[] = [];
    while ((limit < 0n || out.length < limit) && matcher.find()) out.push(matcher.group() ?? '');
    return out;
  });
  return [
    celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (this: string, pattern: string) {
      const text = this;
      return onRegex(text, pattern, (compiled) => {
        const matcher = compiled.matcher(text);
        return matcher.find() ? matcher.group() ?? '' : '';
      });
    }),
    celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (this: string, pattern: string) {
      return findAll(this, pattern, -1n);
    }),
    celMethod('findAll', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], listType(CelScalar.STRING), function (this: string, pattern: string, limit: bigint) {
      return findAll(this, pattern, limit);
    }),
  ];
}

type Comparable = bigint | number | string | boolean;

function compare(a: unknown, b: unknown): number {
  if (typeof a !== typeof b && !(typeof a === 'bigint' && typeof b === 'number') && !(typeof a === 'number' && typeof b === 'bigint')) {
    throw new Error(`no such overload: comparing ${typeof a} and ${typeof b}`);
  }
  return (a as Comparable) < (b as Comparable) ? -1 : (a as Comparable) > (b as Comparable) ? 1 : 0;
}

/** k8s.io/apiserver/pkg/cel/library/lists.go. */
function listFunctions({ celMethod, CelScalar, listType }: CelModule): Cel.CelFunc[] {
  const LIST = listType(CelScalar.DYN);
  const items = (list: Cel.CelList) => [...list];
  const extreme = (sign: number) => function (this: Cel.CelList) {
    const all = items(this);
    if (!all.length) throw new Error(`${sign < 0 ? 'min' : 'max'}() called on an empty list`);
    return all.reduce((best, x) => (compare(x, best) * sign > 0 ? x : best));
  };
  const indexOf = (last: boolean) => function (this: Cel.CelList, value: unknown) {
    const all = items(this);
    precharge(all.length);
    const { equals } = equality();
    const order = last ? [...all.keys()].reverse() : [...all.keys()];
    return BigInt(order.find((i) => equals(all[i], value)) ?? -1);
  };
  return [
    celMethod('isSorted', LIST, [], CelScalar.BOOL, function (this: Cel.CelList) {
      const all = items(this);
      return all.every((x, i) => i === 0 || compare(all[i - 1], x) <= 0);
    }),
    celMethod('sum', LIST, [], CelScalar.DYN, function (this: Cel.CelList) {
      const all = items(this);
      if (all.some((x) => typeof x === 'number')) return all.reduce((s: number, x) => s + Number(x), 0);
      const sum = all.reduce((s: bigint, x) => s + (x as bigint), 0n);
      if (sum > 2n ** 63n - 1n || sum < -(2n ** 63n)) throw new Error('integer overflow');
      return sum;
    }),
    celMethod('min', LIST, [], CelScalar.DYN, extreme(-1)),
    celMethod('max', LIST, [], CelScalar.DYN, extreme(1)),
    celMethod('indexOf', LIST, [CelScalar.DYN], CelScalar.INT, indexOf(false)),
    celMethod('lastIndexOf', LIST, [CelScalar.DYN], CelScalar.INT, indexOf(true)),
  ];
}

let equals: ((a: unknown, b: unknown) => boolean) | undefined;

/** CEL equality, as `==` has it (for indexOf and sets). */
function equality(): { equals: (a: unknown, b: unknown) => boolean } {
  if (!equals) {
    const c = loadCel();
    const plan = c.plan(c.celEnv({}), c.parse('a == b'));
    equals = (a, b) => plan({ a, b } as never) === true;
  }
  return { equals };
}

/** cel-go ext.Sets (library.Sets in base.go). */
function setFunctions({ celFunc, CelScalar, listType }: CelModule): Cel.CelFunc[] {
  const LIST = listType(CelScalar.DYN);
  const contains = (outer: Cel.CelList, inner: Cel.CelList) => {
    const { equals } = equality();
    const all = [...outer];
    precharge(all.length * [...inner].length);
    return [...inner].every((x) => all.some((y) => equals(x, y)));
  };
  return [
    celFunc('sets.contains', [LIST, LIST], CelScalar.BOOL, contains),
    celFunc('sets.equivalent', [LIST, LIST], CelScalar.BOOL, (a: Cel.CelList, b: Cel.CelList) => contains(a, b) && contains(b, a)),
    celFunc('sets.intersects', [LIST, LIST], CelScalar.BOOL, (a: Cel.CelList, b: Cel.CelList) => {
      const { equals } = equality();
      const all = [...b];
      precharge(all.length * [...a].length);
      return [...a].some((x) => all.some((y) => equals(x, y)));
    }),
  ];
}

/**
 * k8s.io/apiserver/pkg/cel/library/urls.go: url() takes an absolute URI or an absolute path
 * (Go's url.ParseRequestURI); a URL is shown to CEL as a map with a marker key.
 */
function urlFunctions({ celFunc, celMethod, CelScalar, mapType, listType, celMap }: CelModule): Cel.CelFunc[] {
  const URL_KEY = '@url';
  const parse = (text: string): URL | undefined => {
    if (!/^([a-zA-Z][a-zA-Z0-9+.-]*:|\/)/.test(text) || /\s/.test(text)) return undefined;
    try {
      return new URL(text, 'http://relative.invalid');
    } catch {
      return undefined;
    }
  };
  const get = (value: Cel.CelMap): { url: URL; text: string } => {
    const text = value.get(URL_KEY);
    if (typeof text !== 'string') throw new Error('no such overload: not a URL');
    return { url: parse(text)!, text };
  };
  const absolute = (text: string) => !text.startsWith('/');
  const MAP = mapType(CelScalar.STRING, CelScalar.DYN);
  const getter = (name: string, read: (u: URL, text: string) => unknown, result = CelScalar.STRING as Cel.CelType) =>
    celMethod(name, MAP, [], result, function (this: Cel.CelMap) {
      const { url, text } = get(this);
      return read(url, text) as never;
    });
  return [
    celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (text: string) => parse(text) !== undefined),
    celFunc('url', [CelScalar.STRING], MAP, (text: string) => {
      if (!parse(text)) throw new Error(`URL parse error during conversion from string: ${text}`);
      return celMap(new Map([[URL_KEY, text]]));
    }),
    getter('getScheme', (u, t) => (absolute(t) ? u.protocol.slice(0, -1) : '')),
    getter('getHost', (u, t) => (absolute(t) ? u.host : '')),
    getter('getHostname', (u, t) => (absolute(t) ? u.hostname.replace(/^\[|\]$/g, '') : '')),
    getter('getPort', (u, t) => (absolute(t) ? u.port : '')),
    getter('getEscapedPath', (u) => u.pathname),
    getter('getQuery', (u) => {
      const query = new Map<string, string[]>();
      for (const [k, v] of u.searchParams) query.set(k, [...(query.get(k) ?? []), v]);
      return celMap(query);
    }, mapType(CelScalar.STRING, listType(CelScalar.STRING))),
  ];
}

/**
 * k8s.io/apiserver/pkg/cel/library/quantity.go over resource.Quantity's syntax: a Quantity is
 * shown to CEL as a map holding its exact value as a fraction, so that equal amounts are equal.
 */
function quantityFunctions({ celFunc, celMethod, CelScalar, mapType, celMap }: CelModule): Cel.CelFunc[] {
  const MAP = mapType(CelScalar.STRING, CelScalar.DYN);
  const KEY = '@quantity';
  const make = (q: Fraction) => celMap(new Map([[KEY, `${q.num}/${q.den}`]]));
  const read = (value: Cel.CelMap): Fraction => {
    const text = value.get(KEY);
    if (typeof text !== 'string') throw new Error('no such overload: not a quantity');
    const [num, den] = text.split('/').map(BigInt);
    return { num, den };
  };
  const cmp = (a: Fraction, b: Fraction) => { const d = a.num * b.den - b.num * a.den; return d < 0n ? -1n : d > 0n ? 1n : 0n; };
  const add = (a: Fraction, b: Fraction, sign: bigint) => reduce({ num: a.num * b.den + sign * b.num * a.den, den: a.den * b.den });
  const method = (name: string, args: Cel.CelType[], result: Cel.CelType, impl: (q: Fraction, ...rest: never[]) => unknown) =>
    celMethod(name, MAP, args as never, result, function (this: Cel.CelMap, ...rest: never[]) { return impl(read(this), ...rest) as never; });
  return [
    celFunc('isQuantity', [CelScalar.STRING], CelScalar.BOOL, (text: string) => parseQuantity(text) !== undefined),
    celFunc('quantity', [CelScalar.STRING], MAP, (text: string) => {
      const q = parseQuantity(text);
      if (!q) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
      return make(q);
    }),
    method('isInteger', [], CelScalar.BOOL, (q) => q.den === 1n),
    method('asInteger', [], CelScalar.INT, (q) => {
      if (q.den !== 1n || q.num > 2n ** 63n - 1n || q.num < -(2n ** 63n)) throw new Error('cannot convert value to integer');
      return q.num;
    }),
    method('asApproximateFloat', [], CelScalar.DOUBLE, (q) => Number(q.num) / Number(q.den)),
    method('sign', [], CelScalar.INT, (q) => (q.num < 0n ? -1n : q.num > 0n ? 1n : 0n)),
    method('isGreaterThan', [MAP], CelScalar.BOOL, (q, o: Cel.CelMap) => cmp(q, read(o)) > 0n),
    method('isLessThan', [MAP], CelScalar.BOOL, (q, o: Cel.CelMap) => cmp(q, read(o)) < 0n),
    method('compareTo', [MAP], CelScalar.INT, (q, o: Cel.CelMap) => cmp(q, read(o))),
    method('add', [MAP], MAP, (q, o: Cel.CelMap) => make(add(q, read(o), 1n))),
    method('add', [CelScalar.INT], MAP, (q, o: bigint) => make(add(q, { num: o, den: 1n }, 1n))),
    method('sub', [MAP], MAP, (q, o: Cel.CelMap) => make(add(q, read(o), -1n))),
    method('sub', [CelScalar.INT], MAP, (q, o: bigint) => make(add(q, { num: o, den: 1n }, -1n))),
  ];
}

interface Fraction { readonly num: bigint; readonly den: bigint }

function reduce({ num, den }: Fraction): Fraction {
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

const SUFFIXES: Record<string, Fraction> = {
  '': { num: 1n, den: 1n }, n: { num: 1n, den: 10n ** 9n }, u: { num: 1n, den: 10n ** 6n }, m: { num: 1n, den: 1000n },
  k: { num: 1000n, den: 1n }, M: { num: 10n ** 6n, den: 1n }, G: { num: 10n ** 9n, den: 1n }, T: { num: 10n ** 12n, den: 1n },
  P: { num: 10n ** 15n, den: 1n }, E: { num: 10n ** 18n, den: 1n }, Ki: { num: 2n ** 10n, den: 1n }, Mi: { num: 2n ** 20n, den: 1n },
  Gi: { num: 2n ** 30n, den: 1n }, Ti: { num: 2n ** 40n, den: 1n }, Pi: { num: 2n ** 50n, den: 1n }, Ei: { num: 2n ** 60n, den: 1n },
};

/** A quantity as resource.ParseQuantity reads it (k8s.io/apimachinery/pkg/api/resource/quantity.go), as an exact fraction. */
export function parseQuantity(text: string): Fraction | undefined {
  const m = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([KMGTPE]i|[numkMGTPE])|[eE]([+-]?\d{1,4}))?$/.exec(text);
  if (!m || text.length > 100) return undefined;
  const [whole, fraction = ''] = m[2].split('.');
  let value: Fraction = { num: BigInt(`${whole || '0'}${fraction}`) * (m[1] === '-' ? -1n : 1n), den: 10n ** BigInt(fraction.length) };
  const scale = m[3] !== undefined ? SUFFIXES[m[3]] : m[4] !== undefined ? (Number(m[4]) >= 0 ? { num: 10n ** BigInt(m[4]), den: 1n } : { num: 1n, den: 10n ** BigInt(-Number(m[4])) }) : SUFFIXES[''];
  value = { num: value.num * scale.num, den: value.den * scale.den };
  return reduce(value);
}
