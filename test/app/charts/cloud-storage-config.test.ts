import { synthesizeCluster } from '../../../app/charts/cluster';
import { parseConfigText } from '../../../app/config/loader';
import { readObjects } from '../../helpers';

// GCS, Azure, Swift and IBM COS storage from a config file: what is written, and where errors point.
const synthText = (text: string) => synthesizeCluster(parseConfigText(text, 'cloud.yaml'));
const objects = (yaml: string) => readObjects(yaml);
const cluster = (storage: string) => `name: cloud\nregistry:\n  replicas: 2\n  storage:\n${storage.replace(/^/gm, '    ')}\n`;
const registryObjects = (files: Map<string, string>) => objects(files.get('registry/registry.yaml')!);
const configStorage = (files: Map<string, string>) => registryObjects(files).find((o) => o.kind === 'Config').spec.storage;

const INSTANCE = 'crn:v1:bluemix:public:cloud-object-storage:global:a/0123456789abcdef:4f3c2b1a-aaaa-bbbb-cccc-0123456789ab::';
const KEY = 'crn:v1:bluemix:public:cloud-object-storage:global:a/0123456789abcdef:4f3c2b1a-aaaa-bbbb-cccc-0123456789ab:resource-key:9e8d7c6b-dddd-eeee-ffff-0123456789ab';

const configs = {
  gcs: cluster(`gcs:
  bucket: acme-registry
  region: europe-west1
  projectID: acme
  keyID: projects/acme/locations/europe-west1/keyRings/registry/cryptoKeys/images
  credentials:
    externalSecret:
      store: {name: gcp-secrets}
      data:
        REGISTRY_STORAGE_GCS_KEYFILE: {key: registry-service-account}`),
  azure: cluster(`azure:
  accountName: acmeregistry
  container: images
  cloudName: AzureUSGovernmentCloud
  networkAccess:
    type: Internal
    internal: {vnetName: cluster-vnet, subnetName: worker-subnet}`),
  swift: cluster(`swift:
  container: registry
  authURL: https://keystone.example.com:5000/v3
  domain: Default
  tenant: registry
  regionName: RegionOne
  credentials:
    sealedSecret:
      encryptedData:
        REGISTRY_STORAGE_SWIFT_USERNAME: AgBy3i4OJSWK
        REGISTRY_STORAGE_SWIFT_PASSWORD: AgCx9f2LLpQ`),
  ibmcos: cluster(`ibmcos:
  bucket: acme-registry
  serviceInstanceCRN: "${INSTANCE}"
  resourceKeyCRN: "${KEY}"
  credentials: {existingSecret: {}}`),
};

describe.each(Object.entries(configs))('%s storage', (backend, text) => {
  const files = synthText(text);

  test('output snapshot: the registry stage and the storage switch\'s inputs (the rest is as in main.test.ts\'s snapshot)', () => {
    const env = objects(files.get('storage-switch/storage-switch.yaml')!).find((o) => o.kind === 'Job').spec.template.spec.containers[0].env;
    expect({ 'registry/registry.yaml': files.get('registry/registry.yaml'), 'storage-switch env': env }).toMatchSnapshot();
  });

  test('the Config names the storage Unmanaged, and the storage switch patches it with the same field names', () => {
    const storage = configStorage(files);
    expect(Object.keys(storage).sort()).toEqual([backend, 'managementState'].sort());
    expect(storage.managementState).toBe('Unmanaged');
    const env = objects(files.get('storage-switch/storage-switch.yaml')!).find((o) => o.kind === 'Job').spec.template.spec.containers[0].env;
    const value = (name: string) => env.find((e: { name: string }) => e.name === name).value;
    expect(JSON.parse(value('SET'))).toEqual({ op: 'add', path: `/spec/storage/${backend}`, value: storage[backend] });
    expect(value('STATE')).toBe(storage.managementState);
  });
});

describe('what each config writes', () => {
  test('GCS: every field, and an ExternalSecret with the key file', () => {
    const files = synthText(configs.gcs);
    expect(configStorage(files).gcs).toEqual({ bucket: 'acme-registry', region: 'europe-west1', projectID: 'acme', keyID: 'projects/acme/locations/europe-west1/keyRings/registry/cryptoKeys/images' });
    const secret = registryObjects(files).find((o) => o.kind === 'ExternalSecret');
    expect(secret.metadata).toMatchObject({ name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' });
    expect(secret.spec.data).toEqual([{ secretKey: 'REGISTRY_STORAGE_GCS_KEYFILE', remoteRef: { key: 'registry-service-account' } }]);
  });

  test('Azure without credentials: no Secret, the operator uses the cluster\'s Azure credentials', () => {
    const files = synthText(configs.azure);
    expect(registryObjects(files).map((o) => o.kind)).toEqual(['Config']);
    expect(configStorage(files).azure).toEqual({
      accountName: 'acmeregistry', container: 'images', cloudName: 'AzureUSGovernmentCloud',
      networkAccess: { type: 'Internal', internal: { vnetName: 'cluster-vnet', subnetName: 'worker-subnet' } },
    });
  });

  test('Swift: a SealedSecret with the user name and password', () => {
    const files = synthText(configs.swift);
    const sealed = registryObjects(files).find((o) => o.kind === 'SealedSecret');
    expect(Object.keys(sealed.spec.encryptedData).sort()).toEqual(['REGISTRY_STORAGE_SWIFT_PASSWORD', 'REGISTRY_STORAGE_SWIFT_USERNAME']);
    expect(configStorage(files).swift).toEqual({ container: 'registry', authURL: 'https://keystone.example.com:5000/v3', domain: 'Default', tenant: 'registry', regionName: 'RegionOne' });
  });

  test('Swift with an application credential from the environment: a plain Secret, allowed because asked for', () => {
    const keys = ['REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET'];
    keys.forEach((_key, i) => (process.env[`PLAIN_SECRET_SWIFT_${i}`] = `value-${i}`));
    const text = cluster(`swift:\n  container: registry\n  authURL: https://keystone.example.com:5000/v3\n  credentials:\n    plainSecret:\n      fromEnv: {${keys.map((key, i) => `${key}: PLAIN_SECRET_SWIFT_${i}`).join(', ')}}`);
    const secret = registryObjects(synthText(text)).find((o) => o.kind === 'Secret');
    expect(Object.keys(secret.stringData).sort()).toEqual(keys);
  });

  test('IBM COS with an existing secret: only the Config', () => {
    const files = synthText(configs.ibmcos);
    expect(registryObjects(files).map((o) => o.kind)).toEqual(['Config']);
    expect(configStorage(files).ibmcos).toEqual({ bucket: 'acme-registry', serviceInstanceCRN: INSTANCE, resourceKeyCRN: KEY });
  });
});

describe('errors point at the config field', () => {
  test('a storage rule: the field of the back end', () => {
    expect(() => synthText(cluster('gcs: {bucket: acme-registry, region: europe-west1}'))).toThrow(
      'cloud.yaml:5:10: registry.storage.gcs.projectID: is required with region');
  });

  test('a rule relating storage and credentials: the storage field', () => {
    expect(() => synthText(cluster('swift:\n  container: registry\n  credentials: {existingSecret: {}}'))).toThrow(
      'cloud.yaml:6:7: registry.storage.swift.authURL: is required with credentials in Secret image-registry-private-configuration-user');
    expect(() => synthText(configs.azure.replace('      networkAccess:', '      credentials: {existingSecret: {}}\n      networkAccess:'))).toThrow(
      'registry.storage.azure.networkAccess: is ignored with an account key');
  });

  test('the credentials\' keys: the credentials field', () => {
    expect(() => synthText(configs.swift.replace('REGISTRY_STORAGE_SWIFT_PASSWORD', 'REGISTRY_STORAGE_SWIFT_TOKENID'))).toThrow(
      'registry.storage.swift.credentials.sealedSecret.encryptedData: credentials match none of the key sets this secret can hold');
  });

  test('IBM COS location is not offered (the operator overwrites it with the cluster\'s)', () => {
    expect(() => synthText(cluster('ibmcos: {bucket: acme-registry, location: us-south}'))).toThrow('registry.storage.ibmcos: unknown key "location"');
  });
});
