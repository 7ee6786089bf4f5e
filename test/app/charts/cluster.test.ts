import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthesizeCluster } from '../../../app/charts/cluster';
import { loadConfigFile, parseConfigText, parseDefaultsText } from '../../../app/config/loader';
import { OPENSHIFT_VERSION_ANNOTATION } from '../../../app/output/kustomization';
import { readObject, repoRoot } from '../../helpers';

const root = repoRoot;
const synthText = (text: string) => synthesizeCluster(parseConfigText(text, 'cluster.yaml'));

describe('default config', () => {
  // Its whole output is main.test.ts's snapshot.
  const files = synthesizeCluster(loadConfigFile(join(root, 'config', 'default.yaml')));

  test('one file per chart, the storage switch stage before the registry stage, with kustomizations', () => {
    expect([...files.keys()].sort()).toEqual([
      'kustomization.yaml', 'registry/kustomization.yaml', 'registry/registry-storage.yaml', 'registry/registry.yaml',
      'storage-switch/kustomization.yaml', 'storage-switch/storage-switch.yaml',
    ]);
    expect(readObject(files.get('kustomization.yaml')!)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['storage-switch/storage-switch.yaml', 'registry/registry-storage.yaml', 'registry/registry.yaml'],
    });
    expect(readObject(files.get('registry/kustomization.yaml')!).resources).toEqual(['registry-storage.yaml', 'registry.yaml']);
  });

  test('the cluster\'s kustomization.yaml records openshiftVersion when the config sets it (for validate), and only then', () => {
    const withVersion = synthesizeCluster(parseConfigText('name: a\nopenshiftVersion: "4.16"\nregistry:\n  storage: {emptyDir: {}}\n', 'a.yaml'));
    expect(readObject(withVersion.get('kustomization.yaml')!).metadata).toEqual({ annotations: { [OPENSHIFT_VERSION_ANNOTATION]: '4.16' } });
    expect(readObject(withVersion.get('registry/kustomization.yaml')!).metadata).toBeUndefined();
    expect(readObject(files.get('kustomization.yaml')!).metadata).toBeUndefined();
  });

  test("reproduces the seed's ReadWriteOnce setup with fixed names and the cluster's default class", () => {
    const pvc = readObject(files.get('registry/registry-storage.yaml')!);
    expect(pvc).toMatchObject({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'image-registry-pvc', namespace: 'openshift-image-registry' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } },
    });
    expect(pvc.spec.storageClassName).toBeUndefined();
    const config = readObject(files.get('registry/registry.yaml')!);
    expect(config.metadata.name).toBe('cluster');
    expect(config.metadata.namespace).toBeUndefined();
    expect(config.spec).toEqual({ managementState: 'Managed', replicas: 1, rolloutStrategy: 'Recreate', storage: { pvc: { claim: 'image-registry-pvc' }, managementState: 'Unmanaged' } });
  });

  test('is byte-identical when synthesized again', () => {
    expect(synthesizeCluster(loadConfigFile(join(root, 'config', 'default.yaml')))).toEqual(files);
  });
});

describe('config to charts', () => {
  test('an existing claim or emptyDir needs no storage chart', () => {
    const existing = synthText('name: a\nregistry:\n  storage:\n    existingClaim: {name: old, accessMode: ReadWriteMany}\n  replicas: 2\n');
    expect([...existing.keys()].filter((f) => !f.endsWith('kustomization.yaml'))).toEqual(['storage-switch/storage-switch.yaml', 'registry/registry.yaml']);
    expect(readObject(existing.get('registry/registry.yaml')!).spec).toEqual({ managementState: 'Managed', replicas: 2, storage: { pvc: { claim: 'old' }, managementState: 'Unmanaged' } });
    const empty = synthText('name: a\nregistry:\n  storage: {emptyDir: {}}\n');
    expect(readObject(empty.get('registry/registry.yaml')!).spec.storage).toEqual({ emptyDir: {} });
  });

  test('every registry field reaches the Config', () => {
    const config = readFileSync(join(__dirname, 'fixtures', 'all-fields.yaml'), 'utf8');
    const files = synthText(config);
    const pvc = readObject(files.get('registry/registry-storage.yaml')!);
    expect(pvc.metadata.name).toBe('registry-rwx');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '500Gi' } }, storageClassName: 'ocs-storagecluster-cephfs' });
    const { registry } = readObject(config);
    const { storage: _, ...expected } = registry;
    expect(readObject(files.get('registry/registry.yaml')!).spec).toEqual({ ...expected, storage: { pvc: { claim: 'registry-rwx' }, managementState: 'Unmanaged' } });
  });

  test('Managed storage: synth warns what Removed would delete, at the config field', () => {
    const loaded = parseConfigText('name: a\nregistry:\n  storage:\n    pvc: {managementState: Managed}\n', 'cluster.yaml');
    synthesizeCluster(loaded);
    expect(loaded.warnings).toEqual(['warning: cluster.yaml:4:28: registry.storage.pvc.managementState: is Managed: setting managementState: Removed, or deleting the Config, deletes the claim openshift-image-registry/image-registry-pvc and every image in it; use Unmanaged to keep it']);
  });

  test('a minio section beside storage that is not s3: synth warns that nothing uses it, at the section', () => {
    const loaded = parseConfigText('name: a\nminio:\n  rootCredentials: {existingSecret: {}}\nregistry:\n  storage:\n    pvc: {name: image-registry-pvc}\n', 'cluster.yaml');
    const files = synthesizeCluster(loaded);
    expect(loaded.warnings).toEqual([expect.stringMatching(/^warning: cluster\.yaml:3:3: minio: deploys MinIO in namespace minio, but the registry's storage is pvc, not s3: nothing here uses it\./)]);
    expect([...files.keys()].some((file) => file.startsWith('object-store/'))).toBe(true);
    // With S3 on it, no warning.
    const used = parseConfigText(readFileSync(join(root, 'config', 'minio-s3.yaml'), 'utf8'), 'minio-s3.yaml');
    synthesizeCluster(used);
    expect(used.warnings.filter((w) => w.includes(' minio: '))).toEqual([]);
  });

  test('rule errors from the constructs point at the config field, with line and column', () => {
    const rwoTwo = 'name: a\nregistry:\n  storage:\n    pvc: {}\n  replicas: 2\n';
    expect(() => synthText(rwoTwo)).toThrow(
      'cluster.yaml:5:13: registry.replicas: 2 replicas cannot share the ReadWriteOnce claim image-registry-pvc: the operator refuses it; use 1 replica, or a ReadWriteMany claim');
    const rolling = 'name: a\nregistry:\n  rolloutStrategy: RollingUpdate\n  storage:\n    existingClaim: {name: old}\n';
    expect(() => synthText(rolling)).toThrow('cluster.yaml:3:20: registry.rolloutStrategy: must be Recreate with the ReadWriteOnce claim old');
    const routes = 'name: a\nregistry:\n  storage: {emptyDir: {}}\n  routes:\n    - name: a\n    - name: a\n';
    expect(() => synthText(routes)).toThrow('cluster.yaml:6:13: registry.routes[1].name: route name "a" is also routes[0]\'s');
    const reserved = 'name: a\nregistry:\n  storage: {emptyDir: {}}\n  routes: [{name: default-route}]\n';
    expect(() => synthText(reserved)).toThrow('cluster.yaml:4:19: registry.routes[0].name: "default-route" is the route the operator makes');
    const claim = 'name: a\nregistry:\n  storage:\n    pvc: {name: image-registry-storage}\n';
    expect(() => synthText(claim)).toThrow('cluster.yaml:4:17: registry.storage.pvc.name: "image-registry-storage" is the name of the claim the operator creates for itself');
    // An existing claim of that name is the operator's own: used as it is.
    expect(() => synthText('name: a\nregistry:\n  storage:\n    existingClaim: {name: image-registry-storage, accessMode: ReadWriteMany}\n')).not.toThrow();
    const zero = 'name: a\nregistry:\n  storage:\n    pvc: {size: 0Gi}\n';
    expect(() => synthText(zero)).toThrow('cluster.yaml:4:17: registry.storage.pvc.size: "0Gi" must be greater than zero');
  });

  test('a field the cluster\'s OpenShift version lacks: at the config field, naming where openshiftVersion is set (the file or the defaults)', () => {
    const s3 = 'registry:\n  storage:\n    s3: {bucket: registry, chunkSizeMiB: 16, credentials: {existingSecret: {}}}\n';
    expect(() => synthText(`name: a\nopenshiftVersion: "4.16"\n${s3}`)).toThrow(
      'cluster.yaml:5:42: registry.storage.s3.chunkSizeMiB: is not in OpenShift 4.16\'s Config CRD; it first appears in 4.17 (openshiftVersion: "4.16" at cluster.yaml:2:19; remove the field');
    const defaults = parseDefaultsText('openshiftVersion: "4.14"\n', 'config/_defaults.yaml');
    expect(() => synthesizeCluster(parseConfigText(`name: a\n${s3}`, 'cluster.yaml', defaults))).toThrow(
      '(openshiftVersion: "4.14" at config/_defaults.yaml:1:19;');
    expect(() => synthText(`name: a\nopenshiftVersion: "4.17"\n${s3}`)).not.toThrow();
    // The same config without the key is checked against the newest version, as before.
    expect(() => synthText(`name: a\n${s3}`)).not.toThrow();
  });

  test('output is plain YAML documents, one object each', () => {
    const files = synthText('name: a\nregistry:\n  storage: {pvc: {}}\n');
    for (const text of files.values()) {
      const docs = parseAllDocuments(text);
      expect(docs.every((d) => d.errors.length === 0)).toBe(true);
    }
  });
});
