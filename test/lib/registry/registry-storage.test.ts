import { Testing } from 'cdk8s';
import { MinioBucket } from '../../../lib/minio/minio-bucket';
import { MinioObjectStore } from '../../../lib/minio/minio-object-store';
import { AccessMode, RegistryPvc } from '../../../lib/registry/registry-pvc';
import { RegistryStorage, StorageManagementState } from '../../../lib/registry/registry-storage';
import { SecretSource } from '../../../lib/secrets/secret-source';

function minioBucket(tls = false) {
  const chart = Testing.chart();
  const objectStore = new MinioObjectStore(chart, 'Minio', { rootCredentials: SecretSource.existing(), tls });
  return new MinioBucket(chart, 'Bucket', { objectStore, bucket: 'image-registry' });
}

describe('RegistryStorage', () => {
  test('fromPvc names the claim and carries its access mode', () => {
    const pvc = new RegistryPvc(Testing.chart(), 'Pvc', { name: 'my-claim', accessMode: AccessMode.READ_WRITE_MANY });
    const storage = RegistryStorage.fromPvc(pvc);
    expect(storage.spec).toEqual({ pvc: { claim: 'my-claim' }, managementState: 'Unmanaged' });
    expect(storage.isReadWriteOnce).toBe(false);
  });

  test('fromExistingClaim assumes ReadWriteOnce unless told otherwise', () => {
    expect(RegistryStorage.fromExistingClaim({ name: 'old-claim' }).isReadWriteOnce).toBe(true);
    const rwx = RegistryStorage.fromExistingClaim({ name: 'old-claim', accessMode: AccessMode.READ_WRITE_MANY });
    expect(rwx.spec).toEqual({ pvc: { claim: 'old-claim' }, managementState: 'Unmanaged' });
    expect(rwx.isReadWriteOnce).toBe(false);
  });

  test('fromExistingClaim rejects bad names, and takes the operator\'s own claim as it is', () => {
    expect(() => RegistryStorage.fromExistingClaim({ name: 'Old_Claim' })).toThrow('name: "Old_Claim" is not a valid name');
    expect(RegistryStorage.fromExistingClaim({ name: 'image-registry-storage', accessMode: AccessMode.READ_WRITE_MANY }).spec.pvc).toEqual({ claim: 'image-registry-storage' });
  });

  test('a claim is Unmanaged (the operator never deletes it) unless Managed is asked for', () => {
    const pvc = new RegistryPvc(Testing.chart(), 'Pvc');
    expect(RegistryStorage.fromPvc(pvc, { managementState: StorageManagementState.MANAGED }).spec.managementState).toBe('Managed');
    expect(RegistryStorage.fromExistingClaim({ name: 'old-claim', managementState: StorageManagementState.MANAGED }).spec.managementState).toBe('Managed');
    expect(() => RegistryStorage.fromPvc(pvc, { managementState: 'Removed' as StorageManagementState })).toThrow('managementState: "Removed" is not allowed; use one of Managed, Unmanaged');
  });

  test('emptyDir has no access mode rules', () => {
    const storage = RegistryStorage.emptyDir();
    expect(storage.spec).toEqual({ emptyDir: {} });
    expect(storage.isReadWriteOnce).toBe(false);
  });
});

describe('S3 storage', () => {
  test('AWS S3 without region or endpoint writes neither: the operator takes the cluster\'s region', () => {
    const storage = RegistryStorage.s3({ bucket: 'registry' });
    expect(storage.spec).toEqual({ s3: { bucket: 'registry' }, managementState: 'Unmanaged' });
    expect(storage.inCluster).toBe(false);
    expect(RegistryStorage.s3({ bucket: 'registry', region: 'eu-central-1' }).spec.s3).toEqual({ bucket: 'registry', region: 'eu-central-1' });
  });

  test('a custom endpoint: only given fields are written (the operator\'s S3 rules run in ImageRegistry)', () => {
    const storage = RegistryStorage.s3({ bucket: 'registry', region: 'us-east-1', regionEndpoint: 'https://s3.example.com' });
    expect(storage.spec).toEqual({ s3: { bucket: 'registry', region: 'us-east-1', regionEndpoint: 'https://s3.example.com' }, managementState: 'Unmanaged' });
  });

  test('encrypt is not written unless set', () => {
    expect(RegistryStorage.s3({ bucket: 'registry', managementState: StorageManagementState.MANAGED }).spec.s3).toEqual({ bucket: 'registry' });
    expect(RegistryStorage.s3({ bucket: 'registry', encrypt: false }).spec.s3).toEqual({ bucket: 'registry', encrypt: false });
  });

  test('every S3 field is passed through', () => {
    const storage = RegistryStorage.s3({
      bucket: 'registry', region: 'eu-west-1', regionEndpoint: 'https://rgw.example.com', virtualHostedStyle: true, encrypt: true, keyId: 'kms-1',
      chunkSizeMiB: 64, trustedCa: 'rgw-ca', managementState: StorageManagementState.MANAGED,
    });
    expect(storage.spec).toEqual({
      managementState: 'Managed',
      s3: { bucket: 'registry', region: 'eu-west-1', regionEndpoint: 'https://rgw.example.com', virtualHostedStyle: true, encrypt: true, keyId: 'kms-1', chunkSizeMiB: 64, trustedCa: { name: 'rgw-ca' } },
    });
  });

  test('toJson has the CRD\'s field names (keyID, trustedCA) in the order the fields were set', () => {
    const json = RegistryStorage.s3({ bucket: 'registry', region: 'eu-west-1', encrypt: true, keyId: 'kms-1', trustedCa: 'rgw-ca' }).toJson();
    expect(JSON.stringify(json)).toBe('{"s3":{"region":"eu-west-1","trustedCA":{"name":"rgw-ca"},"bucket":"registry","encrypt":true,"keyID":"kms-1"},"managementState":"Unmanaged"}');
  });

  test('bucket names follow S3 rules', () => {
    expect(() => RegistryStorage.s3({ bucket: 'Registry' })).toThrow('bucket: "Registry" is not a valid S3 bucket name');
  });

  test('chunk size is 5 to 5120 MiB', () => {
    expect(() => RegistryStorage.s3({ bucket: 'registry', chunkSizeMiB: 4 })).toThrow('chunkSizeMiB: 4 must be a whole number >= 5');
    expect(() => RegistryStorage.s3({ bucket: 'registry', chunkSizeMiB: 6000 })).toThrow('chunkSizeMiB: 6000 is over the S3 limit of 5120');
  });

  describe('on this project\'s MinIO', () => {
    test('endpoint, scheme and bucket come from the MinIO; region us-east-1; bucket left alone by the operator', () => {
      const storage = RegistryStorage.fromMinio({ bucket: minioBucket() });
      expect(JSON.parse(JSON.stringify(storage.spec))).toEqual({
        managementState: 'Unmanaged',
        s3: { bucket: 'image-registry', region: 'us-east-1', regionEndpoint: 'http://minio.minio.svc:9000' },
      });
      expect(storage.inCluster).toBe(true);
    });

    test('with TLS the endpoint is https and trustedCA is required', () => {
      expect(() => RegistryStorage.fromMinio({ bucket: minioBucket(true) })).toThrow('trustedCA: MinIO minio/minio serves TLS');
      const storage = RegistryStorage.fromMinio({ bucket: minioBucket(true), trustedCa: 'minio-ca' });
      expect(storage.spec.s3).toMatchObject({ regionEndpoint: 'https://minio.minio.svc:9000', trustedCa: { name: 'minio-ca' } });
    });

    test('an explicit endpoint must be that MinIO\'s API (its scheme against TLS is a registry rule)', () => {
      expect(() => RegistryStorage.fromMinio({ bucket: minioBucket(), regionEndpoint: 'http://minio.minio.svc:9001' })).toThrow('regionEndpoint: "http://minio.minio.svc:9001" is not the API of MinIO minio/minio');
      expect(RegistryStorage.fromMinio({ bucket: minioBucket(), regionEndpoint: 'http://minio.minio.svc.cluster.local:9000' }).spec.s3!.regionEndpoint).toBe('http://minio.minio.svc.cluster.local:9000');
    });
  });
});
