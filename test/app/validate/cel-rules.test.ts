import { Meter } from '../../../lib/rules/cel/meter';
import { errorsOf, schemasWith, widget, widgetCrd } from './cel-fixtures';

// validate runs the CRDs' CEL rules after the schema: the built-in CRDs' per OpenShift version,
// and those of a --crds folder, read when the folder is loaded.

beforeEach(() => {
  Meter.timeSpentMs = 0;
});

const image = (registrySources: object) => ({ apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources } });
const both = image({ allowedRegistries: ['quay.io', 'registry.redhat.io', 'image-registry.openshift-image-registry.svc:5000'], blockedRegistries: ['x.example.com'] });

test('the Image config: the API server refuses both lists from OpenShift 4.18 (the CRD\'s rule), the machine-config-operator before', () => {
  expect(errorsOf([both], { openshiftVersion: '4.23' })).toEqual(['error spec.registrySources: Only one of blockedRegistries or allowedRegistries may be set']);
  expect(errorsOf([both], { openshiftVersion: '4.18' })).toEqual(['error spec.registrySources: Only one of blockedRegistries or allowedRegistries may be set']);
  expect(errorsOf([both], { openshiftVersion: '4.17' })).toEqual([expect.stringMatching(/^error spec\.registrySources: the machine-config-operator refuses both/)]);
});

test('the Image config: registry scopes are the CRD\'s rule from 4.23 only; before, a warning of what the nodes get', () => {
  const bad = image({ blockedRegistries: ['docker.io/library/nginx:latest'] });
  expect(errorsOf([bad], { openshiftVersion: '4.23' })).toEqual(['error spec.registrySources.blockedRegistries[0]: each registry must be a valid hostname[:port][/path] or wildcard *.hostname format without tags or digests']);
  expect(errorsOf([bad], { openshiftVersion: '4.22' })).toEqual([expect.stringMatching(/^warning spec\.registrySources\.blockedRegistries\[0\]: "docker\.io\/library\/nginx:latest" is not a registry scope .*: OpenShift 4\.22's API server takes it/)]);
});

test('a wrong type keeps the CEL rules from running, as in the API server, and says so', () => {
  expect(errorsOf([image({ allowedRegistries: 'quay.io', blockedRegistries: ['x.example.com'] })])).toEqual(expect.arrayContaining([
    'error spec.registrySources.allowedRegistries: must be array',
    expect.stringMatching(/^note : not checked: some validation rules were not run because the object was invalid/),
  ]));
});

describe('a --crds folder', () => {

  test('its rules run on its objects, with their messages', () => {
    const schemas = schemasWith(widgetCrd({ type: 'array', items: { type: 'string' } }));
    expect(errorsOf([widget({ replicas: 5 })], { schemas })).toEqual(['error spec.replicas: at most 3, got 5']);
    expect(errorsOf([widget({ replicas: 2 })], { schemas })).toEqual([]);
  });

  test('a rule that cannot be compiled is a warning that it was not checked', () => {
    const schemas = schemasWith(widgetCrd({ type: 'array', 'x-kubernetes-validations': [{ rule: 'self.all(x,' }] }));
    expect(errorsOf([widget({ list: [] })], { schemas })).toEqual([expect.stringMatching(/^warning spec\.list: not checked against the CRD rule "self\.all\(x,": it cannot be compiled here/)]);
  });
});
