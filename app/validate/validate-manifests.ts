import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { countNodes, describeTreeError, TreeError } from '../config/yaml-bounds';
import { formatBytes, MANIFEST_FILE_LIMIT } from '../output/read-tree';
import { escapeControl } from '../output/terminal-text';
import { SchemaSource } from './crd-schemas';
import { checkPodSecurity } from './pod-security';
import { checkRegistryRules, Manifest, RuleProblem } from './registry-rules';
import { isOpenShiftVersion, OPENSHIFT_VERSIONS, OpenShiftVersion } from '../../lib/rules/openshift-version';
import { OPENSHIFT_VERSION_ANNOTATION } from '../output/kustomization';
import { asMap, asString, isMap, quote, show } from '../../lib/rules/shapes';

/** Most values (maps, lists and scalars) a manifest file may hold with its aliases expanded. */
export const MANIFEST_NODE_LIMIT = 1_000_000;

export interface ValidateOptions {
  /** Where schemas come from, tried in order (CRDs, core kinds). */
  readonly schemas: readonly SchemaSource[];
  /**
   * Plain Secrets are allowed (the config asked for a plainSecret).
   * @default false
   */
  readonly allowPlainSecrets?: boolean;
  /**
   * The clusters' OpenShift version: registry Config and ImagePruner fields its CRDs lack are errors.
   * @default - in validateTree, each cluster's version as synth recorded it in its
   * kustomization.yaml (OPENSHIFT_VERSION_ANNOTATION); else DEFAULT_OPENSHIFT_VERSION
   */
  readonly openshiftVersion?: OpenShiftVersion;
}

export interface ValidationReport {
  readonly objects: number;
  readonly problems: RuleProblem[];
}

/**
 * Checks every object of an output tree (relative path -> YAML): see validateManifests. The
 * operator's rules apply across the objects of each cluster (a folder with a kustomization.yaml,
 * or each top folder).
 *
 * The files are untrusted: each must be at most MANIFEST_FILE_LIMIT bytes and expand to at most
 * MANIFEST_NODE_LIMIT values, with no recursive alias and no `__proto__` key; each document must
 * be a map. A file or document that is not is one error naming it, and is not checked further.
 */
export function validateTree(files: ReadonlyMap<string, string>, options: ValidateOptions): ValidationReport {
  const manifests: Manifest[] = [];
  const problems: RuleProblem[] = [];
  const versions = new Map<string, OpenShiftVersion>(); // kustomization.yaml -> its cluster's version
  const kustomizations = new Set<string>(); // files that hold a Kustomization
  for (const [file, text] of files) {
    if (!/\.ya?ml$/.test(file)) continue;
    const fail = (message: string, object: Manifest['object'] = {}) => problems.push({ manifest: { file, object }, field: '', message, severity: 'error' });
    if (Buffer.byteLength(text) > MANIFEST_FILE_LIMIT) {
      fail(`the file is ${Buffer.byteLength(text)} bytes; a manifest file may be at most ${formatBytes(MANIFEST_FILE_LIMIT)}`);
      continue;
    }
    let docs: unknown[];
    try {
      docs = loadAll(text, { schema: CORE_SCHEMA, maxDepth: 100 });
    } catch (e) {
      fail(`invalid YAML: ${String((e as Error).message).split('\n')[0]}`);
      continue;
    }
    let budget = MANIFEST_NODE_LIMIT;
    for (const [i, doc] of docs.entries()) {
      if (doc === null || doc === undefined) continue;
      try {
        budget -= countNodes(doc, budget);
      } catch (e) {
        if (!(e instanceof TreeError)) throw e;
        if (e.reason === 'size') {
          fail(`the file expands to more than ${MANIFEST_NODE_LIMIT} values by document ${i + 1} (maps, lists and scalars, each alias counted as a copy of its anchor); the limit is ${MANIFEST_NODE_LIMIT}: use fewer aliases`);
          break;
        }
        fail(`document ${i + 1}: ${describeTreeError(e, 'the document')}`, isMap(doc) ? doc : {});
        continue;
      }
      if (!isMap(doc)) {
        fail(`document ${i + 1} is ${Array.isArray(doc) ? 'a list' : `a ${typeof doc}`}, not a Kubernetes object (a map with apiVersion, kind and metadata)`);
        continue;
      }
      const object = doc as Manifest['object'];
      if (object.kind === 'Kustomization' && asString(object.apiVersion)?.startsWith('kustomize.config.k8s.io/')) {
        const problem = kustomizationProblem(object, kustomizations.has(file));
        kustomizations.add(file);
        if (problem) fail(problem, object);
        else {
          const recorded = asMap(asMap(object.metadata).annotations)[OPENSHIFT_VERSION_ANNOTATION];
          if (isOpenShiftVersion(recorded)) versions.set(file, recorded);
        }
        continue;
      }
      manifests.push({ file, object });
    }
  }
  // One at a time: push(...list) fails past about 150000 arguments.
  for (const { manifests: group, kustomization } of groupByCluster(manifests, files)) {
    const openshiftVersion = options.openshiftVersion ?? (kustomization === undefined ? undefined : versions.get(kustomization));
    for (const p of validateManifests(group, { ...options, openshiftVersion }, kustomization !== undefined)) problems.push(p);
  }
  return { objects: manifests.length, problems };
}

/**
 * Checks the objects of one cluster: each object's schema (core kinds with kubernetes-models,
 * custom resources strictly against their CRD), the restricted Pod Security profile and
 * restricted-v2, no plaintext Secret unless allowed, and the registry operator's rules across them.
 */
export function validateManifests(manifests: readonly Manifest[], options: ValidateOptions, kustomized = true): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const named: Manifest[] = [];
  const seen = new Map<string, Manifest>();
  for (const manifest of manifests) {
    const add = (field: string, message: string, severity: RuleProblem['severity'] = 'error') => problems.push({ manifest, field, message, severity });
    const { object } = manifest;
    if (!asString(object.apiVersion) || !asString(object.kind) || !asString(asMap(object.metadata).name)) {
      add('', 'every object needs apiVersion, kind and metadata.name');
      continue;
    }
    // kustomize refuses two objects with one id, and an apply would let the later one win. A
    // folder without a kustomization.yaml may hold several clusters (a cdk8s app writes a file
    // per chart): there, only within a file.
    const id = kustomized ? objectId(object) : `${manifest.file}\0${objectId(object)}`;
    const first = seen.get(id);
    if (first) add('metadata.name', `the same object as in ${first.file} (${object.kind} ${show(asMap(object.metadata).name)}${asMap(object.metadata).namespace === undefined ? '' : ` in ${show(asMap(object.metadata).namespace)}`}): a cluster has each object once; kustomize refuses two of one name`);
    else seen.set(id, manifest);
    named.push(manifest);
    const schema = schemaProblems(object, options.schemas, options.openshiftVersion);
    if (!schema) add('', `no schema for ${object.apiVersion} ${object.kind}: neither a core kind this validator knows nor a built-in custom resource; pass its CRD with --crds DIR`);
    for (const p of schema ?? []) add(p.field, p.message, p.severity);
    for (const p of checkPodSecurity(object)) add(p.field, p.message);
    if (object.kind === 'Secret' && object.apiVersion === 'v1' && (object.data || object.stringData) && !options.allowPlainSecrets) {
      add(object.stringData ? 'stringData' : 'data', 'a plain Secret puts credentials in git; use an existing secret, an ExternalSecret or a SealedSecret (plainSecret in the config is for labs)');
    }
  }
  return [...problems, ...checkRegistryRules(named, options.openshiftVersion)];
}

// A fleet repeats the same objects (the MinIO workload of every cluster, say): each distinct
// object is checked once per process against a given list of schema sources.
const checked = new WeakMap<readonly SchemaSource[], Map<string, ReturnType<SchemaSource['validate']>>>();

function schemaProblems(object: Manifest['object'], schemas: readonly SchemaSource[], openshiftVersion?: OpenShiftVersion): ReturnType<SchemaSource['validate']> {
  let cache = checked.get(schemas);
  if (!cache) checked.set(schemas, (cache = new Map()));
  const key = `${openshiftVersion}\0${JSON.stringify(object)}`;
  if (cache.has(key)) return cache.get(key);
  let problems: ReturnType<SchemaSource['validate']>;
  for (const source of schemas) if (!problems) problems = source.validate(object, openshiftVersion);
  if (cache.size > 20_000) cache.clear();
  if (key.length < 100_000) cache.set(key, problems); // a fleet repeats small objects, not large ones
  return problems;
}

function groupByCluster(manifests: readonly Manifest[], files: ReadonlyMap<string, string>): { manifests: Manifest[]; kustomization?: string }[] {
  if (files.has('kustomization.yaml')) return [{ manifests: [...manifests], kustomization: 'kustomization.yaml' }];
  const groups = new Map<string, Manifest[]>();
  for (const m of manifests) {
    const key = m.file.includes('/') ? m.file.split('/')[0] : '';
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  return [...groups].map(([key, group]) => ({ manifests: group, kustomization: key !== '' && files.has(`${key}/kustomization.yaml`) ? `${key}/kustomization.yaml` : undefined }));
}

/**
 * One line per problem: `file: Kind namespace/name: field: message`. File names, kinds, names and
 * values come from the files: control characters are escaped and long names cut.
 */
export function formatProblems(problems: readonly RuleProblem[]): string {
  return problems.map(({ manifest, field, message, severity }) => {
    const meta = asMap(manifest.object.metadata);
    const kind = asString(manifest.object.kind);
    const namespace = asString(meta.namespace);
    const name = asString(meta.name);
    const what = kind ? `${show(kind)} ${namespace ? `${show(namespace)}/` : ''}${name ? show(name, 253) : '(no name)'}: ` : '';
    return escapeControl(`${severity === 'warning' ? 'warning: ' : ''}${manifest.file}: ${what}${field ? `${show(field, 120)}: ` : ''}${message}`);
  }).join('\n') + (problems.length ? '\n' : '');
}

/** An object's identity in a cluster: API group, kind, namespace and name (the version does not count). */
function objectId(object: Manifest['object']): string {
  const group = asString(object.apiVersion)!.includes('/') ? asString(object.apiVersion)!.split('/')[0] : '';
  const metadata = asMap(object.metadata);
  // As kustomize counts them: a cluster-scoped kind has no namespace, a namespaced one without
  // a namespace is in "default".
  const namespace = CLUSTER_SCOPED.has(`${group}/${object.kind}`) ? '' : asString(metadata.namespace) || 'default';
  return JSON.stringify([group, object.kind, namespace, metadata.name]);
}

/** Cluster-scoped kinds among those this project writes or that sit beside them (group/kind). */
const CLUSTER_SCOPED = new Set([
  '/Namespace', '/PersistentVolume', '/Node', 'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'storage.k8s.io/StorageClass', 'apiextensions.k8s.io/CustomResourceDefinition', 'imageregistry.operator.openshift.io/Config',
  'imageregistry.operator.openshift.io/ImagePruner', 'config.openshift.io/Image', 'external-secrets.io/ClusterSecretStore',
]);

/**
 * Why kustomize would refuse or misread a Kustomization, for the parts validate reads: one per file
 * (kustomize reads the first), metadata and annotations maps, the recorded version a known one.
 */
function kustomizationProblem(object: Manifest['object'], second: boolean): string | undefined {
  if (second) return 'a second Kustomization in this file: kustomize reads only the first; keep one';
  const metadata = object.metadata as unknown;
  if (metadata === undefined) return undefined;
  if (!isMap(metadata)) return `metadata: must be a map, got ${show(metadata)}`;
  const annotations = metadata.annotations;
  if (annotations === undefined) return undefined;
  if (!isMap(annotations)) return `metadata.annotations: must be a map, got ${show(annotations)}`;
  const recorded = annotations[OPENSHIFT_VERSION_ANNOTATION];
  if (recorded !== undefined && !isOpenShiftVersion(recorded)) {
    return `metadata.annotations.${OPENSHIFT_VERSION_ANNOTATION}: ${quote(recorded)} is not a known OpenShift version; use one of ${OPENSHIFT_VERSIONS.join(', ')}`;
  }
  return undefined;
}
