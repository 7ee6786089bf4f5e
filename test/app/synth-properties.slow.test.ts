import fc from 'fast-check';
import { loadAll } from 'js-yaml';
import { synthesizeCluster } from '../../app/charts/cluster';
import { ConfigError } from '../../app/config/config-error';
import { parseConfigText } from '../../app/config/loader';
import { toYaml } from '../../app/output/to-yaml';
import { builtInSchemas } from '../../app/validate/built-in-schemas';
import { validateTree } from '../../app/validate/validate-manifests';

const schemas = builtInSchemas();

// Generated configs, valid and not: values drawn from good and bad choices for every field.
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
/** Mostly `good` values, now and then a `bad` one. */
const pick = <T>(good: T[], bad: T[]) => fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 6 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });
const name = pick(['prod', 'lab-1'], ['Prod', 'a_b', '', 'x'.repeat(70)]);
const size = pick(['100Gi', '1Ti', '500M', '1.5Gi'], ['100GB', '0', '-1Gi', 'lots']);
const claimName = pick(['image-registry-pvc', 'registry'], ['image-registry-storage', 'Bad_Name']);
const credentials = pick<object>([
  { existingSecret: {} },
  { externalSecret: { store: { name: 'vault' }, data: { REGISTRY_STORAGE_S3_ACCESSKEY: { key: 'a' }, REGISTRY_STORAGE_S3_SECRETKEY: { key: 'b' } } } },
  { sealedSecret: { scope: 'cluster-wide', encryptedData: { REGISTRY_STORAGE_S3_ACCESSKEY: 'AgA', REGISTRY_STORAGE_S3_SECRETKEY: 'AgB' } } },
], [
  { sealedSecret: { encryptedData: { REGISTRY_STORAGE_S3_ACCESSKEY: 'AgA' } } },
  { plainSecret: { fromEnv: { REGISTRY_STORAGE_S3_ACCESSKEY: 'PLAIN_SECRET_PROP_TEST_UNSET', REGISTRY_STORAGE_S3_SECRETKEY: 'PLAIN_SECRET_PROP_TEST_UNSET' } } },
  {},
]);
const storage = fc.oneof(
  fc.record({ pvc: fc.record({ name: maybe(claimName), size: maybe(size), accessMode: maybe(fc.constantFrom('ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany')), storageClassName: maybe(fc.constantFrom('thin', 'Thin')) }, { requiredKeys: [] }) }),
  fc.record({ existingClaim: fc.record({ name: claimName, accessMode: maybe(fc.constantFrom('ReadWriteOnce', 'ReadWriteMany')) }, { requiredKeys: ['name'] }) }),
  fc.constant({ emptyDir: {} }),
  fc.record({ s3: fc.record({
    bucket: maybe(fc.constantFrom('registry', 'image-registry', 'Bad_Bucket', 'ab')),
    region: maybe(fc.constantFrom('us-east-1', 'eu-west-1', '')),
    regionEndpoint: maybe(fc.constantFrom('https://s3.example.com', 'http://minio.minio.svc:9000', 'https://minio.minio.svc:9000', 'minio:9000')),
    chunkSizeMiB: maybe(fc.constantFrom(5, 10, 4, 6000, 7.5)),
    credentials,
  }, { requiredKeys: ['credentials'] }) }),
  fc.constant({ pvc: {}, emptyDir: {} }),
);
const config = fc.record({
  name,
  minio: maybe(fc.record({ size: maybe(size), tls: maybe(fc.boolean()), consoleRoute: maybe(fc.boolean()), rootCredentials: credentials }, { requiredKeys: ['rootCredentials'] })),
  registry: fc.record({
    managementState: maybe(pick(['Managed', 'Unmanaged', 'Removed'], ['Force'])),
    replicas: maybe(pick([0, 1, 2, 3], [-1, 1.5])),
    rolloutStrategy: maybe(pick(['Recreate', 'RollingUpdate'], ['Sometimes'])),
    defaultRoute: maybe(fc.boolean()),
    routes: maybe(fc.array(fc.record({ name: pick(['public', 'internal', 'mirror'], ['default-route', 'Public']) }, { requiredKeys: ['name'] }), { maxLength: 2 })),
    disableRedirect: maybe(fc.boolean()),
    storage,
  }, { requiredKeys: ['storage'] }),
}, { requiredKeys: ['name', 'registry'] });

test('a generated config either synthesizes to valid, parseable YAML or fails with one of our errors', () => {
  let valid = 0;
  let refused = 0;
  fc.assert(fc.property(config, (data) => {
    const text = toYaml(JSON.parse(JSON.stringify(data)));
    let files: Map<string, string>;
    try {
      files = synthesizeCluster(parseConfigText(text, 'generated.yaml'));
    } catch (e) {
      // Never a stack trace or a crash: a ConfigError that names the file and a field.
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).message).toMatch(/^generated\.yaml(:\d+:\d+)?: \S+/);
      refused++;
      return;
    }
    valid++;
    for (const content of files.values()) expect(() => loadAll(content)).not.toThrow();
    const report = validateTree(files, { schemas });
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
  }), { numRuns: 400, seed: 20261125 });
  if (process.env.PROP_COUNTS) console.log(`valid ${valid}, refused ${refused}`);
  // Both outcomes are exercised.
  expect(valid).toBeGreaterThan(40);
  expect(refused).toBeGreaterThan(40);
});
