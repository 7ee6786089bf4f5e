import { storageAsWritten } from '../../../lib/rules/storage-as-written';
import { ValidationError } from '../../../lib/rules/validation-error';

// spec.storage as the operator's Go client writes it back (openshift/api imageregistry/v1
// types.go json tags), and what the operator or the API server fill in.
describe('storageAsWritten', () => {
  test('S3: virtualHostedStyle and trustedCA.name have no omitempty, so they come back as false and ""', () => {
    expect(storageAsWritten('s3', { bucket: 'b', region: 'r', regionEndpoint: 'http://m:9000' }, 'Unmanaged').value)
      .toEqual({ bucket: 'b', region: 'r', regionEndpoint: 'http://m:9000', virtualHostedStyle: false, trustedCA: { name: '' } });
  });

  test('S3 cloudFront: baseURL, keypairID, privateKey.key and duration are always written', () => {
    expect(storageAsWritten('s3', { bucket: 'b', region: 'r', cloudFront: { privateKey: { name: 'k' } } }, 'Unmanaged').value.cloudFront)
      .toEqual({ baseURL: '', keypairID: '', privateKey: { name: 'k', key: '' }, duration: '0s' });
  });

  test('an omitempty zero value is dropped, and left out of the comparison', () => {
    const written = storageAsWritten('s3', { bucket: 'b', region: 'r', regionEndpoint: 'http://m:9000', encrypt: false }, 'Unmanaged');
    expect(written.value.encrypt).toBeUndefined();
    expect(written.notCompared).toContainEqual(['encrypt']);
  });

  test('S3 without region and endpoint: the operator fills in region, endpoint and virtual-hosted style', () => {
    expect(storageAsWritten('s3', { bucket: 'b' }, 'Unmanaged').notCompared).toEqual([['region'], ['regionEndpoint'], ['virtualHostedStyle']]);
    expect(storageAsWritten('s3', { bucket: 'b', region: 'r', regionEndpoint: 'http://m:9000' }, 'Unmanaged').notCompared).toEqual([]);
  });

  test('S3 Managed (or unset): the operator writes encrypt: true', () => {
    expect(storageAsWritten('s3', { bucket: 'b', region: 'r' }, 'Managed').notCompared).toEqual([['encrypt']]);
    expect(storageAsWritten('s3', { bucket: 'b', region: 'r' }, undefined).notCompared).toEqual([['encrypt']]);
  });

  test('Azure: networkAccess is a CRD default; an Internal account gets the names the operator found', () => {
    expect(storageAsWritten('azure', { accountName: 'a', container: 'c' }, 'Unmanaged').notCompared).toEqual([['networkAccess']]);
    expect(storageAsWritten('azure', { accountName: 'a', container: 'c', networkAccess: { type: 'Internal' } }, 'Unmanaged').notCompared)
      .toEqual([['networkAccess', 'internal']]);
    expect(storageAsWritten('azure', { accountName: 'a', container: 'c', networkAccess: { type: 'Internal', internal: { vnetName: 'v' } } }, 'Unmanaged').notCompared)
      .toEqual([['networkAccess', 'internal', 'subnetName'], ['networkAccess', 'internal', 'privateEndpointName']]);
  });

  test('IBM COS: location and resource group come from the Infrastructure, whatever the spec says', () => {
    expect(storageAsWritten('ibmcos', { bucket: 'b', location: 'eu-de' }, 'Unmanaged').notCompared).toEqual(expect.arrayContaining([['location'], ['resourceGroupName']]));
  });

  test('a field the back end does not have is refused, by its path', () => {
    expect(() => storageAsWritten('s3', { bucket: 'b', trustedCA: { name: 'x', key: 'y' } }, 'Unmanaged')).toThrow(ValidationError);
    expect(() => storageAsWritten('s3', { bucket: 'b', trustedCA: { name: 'x', key: 'y' } }, 'Unmanaged')).toThrow(/^s3\.trustedCA\.key: is not a field of spec\.storage\.s3\.trustedCA; it has name$/);
    expect(() => storageAsWritten('emptyDir', { size: '1Gi' }, undefined)).toThrow(/^emptyDir\.size: is not a field of spec\.storage\.emptyDir; it has no fields$/);
  });
});
