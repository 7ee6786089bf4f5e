import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeCluster } from '../../../app/charts/cluster';
import { parseConfigText } from '../../../app/config/loader';
import { APPLIED_RESOURCES, apiGroup, OutputObject, PolicyRule } from '../../../lib/gitops/applier-permissions';
import { readObjects, repoRoot } from '../../helpers';
import { allows, Request, uncovered } from '../../rbac-model';

// What the applier-RBAC tests share: a corpus of configs, the requests Argo CD and Flux send for an
// object, and the test of the rights applierRbac writes for every object of every cluster folder
// the corpus gives (with a stand-in for the RBAC authorizer). The unit tier runs it for both tools
// together, the slow tier for each tool alone.

export type Manifest = OutputObject & { metadata: { annotations?: Record<string, string> } };

export const withRbac = (text: string, rbac = 'applierRbac: {}') => `${text.trimEnd()}\n${rbac}\n`;
export const synth = (text: string, file = 'cluster.yaml') => synthesizeCluster(parseConfigText(text, file));
export const objectsOf = (files: Map<string, string>, filter: (file: string) => boolean = () => true): Manifest[] => [...files]
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
export const NO_SWITCH = `name: a\nminio: {image: mirror.example.com/minio/minio:1, mcImage: mirror.example.com/minio/mc:1, rootCredentials: {${rootExt}}}\n`
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

/** The values the corpus's plain Secrets read from the environment at synth time. */
export function setPlainSecretValues(): void {
  for (const key of [...S3_KEYS, ...ROOT_KEYS]) process.env[`PLAIN_SECRET_${key}`] = `value-of-${key}`;
}

/** Which tools apply the output. */
export type Tools = { argocd: boolean; flux: boolean };
export const BOTH: Tools = { argocd: true, flux: true };

/** The requests `tools` send for one object, read from its annotations as they read them. */
export function requests(object: Manifest, tools: Tools = BOTH): Request[] {
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
export function boundRules(rbac: Manifest[], namespace: string): PolicyRule[] {
  const clusterRules = rbac.filter((o) => o.kind === 'ClusterRole').flatMap((o) => o.rules ?? []);
  return [...clusterRules, ...rbac.filter((o) => o.kind === 'Role' && namespace && o.metadata.namespace === namespace).flatMap((o) => o.rules ?? [])];
}

/** Who applies the output: a title, the config line that says so, and the tools. */
export type ToolsVariant = readonly [title: string, gitops: string, tools: Tools];
export const BOTH_TOOLS: ToolsVariant = ['Argo CD and Flux', '', BOTH];
export const ONE_TOOL: ToolsVariant[] = [
  ['Argo CD only (gitops: argocd)', 'gitops: argocd', { argocd: true, flux: false }],
  ['Flux only (gitops: flux)', 'gitops: flux', { argocd: false, flux: true }],
];

/** For each variant, a test per corpus config: every request for every object is allowed, and nothing more is granted. */
export function rightsForEveryObject(variants: readonly ToolsVariant[]): void {
  beforeAll(setPlainSecretValues);
  describe.each(variants)('applierRbac for %s: rights for every object of every cluster folder', (_tools, gitops, tools) => {
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
}
