import { readFileSync } from 'node:fs';
import { ApiObject, App, Chart, IResolver, Lazy, ResolutionContext } from 'cdk8s';
// @ts-expect-error: a plain ES module of the build scripts, without types
import { resolversOncePerObject } from '../../scripts/resolvers-once.mjs';

// scripts/resolvers-once.mjs: the CLI's bundle caches, per object, the App lookup that cdk8s's
// resolve makes for every value. The rewritten module must render exactly as cdk8s does.

const resolvePath = require.resolve('cdk8s/lib/resolve.js');
const original = readFileSync(resolvePath, 'utf8');

/** cdk8s/lib/resolve.js's exports, from `source`, with cdk8s's own modules as this test has them (one cdk8s, one realm). */
function load(source: string): { resolve: (key: string[], value: unknown, apiObject: ApiObject) => unknown } {
  const module = { exports: {} };
  const requireFromCdk8s = (id: string) => require(id.startsWith('./') ? `cdk8s/lib/${id.slice(2)}` : id);
  new Function('exports', 'require', 'module', source)(module.exports, requireFromCdk8s, module);
  return module.exports as never;
}

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

describe('cdk8s resolve with the App looked up once per object', () => {
  test('the installed cdk8s has the lookup once, and the rewrite replaces it', () => {
    const { code, count } = resolversOncePerObject(original);
    expect(count).toBe(1);
    expect(code).not.toContain('const resolvers = app_1.App.of(apiObject).resolvers;');
    expect(resolversOncePerObject('function resolve() {}')).toEqual({ code: 'function resolve() {}', count: 0 });
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
      const rewritten = load(resolversOncePerObject(original).code);
      expect(rewritten.resolve([], value, object)).toEqual(expected);
      expect(rewritten.resolve([], value, object)).toEqual(expected);
      expect(lookups / perLookup).toBe(1);
      lookups = 0;
      load(original).resolve([], value, object);
      expect(lookups / perLookup).toBeGreaterThan(10); // cdk8s's own: one per value
    } finally {
      App.of = real;
    }
  });
});
