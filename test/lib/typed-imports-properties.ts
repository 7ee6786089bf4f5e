// The rewritten toJson of cdk8s-plus-28's imports (scripts/linear-maps.mjs, in the CLI's bundle)
// against the published one, on generated input: the unit tier runs a few, the integration tier
// many (typed-imports.slow.test.ts).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
// @ts-expect-error: a plain ES module of the build scripts, without types
import { linearToJsonMaps } from '../../scripts/linear-maps.mjs';

/** cdk8s-plus-28's k8s.js as a module: as published, or as the CLI's bundle rewrites it. */
export function k8sModule(rewritten: boolean): Record<string, (obj: unknown) => unknown> {
  const path = require.resolve('cdk8s-plus-28/lib/imports/k8s.js');
  const source = readFileSync(path, 'utf8');
  const module = { exports: {} };
  new Function('exports', 'require', 'module', rewritten ? linearToJsonMaps(source).code : source)(module.exports, require, module);
  return module.exports;
}

/** What a caller can see of a value: its prototype, its own keys in order with their flags, their values. */
function shape(value: unknown): unknown {
  if (value === undefined) return { undefined: true };
  if (typeof value !== 'object' || value === null) return value;
  const proto = Object.getPrototypeOf(value);
  return {
    proto: proto === Object.prototype ? 'Object' : proto === Array.prototype ? 'Array' : proto === null ? 'null' : 'other',
    own: Reflect.ownKeys(value).map((key) => {
      const d = Object.getOwnPropertyDescriptor(value, key)!;
      return [String(key), d.enumerable, d.writable, d.configurable, d.get !== undefined || d.set !== undefined, shape(d.value)];
    }),
  };
}

/** The value's shape, or the error it throws. */
export function outcome(run: () => unknown): unknown {
  try {
    return shape(run());
  } catch (e) {
    return { threw: `${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
}

/** Published and rewritten toJson_* give the same on `numRuns` generated inputs of four types. */
export function publishedToJsonMatches(numRuns: number): void {
  describe("cdk8s-plus-28's toJson as the CLI's bundle rewrites it renders what the published one renders", () => {
    const published = k8sModule(false);
    const rewritten = k8sModule(true);
    const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '0', '1', '10', '-1', '', 'a', 'b'), fc.string({ maxLength: 8 }));
    const value = fc.oneof(fc.string({ maxLength: 8 }), fc.constant(undefined), fc.constant(null), fc.integer());
    const map = <T>(item: fc.Arbitrary<T>) => fc.array(fc.tuple(key, item), { maxLength: 12 }).map((entries) => Object.fromEntries(entries));
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(undefined), fc.constant(null));
    const metadata = fc.record({ name: maybe(fc.string()), namespace: maybe(fc.string()), labels: maybe(map(value)), annotations: maybe(map(value)), finalizers: maybe(fc.array(fc.string(), { maxLength: 3 })), generation: maybe(fc.integer()) }, { requiredKeys: [] });
    // A quantity's value (`i[1]?.value`), as cdk8s's Quantity holds it.
    const resources = fc.record({ limits: maybe(map(fc.oneof(fc.constant(undefined), fc.record({ value: fc.oneof(fc.string(), fc.integer()) })))), requests: maybe(map(fc.record({ value: fc.string() }))) }, { requiredKeys: [] });
    // A nested toJson per item (`toJson_JsonSchemaProps(i[1])`).
    const schema = fc.record({ type: maybe(fc.constantFrom('object', 'string')), properties: maybe(map(fc.record({ type: maybe(fc.string()), description: maybe(fc.string()) }, { requiredKeys: [] }))) }, { requiredKeys: [] });
    const podSpec = fc.record({
      nodeSelector: maybe(map(value)),
      containers: fc.array(fc.record({ name: fc.string(), image: maybe(fc.string()), resources: maybe(resources), env: maybe(fc.array(fc.record({ name: fc.string(), value: maybe(fc.string()) }, { requiredKeys: ['name'] }), { maxLength: 3 })) }, { requiredKeys: ['name'] }), { maxLength: 3 }),
    }, { requiredKeys: ['containers'] });

    test.each([
      ['toJson_ObjectMeta', metadata],
      ['toJson_ResourceRequirements', resources],
      ['toJson_JsonSchemaProps', schema],
      ['toJson_PodSpec', podSpec],
    ] as const)(`%s: the same keys, order, flags, prototypes and values, on ${numRuns} generated inputs`, (name, input) => {
      fc.assert(fc.property(input, (obj) => {
        expect(outcome(() => rewritten[name](obj))).toEqual(outcome(() => published[name](obj)));
      }), { numRuns });
    });
  });
}
