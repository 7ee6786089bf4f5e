import { checkImageConfig } from '../../../lib/rules/image-config-rules';
import { OpenShiftVersion } from '../../../lib/rules/openshift-version';

// One plain assertion per rule on images.config.openshift.io `cluster`; the ImageConfig construct
// and `validate` both run these (their tests show that they do).

const errors = (spec: unknown, version?: OpenShiftVersion) => checkImageConfig(spec, version).filter((f) => f.severity === 'error');
const warnings = (spec: unknown) => checkImageConfig(spec).filter((f) => f.severity === 'warning');
const platform = ['quay.io', 'registry.redhat.io', 'image-registry.openshift-image-registry.svc:5000'];

test('a spec with nothing set, or every field valid, has no finding', () => {
  expect(checkImageConfig({})).toEqual([]);
  expect(checkImageConfig({
    externalRegistryHostnames: ['registry.apps.example.com', 'registry.example.com:5000'],
    allowedRegistriesForImport: [{ domainName: '*.example.com' }, { domainName: 'registry.example.com:5000', insecure: true }],
    registrySources: {
      allowedRegistries: [...platform, 'registry.example.com:5000/team', '*.mirror.example.com'],
      insecureRegistries: ['registry.example.com:5000'],
      containerRuntimeSearchRegistries: ['registry.example.com'],
    },
    additionalTrustedCA: { name: 'registry-cas' },
  })).toEqual([]);
});

test('allowed and blocked registries together: the machine-config-operator refuses them before OpenShift 4.18; from 4.18 the CRD\'s CEL rule does (not here)', () => {
  const both = { registrySources: { allowedRegistries: platform, blockedRegistries: ['bad.example.com'] } };
  for (const version of ['4.12', '4.17'] as const) {
    expect(checkImageConfig(both, version).filter((f) => f.severity === 'error')).toEqual([{
      field: 'registrySources',
      message: expect.stringMatching(/^the machine-config-operator refuses both allowedRegistries and blockedRegistries \("invalid images config: only one of AllowedRegistries or BlockedRegistries may be specified"\)/),
      severity: 'error',
    }]);
  }
  expect(errors(both)).toEqual([]);
  expect(checkImageConfig(both, '4.18').filter((f) => f.severity === 'error')).toEqual([]);
  expect(checkImageConfig({ registrySources: { blockedRegistries: ['bad.example.com'] } }, '4.17')).toEqual([]);
});

test('an allow-list without quay.io and registry.redhat.io is an error that names what it blocks (nodes check the images\' own names, also through mirrors)', () => {
  const [finding] = errors({ registrySources: { allowedRegistries: ['registry.example.com', 'image-registry.openshift-image-registry.svc:5000'] } });
  expect(finding.field).toBe('registrySources.allowedRegistries');
  expect(finding.message).toMatch(/^does not include quay.io or registry.redhat.io: .*release images.*also when a mirror serves them/);
  expect(errors({ registrySources: { allowedRegistries: ['quay.io'] } })[0].message).toMatch(/^does not include registry.redhat.io:/);
  // A wildcard or a path under the registry covers it; an empty list is no allow-list at all.
  expect(checkImageConfig({ registrySources: { allowedRegistries: ['quay.io/openshift-release-dev', '*.redhat.io', '*.svc'] } })).toEqual([]);
  expect(checkImageConfig({ registrySources: { allowedRegistries: [] } })).toEqual([]);
});

test('the internal registry missing from an allow-list: an error where the registry runs, nothing where it is Removed, a warning where it is not known', () => {
  const spec = { registrySources: { allowedRegistries: ['quay.io', 'registry.redhat.io'] } };
  expect(checkImageConfig(spec, '4.23', { registryInUse: true }).map((f) => f.severity)).toEqual(['error']);
  expect(checkImageConfig(spec, '4.23', { registryInUse: false })).toEqual([]);
  expect(checkImageConfig(spec).map((f) => f.severity)).toEqual(['warning']);
});

test('empty lists and an empty trusted CA name set nothing (the operators skip them)', () => {
  expect(checkImageConfig({ additionalTrustedCA: { name: '' }, registrySources: { allowedRegistries: [], blockedRegistries: [], insecureRegistries: [] } }, '4.17')).toEqual([]);
  expect(checkImageConfig({ registrySources: { allowedRegistries: ['quay.io', 'registry.redhat.io', 'image-registry.openshift-image-registry.svc:5000'], blockedRegistries: [] } }, '4.17')).toEqual([]);
});

test('a registry scope the CRD does not check yet (before 4.23): what the machine-config-operator or the nodes refuse is an error, the rest a warning', () => {
  const spec = { registrySources: { insecureRegistries: ['ok.example.com', 'https://registry.example.com', 'r.example.com/app:1.0'], blockedRegistries: ['*bad'] } };
  for (const version of ['4.12', '4.22'] as const) {
    expect(checkImageConfig(spec, version).map((f) => [f.severity, f.field, f.message.split(' (')[0]])).toEqual([
      ['error', 'registrySources.blockedRegistries[0]', '"*bad" is not a registry scope'],
      ['error', 'registrySources.insecureRegistries[1]', '"https://registry.example.com" is not a registry scope'],
      ['warning', 'registrySources.insecureRegistries[2]', '"r.example.com/app:1.0" is not a registry scope'],
    ]);
    const [wildcard, scheme] = errors(spec, version);
    expect(wildcard.message).toMatch(new RegExp(`OpenShift ${version}'s API server takes it \\(the Image CRD checks scopes from 4.23\\), but the machine-config-operator refuses it \\("invalid entry for blocked registries"\\)`));
    expect(scheme.message).toContain('whose parser refuses a scheme ("URI schemes are not supported")');
  }
  // From 4.23 the CRD's own CEL rule refuses them (run with the schema, not here).
  expect(checkImageConfig(spec, '4.23')).toEqual([]);
  expect(checkImageConfig({ registrySources: { insecureRegistries: ['ok.example.com:5000/team', '*.example.com'] } }, '4.16')).toEqual([]);
});

test('an allow-list without the internal registry is a warning: nodes then refuse images from image streams and builds', () => {
  expect(warnings({ registrySources: { allowedRegistries: ['quay.io', 'registry.redhat.io'] } })).toEqual([{
    field: 'registrySources.allowedRegistries',
    message: 'does not include the internal registry image-registry.openshift-image-registry.svc:5000: the machine-config-operator does not add it, so nodes refuse every image pulled from it (image streams, builds, images pushed to the cluster\'s registry); add image-registry.openshift-image-registry.svc:5000 (unless the cluster runs no internal registry: managementState Removed)',
    severity: 'warning',
  }]);
  // The host without its port, another port or another host do not cover it; a path under it or a wildcard does.
  for (const entry of ['image-registry.openshift-image-registry.svc', 'image-registry.openshift-image-registry.svc:5001', 'image-registry.example.com:5000']) {
    expect(warnings({ registrySources: { allowedRegistries: ['quay.io', 'registry.redhat.io', entry] } })).toHaveLength(1);
  }
  for (const entry of ['image-registry.openshift-image-registry.svc:5000/team', '*.openshift-image-registry.svc']) {
    expect(warnings({ registrySources: { allowedRegistries: ['quay.io', 'registry.redhat.io', entry] } })).toEqual([]);
  }
  expect(warnings({ registrySources: { blockedRegistries: ['bad.example.com'] } })).toEqual([]);
});

test('the scope pattern of the CRD is not among these rules: it runs from the CRD (test/lib/rules/cel)', () => {
  expect(errors({ registrySources: { blockedRegistries: ['registry.example.com/app:1.0'] } })).toEqual([]);
});

test('a registry scope longer than the CRD allows, and more entries than it allows, are refused', () => {
  expect(errors({ registrySources: { insecureRegistries: [`${'a'.repeat(250)}.example.com`] } })[0].field).toBe('registrySources.insecureRegistries[0]');
  const many = Array.from({ length: 1025 }, (_, i) => `r${i}.example.com`);
  expect(errors({ registrySources: { blockedRegistries: many } }).map((f) => f.message)).toEqual(['has 1025 entries; the CRD allows at most 1024']);
});

test.each(['https://registry.example.com', 'registry.example.com/path', 'Registry.Example.com', 'registry.example.com:99999', 'registry..example.com'])(
  'an external hostname %p that is not host[:port] is refused', (hostname) => {
    expect(errors({ externalRegistryHostnames: [hostname] })).toEqual([{
      field: 'externalRegistryHostnames[0]', message: expect.stringContaining('is not host[:port]'), severity: 'error',
    }]);
  });

test('a search registry must be host[:port], and the list is a set without duplicates', () => {
  expect(errors({ registrySources: { containerRuntimeSearchRegistries: ['*.example.com'] } })[0].field).toBe('registrySources.containerRuntimeSearchRegistries[0]');
  expect(errors({ registrySources: { containerRuntimeSearchRegistries: ['a.example.com', 'a.example.com'] } })).toEqual([{
    field: 'registrySources.containerRuntimeSearchRegistries[1]',
    message: '"a.example.com" is also entry 0: the CRD makes this list a set, and the API server refuses duplicates',
    severity: 'error',
  }]);
  expect(errors({ registrySources: { containerRuntimeSearchRegistries: [] } })[0].message).toMatch(/^must not be empty/);
});

test('duplicates in the other lists are warnings', () => {
  expect(checkImageConfig({ externalRegistryHostnames: ['a.example.com', 'a.example.com'] })).toEqual([{
    field: 'externalRegistryHostnames[1]', message: '"a.example.com" is also entry 0: list it once', severity: 'warning',
  }]);
  expect(warnings({ allowedRegistriesForImport: [{ domainName: 'a.example.com' }, { domainName: 'a.example.com', insecure: true }] })[0].message)
    .toBe('domainName "a.example.com" is also entry 0: list it once');
  expect(warnings({ registrySources: { blockedRegistries: ['a.example.com', 'a.example.com'] } })[0].field).toBe('registrySources.blockedRegistries[1]');
});

test.each(['', 'https://registry.example.com', 'registry.example.com/path', 'a:b:1', 'registry.example.com:port'])(
  'an import domain %p that is not domain[:port] is refused', (domainName) => {
    expect(errors({ allowedRegistriesForImport: [{ domainName }] })).toEqual([{
      field: 'allowedRegistriesForImport[0].domainName', message: expect.stringContaining('is not a registry domain'), severity: 'error',
    }]);
  });

test.each(['Registry-CAs', 'cas_1', '-cas', 'a'.repeat(254)])('an additionalTrustedCA name %p that no ConfigMap can have is refused', (name) => {
  expect(errors({ additionalTrustedCA: { name } })).toEqual([{
    field: 'additionalTrustedCA.name', message: expect.stringContaining('is not a ConfigMap name'), severity: 'error',
  }]);
});

test('hostile shapes from disk give findings, never a TypeError', () => {
  for (const spec of [null, 'x', { registrySources: 'x' }, { externalRegistryHostnames: 'x' }, { allowedRegistriesForImport: [null, 1] }, { additionalTrustedCA: null }]) {
    expect(() => checkImageConfig(spec)).not.toThrow();
  }
  expect(errors({ externalRegistryHostnames: 'registry.example.com' })[0].message).toMatch(/^must be a list/);
});

test('an allow-list covers the platform registries whatever the case of their host names', () => {
  expect(warnings({ registrySources: { allowedRegistries: ['QUAY.IO', 'Registry.RedHat.io/rhel', 'Image-Registry.openshift-image-registry.svc:5000'] } })).toEqual([]);
});

test('an import domain with a port outside 1 to 65535 is refused', () => {
  expect(errors({ allowedRegistriesForImport: [{ domainName: 'a.example.com:99999' }] })[0].field).toBe('allowedRegistriesForImport[0].domainName');
  expect(errors({ allowedRegistriesForImport: [{ domainName: 'a.example.com:5000' }] })).toEqual([]);
});

test('a field the cluster\'s Image CRD lacks is refused: imageStreamImportMode before 4.21', () => {
  expect(checkImageConfig({ imageStreamImportMode: 'PreserveOriginal' }, '4.20')).toEqual([
    { field: 'imageStreamImportMode', message: "is not in OpenShift 4.20's Image CRD; it first appears in 4.21", severity: 'error', versionBound: true },
  ]);
  expect(checkImageConfig({ imageStreamImportMode: 'PreserveOriginal' }, '4.21')).toEqual([]);
});
