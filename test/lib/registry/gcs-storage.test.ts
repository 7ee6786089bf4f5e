import { RegistryStorage, StorageManagementState } from '../../../lib/registry/registry-storage';

const KEY = 'projects/acme/locations/europe-west1/keyRings/registry/cryptoKeys/images';

describe('GCS storage', () => {
  test('a bucket alone: Unmanaged, nothing else written (the operator takes region and project from the cluster)', () => {
    const storage = RegistryStorage.gcs({ bucket: 'acme-registry' });
    expect(storage.spec).toEqual({ gcs: { bucket: 'acme-registry' }, managementState: 'Unmanaged' });
    expect(storage.backend).toBe('gcs');
  });

  test('every field is written with the CRD\'s names', () => {
    const storage = RegistryStorage.gcs({ bucket: 'acme-registry', region: 'europe-west1', projectId: 'acme', keyId: KEY, managementState: StorageManagementState.MANAGED });
    expect(storage.toJson()).toEqual({ gcs: { bucket: 'acme-registry', region: 'europe-west1', projectID: 'acme', keyID: KEY }, managementState: 'Managed' });
  });

  test('rule: bucket names follow Cloud Storage rules', () => {
    expect(() => RegistryStorage.gcs({ bucket: 'Acme' })).toThrow('bucket: "Acme" is not a valid Cloud Storage bucket name: use lower-case letters');
    expect(() => RegistryStorage.gcs({ bucket: 'ab' })).toThrow('bucket: "ab" is not a valid Cloud Storage bucket name');
    expect(() => RegistryStorage.gcs({ bucket: 'a'.repeat(64) })).toThrow('use at most 63 characters');
    expect(() => RegistryStorage.gcs({ bucket: '10.0.0.1' })).toThrow('formatted like an IP address');
    expect(() => RegistryStorage.gcs({ bucket: 'my-google-registry' })).toThrow('containing "google" are reserved');
    expect(RegistryStorage.gcs({ bucket: 'registry_images.acme.example' }).spec.gcs!.bucket).toBe('registry_images.acme.example');
  });

  test('rule: region and projectID come together (the operator takes both from the cluster only when region is empty)', () => {
    expect(() => RegistryStorage.gcs({ bucket: 'acme-registry', region: 'europe-west1' })).toThrow(
      'projectID: is required with region: the operator takes the project from the cluster only when region is empty');
    expect(() => RegistryStorage.gcs({ bucket: 'acme-registry', projectId: 'acme' })).toThrow(
      "region: is required with projectID: with region empty the operator replaces projectID by the cluster's project");
    expect(() => RegistryStorage.gcs({ bucket: 'acme-registry', region: ' ', projectId: 'acme' })).toThrow('region: must not be empty');
  });

  test('rule: keyID is a KMS key\'s full resource name', () => {
    expect(() => RegistryStorage.gcs({ bucket: 'acme-registry', keyId: 'images' })).toThrow(
      'keyID: "images" is not a KMS key name: write projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>');
  });
});
