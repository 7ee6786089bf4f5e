import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { toJson_ConfigSpec } from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import { ImageRegistry } from '../../lib/registry/image-registry';
import { RegistryStorage } from '../../lib/registry/registry-storage';
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
      expect(source).toContain('Object.defineProperty(r, i[0]');
    }
  });

  test("cdk8s-plus-28's imports, as the CLI bundle rewrites them, have no copy left, in each form cdk8s writes", () => {
    const source = readFileSync(require.resolve('cdk8s-plus-28/lib/imports/k8s.js'), 'utf8');
    expect(COPY_PER_KEY.test(source)).toBe(true);
    const { code, count } = linearToJsonMaps(source);
    expect(count).toBeGreaterThan(400);
    expect(COPY_PER_KEY.test(code)).toBe(false);
    // The value forms: the item itself, a quantity's value, a nested toJson.
    expect(code).toContain('Object.defineProperty(r, i[0], { value: i[1]?.value,');
    expect(code).toContain('Object.defineProperty(r, i[0], { value: toJson_JsonSchemaProps(i[1]),');
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
