import { App, Chart } from 'cdk8s';
import { AzureCloudName, AzureNetworkAccessType } from '../../../lib/registry/azure-storage';
import { ImageRegistry } from '../../../lib/registry/image-registry';
import { RegistryStorage, StorageManagementState } from '../../../lib/registry/registry-storage';

const named = { accountName: 'acmeregistry', container: 'images' };

describe('Azure storage', () => {
  test('account and container: Unmanaged, nothing else written', () => {
    expect(RegistryStorage.azure(named).spec).toEqual({ azure: { accountName: 'acmeregistry', container: 'images' }, managementState: 'Unmanaged' });
  });

  test('cloud and private network access are written with the CRD\'s names', () => {
    const storage = RegistryStorage.azure({
      ...named,
      cloudName: AzureCloudName.US_GOVERNMENT,
      networkAccess: { type: AzureNetworkAccessType.INTERNAL, internal: { vnetName: 'cluster-vnet', subnetName: 'worker-subnet' } },
      managementState: StorageManagementState.MANAGED,
    });
    expect(storage.toJson()).toEqual({
      azure: {
        accountName: 'acmeregistry', container: 'images', cloudName: 'AzureUSGovernmentCloud',
        networkAccess: { type: 'Internal', internal: { vnetName: 'cluster-vnet', subnetName: 'worker-subnet' } },
      },
      managementState: 'Managed',
    });
  });

  test('rule: account names are 3 to 24 lower-case letters and digits', () => {
    expect(() => RegistryStorage.azure({ ...named, accountName: 'acme-registry' })).toThrow(
      'accountName: "acme-registry" is not a valid storage account name: use 3 to 24 lower-case letters and digits');
  });

  test('rule: container names follow the CRD\'s pattern', () => {
    expect(() => RegistryStorage.azure({ ...named, container: 'Images' })).toThrow('container: "Images" is not a valid container name');
    expect(() => RegistryStorage.azure({ ...named, container: 'my--images' })).toThrow('container: "my--images" is not a valid container name');
  });

  test('rule: cloudName is one the operator knows', () => {
    expect(() => RegistryStorage.azure({ ...named, cloudName: 'AzureCloud' as AzureCloudName })).toThrow(
      'cloudName: "AzureCloud" is not allowed; use one of AzurePublicCloud, AzureUSGovernmentCloud, AzureChinaCloud, AzureGermanCloud, AzureStackCloud');
  });

  test('rule: networkAccess.internal only with type Internal (the CRD\'s CEL rule, when the registry is made), names as the CRD allows', () => {
    const storage = RegistryStorage.azure({ ...named, networkAccess: { type: AzureNetworkAccessType.EXTERNAL, internal: { vnetName: 'vnet' } } });
    expect(() => new ImageRegistry(new Chart(new App(), 'c'), 'r', { storage })).toThrow(
      'storage.azure.networkAccess: internal is forbidden when type is not Internal');
    // OpenShift 4.14's CRD has no networkAccess at all: that is the error there.
    expect(() => new ImageRegistry(new Chart(new App(), 'c'), 'r', { storage, openshiftVersion: '4.14' })).toThrow(/storage\.azure\.networkAccess: is not in OpenShift 4\.14/);
    expect(() => RegistryStorage.azure({ ...named, networkAccess: { type: AzureNetworkAccessType.INTERNAL, internal: { vnetName: 'v' } } })).toThrow(
      'networkAccess.internal.vnetName: "v" is not valid: use 2 to 64');
    expect(() => RegistryStorage.azure({ ...named, networkAccess: { type: 'Private' as AzureNetworkAccessType } })).toThrow(
      'networkAccess.type: "Private" is not allowed; use one of Internal, External');
  });
});
