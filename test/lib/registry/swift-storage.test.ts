import { RegistryStorage } from '../../../lib/registry/registry-storage';
import { SwiftAuthVersion } from '../../../lib/registry/swift-storage';

describe('Swift storage', () => {
  test('a container alone: Unmanaged, everything else from the cluster\'s clouds.yaml', () => {
    expect(RegistryStorage.swift({ container: 'registry' }).spec).toEqual({ swift: { container: 'registry' }, managementState: 'Unmanaged' });
  });

  test('every field is written with the CRD\'s names', () => {
    const storage = RegistryStorage.swift({
      container: 'registry', authUrl: 'https://keystone.example.com:5000/v3', authVersion: SwiftAuthVersion.V3,
      domain: 'Default', tenant: 'registry', tenantId: 'a1b2', regionName: 'RegionOne',
    });
    expect(storage.toJson()).toEqual({
      swift: { container: 'registry', authURL: 'https://keystone.example.com:5000/v3', authVersion: '3', domain: 'Default', tenant: 'registry', tenantID: 'a1b2', regionName: 'RegionOne' },
      managementState: 'Unmanaged',
    });
  });

  test('rule: container names have no slash', () => {
    expect(() => RegistryStorage.swift({ container: 'a/b' })).toThrow('container: "a/b" is not a valid Swift container name');
  });

  test('rule: authURL has a scheme (the operator would assume http://) and ends at the host or the API version', () => {
    expect(() => RegistryStorage.swift({ container: 'registry', authUrl: 'keystone.example.com:5000' })).toThrow(
      'authURL: "keystone.example.com:5000" has no scheme, and the operator would assume http://; write https://keystone.example.com:5000');
    expect(() => RegistryStorage.swift({ container: 'registry', authUrl: 'https://cloud.example.com/identity' })).toThrow(
      'authURL: "https://cloud.example.com/identity" has path /identity, which the operator refuses ("Incorrect Auth URL")');
    expect(RegistryStorage.swift({ container: 'registry', authUrl: 'https://keystone.example.com:5000/' }).spec.swift!.authUrl).toBe('https://keystone.example.com:5000/');
  });

  test('rule: authURL carries no credentials (they would be committed), and the error does not repeat them', () => {
    for (const authUrl of ['https://admin:Keyst0nePassw0rd@keystone.example.com:5000/v3', 'admin:Keyst0nePassw0rd@keystone.example.com:5000']) {
      expect(() => RegistryStorage.swift({ container: 'registry', authUrl })).toThrow(
        'authURL: carries credentials (user:password@), which would be written to the output and committed; the registry reads them from the credentials Secret: remove them from the URL');
    }
  });

  test('rule: authVersion is 1, 2 or 3 and agrees with the authURL', () => {
    expect(() => RegistryStorage.swift({ container: 'registry', authVersion: '3.0' as SwiftAuthVersion })).toThrow('authVersion: "3.0" is not allowed; use one of 1, 2, 3');
    expect(() => RegistryStorage.swift({ container: 'registry', authUrl: 'https://keystone.example.com/v2.0', authVersion: SwiftAuthVersion.V3 })).toThrow(
      'authVersion: is 3, but authURL https://keystone.example.com/v2.0 is the v2 API');
  });

  test('rule: optional names are never empty (empty means "take the cluster\'s")', () => {
    expect(() => RegistryStorage.swift({ container: 'registry', tenantId: '' })).toThrow('tenantID: must not be empty');
  });
});
