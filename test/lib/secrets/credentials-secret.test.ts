import { Testing } from 'cdk8s';
import { CredentialsSecret } from '../../../lib/secrets/credentials-secret';
import { SecretSource } from '../../../lib/secrets/secret-source';

const keys = ['ACCESS', 'SECRET'];
function synth(source: SecretSource) {
  const chart = Testing.chart();
  new CredentialsSecret(chart, 'Creds', { name: 'creds', namespace: 'ns', keys, source });
  return Testing.synth(chart);
}

describe('CredentialsSecret', () => {
  test('an existing secret renders nothing', () => {
    expect(synth(SecretSource.existing())).toEqual([]);
  });

  test('an ExternalSecret maps every key to the store, ClusterSecretStore and 1h by default', () => {
    const [es] = synth(SecretSource.externalSecret({
      store: { name: 'vault' },
      data: { ACCESS: { key: 'registry/s3', property: 'access' }, SECRET: { key: 'registry/s3', property: 'secret' } },
    }));
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.kind).toBe('ExternalSecret');
    expect(es.metadata).toEqual({ name: 'creds', namespace: 'ns' });
    expect(es.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      target: { name: 'creds' },
      data: [
        { secretKey: 'ACCESS', remoteRef: { key: 'registry/s3', property: 'access' } },
        { secretKey: 'SECRET', remoteRef: { key: 'registry/s3', property: 'secret' } },
      ],
    });
  });

  test('a SealedSecret carries the sealed values and its scope annotation', () => {
    const [strict] = synth(SecretSource.sealedSecret({ encryptedData: { ACCESS: 'AgA1', SECRET: 'AgA2' } }));
    expect(strict.apiVersion).toBe('bitnami.com/v1alpha1');
    expect(strict.metadata).toEqual({ name: 'creds', namespace: 'ns' });
    expect(strict.spec.encryptedData).toEqual({ ACCESS: 'AgA1', SECRET: 'AgA2' });
    expect(strict.spec.template).toEqual({ metadata: { name: 'creds', namespace: 'ns' }, type: 'Opaque' });
    const [wide] = synth(SecretSource.sealedSecret({ encryptedData: { ACCESS: 'a', SECRET: 'b' }, scope: 'cluster-wide' }));
    expect(wide.metadata.annotations).toEqual({ 'sealedsecrets.bitnami.com/cluster-wide': 'true' });
  });

  test('a plain Secret reads its values from the environment at synth time', () => {
    process.env.TEST_ACCESS = 'id-from-env';
    process.env.TEST_SECRET = 'secret-from-env';
    const [secret] = synth(SecretSource.fromEnvironment({ ACCESS: 'TEST_ACCESS', SECRET: 'TEST_SECRET' }));
    expect(secret).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'ns' }, type: 'Opaque', stringData: { ACCESS: 'id-from-env', SECRET: 'secret-from-env' } });
  });

  test('a missing environment variable is an error naming it', () => {
    delete process.env.TEST_UNSET;
    process.env.TEST_ACCESS = 'x';
    expect(() => synth(SecretSource.fromEnvironment({ ACCESS: 'TEST_ACCESS', SECRET: 'TEST_UNSET' }))).toThrow(
      'plainSecret.fromEnv.SECRET: environment variable TEST_UNSET is not set (or empty)');
  });

  test('incomplete or unknown keys are errors that list what is needed', () => {
    expect(() => synth(SecretSource.sealedSecret({ encryptedData: { ACCESS: 'a' } }))).toThrow(
      'sealedSecret.encryptedData: credentials are incomplete: missing SECRET; this secret needs exactly ACCESS and SECRET');
    expect(() => synth(SecretSource.externalSecret({ store: { name: 's' }, data: { ACCESS: { key: 'k' }, SECRET: { key: 'k' }, TOKEN: { key: 'k' } } }))).toThrow(
      'externalSecret.data: credentials are incomplete: unknown TOKEN');
  });
});
