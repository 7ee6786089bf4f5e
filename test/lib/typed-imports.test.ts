import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { transformSync } from 'esbuild';
import { toJson_ConfigSpec } from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import { ImageRegistry } from '../../lib/registry/image-registry';
import { RegistryStorage } from '../../lib/registry/registry-storage';
import { k8sModule, outcome, publishedToJsonMatches } from './typed-imports-properties';
// @ts-expect-error: a plain ES module of the build scripts, without types
import { linearToJsonMaps } from '../../scripts/linear-maps.mjs';

const repoRoot = join(__dirname, '..', '..');
// What cdk8s import writes for a map: the object so far copied for each key (quadratic).
const COPY_PER_KEY = /\.\.\.r, \[i\[0\]\]/;

describe('the typed imports build maps in time linear in their size', () => {
  test('no toJson in imports/ copies the map for each key (npm run import rewrites them)', () => {
    for (const file of readdirSync(join(repoRoot, 'imports'))) {
      const source = readFileSync(join(repoRoot, 'imports', file), 'utf8');
      expect({ file, copies: COPY_PER_KEY.test(source) }).toEqual({ file, copies: false });
      // Each struct's undefined fields are dropped directly, not over Object.entries of the struct.
      expect({ file, entriesOfStruct: source.includes('Object.entries(result)') }).toEqual({ file, entriesOfStruct: false });
      expect(source).toContain('return definedFields(result);');
    }
  });

  test("cdk8s-plus-28's imports, as the CLI bundle rewrites them, have no copy left, in each form cdk8s writes", () => {
    const source = readFileSync(require.resolve('cdk8s-plus-28/lib/imports/k8s.js'), 'utf8');
    expect(COPY_PER_KEY.test(source)).toBe(true);
    const { code, count } = linearToJsonMaps(source);
    expect(count).toBeGreaterThan(400);
    expect(COPY_PER_KEY.test(code)).toBe(false);
    // The value forms: the item itself, a quantity's value, a nested toJson.
    expect(code).toContain('setOwnProperty(r, i[0], i[1]?.value)');
    expect(code).toContain('setOwnProperty(r, i[0], toJson_JsonSchemaProps(i[1]))');
    expect(code).not.toContain('Object.entries(result)');
  });

  test('the helpers appended to imports/ (TypeScript) are, types aside, those the bundle appends to cdk8s-plus-28 (JavaScript)', () => {
    const struct = 'return Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});';
    const helpers = (typescript: boolean) => linearToJsonMaps(struct, { typescript }).code.slice('return definedFields(result);'.length);
    const code = (text: string, loader: 'ts' | 'js') => transformSync(text, { loader, minifyWhitespace: true, legalComments: 'none' }).code;
    expect(code(helpers(true), 'ts')).toBe(code(helpers(false), 'js'));
    expect(helpers(false)).toContain('function definedFields(result)');
  });

  test('the rewrite keeps order, undefined values out, and a __proto__ key as a key', () => {
    const nodeSelector = JSON.parse('{"b": "1", "__proto__": "2", "a": "3", "gone": null}');
    nodeSelector.gone = undefined;
    const json = toJson_ConfigSpec({ managementState: 'Managed', nodeSelector } as never)!;
    expect(Object.keys(json.nodeSelector)).toEqual(['b', '__proto__', 'a']);
    expect(Object.getPrototypeOf(json.nodeSelector)).toBe(Object.prototype);
    expect(json.nodeSelector.__proto__).toBe('2');
  });

  // 40 s with a copy per key (jest cannot stop a synchronous test: the tests above are the guard).
  test('8000 nodeSelector keys reach the Config whole', () => {
    const nodeSelector = Object.fromEntries(Array.from({ length: 8000 }, (_, i) => [`example.com/k${i}`, 'v']));
    const chart = Testing.chart();
    new ImageRegistry(chart, 'Registry', { storage: RegistryStorage.fromExistingClaim({ name: 'image-registry-pvc' }), nodeSelector });
    const [config] = Testing.synth(chart);
    expect(config.spec.nodeSelector).toEqual(nodeSelector);
  });
});

// Published and rewritten toJson side by side: 50 inputs of each type here, 1000 in the
// integration tier (typed-imports.slow.test.ts).
publishedToJsonMatches(50);

describe("cdk8s-plus-28's toJson as the CLI's bundle rewrites it, with Object.prototype changed", () => {
  const published = k8sModule(false);
  const rewritten = k8sModule(true);

  test('keys Object.prototype holds are own data properties, whatever a library added to the prototype', () => {
    // A setter that throws and an enumerable property, added to Object.prototype for this test only.
    Object.defineProperty(Object.prototype, 'addedSetter', { set() { throw new Error('the setter ran'); }, configurable: true });
    Object.defineProperty(Object.prototype, 'addedEnumerable', { value: 'inherited', enumerable: true, writable: true, configurable: true });
    try {
      const labels = Object.fromEntries([['addedSetter', 'a'], ['__proto__', 'b'], ['constructor', 'c'], ['z', undefined]]);
      const input = { name: 'n', labels, annotations: { toString: 'd' } };
      const expected = outcome(() => published.toJson_ObjectMeta(input));
      expect(expected).not.toHaveProperty('threw');
      expect(outcome(() => rewritten.toJson_ObjectMeta(input))).toEqual(expected);
      const json = rewritten.toJson_ObjectMeta(input) as { labels: object };
      expect(Object.keys(json.labels)).toEqual(['addedSetter', '__proto__', 'constructor']);
      expect(Object.getPrototypeOf(json.labels)).toBe(Object.prototype);
      expect(Object.keys(json)).toEqual(['annotations', 'labels', 'name']);
    } finally {
      delete (Object.prototype as Record<string, unknown>).addedSetter;
      delete (Object.prototype as Record<string, unknown>).addedEnumerable;
    }
  });
});
