import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toYaml } from '../../../app/output/to-yaml';
import { builtInSchemas } from '../../../app/validate/built-in-schemas';
import { CrdSchemas } from '../../../app/validate/crd-schemas';
import { validateTree } from '../../../app/validate/validate-manifests';
import { Meter } from '../../../lib/rules/cel/meter';
import { OpenShiftVersion } from '../../../lib/rules/openshift-version';

// validate runs the CRDs' CEL rules after the schema: the built-in CRDs' per OpenShift version,
// and those of a --crds folder, read when the folder is loaded.

beforeEach(() => {
  Meter.timeSpentMs = 0;
});

const errorsOf = (objects: object[], options: { openshiftVersion?: OpenShiftVersion; schemas?: ReturnType<typeof builtInSchemas> } = {}) => {
  const files = new Map([['kustomization.yaml', ''], ...objects.map((o, i): [string, string] => [`o${i}.yaml`, toYaml(o)])]);
  return validateTree(files, { schemas: options.schemas ?? builtInSchemas(), openshiftVersion: options.openshiftVersion }).problems.map((p) => `${p.severity} ${p.field}: ${p.message}`);
};

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
  const widgetCrd = (listSchema: object) => ({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
    spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: {
      type: 'object', properties: { spec: { type: 'object', properties: { list: listSchema, replicas: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self <= 3', messageExpression: "'at most 3, got ' + string(self)" }] } } } },
    } } }] },
  });
  const schemasWith = (crd: object) => {
    const dir = mkdtempSync(join(tmpdir(), 'cel-crds-'));
    writeFileSync(join(dir, 'widget.yaml'), toYaml(crd));
    return [CrdSchemas.fromDirectory(dir), ...builtInSchemas()];
  };
  const widget = (spec: object) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns' }, spec });

  test('its rules run on its objects, with their messages', () => {
    const schemas = schemasWith(widgetCrd({ type: 'array', items: { type: 'string' } }));
    expect(errorsOf([widget({ replicas: 5 })], { schemas })).toEqual(['error spec.replicas: at most 3, got 5']);
    expect(errorsOf([widget({ replicas: 2 })], { schemas })).toEqual([]);
  });

  test('a hostile rule on a list of 10,000 items ends at the per-call limit within seconds, naming it', () => {
    const schemas = schemasWith(widgetCrd({ type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [{ rule: "self.all(x, self.all(y, self.all(z, x + y + z != '')))" }] }));
    const found = errorsOf([widget({ list: Array.from({ length: 10_000 }, (_, i) => `i${i}`) })], { schemas });
    expect(found).toEqual([expect.stringMatching(/^error spec\.list: 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: .*PerCallLimit/)]);
  }, 60_000);

  test('a rule that cannot be compiled is a warning that it was not checked', () => {
    const schemas = schemasWith(widgetCrd({ type: 'array', 'x-kubernetes-validations': [{ rule: 'self.all(x,' }] }));
    expect(errorsOf([widget({ list: [] })], { schemas })).toEqual([expect.stringMatching(/^warning spec\.list: not checked against the CRD rule "self\.all\(x,": it cannot be compiled here/)]);
  });
});
