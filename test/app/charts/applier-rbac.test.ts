import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeCluster } from '../../../app/charts/cluster';
import { parseConfigText } from '../../../app/config/loader';
import { APPLIED_RESOURCES, apiGroup, applierPermissions, OutputObject, PolicyRule } from '../../../lib/gitops/applier-permissions';
import { readObject, readObjects, repoRoot } from '../../helpers';
import { allows, Request, uncovered } from '../../rbac-model';

// The rights applierRbac writes, checked against what Argo CD and Flux send for every object of
// every cluster folder a corpus of configs gives, with a stand-in for the RBAC authorizer.

type Manifest = OutputObject & { metadata: { annotations?: Record<string, string> } };

const withRbac = (text: string, rbac = 'applierRbac: {}') => `${text.trimEnd()}\n${rbac}\n`;
const synth = (text: string, file = 'cluster.yaml') => synthesizeCluster(parseConfigText(text, file));
const objectsOf = (files: Map<string, string>, filter: (file: string) => boolean = () => true): Manifest[] => [...files]
  .filter(([file]) => !file.endsWith('kustomization.yaml') && filter(file))
  .flatMap(([, text]) => readObjects(text));

const ext = (data: string) => `externalSecret: {store: {name: vault}, data: {${data}}}`;
const s3Ext = ext('REGISTRY_STORAGE_S3_ACCESSKEY: {key: a}, REGISTRY_STORAGE_S3_SECRETKEY: {key: b}');
const rootExt = ext('MINIO_ROOT_USER: {key: a}, MINIO_ROOT_PASSWORD: {key: b}');
const sealed = (keys: string[]) => `sealedSecret: {scope: cluster-wide, encryptedData: {${keys.map((k) => `${k}: AgB${k}`).join(', ')}}}`;
const plain = (keys: string[]) => `plainSecret: {fromEnv: {${keys.map((k) => `${k}: PLAIN_SECRET_${k}`).join(', ')}}}`;
const S3_KEYS = ['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY'];
const ROOT_KEYS = ['MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD'];

/** MinIO from a mirror, and no storage switch Job (storageSwitch.enabled: false). */
const NO_SWITCH = `name: a\nminio: {image: mirror.example.com/minio/minio:1, mcImage: mirror.example.com/minio/mc:1, rootCredentials: {${rootExt}}}\n`
  + `registry:\n  storage:\n    s3: {credentials: {${s3Ext}}}\nstorageSwitch: {enabled: false}\n`;

/** The example configs, the all-fields fixture, and one of each back end, credentials way and MinIO option. */
const corpus: Record<string, string> = {
  // The repository's own examples, not whatever a user adds to config/.
  ...Object.fromEntries(['default.yaml', 'minio-s3.yaml'].map((f) => [`config/${f}`, readFileSync(join(repoRoot, 'config', f), 'utf8')])),
  'all-fields': readFileSync(join(__dirname, 'fixtures', 'all-fields.yaml'), 'utf8'),
  'minio sealed, tls, both routes': `name: a\nminio: {tls: true, apiRoute: true, consoleRoute: true, namespace: store, rootCredentials: {${sealed(ROOT_KEYS)}}}\n`
    + `registry:\n  storage:\n    s3: {trustedCA: service-ca, credentials: {${sealed(S3_KEYS)}}}\n`,
  'minio plain secrets': `name: a\nminio: {rootCredentials: {${plain(ROOT_KEYS)}}}\nregistry:\n  storage:\n    s3: {credentials: {${plain(S3_KEYS)}}}\n`,
  'minio external secrets': `name: a\nminio: {rootCredentials: {${rootExt}}}\nregistry:\n  storage:\n    s3: {credentials: {${s3Ext}}}\n`,
  'aws s3': `name: a\nregistry:\n  storage:\n    s3: {bucket: acme, credentials: {existingSecret: {}}}\n`,
  'gcs': `name: a\nregistry:\n  storage:\n    gcs: {bucket: acme, credentials: {${ext('REGISTRY_STORAGE_GCS_KEYFILE: {key: k}')}}}\n`,
  'azure': `name: a\nregistry:\n  storage:\n    azure: {accountName: acme, container: images, credentials: {${sealed(['REGISTRY_STORAGE_AZURE_ACCOUNTKEY'])}}}\n`,
  'ibmcos': `name: a\nregistry:\n  storage:\n    ibmcos: {bucket: acme}\n`,
  'existing claim': `name: a\nregistry:\n  storage:\n    existingClaim: {name: old}\n`,
  'emptyDir, image config, pruner': `name: a\nregistry:\n  storage: {emptyDir: {}}\n  routes: [{name: public, hostname: r.apps.example.com}]\nimageConfig: {publicRoute: public}\npruner: {schedule: '@daily'}\n`,
  'no storage switch, mirrored images': NO_SWITCH,
};

beforeAll(() => {
  for (const key of [...S3_KEYS, ...ROOT_KEYS]) process.env[`PLAIN_SECRET_${key}`] = `value-of-${key}`;
});

/** Which tools apply the output. */
type Tools = { argocd: boolean; flux: boolean };
const BOTH: Tools = { argocd: true, flux: true };

/** The requests `tools` send for one object, read from its annotations as they read them. */
function requests(object: Manifest, tools: Tools = BOTH): Request[] {
  const annotations = object.metadata.annotations ?? {};
  const options = (annotations['argocd.argoproj.io/sync-options'] ?? '').split(',').map((o) => o.trim());
  const name = object.metadata.name!;
  const group = apiGroup(object.apiVersion);
  const known = APPLIED_RESOURCES[group ? `${object.kind}.${group}` : object.kind];
  if (!known) throw new Error(`${object.apiVersion} ${object.kind}: no resource known`);
  const on = (verb: string, named = true): Request => ({ verb, group, resource: known.resource, name: named ? name : '' });
  // Both tools read and watch what they manage; `kubectl apply` gets the object first.
  const out = [on('get'), on('list', false), on('watch', false)];
  // Objects the cluster always has (the operator or installer creates them): applied server-side,
  // never pruned; a server-side apply of an existing object is a patch.
  const fluxPruneDisabled = annotations['kustomize.toolkit.fluxcd.io/prune'] === 'disabled';
  const adopted = (!tools.argocd || (options.includes('ServerSideApply=true') && options.includes('Prune=false') && options.includes('Delete=false')))
    && (!tools.flux || (annotations['kustomize.toolkit.fluxcd.io/ssa'] === 'merge' && fluxPruneDisabled));
  if (adopted) return [...out, on('patch')];
  // A new object: a client-side create (no name), or a server-side apply that creates (the API
  // server also checks `create`, with the name). An existing one: a patch (both kinds of apply).
  out.push(on('create', false), on('create'), on('patch'));
  // Argo CD Replace=true with Force=true: kubectl replace --force, a delete and a create; Flux's force likewise.
  if ((tools.argocd && options.includes('Replace=true')) || (tools.flux && annotations['kustomize.toolkit.fluxcd.io/force'] === 'enabled')) out.push(on('delete'));
  // Pruned when it leaves dist/, unless protected from every tool that applies it.
  if ((tools.argocd && !options.includes('Prune=false')) || (tools.flux && !fluxPruneDisabled)) out.push(on('delete'));
  // Argo CD runs `kubectl auth reconcile` on RBAC objects: it updates them, and deletes and
  // re-creates a binding whose roleRef changed.
  if (tools.argocd && group === 'rbac.authorization.k8s.io') out.push(on('update'), on('delete'));
  return out;
}

/** The rules bound to the service account in a namespace ('' for cluster-scoped requests). */
function boundRules(rbac: Manifest[], namespace: string): PolicyRule[] {
  const clusterRules = rbac.filter((o) => o.kind === 'ClusterRole').flatMap((o) => o.rules ?? []);
  return [...clusterRules, ...rbac.filter((o) => o.kind === 'Role' && namespace && o.metadata.namespace === namespace).flatMap((o) => o.rules ?? [])];
}

describe.each([
  ['Argo CD and Flux', '', BOTH],
  ['Argo CD only (gitops: argocd)', 'gitops: argocd', { argocd: true, flux: false }],
  ['Flux only (gitops: flux)', 'gitops: flux', { argocd: false, flux: true }],
] as const)('applierRbac for %s: rights for every object of every cluster folder', (_tools, gitops, tools) => {
  test.each(Object.keys(corpus))('%s', (key) => {
    const files = synth(withRbac(`${corpus[key].trimEnd()}\n${gitops}`));
    const rbac = objectsOf(files, (f) => f.startsWith('applier-rbac/')).filter((o) => o.kind !== 'Namespace');
    const applied = objectsOf(files, (f) => !f.startsWith('applier-rbac/'));
    expect(applied.length).toBeGreaterThan(0);
    const denied: string[] = [];
    for (const object of applied) {
      const scope = APPLIED_RESOURCES[apiGroup(object.apiVersion) ? `${object.kind}.${apiGroup(object.apiVersion)}` : object.kind].namespaced ? object.metadata.namespace! : '';
      const rules = boundRules(rbac, scope);
      for (const request of requests(object, tools)) {
        if (!allows(rules, request)) denied.push(`${object.kind} ${scope}/${object.metadata.name}: ${request.verb}${request.name ? '' : ' (no name)'}`);
      }
      // Writing a role takes holding what it grants (no escalate verb is granted).
      if (object.kind === 'ClusterRole' || object.kind === 'Role') {
        for (const atom of uncovered(boundRules(rbac, object.kind === 'Role' ? scope : ''), object.rules ?? [])) denied.push(`${object.kind} ${object.metadata.name} grants ${atom}`);
      }
    }
    expect(denied).toEqual([]);
    // The bindings name the service account of OpenShift GitOps' default instance.
    for (const binding of rbac.filter((o) => o.kind.endsWith('Binding'))) {
      expect((binding as unknown as { subjects: unknown }).subjects).toEqual([{ kind: 'ServiceAccount', name: 'openshift-gitops-argocd-application-controller', namespace: 'openshift-gitops' }]);
    }
    // Nothing more than what is needed: no wildcard, no escalate or bind on everything.
    expect(JSON.stringify(rbac)).not.toMatch(/"\*"|"escalate"/);
  });
});

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
