import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { ApiObject, App, Chart, IResolver, Lazy, ResolutionContext } from 'cdk8s';
import fc from 'fast-check';
// @ts-expect-error: a plain ES module of the build scripts, without types
import { fasterResolve } from '../../scripts/cdk8s-resolve.mjs';

// scripts/cdk8s-resolve.mjs: the CLI's bundle caches, per object, the App lookup that cdk8s's
// resolve makes for every value, and renders an App with only cdk8s's own resolvers without a
// context and a key path per value. The rewritten module must render exactly as cdk8s does.

const resolvePath = require.resolve('cdk8s/lib/resolve.js');
const original = readFileSync(resolvePath, 'utf8');
let rewritten: string;
beforeAll(async () => {
  rewritten = (await fasterResolve(original)).code;
});

type ResolveModule = {
  resolve: (key: string[], value: unknown, apiObject: ApiObject) => unknown;
  LazyResolver: new () => IResolver;
  ImplicitTokenResolver: new () => IResolver;
  NumberStringUnionResolver: new () => IResolver;
};

/** cdk8s/lib/resolve.js's exports, from `source`, with cdk8s's own modules as this test has them (one cdk8s, one realm). */
function load(source: string): ResolveModule {
  const module = { exports: {} };
  const requireFromCdk8s = (id: string) => require(id.startsWith('./') ? `cdk8s/lib/${id.slice(2)}` : id);
  new Function('exports', 'require', 'module', source)(module.exports, requireFromCdk8s, module);
  return module.exports as never;
}

/** An object in an App whose resolvers are cdk8s's own three, made by `module` (as the CLI's App has them: one module). */
function objectWithBuiltIns(module: ResolveModule, resolvers?: IResolver[]): ApiObject {
  const app = new App();
  (app as { resolvers: IResolver[] }).resolvers = resolvers ?? [new module.LazyResolver(), new module.ImplicitTokenResolver(), new module.NumberStringUnionResolver()];
  return new ApiObject(new Chart(app, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap' });
}

/** What `resolve` gave, down to undefined values, key order and classes. */
const shown = (value: unknown) => inspect(value, { depth: null, showHidden: false, sorted: false, maxArrayLength: null, maxStringLength: null });

/** An App with a resolver of its own (it upper-cases strings under `spec.shout`), and an object with Lazy values. */
function fixture() {
  const shout: IResolver = { resolve: (context: ResolutionContext) => {
    const { key, value } = context;
    if (key[0] === 'spec' && key[1] === 'shout' && typeof value === 'string' && value !== value.toUpperCase()) context.replaceValue(value.toUpperCase());
  } };
  const app = new App({ resolvers: [shout] });
  const chart = new Chart(new Chart(app, 'outer'), 'inner');
  const object = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap' });
  const value = { spec: { shout: 'quiet', lazy: Lazy.any({ produce: () => ({ deeper: Lazy.any({ produce: () => [1, 'two'] }) }) }), list: [{ shout: 'no' }] } };
  return { object, value };
}

/** A class like the union types cdk8s import writes (IntOrString, Quantity): `value` read after resolution. */
class Union {
  constructor(public readonly value: unknown) {}
}
class Token {
  constructor(private readonly produced: unknown) {}
  resolve() {
    return this.produced;
  }
}
class Other {
  public readonly kept = 1;
}

/** Values of every shape resolve meets: plain data, Lazy values, tokens, unions, dictionaries without a prototype, class instances. */
const values: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, undefined, 0, -1.5, '', 'text', true, false, NaN),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'value', 'resolve', 'constructor', '__proto__', 'z'), tie('value'), { maxKeys: 4 }),
    tie('value').map((v) => Lazy.any({ produce: () => v })),
    tie('value').map((v) => new Token(v)),
    tie('value').map((v) => ({ resolve: () => v })),
    fc.oneof(fc.integer(), fc.string(), fc.boolean(), tie('value')).map((v) => new Union(v)),
    fc.dictionary(fc.constantFrom('a', 'b', 'value'), tie('value'), { maxKeys: 3 }).map((d) => Object.assign(Object.create(null), d)),
    fc.constant(new Other()),
  ),
})).value;

describe('cdk8s resolve, rewritten for the CLI\'s bundle', () => {
  test('the installed cdk8s is the one the rewrite mirrors, and the rewrite replaces the lookup', async () => {
    const { code, count } = await fasterResolve(original);
    expect(count).toBe(1);
    expect(code).not.toContain('const resolvers = app_1.App.of(apiObject).resolvers;');
    expect(await fasterResolve('function resolve() {}')).toEqual({ code: 'function resolve() {}', count: 0 });
    expect((await fasterResolve(`${original}\n}`)).count).toBe(0); // does not parse
  });

  test.each([
    ['a union type of another kind', "static TYPES = ['number', 'string'];", "static TYPES = ['number', 'string', 'boolean'];"],
    ['another order of the walk', 'if (Array.isArray(value)) {', 'if (value.constructor == Object && false) {} if (Array.isArray(value)) {'],
    ['a resolver that replaces otherwise', 'const resolved = context.value.resolve();', 'const resolved = context.value.resolve(context);'],
    ['a Lazy of another module', 'const lazy_1 = require("./lazy");', 'const lazy_1 = require("./lazy-2");'],
    ['a context that counts another replacement', 'this.replaced = true;', 'this.replaced = newValue !== undefined;'],
    ['a line before the lookup', 'function resolve(key, value, apiObject) {', 'function resolve(key, value, apiObject) {\n    if (key.length > 1) return "CUT";'],
    // Code that a search for comments in the text would take for one.
    ['code between line comments that open and close a block comment', 'const resolvers = app_1.App.of(apiObject).resolvers;', 'const resolvers = app_1.App.of(apiObject).resolvers;\n    // /*\n    if (typeof value === "string") value = value.toUpperCase();\n    // */'],
    ['code between strings that open and close a block comment', 'version: "2.70.106" };\n    resolve(context) {\n        if (context.value instanceof', 'version: "2.70.106/*" }; static x = () => "*/";\n    resolve(context) {\n        if (context.value instanceof'],
  ])('a cdk8s whose resolve differs from what the rewrite mirrors (%s) is not rewritten: the bundle refuses it', async (_, from, to) => {
    expect(original).toContain(from);
    expect((await fasterResolve(original.replace(from, to))).count).toBe(0);
  });

  test('comments, version stamps, line endings and indentation are not code: such a resolve.js is rewritten', async () => {
    const restyled = original.replace(/dictionrary/g, 'dictionary').replace(/\/\/ give dibs[^\n]*\n/, '').replace(/"2\.70\.\d+"/g, '"2.70.999"').replace(/\n/g, '\r\n').replace(/    /g, '\t');
    expect(restyled).not.toBe(original);
    expect((await fasterResolve(restyled)).count).toBe(1);
  });

  test('renders what cdk8s renders, with the App\'s own resolvers in their order, looking the App up once per object', () => {
    const { object, value } = fixture();
    const expected = load(original).resolve([], value, object);
    expect(expected).toEqual({ spec: { shout: 'QUIET', lazy: { deeper: [1, 'two'] }, list: [{ shout: 'no' }] } });
    const real = App.of;
    let lookups = 0;
    App.of = (c) => { lookups += 1; return real.call(App, c); };
    try {
      App.of(object); // App.of calls itself once per level up to the App
      const perLookup = lookups;
      expect(perLookup).toBe(4);
      lookups = 0;
      const faster = load(rewritten);
      expect(faster.resolve([], value, object)).toEqual(expected);
      expect(faster.resolve([], value, object)).toEqual(expected);
      expect(lookups / perLookup).toBe(1);
      lookups = 0;
      load(original).resolve([], value, object);
      expect(lookups / perLookup).toBeGreaterThan(10); // cdk8s's own: one per value
    } finally {
      App.of = real;
    }
  });

  test('with cdk8s\'s own resolvers only, every value renders exactly as cdk8s renders it (undefined values, key order and classes included)', () => {
    const cdk8s = load(original);
    const faster = load(rewritten);
    const [before, after] = [objectWithBuiltIns(cdk8s), objectWithBuiltIns(faster)];
    fc.assert(fc.property(values, (value) => {
      expect(shown(faster.resolve([], value, after))).toBe(shown(cdk8s.resolve([], value, before)));
    }), { numRuns: 2000 });
  });

  test('a built-in resolver whose method was replaced, or a subclass of one, is the App\'s own: it is called for each value, as cdk8s calls it', () => {
    const faster = load(rewritten);
    const seen: string[] = [];
    class Watching extends faster.ImplicitTokenResolver {
      resolve(context: ResolutionContext) {
        seen.push(context.key.join('.'));
        super.resolve(context);
      }
    }
    const value = { spec: { a: 1, b: [new Token('t')] } };
    const object = objectWithBuiltIns(faster, [new faster.LazyResolver(), new Watching(), new faster.NumberStringUnionResolver()]);
    expect(faster.resolve([], value, object)).toEqual({ spec: { a: 1, b: ['t'] } });
    expect(seen).toEqual(['', 'spec', 'spec.a', 'spec.b', 'spec.b.0', 'spec.b.0']);
    seen.length = 0;
    const replaced = new faster.NumberStringUnionResolver();
    const own = replaced.resolve.bind(replaced);
    replaced.resolve = (context) => {
      seen.push(context.key.join('.'));
      own(context);
    };
    expect(faster.resolve([], value, objectWithBuiltIns(faster, [new faster.LazyResolver(), new faster.ImplicitTokenResolver(), replaced]))).toEqual({ spec: { a: 1, b: ['t'] } });
    expect(seen).toEqual(['', 'spec', 'spec.a', 'spec.b', 'spec.b.0']);
  });
});
