import { Testing } from 'cdk8s';
import { ImageRegistry } from '../../../lib/registry/image-registry';
import { RegistryStorage } from '../../../lib/registry/registry-storage';
import { AccessMode, RegistryPvc } from '../../../lib/registry/registry-pvc';

const synth = (props?: ConstructorParameters<typeof RegistryPvc>[2]) => {
  const chart = Testing.chart();
  const pvc = new RegistryPvc(chart, 'Pvc', props);
  return { pvc, objects: Testing.synth(chart) };
};

describe('RegistryPvc', () => {
  test('defaults: image-registry-pvc, 100Gi, ReadWriteOnce, no storage class, fixed name in openshift-image-registry', () => {
    const { pvc, objects } = synth();
    expect(objects).toHaveLength(1);
    expect(objects[0].metadata).toEqual({ name: 'image-registry-pvc', namespace: 'openshift-image-registry' });
    expect(objects[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } });
    expect(pvc.accessMode).toBe(AccessMode.READ_WRITE_ONCE);
  });

  test('custom name, size, class and ReadWriteMany', () => {
    const { objects } = synth({ name: 'registry', size: '2Ti', storageClassName: 'thin', accessMode: AccessMode.READ_WRITE_MANY });
    expect(objects[0].metadata.name).toBe('registry');
    expect(objects[0].spec).toEqual({ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '2Ti' } }, storageClassName: 'thin' });
  });

  test('a claim made here may not take the name of the operator\'s own claim, image-registry-storage', () => {
    expect(() => new RegistryPvc(Testing.chart(), 'Pvc', { name: 'image-registry-storage' })).toThrow(
      'name: "image-registry-storage" is the name of the claim the operator creates for itself: on a cluster that has it, this claim would be applied onto the operator\'s');
    // The operator's existing claim is used by name, as it is.
    expect(() => new ImageRegistry(Testing.chart(), 'Registry', { storage: RegistryStorage.fromExistingClaim({ name: 'image-registry-storage', accessMode: AccessMode.READ_WRITE_MANY }) })).not.toThrow();
  });

  test('rejects invalid sizes, names and access modes', () => {
    expect(() => synth({ size: '100GB' })).toThrow('size: "100GB" is not a Kubernetes quantity');
    expect(() => synth({ size: '0Gi' })).toThrow('size: "0Gi" must be greater than zero');
    expect(() => synth({ name: 'Registry' })).toThrow('name: "Registry" is not a valid name');
    expect(() => synth({ storageClassName: 'Thin Disk' })).toThrow('storageClassName: "Thin Disk" is not a valid name');
    expect(() => synth({ accessMode: 'ReadOnlyMany' as AccessMode })).toThrow('accessMode: "ReadOnlyMany" is not allowed; use one of ReadWriteOnce, ReadWriteMany');
  });
});
