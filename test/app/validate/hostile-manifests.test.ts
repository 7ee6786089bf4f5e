import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toYaml } from '../../../app/output/to-yaml';
import { CrdSchemas, toStrictJsonSchema } from '../../../app/validate/crd-schemas';
import { MANIFEST_NODE_LIMIT } from '../../../app/output/read-tree';
import { check, crdError, crdFolder, laughs, manyObjects, patternSchema, widget, widgetCrd } from './hostile-sizes';

// validate reads manifests and CRDs that anyone may have written (class 13): bombs, wrong
// shapes, prototype keys, hostile patterns, broken CRDs. Each is one error line naming the file
// (and document), quickly, never a TypeError or a stack trace; and what is printed is escaped
// (class 4).

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const restrictedContainer = { name: 'app', image: 'example/app:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } };
const deployment = (pod: object) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: 'minio' },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, ...pod } } },
});
const config = (spec: unknown) => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec });

describe('class 13: bounded parsing', () => {
  test('a billion laughs is one error naming the file, at once', () => {
    expect(check(laughs(9), 'prod/bomb.yaml')).toEqual([`prod/bomb.yaml: the file expands to more than ${MANIFEST_NODE_LIMIT} values by document 1 (maps, lists and scalars, a long string one per 64 characters, each alias counted as a copy of its anchor); the limit is ${MANIFEST_NODE_LIMIT}: use fewer aliases`]);
  });

  test('a recursive alias is an error at its field, not a stack overflow', () => {
    expect(check('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\ndata: &d {loop: *d}\n')).toEqual([
      'x.yaml: ConfigMap x/c: document 1: data.loop: an alias refers to a node that contains it (a recursive alias); the document must be a tree',
    ]);
  });

  test('a file over 4 MiB, invalid YAML and deep nesting are one error each', () => {
    expect(check(`a: "${'x'.repeat(4 * 1024 * 1024)}"\n`, 'big.yaml')).toEqual(['big.yaml: the file is 4194310 bytes; a manifest file may be at most 4 MiB (4194304 bytes)']);
    expect(check('kind: [\n', 'bad.yaml')).toEqual([expect.stringMatching(/^bad\.yaml: invalid YAML: .*\(2:1\)$/)]);
    expect(check('['.repeat(100_000), 'deep.yaml')).toEqual([expect.stringMatching(/^deep\.yaml: invalid YAML: nesting exceeded maxDepth \(100\)/)]);
  });

  test('merge keys (<<) are expanded, as kubectl, kustomize and Argo CD expand them; the keys merges copy are bounded', () => {
    const pruner = 'apiVersion: imageregistry.operator.openshift.io/v1\nkind: ImagePruner\nmetadata: {name: cluster}\nspec:\n  <<: {schedule: "0 3 * * *", keepTagRevisions: 5}\n';
    expect(check(pruner)).toEqual([]);
    expect(check(pruner.replace('keepTagRevisions: 5', 'keepTagRevisions: five'))).toContain('x.yaml: ImagePruner cluster: spec.keepTagRevisions: must be integer');
    const base = `base: &b {${Array.from({ length: 200 }, (_, i) => `k${i}: 1`).join(', ')}}`;
    const merges = Array.from({ length: 100 }, (_, i) => `m${i}: {<<: *b}`).join('\n');
    expect(check(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\n${base}\n${merges}\n`)).toEqual([expect.stringMatching(/^x\.yaml: invalid YAML: .*merge/i)]);
  });

  test('documents that are scalars or lists are errors naming the document', () => {
    expect(check('--- 5\n--- [a, b]\n--- hello\n--- true\n---\n', 'docs.yaml')).toEqual([
      'docs.yaml: document 1 is a number, not a Kubernetes object (a map with apiVersion, kind and metadata)',
      'docs.yaml: document 2 is a list, not a Kubernetes object (a map with apiVersion, kind and metadata)',
      'docs.yaml: document 3 is a string, not a Kubernetes object (a map with apiVersion, kind and metadata)',
      'docs.yaml: document 4 is a boolean, not a Kubernetes object (a map with apiVersion, kind and metadata)',
    ]);
  });
});

// The same sweeps at 60000 items, the budgets at full size, and the CLI on hostile folders, run in
// the integration tier (hostile-manifests.slow.test.ts).
manyObjects(200);

describe('class 13: malformed shapes never throw', () => {
  const s3Endpoint = config({ storage: { s3: { regionEndpoint: 'http://s.x.svc:80' } } });
  const shapes: [string, ...(object | string)[]][] = [
    ['containers: "x"', deployment({ containers: 'x' })],
    ['spec: null', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: minio}\nspec: null\n---\napiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata: {name: cluster}\nspec: null\n'],
    ['template: "x"', { ...deployment({}), spec: { template: 'x' } }],
    ['ports: [null]', deployment({ containers: [{ ...restrictedContainer, ports: [null, 'x', 5] }] })],
    ['volumes: [null, "x"]', deployment({ containers: [restrictedContainer], volumes: [null, 'x'] })],
    ['capabilities of the wrong types', deployment({ containers: [{ ...restrictedContainer, securityContext: { capabilities: { drop: 'ALL', add: 5 } } }] })],
    ['containers of the wrong types', deployment({ initContainers: { a: 1 }, containers: [null, 'x', 5] })],
    ['securityContext: "x"', deployment({ securityContext: 'x', containers: [{ ...restrictedContainer, securityContext: 'x' }] })],
    ['Config spec: "x"', config('x')],
    ['Config routes of the wrong types', config({ routes: 'x', storage: 'x' })],
    ['Config routes: [null, 5]', config({ routes: [null, 5, { name: { a: 1 } }], storage: { pvc: { claim: { a: 1 } } } })],
    ['values that refuse to become strings', config({ replicas: { valueOf: 1, toString: 1 }, rolloutStrategy: { toString: 1, valueOf: 1 }, managementState: { toString: 1 }, storage: { pvc: { claim: 'c' }, s3: { region: { toString: 1, valueOf: 1 }, regionEndpoint: 5 } } })],
    ['Service ports: [null]', s3Endpoint, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'x' }, spec: { ports: [null, 'x', { port: { valueOf: 1, toString: 1 } }, { port: 80 }] } }],
    ['Service spec: "x"', s3Endpoint, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'x', annotations: 'x' }, spec: 'x' }],
    ['ExternalSecret data: [null]', s3Endpoint, { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' }, spec: { data: [null, 'x'] } }],
    ['Secret data: "x"', s3Endpoint, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' }, data: 'x', stringData: [1] }],
    ['kind: __proto__', { apiVersion: 'v1', kind: '__proto__', metadata: { name: 'p' } }],
    ['apiVersion: constructor, kind: keys', { apiVersion: 'constructor', kind: 'keys', metadata: { name: 'p' } }],
    ['kind: toString', { apiVersion: 'v1', kind: 'toString', metadata: { name: 'p' } }],
    ['apiVersion: 5', { apiVersion: 5, kind: 'ConfigMap', metadata: { name: 'p' } }],
    ['kind that refuses to become a string', { apiVersion: 'v1', kind: { toString: 1, valueOf: 1 }, metadata: { name: 'p' } }],
    ['metadata: "x"', { apiVersion: 'v1', kind: 'ConfigMap', metadata: 'x' }],
    ['metadata.name: a map', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: { a: 1 }, namespace: { toString: 1, valueOf: 1 } } }],
  ];

  test.each(shapes)('%s', (_, ...objects) => {
    let lines: string[] = [];
    const text = typeof objects[0] === 'string' ? objects[0] : toYaml(...(objects as object[]));
    expect(() => (lines = check(text))).not.toThrow();
    for (const line of lines) expect(line).toMatch(/^((warning|note): )?x\.yaml: /);
  });

  test('the shapes are reported, not skipped', () => {
    expect(check(toYaml(deployment({ containers: 'x' })))).toContain('x.yaml: Deployment minio/app: spec.template.spec.containers: must be array');
    expect(check(toYaml({ apiVersion: 'v1', kind: '__proto__', metadata: { name: 'p' } }))).toEqual(['x.yaml: __proto__ p: the API server has no kind __proto__ in v1']);
    expect(check(toYaml({ apiVersion: 5, kind: 'ConfigMap', metadata: { name: 'p' } }))).toEqual(['x.yaml: ConfigMap p: every object needs apiVersion and kind (strings): without them neither the API server nor validate knows what it is']);
  });

  test('a __proto__ key in a manifest is an error, never a prototype', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: minio}\nspec:\n  template:\n    spec:\n      __proto__: {hostNetwork: true}\n';
    expect(check(text)).toEqual(['x.yaml: Deployment minio/app: document 1: spec.template.spec.__proto__: "__proto__" cannot be a key: JavaScript reads it as the prototype of the object; remove or rename it']);
  });
});

describe('class 13: a hostile CRD folder', () => {
  test('a pattern with nested quantifiers runs in linear time', () => {
    const sources = [CrdSchemas.fromDirectory(crdFolder({ 'widget.yaml': widgetCrd(patternSchema('^(a+)+$')) }))];
    expect(check(widget({ value: `${'a'.repeat(50_000)}!` }), 'x.yaml', sources)).toEqual(['x.yaml: Widget x/w: spec.value: must match pattern "^(a+)+$"']);
    expect(check(widget({ value: 'a'.repeat(50_000) }), 'x.yaml', sources)).toEqual([]);
  });

  test('the pinned CRDs keep their patterns, on either engine', () => {
    const route = (host: string) => toYaml({ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'r', namespace: 'x' }, spec: { host, to: { kind: 'Service', name: 's' } } });
    expect(check(route('Bad_Host!'))).toEqual(['x.yaml: Route x/r: spec.host: must match pattern "^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])(\\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9]))*$"']);
    expect(check(route('registry.apps.example.com'))).toEqual([]);
    expect(check(toYaml(config({ managementState: 'Managed', replicas: 1, storage: { emptyDir: {} }, rolloutStrategy: 'Sometimes' })))).toEqual(['x.yaml: Config cluster: spec.rolloutStrategy: must match pattern "^(RollingUpdate|Recreate)$"']);
  });

  test('uniqueItems (which the API server refuses in a CRD) is not checked; a wide schema under the compile budget judges (at full size in the slow tier)', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { items: { type: 'array', uniqueItems: true, items: { type: 'string' } } } } } };
    expect(toStrictJsonSchema(schema as never)).not.toHaveProperty('properties.spec.properties.items.uniqueItems');
    expect(check(widget({ items: ['a', 'a'] }), 'x.yaml', [CrdSchemas.fromDirectory(crdFolder({ 'widget.yaml': widgetCrd(schema) }))])).toEqual([]);
    const wide = { type: 'object', properties: { spec: { type: 'object', properties: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`p${i}`, { type: 'string' }])) } } }; // 1000 in the slow tier
    expect(check(widget({ p1: 1 }), 'x.yaml', [CrdSchemas.fromDirectory(crdFolder({ 'widget.yaml': widgetCrd(wide) }))])).toEqual(['x.yaml: Widget x/w: spec.p1: must be string']);
  });

  test('YAML\'s .inf and .nan are not numbers a field takes (kubectl cannot send them: JSON has neither): in a CRD read at run time and in the registry Config', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { count: { type: 'integer' }, ratio: { type: 'number' } } } } };
    const sources = [CrdSchemas.fromDirectory(crdFolder({ 'widget.yaml': widgetCrd(schema) }))];
    const text = (spec: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: x}\nspec: ${spec}\n`;
    expect(check(text('{count: .inf, ratio: .nan}'), 'x.yaml', sources)).toEqual(['x.yaml: Widget x/w: spec.count: must be integer', 'x.yaml: Widget x/w: spec.ratio: must be number']);
    expect(check(text('{count: 3, ratio: -.inf}'), 'x.yaml', sources)).toEqual(['x.yaml: Widget x/w: spec.ratio: must be number']);
    expect(check(text('{count: 3, ratio: 0.5}'), 'x.yaml', sources)).toEqual([]);
    const weight = (value: string) => check(`apiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata: {name: cluster}\nspec:\n  managementState: Managed\n  replicas: 1\n  storage: {emptyDir: {}}\n  affinity:\n    nodeAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n        - weight: ${value}\n          preference: {matchExpressions: [{key: x, operator: Exists}]}\n`)
      .filter((line) => !line.startsWith('note: '));
    expect(weight('.inf')).toEqual(['x.yaml: Config cluster: spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: must be integer']);
    expect(weight('50')).toEqual([]);
  });

  test('fields named as every JavaScript object\'s properties (constructor, toString) are absent unless set, and checked when set', () => {
    const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'];
    const schema = { type: 'object', properties: { spec: { type: 'object', required: ['constructor'], properties: Object.fromEntries(names.map((n) => [n, { type: 'integer' }])) } } };
    const sources = [CrdSchemas.fromDirectory(crdFolder({ 'widget.yaml': widgetCrd(schema) }))];
    expect(check(widget({ constructor: 1 }), 'x.yaml', sources)).toEqual([]);
    expect(check(widget({ toString: 1 }), 'x.yaml', sources)).toEqual(['x.yaml: Widget x/w: spec.constructor: is required']);
    expect(check(widget({ constructor: 'a', valueOf: 'b' }), 'x.yaml', sources)).toEqual(['x.yaml: Widget x/w: spec.constructor: must be integer', 'x.yaml: Widget x/w: spec.valueOf: must be integer']);
  });

  test('a schema that cannot be compiled is an error for its objects, not a crash', () => {
    const sources = [CrdSchemas.fromDirectory(crdFolder({ 'widget.yaml': widgetCrd(patternSchema('(')) }))];
    expect(check(widget({ value: 'x' }), 'x.yaml', sources)).toEqual([expect.stringMatching(/^x\.yaml: Widget x\/w: the CRD's schema for example\.com\/v1 Widget cannot be used: .*Invalid regular expression/)]);
  });

  test('a CRD without spec, with invalid YAML, of the wrong shape or with a bomb: every file and document named', () => {
    const dir = crdFolder({
      'a-nospec.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\n',
      'b-invalid.yaml': 'kind: CustomResourceDefinition\nspec: [\n',
      'c-versions.yaml': `---\nkind: Kustomization\n---\n${widgetCrd({}).replace(/versions:[\s\S]*/, 'versions: x\n')}---\n- a list\n`,
      'd-bomb.yaml': `kind: CustomResourceDefinition\n${laughs(9).replace(/^[\s\S]*lol:\n/, 'lol:\n')}`,
      'e-proto.yaml': widgetCrd({ type: 'object', properties: { spec: { type: 'object' } } }).replace('type: object\n', 'type: object\n          __proto__: {type: string}\n'),
      'f-version.yaml': widgetCrd({}).replace('name: v1', 'name: {a: 1}'),
    });
    expect(crdError(dir).split('\n')).toEqual([
      `${dir}/a-nospec.yaml: document 1: a CustomResourceDefinition needs spec.group, spec.names.kind (strings) and spec.versions (a list)`,
      `${dir}/b-invalid.yaml:3:1: invalid YAML: deficient indentation`,
      `${dir}/c-versions.yaml: document 2: a CustomResourceDefinition needs spec.group, spec.names.kind (strings) and spec.versions (a list)`,
      `${dir}/c-versions.yaml: document 3: not a Kubernetes object (a map with apiVersion and kind)`,
      expect.stringMatching(new RegExp(`^${dir}/d-bomb\\.yaml: document 1: .*(alias|expands)`)),
      expect.stringMatching(new RegExp(`^${dir}/e-proto\\.yaml: document 1: spec\\.versions\\[0\\]\\.schema\\.openAPIV3Schema\\.__proto__: "__proto__" cannot be a key`)),
      `${dir}/f-version.yaml: document 1: spec.versions[0]: needs a name (a string) and, if any, a schema.openAPIV3Schema map`,
    ]);
  });

  test('CRD files that are not files are refused by name', () => {
    const outside = crdFolder({ 'secret.yaml': 'token: SECRET\n' });
    const dir = crdFolder({});
    symlinkSync(join(outside, 'secret.yaml'), join(dir, 'a.yaml'));
    symlinkSync('/dev/zero', join(dir, 'b.yaml'));
    writeFileSync(join(dir, 'c.yaml'), `# ${'x'.repeat(4 * 1024 * 1024)}\n`);
    const message = crdError(dir);
    expect(message.split('\n')).toEqual([
      expect.stringMatching(/a\.yaml: is a symbolic link to .*secret\.yaml, outside /),
      expect.stringMatching(/b\.yaml: is a symbolic link to \/dev\/zero, outside /),
      `${dir}/c.yaml: is 4194307 bytes; the limit is 4 MiB (4194304 bytes)`,
    ]);
    expect(message).not.toContain('SECRET');
  });
});

describe('class 4: terminal injection in validate output', () => {
  test('file names, kinds, names and values are escaped; one line per problem', () => {
    const text = toYaml({ apiVersion: 'example.com/v1', kind: 'Wid\x1b[2Jget', metadata: { name: 'w\u202eevil', namespace: 'x\ny' } });
    const lines = check(text, 'evil\n\x1b]0;pwned\x07.yaml');
    // The name and the namespace are refused too; every line is escaped.
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toMatch(CONTROL);
    expect(lines[0]).toMatch(/^evil\\n\\x1b\]0;pwned\\x07\.yaml: Wid\\x1b\[2Jget x\\ny\/w\\u202eevil: metadata\.name: "w\\u202eevil" is not a valid/);
    expect(lines[2]).toBe('note: evil\\n\\x1b]0;pwned\\x07.yaml: Wid\\x1b[2Jget x\\ny/w\\u202eevil: not checked: no schema for example.com/v1 Wid\\x1b[2Jget, a custom resource; pass its CRD with --crds DIR to check it');
  });

  test('a long unknown key is cut short in the field', () => {
    const lines = check(toYaml({ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'r', namespace: 'x' }, spec: { to: { kind: 'Service', name: 's' }, [`k${'x'.repeat(5000)}`]: 1 } }));
    expect(lines).toEqual([`x.yaml: Route x/r: spec.k${'x'.repeat(114)}…: unknown field`]);
  });

  test('a CRD folder error is escaped', () => {
    const dir = crdFolder({ 'bad\x1b[31m.yaml': 'kind: [\n' });
    expect(crdError(dir)).toContain('bad\\x1b[31m.yaml');
  });
});
