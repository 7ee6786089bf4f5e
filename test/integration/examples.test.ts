import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CrdSchemas } from '../../app/validate/crd-schemas';
import { rawCrdDir, repoRoot } from '../helpers';

const root = repoRoot;
const crdDir = rawCrdDir('the schema checks of docs/examples (Argo CD and Flux CRDs)');
const schemas = crdDir ? CrdSchemas.fromDirectory(crdDir) : undefined;
const withCrds = schemas ? describe : describe.skip;
const examples = readdirSync(join(root, 'docs', 'examples')).filter((f) => f.endsWith('.yaml')).sort();
const docs = examples.flatMap((file) => parseAllDocuments(readFileSync(join(root, 'docs', 'examples', file), 'utf8')).map((d) => ({ file, object: d.toJS() })));
const clusters = readdirSync(join(root, 'dist'));

describe('docs/examples', () => {
  test('holds an Argo CD Application, an ApplicationSet, the health checks (argocd-cm, ArgoCD) and Flux GitRepository + Kustomizations', () => {
    expect(docs.map((d) => d.object.kind).sort()).toEqual(['Application', 'ApplicationSet', 'ArgoCD', 'ConfigMap', 'GitRepository', 'Kustomization', 'Kustomization', 'Kustomization']);
  });

  test('paths point at folders that exist in dist/ and sync server-side', () => {
    const app = docs.find((d) => d.object.kind === 'Application')!.object;
    expect(clusters).toContain(app.spec.source.path.replace('dist/', ''));
    expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    const [objectStore, storageSwitch, registry] = docs.filter((d) => d.object.kind === 'Kustomization').map((d) => d.object);
    for (const k of [objectStore, storageSwitch, registry]) expect(readdirSync(join(root, k.spec.path))).toContain('kustomization.yaml');
    // Each stage waits for the one before: the Config only after the storage switch Job completed.
    expect(storageSwitch.spec.dependsOn).toEqual([{ name: objectStore.metadata.name }]);
    expect(registry.spec.dependsOn).toEqual([{ name: storageSwitch.metadata.name }]);
    expect([objectStore, storageSwitch, registry].map((k) => k.spec.wait)).toEqual([true, true, true]);
  });

  withCrds('against the Argo CD and Flux CRDs', () => {
    // Checked elsewhere: the ApplicationSet below; the ConfigMap (core) and the OpenShift GitOps
    // ArgoCD resource (its CRD is not in the folder) in health-checks.test.ts.
    const withCrd = (kind: string) => !['ApplicationSet', 'ConfigMap', 'ArgoCD'].includes(kind);
    test.each(docs.filter((d) => withCrd(d.object.kind)).map((d) => [`${d.file}: ${d.object.kind} ${d.object.metadata.name}`, d.object]))(
      '%s is valid against its CRD in the CRD folder', (_, object) => {
        expect(schemas!.validate(object)).toEqual([]);
      });

    test('the ApplicationSet template is a valid Application spec (its own CRD is not in the CRD folder)', () => {
      const appSet = docs.find((d) => d.object.kind === 'ApplicationSet')!.object;
      const applicationSpec = (schemas!.openApiSchema('argoproj.io/v1alpha1', 'Application')!.properties as Record<string, Record<string, unknown>>).spec;
      expect(schemas!.validateAgainst(applicationSpec, appSet.spec.template.spec)).toEqual([]);
      expect(appSet.spec.generators[0].git.directories).toEqual([{ path: 'dist/*' }]);
    });

    test('the validator catches what it should: an unknown field, a wrong type, a missing required field', () => {
      const app = docs.find((d) => d.object.kind === 'Application')!.object;
      expect(schemas!.validate({ ...app, spec: { ...app.spec, sourcee: {} } })).toEqual([{ field: 'spec.sourcee', message: 'unknown field' }]);
      expect(schemas!.validate({ ...app, spec: { ...app.spec, syncPolicy: { automated: { prune: 'yes' } } } })).toEqual([{ field: 'spec.syncPolicy.automated.prune', message: 'must be boolean' }]);
      expect(schemas!.validate({ ...app, spec: { source: app.spec.source } })).toEqual([{ field: 'spec.destination', message: 'is required', missing: true }, { field: 'spec.project', message: 'is required', missing: true }]);
      expect(schemas!.validate({ apiVersion: 'example.com/v1', kind: 'Unknown' })).toBeUndefined();
    });
  });
});
