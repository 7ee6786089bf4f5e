import { RegistryStorage, StorageManagementState } from '../../../lib/registry/registry-storage';

const INSTANCE = 'crn:v1:bluemix:public:cloud-object-storage:global:a/0123456789abcdef:4f3c2b1a-aaaa-bbbb-cccc-0123456789ab::';
const KEY = 'crn:v1:bluemix:public:cloud-object-storage:global:a/0123456789abcdef:4f3c2b1a-aaaa-bbbb-cccc-0123456789ab:resource-key:9e8d7c6b-dddd-eeee-ffff-0123456789ab';

describe('IBM COS storage', () => {
  test('a bucket alone: Unmanaged; the operator finds the service instance and makes a key', () => {
    expect(RegistryStorage.ibmcos({ bucket: 'acme-registry' }).spec).toEqual({ ibmcos: { bucket: 'acme-registry' }, managementState: 'Unmanaged' });
  });

  test('the CRNs are written with the CRD\'s names', () => {
    const storage = RegistryStorage.ibmcos({ bucket: 'acme-registry', serviceInstanceCrn: INSTANCE, resourceKeyCrn: KEY, managementState: StorageManagementState.MANAGED });
    expect(storage.toJson()).toEqual({ ibmcos: { bucket: 'acme-registry', serviceInstanceCRN: INSTANCE, resourceKeyCRN: KEY }, managementState: 'Managed' });
  });

  test('rule: bucket names follow S3 rules', () => {
    expect(() => RegistryStorage.ibmcos({ bucket: 'Acme_Registry' })).toThrow('bucket: "Acme_Registry" is not a valid S3 bucket name');
  });

  test('rule: CRNs fit the CRD\'s patterns', () => {
    expect(() => RegistryStorage.ibmcos({ bucket: 'acme-registry', serviceInstanceCrn: KEY })).toThrow(
      `serviceInstanceCRN: "${KEY}" is not a Cloud Object Storage service instance CRN`);
    expect(() => RegistryStorage.ibmcos({ bucket: 'acme-registry', serviceInstanceCrn: INSTANCE, resourceKeyCrn: INSTANCE })).toThrow(
      `resourceKeyCRN: "${INSTANCE}" is not a Cloud Object Storage resource key CRN`);
  });

  test('rule: a resource key needs its service instance', () => {
    expect(() => RegistryStorage.ibmcos({ bucket: 'acme-registry', resourceKeyCrn: KEY })).toThrow(
      'serviceInstanceCRN: is required with resourceKeyCRN: the operator accepts only a resource key of the service instance in spec');
  });
});
