import { Testing } from 'cdk8s';
import { AzureNetworkAccessType } from '../../../lib/registry/azure-storage';
import { REGISTRY_CREDENTIAL_KEYS, RegistryCredentials } from '../../../lib/registry/registry-credentials';
import { RegistryS3Credentials } from '../../../lib/registry/registry-s3-credentials';
import { RegistryStorage } from '../../../lib/registry/registry-storage';
import { SwiftAuthVersion } from '../../../lib/registry/swift-storage';
import { SecretSource } from '../../../lib/secrets/secret-source';

const sealed = (...keys: string[]) => SecretSource.sealedSecret({ encryptedData: Object.fromEntries(keys.map((key) => [key, `AgB${key.length}`])) });
const swift = (props: Partial<Parameters<typeof RegistryStorage.swift>[0]> = {}) =>
  RegistryStorage.swift({ container: 'registry', authUrl: 'https://keystone.example.com:5000/v3', ...props });

function synth(storage: RegistryStorage, source: SecretSource) {
  const chart = Testing.chart();
  new RegistryCredentials(chart, 'Credentials', { storage, source });
  return Testing.synth(chart);
}

describe('RegistryCredentials', () => {
  test.each([
    ['s3', RegistryStorage.s3({ bucket: 'registry' })],
    ['gcs', RegistryStorage.gcs({ bucket: 'acme-registry' })],
    ['azure', RegistryStorage.azure({ accountName: 'acmeregistry', container: 'images' })],
    ['ibmcos', RegistryStorage.ibmcos({ bucket: 'acme-registry' })],
  ] as const)('%s: Secret image-registry-private-configuration-user with the back end\'s keys', (backend, storage) => {
    const keys = REGISTRY_CREDENTIAL_KEYS[backend][0];
    const [secret] = synth(storage, sealed(...keys));
    expect(secret.metadata).toEqual({ name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' });
    expect(Object.keys(secret.spec.encryptedData)).toEqual(keys);
  });

  test('the keys are the operator\'s', () => {
    expect(REGISTRY_CREDENTIAL_KEYS).toEqual({
      s3: [['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY']],
      gcs: [['REGISTRY_STORAGE_GCS_KEYFILE']],
      azure: [['REGISTRY_STORAGE_AZURE_ACCOUNTKEY']],
      swift: [
        ['REGISTRY_STORAGE_SWIFT_USERNAME', 'REGISTRY_STORAGE_SWIFT_PASSWORD'],
        ['REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET'],
        ['REGISTRY_STORAGE_SWIFT_TOKENID'],
      ],
      ibmcos: [['REGISTRY_STORAGE_IBMCOS_IAMAPIKEY']],
    });
  });

  test('a back end\'s keys and no others', () => {
    expect(() => synth(RegistryStorage.gcs({ bucket: 'acme-registry' }), sealed('REGISTRY_STORAGE_S3_ACCESSKEY'))).toThrow(
      'sealedSecret.encryptedData: credentials are incomplete: missing REGISTRY_STORAGE_GCS_KEYFILE; unknown REGISTRY_STORAGE_S3_ACCESSKEY');
  });

  test('storage without credentials (a claim, emptyDir) takes none', () => {
    expect(() => synth(RegistryStorage.emptyDir(), SecretSource.existing())).toThrow('storage: emptyDir storage reads no credentials; credentials go with s3, gcs, azure, swift, ibmcos');
  });

  test('an existing secret renders nothing', () => {
    expect(synth(RegistryStorage.gcs({ bucket: 'acme-registry' }), SecretSource.existing())).toEqual([]);
  });

  test('the deprecated RegistryS3Credentials renders the same Secret', () => {
    const source = sealed(...REGISTRY_CREDENTIAL_KEYS.s3[0]);
    const chart = Testing.chart();
    new RegistryS3Credentials(chart, 'S3Credentials', { source });
    expect(Testing.synth(chart)).toEqual(synth(RegistryStorage.s3({ bucket: 'registry' }), source));
  });

  describe('Swift: one of three key sets', () => {
    test.each(REGISTRY_CREDENTIAL_KEYS.swift.map((keys) => [keys.length, keys]))('the set of %i keys is accepted', (_n, keys) => {
      const credentials = new RegistryCredentials(Testing.chart(), 'Credentials', { storage: swift({ domain: keys.length === 1 ? undefined : 'Default' }), source: sealed(...keys) });
      expect(credentials.keys).toEqual(keys);
    });

    test('a mix of sets is refused, naming each set', () => {
      expect(() => synth(swift(), sealed('REGISTRY_STORAGE_SWIFT_USERNAME', 'REGISTRY_STORAGE_SWIFT_TOKENID'))).toThrow(
        'sealedSecret.encryptedData: credentials match none of the key sets this secret can hold (got REGISTRY_STORAGE_SWIFT_USERNAME, REGISTRY_STORAGE_SWIFT_TOKENID); list exactly '
        + 'REGISTRY_STORAGE_SWIFT_USERNAME and REGISTRY_STORAGE_SWIFT_PASSWORD; or REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID, REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME and '
        + 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET; or REGISTRY_STORAGE_SWIFT_TOKENID');
    });

    test('an existing secret may hold any set', () => {
      expect(new RegistryCredentials(Testing.chart(), 'Credentials', { storage: swift(), source: SecretSource.existing() }).keys).toBeUndefined();
    });

    test('rule: authURL is required with credentials of your own (the cluster\'s clouds.yaml is then not read)', () => {
      expect(() => synth(RegistryStorage.swift({ container: 'registry' }), SecretSource.existing())).toThrow(
        "storage.authURL: is required with credentials in Secret image-registry-private-configuration-user: the operator takes the auth URL from the cluster's clouds.yaml only when that Secret does not exist");
    });

    test('rule: a user name on Keystone v3 needs exactly one of domain and domainID', () => {
      const password = sealed(...REGISTRY_CREDENTIAL_KEYS.swift[0]);
      expect(() => synth(swift(), password)).toThrow('storage.domain: is required: a user name on Keystone v3 needs exactly one of domain and domainID');
      expect(() => synth(swift({ domain: 'Default', domainId: 'default' }), password)).toThrow('storage.domainID: and domain are both set');
      expect(synth(swift({ domainId: 'default' }), password)).toHaveLength(1);
      expect(synth(swift({ authUrl: 'https://keystone.example.com/v2.0', authVersion: SwiftAuthVersion.V2 }), password)).toHaveLength(1);
    });

    test('rule: a token takes no domain', () => {
      expect(() => synth(swift({ domain: 'Default' }), sealed(...REGISTRY_CREDENTIAL_KEYS.swift[2]))).toThrow('storage.domain: is refused with a token');
    });
  });

  test('Azure rule: networkAccess is ignored with an account key', () => {
    const storage = RegistryStorage.azure({ accountName: 'acmeregistry', container: 'images', networkAccess: { type: AzureNetworkAccessType.INTERNAL } });
    expect(() => synth(storage, SecretSource.existing())).toThrow(
      'storage.networkAccess: is ignored with an account key in Secret image-registry-private-configuration-user (the operator then sets up no private endpoint)');
  });
});
