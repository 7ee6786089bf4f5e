// Props from JavaScript (no TypeScript to check them): every prop of every exported construct and
// factory refuses a value of the wrong type with a ValidationError naming it.
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as library from '../../../lib';
import {
  ApplierRbac, CredentialsSecret, ImageConfig, ImagePruner, ImageRegistry, MinioBucket, MinioObjectStore, OpenShiftRoute,
  RegistryCredentials, RegistryPvc, RegistryS3Credentials, RegistryStorage, SecretSource, StorageSwitch, ValidationError,
} from '../../../lib';
import { CheckKind, is, PROP_TABLES } from '../../../lib/rules/prop-types';

/** What `call` throws, as `field: problem`; undefined when it does not throw. */
function refusal(call: () => unknown): { field: string; problem: string } | undefined {
  try {
    call();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return { field: e.field, problem: e.problem };
  }
  return undefined;
}

const chart = () => new Chart(Testing.app(), 'c');
const existing = SecretSource.existing();
const bucket = () => new MinioBucket(chart(), 'Bucket', { objectStore: new MinioObjectStore(chart(), 'Minio', { rootCredentials: existing }), bucket: 'bucket' });

/** Each construct and factory with a props table: how to call it with props, and props it accepts. */
const ENTRY_POINTS: Record<string, { call: (props: any) => unknown; valid: () => object }> = {
  'ImageRegistry': { call: (p) => new ImageRegistry(chart(), 'X', p), valid: () => ({ storage: RegistryStorage.emptyDir() }) },
  'ImagePruner': { call: (p) => new ImagePruner(chart(), 'X', p), valid: () => ({}) },
  'ImageConfig': { call: (p) => new ImageConfig(chart(), 'X', p), valid: () => ({}) },
  'RegistryPvc': { call: (p) => new RegistryPvc(chart(), 'X', p), valid: () => ({}) },
  'RegistryS3Credentials': { call: (p) => new RegistryS3Credentials(chart(), 'X', p), valid: () => ({ source: existing }) },
  'RegistryCredentials': { call: (p) => new RegistryCredentials(chart(), 'X', p), valid: () => ({ storage: RegistryStorage.s3({ bucket: 'bucket' }), source: existing }) },
  'StorageSwitch': { call: (p) => new StorageSwitch(chart(), 'X', p), valid: () => ({ storage: RegistryStorage.emptyDir() }) },
  'MinioObjectStore': { call: (p) => new MinioObjectStore(chart(), 'X', p), valid: () => ({ rootCredentials: existing }) },
  'MinioBucket': { call: (p) => new MinioBucket(chart(), 'X', p), valid: () => ({ objectStore: new MinioObjectStore(chart(), 'Minio', { rootCredentials: existing }), bucket: 'bucket' }) },
  'CredentialsSecret': { call: (p) => new CredentialsSecret(chart(), 'X', p), valid: () => ({ name: 's', namespace: 'n', keys: ['A'], source: existing }) },
  'OpenShiftRoute': { call: (p) => new OpenShiftRoute(chart(), 'X', p), valid: () => ({ name: 'r', namespace: 'n', serviceName: 's', targetPort: 'http' }) },
  'ApplierRbac': { call: (p) => new ApplierRbac(chart(), 'X', p), valid: () => ({ objects: [] }) },
  'RegistryStorage.fromPvc': { call: (p) => RegistryStorage.fromPvc(new RegistryPvc(chart(), 'Pvc'), p), valid: () => ({}) },
  'RegistryStorage.fromExistingClaim': { call: (p) => RegistryStorage.fromExistingClaim(p), valid: () => ({ name: 'claim' }) },
  'RegistryStorage.s3': { call: (p) => RegistryStorage.s3(p), valid: () => ({ bucket: 'bucket' }) },
  'RegistryStorage.fromMinio': { call: (p) => RegistryStorage.fromMinio(p), valid: () => ({ bucket: bucket() }) },
  'RegistryStorage.gcs': { call: (p) => RegistryStorage.gcs(p), valid: () => ({ bucket: 'bucket' }) },
  'RegistryStorage.azure': { call: (p) => RegistryStorage.azure(p), valid: () => ({ accountName: 'account', container: 'container' }) },
  'RegistryStorage.swift': { call: (p) => RegistryStorage.swift(p), valid: () => ({ container: 'container' }) },
  'RegistryStorage.ibmcos': { call: (p) => RegistryStorage.ibmcos(p), valid: () => ({ bucket: 'bucket' }) },
  'SecretSource.externalSecret': { call: (p) => SecretSource.externalSecret(p), valid: () => ({ store: { name: 'vault' }, data: {} }) },
  'SecretSource.sealedSecret': { call: (p) => SecretSource.sealedSecret(p), valid: () => ({ encryptedData: {} }) },
};

/** Factories without a props object: checked one by one below. */
const OTHER_FACTORIES = ['RegistryStorage.emptyDir', 'RegistryStorage.fromStorageSpec', 'SecretSource.existing', 'SecretSource.fromEnvironment'];
/** Static methods that make nothing (TypeScript's `private static` is still there at run time). */
// Helpers of the rules' object index: they take objects, not props.
const NOT_FACTORIES = ['ObjectIndex.key', 'ObjectIndex.reads'];

/** Values of every other kind than the one a prop takes (`null` for all: JSON's "not set" is no value here). */
const WRONG: Record<CheckKind, unknown[]> = {
  string: [5, true, {}, [], null],
  boolean: ['true', 'false', 'yes', 1, 0, null],
  number: ['3', true, NaN, Infinity, [], null],
  oneOf: ['NotOneOfThem', 5, true, null],
  list: ['x', {}, 5, true, null],
  map: ['x', 5, [], true, null],
  instance: [{}, 'x', 5, null],
};

describe('every exported construct and static factory checks its props\' types', () => {
  test('each construct of the library\'s entry point has a props table, and each factory a table or a case below', () => {
    const constructs = Object.entries(library).filter(([, v]) => typeof v === 'function' && v.prototype instanceof Construct).map(([name]) => name);
    // Static methods of the other classes (RegistryStorage's and SecretSource's factories).
    const factories = Object.entries(library)
      .filter(([, v]) => typeof v === 'function' && !(v.prototype instanceof Construct))
      .flatMap(([name, v]) => Object.getOwnPropertyNames(v).filter((key) => !['length', 'name', 'prototype'].includes(key) && typeof (v as any)[key] === 'function').map((key) => `${name}.${key}`));
    expect([...PROP_TABLES.keys()].sort()).toEqual(Object.keys(ENTRY_POINTS).sort());
    expect(constructs.filter((name) => !PROP_TABLES.has(name))).toEqual([]);
    expect(factories.filter((name) => !PROP_TABLES.has(name) && !NOT_FACTORIES.includes(name)).sort()).toEqual(OTHER_FACTORIES);
  });

  describe.each(Object.entries(ENTRY_POINTS))('%s', (name, { call, valid }) => {
    const table = PROP_TABLES.get(name)!;
    const props = Object.entries(table.fields!);

    test('accepts its valid props', () => {
      expect(refusal(() => call(valid()))).toBeUndefined();
    });

    test('refuses props that are not a map', () => {
      for (const value of ['x', 5, []]) expect(refusal(() => call(value))).toEqual({ field: 'props', problem: expect.stringMatching(/^must be a map, not /) });
    });

    test.each(props)('%s: a value of another type names the prop', (prop, check) => {
      for (const value of WRONG[check.kind]) {
        expect([value, refusal(() => call({ ...valid(), [prop]: value }))]).toEqual([value, { field: prop, problem: expect.stringMatching(/^must be |is not /) }]);
      }
      if (check.required) expect(refusal(() => call({ ...valid(), [prop]: undefined }))).toEqual({ field: prop, problem: expect.stringMatching(/^is required: /) });
    });
  });
});

describe('the values the issue found written as given', () => {
  test.each([
    ['ImagePruner', { schedule: 5 }, 'schedule: must be a string, not the number 5'],
    ['ImagePruner', { suspend: 'true' }, 'suspend: must be true or false, not the string "true"'],
    ['ImagePruner', { keepYoungerThanDuration: 60 }, 'keepYoungerThanDuration: must be a string, not the number 60'],
    ['ImageRegistry', { storage: RegistryStorage.emptyDir(), defaultRoute: 'yes' }, 'defaultRoute: must be true or false, not the string "yes"'],
    ['ImageRegistry', { storage: RegistryStorage.emptyDir(), disableRedirect: 'false' }, 'disableRedirect: must be true or false, not the string "false"'],
  ])('%s %j', (name, props, message) => {
    expect(() => ENTRY_POINTS[name].call(props)).toThrow(new ValidationError(message.split(': ')[0], message.slice(message.indexOf(': ') + 2)));
  });
});

describe('nested props name the path', () => {
  const registry = (props: object) => refusal(() => new ImageRegistry(chart(), 'R', { storage: RegistryStorage.emptyDir(), ...props } as never));
  test.each([
    [{ routes: [{ name: 5 }] }, 'routes[0].name', 'must be a string, not the number 5'],
    [{ routes: [{ hostname: 'a.example.com' }] }, 'routes[0].name', 'is required: a string'],
    [{ routes: ['public'] }, 'routes[0]', 'must be a map, not the string "public"'],
    [{ nodeSelector: { 'node-role.kubernetes.io/infra': true } }, 'nodeSelector["node-role.kubernetes.io/infra"]', 'must be a string, not true'],
    [{ tolerations: [{ key: 'k', tolerationSeconds: '60' }] }, 'tolerations[0].tolerationSeconds', 'must be a number, not the string "60"'],
    [{ resources: { requests: { cpu: '100m' } } }, 'resources.requests.cpu', 'must be a quantity such as { value: "100m" } (ConfigSpecResourcesLimits.fromString("100m")), not the string "100m"'],
    [{ proxy: { noProxy: ['.svc'] } }, 'proxy.noProxy', 'must be a string, not a list'],
    [{ managementState: 'managed' }, 'managementState', '"managed" is not allowed; use one of Managed, Unmanaged, Removed'],
    [{ openshiftVersion: 4.16 }, 'openshiftVersion', expect.stringMatching(/^the number 4.16 is not a known OpenShift version; use one of 4.12, /)],
  ])('ImageRegistry %j', (props, field, problem) => {
    expect(registry(props)).toEqual({ field, problem });
  });

  test('a class instance where a map is expected says which class', () => {
    expect(refusal(() => new MinioObjectStore(chart(), 'M', { rootCredentials: RegistryStorage.emptyDir() } as never)))
      .toEqual({ field: 'rootCredentials', problem: 'must be a SecretSource (SecretSource.existing, .externalSecret, ...), not a RegistryStorage' });
  });

  test('factories\' nested props', () => {
    expect(refusal(() => SecretSource.externalSecret({ store: { name: 'vault', kind: 'Vault' }, data: {} } as never)))
      .toEqual({ field: 'store.kind', problem: '"Vault" is not allowed; use one of SecretStore, ClusterSecretStore' });
    expect(refusal(() => SecretSource.externalSecret({ store: { name: 'vault' }, data: { A: { key: 5 } } } as never)))
      .toEqual({ field: 'data.A.key', problem: 'must be a string, not the number 5' });
    expect(refusal(() => RegistryStorage.azure({ accountName: 'account', container: 'container', networkAccess: {} } as never)))
      .toEqual({ field: 'networkAccess.type', problem: 'is required: one of Internal, External' });
    expect(refusal(() => new ApplierRbac(chart(), 'A', { objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 7 } }] } as never)))
      .toEqual({ field: 'objects[0].metadata.name', problem: 'must be a string, not the number 7' });
  });
});

describe('arguments that are not a props object', () => {
  test('RegistryStorage.fromPvc names its claim', () => {
    expect(refusal(() => RegistryStorage.fromPvc('image-registry-pvc' as never))).toEqual({ field: 'pvc', problem: 'must be a RegistryPvc, not the string "image-registry-pvc"' });
  });

  test('RegistryStorage.fromStorageSpec takes a map; emptyDir and SecretSource.existing take nothing', () => {
    expect(refusal(() => RegistryStorage.fromStorageSpec('s3' as never))).toEqual({ field: 'spec', problem: 'must be a map, not the string "s3"' });
    expect(RegistryStorage.emptyDir.length + SecretSource.existing.length).toBe(0);
  });

  test('SecretSource.fromEnvironment takes variable names', () => {
    expect(refusal(() => SecretSource.fromEnvironment({ REGISTRY_STORAGE_S3_ACCESSKEY: 5 } as never))).toEqual({ field: 'variables.REGISTRY_STORAGE_S3_ACCESSKEY', problem: 'must be a string, not the number 5' });
    expect(refusal(() => SecretSource.fromEnvironment('PLAIN_SECRET_X' as never))).toEqual({ field: 'variables', problem: 'must be a map, not the string "PLAIN_SECRET_X"' });
  });

  test('ImageConfig\'s additions', () => {
    const images = new ImageConfig(chart(), 'I');
    expect(refusal(() => images.addExternalRegistryHostname(5 as never))).toEqual({ field: 'hostname', problem: 'must be a string, not the number 5' });
    expect(refusal(() => images.addRoute('public' as never))).toEqual({ field: 'route', problem: 'must be a map, not the string "public"' });
    expect(images.externalRegistryHostnames).toEqual([]);
  });
});

describe('the checks', () => {
  test('undefined passes an optional check and fails a required one; null fails both', () => {
    expect(refusal(() => is.string.check(undefined, 'f'))).toBeUndefined();
    expect(refusal(() => is.string.isRequired.check(undefined, 'f'))).toEqual({ field: 'f', problem: 'is required: a string' });
    expect(refusal(() => is.string.check(null, 'f'))).toEqual({ field: 'f', problem: 'must be a string, not null' });
  });

  test('a long string is shown cut short', () => {
    expect(refusal(() => is.boolean.check('x'.repeat(100), 'f'))!.problem).toBe(`must be true or false, not the string "${'x'.repeat(40)}…"`);
  });
});
