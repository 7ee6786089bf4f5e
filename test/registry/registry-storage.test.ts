import { Testing } from 'cdk8s';
import { AccessMode, RegistryPvc } from '../../lib/registry/registry-pvc';
import { RegistryStorage } from '../../lib/registry/registry-storage';

describe('RegistryStorage', () => {
  test('fromPvc names the claim and carries its access mode', () => {
    const pvc = new RegistryPvc(Testing.chart(), 'Pvc', { name: 'my-claim', accessMode: AccessMode.READ_WRITE_MANY });
    const storage = RegistryStorage.fromPvc(pvc);
    expect(storage.spec).toEqual({ pvc: { claim: 'my-claim' } });
    expect(storage.isReadWriteOnce).toBe(false);
  });

  test('fromExistingClaim assumes ReadWriteOnce unless told otherwise', () => {
    expect(RegistryStorage.fromExistingClaim({ name: 'old-claim' }).isReadWriteOnce).toBe(true);
    const rwx = RegistryStorage.fromExistingClaim({ name: 'old-claim', accessMode: AccessMode.READ_WRITE_MANY });
    expect(rwx.spec).toEqual({ pvc: { claim: 'old-claim' } });
    expect(rwx.isReadWriteOnce).toBe(false);
  });

  test('fromExistingClaim rejects bad and reserved names', () => {
    expect(() => RegistryStorage.fromExistingClaim({ name: 'Old_Claim' })).toThrow('name: "Old_Claim" is not a valid name');
    expect(() => RegistryStorage.fromExistingClaim({ name: 'image-registry-storage' })).toThrow('name: "image-registry-storage" is the claim the operator manages itself');
  });

  test('emptyDir has no access mode rules', () => {
    const storage = RegistryStorage.emptyDir();
    expect(storage.spec).toEqual({ emptyDir: {} });
    expect(storage.isReadWriteOnce).toBe(false);
  });
});
