import fc from 'fast-check';
import { VERSIONED_FIELDS } from '../../../lib/rules/generated/openshift-versions';
import {
  checkOpenShiftVersion, checkVersionFields, DEFAULT_OPENSHIFT_VERSION, isOpenShiftVersion, OPENSHIFT_VERSIONS, OpenShiftVersion,
} from '../../../lib/rules/openshift-version';
import { checkRegistryConfig } from '../../../lib/rules/registry-rules';
import { ValidationError } from '../../../lib/rules/validation-error';

/** `field: message` of each finding. */
const found = (kind: string, spec: unknown, version: OpenShiftVersion) =>
  checkVersionFields(kind, spec, version).map((f) => `${f.field}: ${f.message}`);

const affinityTerm = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'r' } }, matchLabelKeys: ['pod-template-hash'] };

describe('the version table (generated from each minor\'s CRDs)', () => {
  test('names every minor from 4.12 to 4.23, oldest first; the default is the newest', () => {
    expect(OPENSHIFT_VERSIONS).toEqual(Array.from({ length: 12 }, (_, i) => `4.${12 + i}`));
    expect(DEFAULT_OPENSHIFT_VERSION).toBe('4.23');
  });

  test('holds only fields some version lacks, each with a first version after 4.12 (no field has gone away)', () => {
    for (const fields of Object.values(VERSIONED_FIELDS)) {
      for (const range of Object.values(fields)) {
        expect(OPENSHIFT_VERSIONS.indexOf(range.first as OpenShiftVersion)).toBeGreaterThan(0);
        expect(range.last).toBeUndefined();
      }
    }
    expect(Object.keys(VERSIONED_FIELDS).sort()).toEqual(['Config', 'Image', 'ImagePruner']);
  });
});

describe('checkVersionFields', () => {
  test('s3.chunkSizeMiB: not in 4.16 (off in the Default feature set there), in 4.17', () => {
    const spec = { storage: { s3: { bucket: 'b', chunkSizeMiB: 10 } } };
    expect(found('Config', spec, '4.16')).toEqual(["storage.s3.chunkSizeMiB: is not in OpenShift 4.16's Config CRD; it first appears in 4.17"]);
    expect(found('Config', spec, '4.17')).toEqual([]);
  });

  test('azure.networkAccess: one finding for the field, none for what is below it', () => {
    const spec = { storage: { azure: { accountName: 'a', container: 'c', networkAccess: { type: 'Internal', internal: { vnetName: 'v' } } } } };
    expect(found('Config', spec, '4.14')).toEqual(["storage.azure.networkAccess: is not in OpenShift 4.14's Config CRD; it first appears in 4.15"]);
    expect(found('Config', spec, '4.15')).toEqual([]);
  });

  test('resources.claims from 4.13, and a claim\'s request from 4.18, named with the list index', () => {
    const spec = { resources: { claims: [{ name: 'gpu' }, { name: 'x', request: 'r' }] } };
    expect(found('Config', spec, '4.12')).toEqual(["resources.claims: is not in OpenShift 4.12's Config CRD; it first appears in 4.13"]);
    expect(found('Config', spec, '4.17')).toEqual(["resources.claims[1].request: is not in OpenShift 4.17's Config CRD; it first appears in 4.18"]);
    expect(found('Config', spec, '4.18')).toEqual([]);
  });

  test('affinity matchLabelKeys from 4.16, in required and preferred terms', () => {
    const spec = { affinity: { podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone' }, affinityTerm],
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { ...affinityTerm, mismatchLabelKeys: ['a'] } }],
    } } };
    expect(found('Config', spec, '4.15')).toEqual([
      "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.matchLabelKeys: is not in OpenShift 4.15's Config CRD; it first appears in 4.16",
      "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.mismatchLabelKeys: is not in OpenShift 4.15's Config CRD; it first appears in 4.16",
      "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[1].matchLabelKeys: is not in OpenShift 4.15's Config CRD; it first appears in 4.16",
    ]);
    expect(found('Config', spec, '4.16')).toEqual([]);
  });

  test('the ImagePruner, by kind, with its own CRD\'s name in the message', () => {
    expect(found('ImagePruner', { resources: { claims: [{ name: 'a' }] }, schedule: '0 0 * * *' }, '4.12'))
      .toEqual(["resources.claims: is not in OpenShift 4.12's ImagePruner CRD; it first appears in 4.13"]);
    // The pruner has no storage: a Config-only field name there is not looked at.
    expect(found('ImagePruner', { storage: { s3: { chunkSizeMiB: 10 } } }, '4.12')).toEqual([]);
  });

  test('oss: accepted up to 4.16, refused from 4.17 on with the operator\'s reason', () => {
    const spec = { storage: { oss: { bucket: 'b' } } };
    expect(found('Config', spec, '4.16')).toEqual([]);
    for (const version of ['4.17', '4.23'] as const) {
      expect(found('Config', spec, version)).toEqual([
        `storage.oss: is ignored by the operator of OpenShift ${version} (its Alibaba Cloud OSS driver was removed in 4.17): alone it counts as no storage (StorageNotConfigured, the operator degrades); use s3 (OSS is S3-compatible) or another back end`,
      ]);
    }
    expect(found('ImagePruner', spec, '4.23')).toEqual([]);
  });

  test('findings are errors marked versionBound; a kind without versioned fields has none', () => {
    const [finding] = checkVersionFields('Config', { storage: { s3: { chunkSizeMiB: 5 } } }, '4.12');
    expect(finding).toMatchObject({ severity: 'error', versionBound: true });
    expect(found('Route', { resources: { claims: [] } }, '4.12')).toEqual([]);
  });

  test('any shape of spec is read without throwing', () => {
    fc.assert(fc.property(fc.anything(), fc.constantFrom(...OPENSHIFT_VERSIONS), (spec, version) => {
      checkVersionFields('Config', spec, version);
      checkVersionFields('Config', { storage: spec, resources: { claims: spec }, affinity: { podAffinity: spec } }, version);
    }));
    expect(found('Config', { resources: { claims: 'x' }, affinity: null }, '4.12')).toEqual(["resources.claims: is not in OpenShift 4.12's Config CRD; it first appears in 4.13"]);
  });
});

describe('checkRegistryConfig with openshiftVersion', () => {
  test('runs the version check first, against the newest version by default', () => {
    const spec = { storage: { oss: {} }, replicas: 1 };
    expect(checkRegistryConfig(spec, []).map((f) => f.field)).toEqual(['storage.oss']);
    expect(checkRegistryConfig(spec, [], { openshiftVersion: '4.16' })).toEqual([]);
    expect(checkRegistryConfig({ storage: { s3: { bucket: 'b', chunkSizeMiB: 5 } } }, [], { openshiftVersion: '4.16' })[0].field).toBe('storage.s3.chunkSizeMiB');
  });
});

describe('checkOpenShiftVersion', () => {
  test('a known version passes; others are a ValidationError that lists the known ones', () => {
    expect(checkOpenShiftVersion('openshiftVersion', '4.20')).toBe('4.20');
    expect(isOpenShiftVersion(4.2)).toBe(false);
    for (const bad of ['4.11', '4.24', 4.16, '4.2', undefined]) {
      expect(() => checkOpenShiftVersion('openshiftVersion', bad)).toThrow(ValidationError);
    }
    expect(() => checkOpenShiftVersion('openshiftVersion', '4.11')).toThrow(`openshiftVersion: "4.11" is not a known OpenShift version; use one of ${OPENSHIFT_VERSIONS.join(', ')}`);
  });
});
