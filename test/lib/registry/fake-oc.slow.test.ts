// The stand-in for oc and the API server (fake-oc.cjs) against the real thing where it is at
// hand: kubectl (its `patch --local` encodes the object as the API server does for a custom
// resource, turns the patch into JSON with yaml.ToJSON as `oc patch` does, and applies it with
// gopkg.in/evanphx/json-patch.v4 v4.12.0, the library and version the API server uses), and the
// Config CRD's defaults.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { rawCrdDir } from '../../helpers';

const fake = require('./fake-oc.cjs') as {
  applyPatch(doc: string, patch: string): string;
  goJson(value: unknown): string;
  jsonpath(template: string, object: unknown): string;
  DEFAULTS: [string[], unknown][];
};

const config = {
  apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' },
  spec: {
    replicas: 1, list: ['a', 'b'],
    storage: { s3: { bucket: 'a&b<c>', region: 'us-east-1', chunkSizeMiB: 10, virtualHostedStyle: false, trustedCA: { name: '' } }, managementState: 'Managed' },
  },
};

/** JSON patches, as the script could send them, where a stand-in could get the rules wrong. */
const CASES: [string, unknown[]][] = [
  ['add below a missing parent', [{ op: 'add', path: '/spec/storage/pvc/claim', value: 'x' }]],
  ['add below a missing /spec/storage', [{ op: 'remove', path: '/spec/storage' }, { op: 'add', path: '/spec/storage/pvc', value: { claim: 'x' } }]],
  ['add replaces a member', [{ op: 'add', path: '/spec/storage', value: { pvc: { claim: 'x' } } }]],
  ['remove of a missing member', [{ op: 'remove', path: '/spec/storage/gcs' }]],
  ['add then remove of a missing member', [{ op: 'add', path: '/spec/storage/gcs', value: '' }, { op: 'remove', path: '/spec/storage/gcs' }]],
  ['test: members in another order', [{ op: 'test', path: '/spec/storage/s3', value: { trustedCA: { name: '' }, virtualHostedStyle: false, chunkSizeMiB: 10, region: 'us-east-1', bucket: 'a&b<c>' } }]],
  ['test: one member fewer', [{ op: 'test', path: '/spec/storage/s3', value: { bucket: 'a&b<c>', region: 'us-east-1', chunkSizeMiB: 10, virtualHostedStyle: false } }]],
  ['test: one member more', [{ op: 'test', path: '/spec/storage/s3', value: { bucket: 'a&b<c>', region: 'us-east-1', chunkSizeMiB: 10, virtualHostedStyle: false, trustedCA: { name: '' }, encrypt: false } }]],
  ['test: a number against a string', [{ op: 'test', path: '/spec/storage/s3/chunkSizeMiB', value: '10' }]],
  ['test: 10.0 against 10', [{ op: 'test', path: '/spec/storage/s3/chunkSizeMiB', value: 10.0 }]],
  ['test: a boolean against a string', [{ op: 'test', path: '/spec/storage/s3/virtualHostedStyle', value: 'false' }]],
  ['test: HTML characters', [{ op: 'test', path: '/spec/storage/s3/bucket', value: 'a&b<c>' }]],
  ['test: a missing member against null', [{ op: 'test', path: '/spec/storage/gcs', value: null }]],
  ['test: a missing member against {}', [{ op: 'test', path: '/spec/storage/gcs', value: {} }]],
  ['test: a member against null', [{ op: 'test', path: '/spec/storage/s3', value: null }]],
  ['test: below a missing parent', [{ op: 'test', path: '/spec/storage/gcs/bucket', value: 'x' }]],
  ['test: a list', [{ op: 'test', path: '/spec/list', value: ['a', 'b'] }]],
  ['test: a list in another order', [{ op: 'test', path: '/spec/list', value: ['b', 'a'] }]],
  ['a failing operation after one that passes changes nothing', [{ op: 'remove', path: '/spec/storage/s3' }, { op: 'test', path: '/spec/storage/managementState', value: 'Unmanaged' }]],
  ['list: append, insert, out of range', [{ op: 'add', path: '/spec/list/-', value: 'c' }, { op: 'add', path: '/spec/list/0', value: 'z' }, { op: 'add', path: '/spec/list/9', value: 'q' }]],
  ['move', [{ op: 'move', from: '/spec/list', path: '/spec/other' }]],
  ['move from a missing member', [{ op: 'move', from: '/spec/nothing', path: '/spec/other' }]],
  ['copy', [{ op: 'copy', from: '/spec/storage/s3', path: '/spec/storage/gcs' }]],
  ['an unknown operation', [{ op: 'frobnicate', path: '/spec' }]],
  ['no path', [{ op: 'add', value: 1 }]],
];

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectl) {
  if (process.env.CI) throw new Error('kubectl is needed for these tests under CI: .ci/install-tools installs it (Debian package kubernetes-client)');
  console.warn('SKIPPED: the stand-in for oc against kubectl: kubectl is not installed (apt-get install kubernetes-client)');
}

describe('fake-oc.cjs', () => {
  (kubectl ? test.each(CASES) : test.skip.each(CASES))('applies a JSON patch as kubectl (evanphx/json-patch v4) does: %s', (_, patch) => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-oc-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const real = spawnSync('kubectl', ['patch', '--local', '-f', join(dir, 'config.json'), '--type=json', '-p', JSON.stringify(patch), '-o', 'json'], { encoding: 'utf8' });
    let ours: { object?: unknown; error?: string };
    try {
      ours = { object: JSON.parse(fake.applyPatch(fake.goJson(config), fake.goJson(patch))) };
    } catch (e) {
      ours = { error: (e as Error).message };
    }
    if (real.status === 0) {
      expect(ours).toEqual({ object: JSON.parse(real.stdout) });
    } else {
      expect(ours).toEqual({ error: real.stderr.trim().replace(/^error: /, '') });
    }
  });

  (kubectl ? test : test.skip)('prints jsonpath as kubectl does: text, strings as they are, maps as compact JSON, nothing for a missing field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-oc-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const template = '{"storage="}{.spec.storage}{"\\n"}{"s3="}{.spec.storage.s3}{"\\n"}{"gcs="}{.spec.storage.gcs}{"\\n"}{"state="}{.spec.storage.managementState}{"\\n"}{.spec.replicas}';
    const real = spawnSync('kubectl', ['patch', '--local', '-f', join(dir, 'config.json'), '--type=json', '-p', '[]', '-o', `jsonpath=${template}`], { encoding: 'utf8' });
    expect(real.status).toBe(0);
    expect(fake.jsonpath(template, config)).toBe(real.stdout);
  });

  test('applies the Config CRD\'s defaults, and no others', () => {
    const dir = rawCrdDir('the stand-in\'s CRD defaults');
    if (!dir) return;
    const crd = parse(readFileSync(join(dir, 'imageregistry.operator.openshift.io_configs.yaml'), 'utf8'));
    const found: [string[], unknown][] = [];
    const walk = (schema: { default?: unknown; properties?: Record<string, unknown> }, at: string[]) => {
      if (schema.default !== undefined) found.push([at, schema.default]);
      for (const [key, sub] of Object.entries(schema.properties ?? {})) walk(sub as typeof schema, [...at, key]);
    };
    walk(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec, ['spec']);
    expect(fake.DEFAULTS).toEqual(found);
  });

  test('refuses a call the script does not make', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-oc-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const run = (...args: string[]) => spawnSync(process.execPath, [join(__dirname, 'fake-oc.cjs'), ...args], { env: { FAKE_OC_DIR: dir }, encoding: 'utf8' });
    expect(run('get', 'configs.imageregistry.operator.openshift.io/cluster', '-o', 'json').status).toBe(1);
    expect(run('patch', 'configs.imageregistry.operator.openshift.io/cluster', '--type=merge', '-p', '{}').status).toBe(1);
    expect(run('get', 'configs.imageregistry.operator.openshift.io/other', '-o', 'jsonpath={.spec}').status).toBe(1);
    expect(run('get', 'configs.imageregistry.operator.openshift.io/cluster', '-o', 'jsonpath={.spec.list[0]}').status).toBe(1);
  });

  test('refuses a patch whose result the CRD\'s schema refuses, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-oc-'));
    const valid = { ...config, spec: { ...config.spec, list: undefined } };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(valid));
    const result = spawnSync(process.execPath, [join(__dirname, 'fake-oc.cjs'), 'patch', 'configs.imageregistry.operator.openshift.io/cluster', '--type=json', '-p', '[{"op":"add","path":"/spec/storage/managementState","value":"Removed"}]'], { env: { FAKE_OC_DIR: dir }, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/spec\.storage\.managementState: must match pattern/);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(valid)));
  });
});
