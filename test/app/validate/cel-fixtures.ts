import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toYaml } from '../../../app/output/to-yaml';
import { builtInSchemas } from '../../../app/validate/built-in-schemas';
import { CrdSchemas } from '../../../app/validate/crd-schemas';
import { validateTree } from '../../../app/validate/validate-manifests';
import { OpenShiftVersion } from '../../../lib/rules/openshift-version';

// Objects and a --crds folder for cel-rules.test.ts and cel-rules.slow.test.ts.

/** validate's problems for `objects`, one file each, as "severity field: message". */
export const errorsOf = (objects: object[], options: { openshiftVersion?: OpenShiftVersion; schemas?: ReturnType<typeof builtInSchemas> } = {}) => {
  const files = new Map([['kustomization.yaml', ''], ...objects.map((o, i): [string, string] => [`o${i}.yaml`, toYaml(o)])]);
  return validateTree(files, { schemas: options.schemas ?? builtInSchemas(), openshiftVersion: options.openshiftVersion }).problems.map((p) => `${p.severity} ${p.field}: ${p.message}`);
};

/** A Widget CRD with `listSchema` at spec.list and a CEL rule on spec.replicas. */
export const widgetCrd = (listSchema: object) => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: {
    type: 'object', properties: { spec: { type: 'object', properties: { list: listSchema, replicas: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self <= 3', messageExpression: "'at most 3, got ' + string(self)" }] } } } },
  } } }] },
});
export const schemasWith = (crd: object) => {
  const dir = mkdtempSync(join(tmpdir(), 'cel-crds-'));
  writeFileSync(join(dir, 'widget.yaml'), toYaml(crd));
  return [CrdSchemas.fromDirectory(dir), ...builtInSchemas()];
};
export const widget = (spec: object) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns' }, spec });
