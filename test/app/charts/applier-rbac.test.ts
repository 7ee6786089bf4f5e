import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPLIED_RESOURCES, applierPermissions, OutputObject, PolicyRule } from '../../../lib/gitops/applier-permissions';
import { readObject, readObjects, repoRoot } from '../../helpers';
import { allows, uncovered } from '../../rbac-model';
import { BOTH_TOOLS, Manifest, NO_SWITCH, objectsOf, requests, rightsForEveryObject, setPlainSecretValues, synth, withRbac } from './applier-rbac-corpus';

// The rights applierRbac writes, checked against what Argo CD and Flux send for every object of
// every cluster folder a corpus of configs gives (for each tool alone: applier-rbac.slow.test.ts).

beforeAll(setPlainSecretValues);

rightsForEveryObject([BOTH_TOOLS]);

describe('the rights written for config/minio-s3.yaml', () => {
  const text = withRbac(readFileSync(join(repoRoot, 'config', 'minio-s3.yaml'), 'utf8'));
  const files = synth(text);
  const rbac = objectsOf(files, (f) => f.startsWith('applier-rbac/'));

  test('a stage of its own, first, with the namespace its Role lives in', () => {
    expect([...files.keys()].filter((f) => !f.endsWith('kustomization.yaml'))[0]).toBe('applier-rbac/applier-rbac.yaml');
    expect(readObject(files.get('kustomization.yaml')!).resources[0]).toBe('applier-rbac/applier-rbac.yaml');
    expect(rbac.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}`)).toEqual([
      'Namespace ', 'ClusterRole ', 'ClusterRoleBinding ', 'Role minio', 'RoleBinding minio', 'Role openshift-image-registry', 'RoleBinding openshift-image-registry',
    ]);
    expect(objectsOf(files, (f) => !f.startsWith('applier-rbac/')).filter((o) => o.kind === 'Namespace')).toEqual([]);
    // Argo CD applies them first (Argo CD moves a Namespace into the wave of the first object in it).
    expect(rbac.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.annotations!['argocd.argoproj.io/sync-wave'] === '-3')).toBe(true);
  });

  test('cluster-wide: patch on the `cluster` objects only (image config, registry Config and ImagePruner), and the storage switch\'s RBAC', () => {
    expect(rbac.find((o) => o.kind === 'ClusterRole')!.rules).toEqual([
      { apiGroups: ['config.openshift.io'], resources: ['images'], resourceNames: ['cluster'], verbs: ['patch'] },
      { apiGroups: ['config.openshift.io'], resources: ['images'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs', 'imagepruners'], resourceNames: ['cluster'], verbs: ['patch'] },
      { apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs', 'imagepruners'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings', 'clusterroles'], resourceNames: ['image-registry-storage-switch'], verbs: ['delete', 'patch', 'update'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings', 'clusterroles'], verbs: ['create', 'get', 'list', 'watch'] },
    ]);
  });

  test('in a namespace: create any, change and delete only its own objects; a claim is never deleted', () => {
    const minio = rbac.find((o) => o.kind === 'Role' && o.metadata.namespace === 'minio')!.rules!;
    expect(minio).toContainEqual({ apiGroups: [''], resourceNames: ['minio-data'], resources: ['persistentvolumeclaims'], verbs: ['patch'] });
    expect(allows(minio, { verb: 'delete', group: '', resource: 'persistentvolumeclaims', name: 'minio-data' })).toBe(false);
    expect(allows(minio, { verb: 'delete', group: 'apps', resource: 'deployments', name: 'minio' })).toBe(true);
    expect(allows(minio, { verb: 'delete', group: 'apps', resource: 'deployments', name: 'another-teams-app' })).toBe(false);
    expect(allows(minio, { verb: 'get', group: '', resource: 'secrets', name: 'minio-root-credentials' })).toBe(false);
    const registry = rbac.find((o) => o.kind === 'Role' && o.metadata.namespace === 'openshift-image-registry')!.rules!;
    expect(registry.flatMap((r) => r.resources).sort()).toEqual(['externalsecrets', 'externalsecrets', 'jobs', 'jobs', 'networkpolicies', 'networkpolicies', 'serviceaccounts', 'serviceaccounts']);
  });

  test('the roles are named after their rules: same rules, same name; other rules, another name', () => {
    const names = (f: Map<string, string>) => objectsOf(f, (file) => file.startsWith('applier-rbac/')).filter((o) => o.kind !== 'Namespace').map((o) => o.metadata.name);
    expect(names(files)).toEqual(names(synth(text)));
    expect(names(files).every((n) => /^image-registry-applier-[0-9a-f]{10}$/.test(n!))).toBe(true);
    const noConsole = names(synth(text.replace('  consoleRoute: true\n', '')));
    expect(noConsole.filter((n) => names(files).includes(n))).toHaveLength(4); // cluster-wide and the registry's namespace unchanged
  });

  test('gitops: argocd takes the same rights as both tools; gitops: flux the same without update (Flux only patches and deletes)', () => {
    const rules = (gitops: string) => objectsOf(synth(`${text}${gitops}\n`), (f) => f.startsWith('applier-rbac/'))
      .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role').map((o) => ({ namespace: o.metadata.namespace, rules: o.rules }));
    const both = rules('');
    expect(rules('gitops: argocd')).toEqual(both);
    const withoutUpdate = both.map((r) => ({ ...r, rules: r.rules!.map((rule) => ({ ...rule, verbs: rule.verbs.filter((v) => v !== 'update') })) }));
    expect(withoutUpdate).not.toEqual(both);
    expect(rules('gitops: flux')).toEqual(withoutUpdate);
  });

  test('another service account', () => {
    const other = synth(withRbac(readFileSync(join(repoRoot, 'config', 'minio-s3.yaml'), 'utf8'), 'applierRbac: {serviceAccount: {namespace: gitops, name: argocd-application-controller}}'));
    const binding = objectsOf(other, (f) => f.startsWith('applier-rbac/')).find((o) => o.kind === 'ClusterRoleBinding') as unknown as { subjects: unknown };
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'gitops' }]);
  });

  test('without the storage switch (storageSwitch.enabled: false): no rights on RBAC objects at all, nor on Jobs in the registry\'s namespace', () => {
    const without = objectsOf(synth(withRbac(NO_SWITCH)), (f) => f.startsWith('applier-rbac/'));
    const rules = without.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role').flatMap((o) => o.rules!);
    expect(rules.filter((r) => r.apiGroups.includes('rbac.authorization.k8s.io'))).toEqual([]);
    const registry = without.find((o) => o.kind === 'Role' && o.metadata.namespace === 'openshift-image-registry')!.rules!;
    expect(registry.flatMap((r) => r.resources)).not.toContain('jobs');
    expect(registry.flatMap((r) => r.resources)).not.toContain('serviceaccounts');
  });

  test('off by default: no applier-rbac stage', () => {
    const without = synth(readFileSync(join(repoRoot, 'config', 'minio-s3.yaml'), 'utf8'));
    expect([...without.keys()].some((f) => f.startsWith('applier-rbac/'))).toBe(false);
  });
});

describe("OpenShift GitOps' default instance", () => {
  // The cluster-wide rules the operator gives the default instance's application controller
  // (redhat-developer/gitops-operator controllers/argocd/openshift/openshift.go
  // policyRulesForClusterConfig, the same on v1.16 to v1.21 and master; v1.8 to v1.15 lack only
  // the impersonate rule). In other namespaces it may only read, unless they carry the
  // argocd.argoproj.io/managed-by label.
  const all = ['*'];
  const defaultRules: PolicyRule[] = [
    { apiGroups: all, resources: all, verbs: ['get', 'list', 'watch'] },
    ...['operators.coreos.com', 'operator.openshift.io', 'user.openshift.io', 'config.openshift.io', 'console.openshift.io', 'rbac.authorization.k8s.io',
      'storage.k8s.io', 'machine.openshift.io', 'machineconfiguration.openshift.io'].map((group) => ({ apiGroups: [group], resources: all, verbs: all })),
    { apiGroups: ['compliance.openshift.io'], resources: ['scansettingbindings'], verbs: all },
    { apiGroups: [''], resources: ['namespaces', 'persistentvolumeclaims', 'persistentvolumes', 'configmaps'], verbs: all },
    { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  ];
  const files = synth(readFileSync(join(repoRoot, 'config', 'minio-s3.yaml'), 'utf8'));
  const deniedKinds = (rules: PolicyRule[]) => [...new Set(objectsOf(files).filter((o) => requests(o).some((r) => !allows(rules, r)))
    .map((o) => `${o.kind} ${o.metadata.namespace ?? '(cluster)'}`))].sort();

  test('cannot apply the registry operator\'s objects, nor Secrets, Jobs, Deployments, Services, Routes or ExternalSecrets in these namespaces', () => {
    expect(deniedKinds(defaultRules)).toEqual([
      'Config (cluster)', 'Deployment minio', 'ExternalSecret minio', 'ExternalSecret openshift-image-registry', 'ImagePruner (cluster)',
      'Job minio', 'Job openshift-image-registry', 'NetworkPolicy openshift-image-registry', 'Route minio', 'Service minio', 'ServiceAccount openshift-image-registry',
    ]);
  });

  test('with the rights applierRbac writes, it can apply all of it', () => {
    const rbac = objectsOf(synth(withRbac(readFileSync(join(repoRoot, 'config', 'minio-s3.yaml'), 'utf8'))), (f) => f.startsWith('applier-rbac/'));
    const granted = [...defaultRules, ...rbac.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role').flatMap((o) => o.rules!)];
    expect(deniedKinds(granted)).toEqual([]);
    // And the default instance may write the applier's RBAC itself: rbac.authorization.k8s.io is among its groups.
    expect(rbac.flatMap((o) => requests(o)).every((r) => allows(defaultRules, r))).toBe(true);
  });

  test('the rules docs/gitops.md gives to those who manage its rights elsewhere are enough for config/minio-s3.yaml', () => {
    const docs = readFileSync(join(repoRoot, 'docs', 'gitops.md'), 'utf8');
    const section = docs.slice(docs.indexOf('### Managing Argo CD\'s rights elsewhere'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const roles = readObjects(yaml) as Manifest[];
    expect(roles.map((r) => `${r.kind} ${r.metadata.namespace ?? ''}`)).toEqual(['ClusterRole ', 'Role openshift-image-registry', 'Role minio']);
    const granted = (namespace: string) => [...defaultRules, ...roles.filter((r) => r.kind === 'ClusterRole' || r.metadata.namespace === namespace).flatMap((r) => r.rules!)];
    const denied = objectsOf(files).filter((o) => requests(o).some((r) => !allows(granted(o.metadata.namespace ?? ''), r))).map((o) => `${o.kind} ${o.metadata.name}`);
    expect(denied).toEqual([]);
  });
});

describe('applierPermissions', () => {
  const object = (apiVersion: string, kind: string, name: string, namespace?: string, annotations: Record<string, string> = {}): OutputObject =>
    ({ apiVersion, kind, metadata: { name, namespace, annotations } });

  test('a kind it knows no rights for is an error naming it and where to add it (a new kind fails synth and these tests)', () => {
    expect(() => applierPermissions([object('apps/v1', 'StatefulSet', 'x', 'ns')]))
      .toThrow("objects: no rights are known for apps/v1 StatefulSet: give its resource in the resources prop (resources: {'StatefulSet.apps': {resource: '...', namespaced: ...}}), or, in this library, add it to APPLIED_RESOURCES in lib/gitops/applier-permissions.ts");
  });

  test('a kind the library does not write may be given with its resource (an ImageDigestMirrorSet beside the output)', () => {
    const idms = object('config.openshift.io/v1', 'ImageDigestMirrorSet', 'mirrors');
    const { cluster } = applierPermissions([idms], undefined, { 'ImageDigestMirrorSet.config.openshift.io': { resource: 'imagedigestmirrorsets', namespaced: false } });
    expect(cluster.flatMap((r) => r.resources)).toContain('imagedigestmirrorsets');
  });

  test('a Route that sets its host takes create on routes/custom-host (openshift-apiserver\'s host allocation)', () => {
    const route = (host?: string) => ({ ...object('route.openshift.io/v1', 'Route', 'r', 'minio'), spec: { ...(host ? { host } : {}), to: { kind: 'Service', name: 's' } } });
    const custom = (o: object) => applierPermissions([o as ReturnType<typeof object>]).namespaces.minio.filter((r) => r.resources.includes('routes/custom-host'));
    expect(custom(route('minio.apps.example.com'))).toEqual([{ apiGroups: ['route.openshift.io'], resources: ['routes/custom-host'], verbs: ['create'] }]);
    expect(custom(route())).toEqual([]);
  });

  test('every kind the library writes has its resource as the API names it', () => {
    // Custom resources: the plural of their CRD, which the file names of crd-sources.json carry (<group>_<plural>.yaml).
    const crds = JSON.parse(readFileSync(join(repoRoot, 'crd-sources.json'), 'utf8')).crds as { file: string }[];
    const plurals = new Map(crds.map((c) => { const [group, plural] = c.file.replace(/\.yaml$/, '').split('_'); return [group, plural]; }));
    for (const [kind, { resource }] of Object.entries(APPLIED_RESOURCES)) {
      const group = kind.includes('.') ? kind.slice(kind.indexOf('.') + 1) : '';
      if (plurals.has(group) && !['rbac.authorization.k8s.io', 'apps', 'batch'].includes(group)) {
        const names = crds.filter((c) => c.file.startsWith(`${group}_`)).map((c) => c.file.replace(/\.yaml$/, '').split('_')[1]);
        expect(names).toContain(resource);
      } else {
        // Kubernetes' own kinds: the plural as apimachinery's UnsafeGuessKindToResource makes it.
        const singular = kind.split('.')[0].toLowerCase();
        expect(resource).toBe(singular.endsWith('s') ? `${singular}es` : singular.endsWith('y') ? `${singular.slice(0, -1)}ies` : `${singular}s`);
      }
    }
  });

  test('to write a role, hold what it grants: a ClusterRole\'s rules cluster-wide, a Role\'s in its namespace', () => {
    const reader = { ...object('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader'), rules: [{ apiGroups: ['image.openshift.io'], resources: ['imagestreams'], resourceNames: ['cli'], verbs: ['get'] }] };
    const local = { ...object('rbac.authorization.k8s.io/v1', 'Role', 'local', 'openshift'), rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] };
    const { cluster, namespaces } = applierPermissions([reader, local]);
    expect(uncovered(cluster, reader.rules)).toEqual([]);
    expect(uncovered(namespaces.openshift, local.rules)).toEqual([]);
    expect(uncovered(cluster, local.rules)).toEqual(['list core/configmaps']);
    expect(allows(cluster, { verb: 'get', group: 'image.openshift.io', resource: 'imagestreams', name: 'other' })).toBe(false);
  });

  test('a binding to a role not in the output takes bind on that role, not its rules', () => {
    const binding = { ...object('rbac.authorization.k8s.io/v1', 'RoleBinding', 'pull', 'openshift'), roleRef: { kind: 'ClusterRole', name: 'system:image-puller' } };
    expect(applierPermissions([binding]).namespaces.openshift).toContainEqual({
      apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['system:image-puller'], verbs: ['bind'],
    });
  });

  test('the objects of ApplierRbac itself are not among what it grants', () => {
    const own = { ...object('rbac.authorization.k8s.io/v1', 'ClusterRole', 'image-registry-applier-0123456789'), metadata: { name: 'x', labels: { 'app.kubernetes.io/component': 'gitops-applier-rbac' } } };
    expect(applierPermissions([own])).toEqual({ cluster: [], namespaces: {} });
  });
});
