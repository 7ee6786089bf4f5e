import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toYaml } from '../../../app/output/to-yaml';
import { builtInSchemas } from '../../../app/validate/built-in-schemas';
import { CrdFolderError, CrdSchemas } from '../../../app/validate/crd-schemas';
import { formatProblems, validateTree } from '../../../app/validate/validate-manifests';

// Hostile manifests for hostile-manifests.test.ts and hostile-manifests.slow.test.ts: a bomb, CRD
// folders, and validate on many objects, fields and errors (class 13) at `n` items, which the
// unit tier runs small and the integration tier at 60000 (a path quadratic in these sizes runs for
// minutes). The timings, at sizes four times apart, are bench/hostile-validate.ts's.

const schemas = builtInSchemas();

/** validate's output for one file of one cluster, one line per problem. */
export function check(text: string, file = 'x.yaml', sources = schemas): string[] {
  const report = validateTree(new Map([['kustomization.yaml', ''], [file, text]]), { schemas: sources });
  const out = formatProblems(report.problems);
  return out ? out.slice(0, -1).split('\n') : [];
}

export const widgetCrd = (schema: object, extra = '') => toYaml({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }] },
}) + extra;
export const widget = (spec: object) => toYaml({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'x' }, spec });
export const patternSchema = (pattern: string) => ({ type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, spec: { type: 'object', properties: { value: { type: 'string', pattern } } } } });

/** A CRD folder holding `files`. */
export function crdFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-crds-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The error CrdSchemas.fromDirectory throws for the CRD folder `dir`. */
export function crdError(dir: string): string {
  try {
    CrdSchemas.fromDirectory(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(CrdFolderError);
    return (e as Error).message;
  }
  throw new Error('expected a CrdFolderError');
}

/** A ConfigMap holding a billion laughs of `levels` levels (9^levels values once expanded). */
export const laughs = (levels: number) => {
  const names = 'abcdefghijklmnop';
  const lines = [`  ${names[0]}: &${names[0]} [lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
  for (let i = 1; i < levels; i++) lines.push(`  ${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol, namespace: x}\nlol:\n${lines.join('\n')}\n`;
};

export function manyObjects(n: number): void {
  describe(`class 13: many objects, fields and errors in a file (${n} items)`, () => {
    const count = (files: [string, string][]) => ({ problems: validateTree(new Map(files), { schemas }).problems.length });
    const findings = (files: [string, string][]) => formatProblems(validateTree(new Map(files), { schemas }).problems).split('\n').filter(Boolean);

    test(`${n} unknown fields of one object`, () => {
      const text = `apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: r, namespace: x}\nspec:\n  to: {kind: Service, name: s}\n${Array.from({ length: n }, (_, i) => `  k${i}: 1`).join('\n')}\n`;
      const { problems } = count([['prod/r.yaml', text]]);
      expect(problems).toBe(n);
    }, 60_000);

    test(`${n} unknown fields of one built-in object: the first 100 listed, one line for the rest`, () => {
      const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\n${Array.from({ length: n }, (_, i) => `k${i}: 1`).join('\n')}\n`;
      const { problems } = count([['prod/c.yaml', text]]);
      expect(problems).toBe(101);
    }, 60_000);

    test(`${n} containers and ${n} property schemas, each with an unknown field`, () => {
      const containers = Array.from({ length: n }, (_, i) => `      - {name: c${i}, image: x, imagePullPolicyy: Always}`).join('\n');
      const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  containers:\n${containers}\n`;
      const pods = count([['prod/p.yaml', pod]]);
      expect(pods.problems).toBe(101);
      const properties = Array.from({ length: n }, (_, i) => `                p${i}: {type: string, descripton: x}`).join('\n');
      const crd = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: ws.example.com}\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: W, plural: ws}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n${properties}\n`;
      const { problems } = count([['prod/crd.yaml', crd]]);
      expect(problems).toBe(101);
    }, 60_000);

    test(`${n / 4} Configs naming claims among ${n / 4} others`, () => {
      const docs = Array.from({ length: n / 4 }, (_, i) => `apiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata: {name: c${i}}\nspec: {storage: {pvc: {claim: p${i}}}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: q${i}, namespace: openshift-image-registry}\n`);
      const { problems } = count([['kustomization.yaml', ''], ['all.yaml', docs.join('---\n')]]);
      expect(problems).toBeGreaterThanOrEqual(n / 2); // each Config: not named cluster, its claim not among them, ...
    }, 60_000);

    test(`${n * 5} empty documents: one problem each, no stack overflow`, () => {
      const { problems } = count([['kustomization.yaml', ''], ['x.yaml', '--- {}\n'.repeat(n * 5)]]);
      expect(problems).toBe(n * 5);
      expect(crdError(crdFolder({ 'x.yaml': '--- 5\n'.repeat(n * 5) })).split('\n')).toHaveLength(n * 5);
    }, 60_000);

    test(`${n} documents in a cluster folder, and ${n} routes of one Config`, () => {
      const docs = Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: x}\n`);
      // Two files: one would pass the 4 MiB limit of a file.
      expect(findings([['prod/kustomization.yaml', ''], ['prod/a.yaml', docs.slice(0, n / 2).join('---\n')], ['prod/b.yaml', docs.slice(n / 2).join('---\n')]])).toEqual([]);
      const routes = Array.from({ length: n }, (_, i) => `  - {name: r${i}}`).join('\n');
      expect(findings([['kustomization.yaml', ''], ['c.yaml', `apiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata: {name: cluster}\nspec:\n  storage: {emptyDir: {}}\n  routes:\n${routes}\n`]])).toEqual([]);
    }, 60_000);
  });
}
