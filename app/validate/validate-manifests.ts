import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { countNodes, describeTreeError, TreeError } from '../config/yaml-bounds';
import { formatBytes, MANIFEST_FILE_LIMIT } from '../output/read-tree';
import { escapeControl } from '../output/terminal-text';
import { notYetServed, unknownKind } from './api-kinds';
import { builtInProblems } from './built-in-checks';
import { isPolicy, isTypeProblem, policyObjects } from './acm-policies';
import { applicationOf, isClusterSingleton, mayComeFromLiveObject, withoutNulls } from './as-applied';
import { CoreSchemas, EMITTED_CORE_MODELS } from './core-schemas';
import { SchemaSource } from './crd-schemas';
import { checkPodSecurity, enforcedLevel, hasPodTemplate, podTemplateLabels, SccGrants, usesHostNetwork } from './pod-security';
import { registryNamespaceTrafficProblem } from '../../lib/rules/registry-namespace';
import { checkRegistryRules, Manifest, RuleProblem } from './registry-rules';
import { DEFAULT_OPENSHIFT_VERSION, isOpenShiftVersion, OPENSHIFT_VERSIONS, OpenShiftVersion } from '../../lib/rules/openshift-version';
import { OPENSHIFT_VERSION_ANNOTATION } from '../output/kustomization';
import { asMap, asString, isMap, quote, show } from '../../lib/rules/shapes';

/** Most values (maps, lists and scalars) a manifest file may hold with its aliases expanded. */
export const MANIFEST_NODE_LIMIT = 1_000_000;

/** Largest stream of manifests on standard input (`validate -`): a whole cluster built by kustomize. */
export const STREAM_BYTE_LIMIT = 32 * 1024 * 1024;
/** Most values a stream on standard input may hold with its aliases expanded. */
export const STREAM_NODE_LIMIT = 8_000_000;

/** How a stream on standard input is named in what validate prints. */
export const STREAM_NAME = '<stdin>';

interface FileLimits {
  readonly bytes: number;
  readonly nodes: number;
}
const FILE_LIMITS: FileLimits = { bytes: MANIFEST_FILE_LIMIT, nodes: MANIFEST_NODE_LIMIT };

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
export function validateTree(files: ReadonlyMap<string, string>, options: ValidateOptions, limits = FILE_LIMITS): ValidationReport {
  const manifests: Manifest[] = [];
  const problems: RuleProblem[] = [];
  const versions = new Map<string, OpenShiftVersion>(); // kustomization.yaml -> its cluster's version
  const kustomizations = new Set<string>(); // files that hold a Kustomization
  for (const [file, text] of files) {
    if (!/\.ya?ml$/.test(file) && file !== STREAM_NAME) continue;
    const fail = (message: string, object: Manifest['object'] = {}) => problems.push({ manifest: { file, object }, field: '', message, severity: 'error' });
    if (Buffer.byteLength(text) > limits.bytes) {
      fail(`the file is ${Buffer.byteLength(text)} bytes; a manifest file may be at most ${formatBytes(limits.bytes)}`);
      continue;
    }
    let docs: unknown[];
    try {
      docs = loadAll(text, { schema: CORE_SCHEMA, maxDepth: 100 });
    } catch (e) {
      fail(`invalid YAML: ${String((e as Error).message).split('\n')[0]}`);
      continue;
    }
    let budget = limits.nodes;
    for (const [i, doc] of docs.entries()) {
      if (doc === null || doc === undefined) continue;
      try {
        budget -= countNodes(doc, budget);
      } catch (e) {
        if (!(e instanceof TreeError)) throw e;
        if (e.reason === 'size') {
          fail(`the file expands to more than ${limits.nodes} values by document ${i + 1} (maps, lists and scalars, each alias counted as a copy of its anchor); the limit is ${limits.nodes}: use fewer aliases`);
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
      // A List (`kind: List`, or any `...List` of items) is applied item by item by oc, kubectl,
      // Argo CD and kustomize.
      const items = object.apiVersion === 'v1' && /List$/.test(asString(object.kind) ?? '') && Array.isArray(object.items) ? object.items : [object];
      for (const item of items) {
        if (!isMap(item)) {
          fail(`document ${i + 1}: an item of the List is ${Array.isArray(item) ? 'a list' : `a ${typeof item}`}, not a Kubernetes object`);
          continue;
        }
        const member = item as Manifest['object'];
        if (isPolicy(member)) {
          const policy = policyObjects(file, member);
          for (const m of policy.manifests) manifests.push(m);
          for (const note of policy.notes) problems.push({ manifest: { file, object: member }, field: note.field, message: note.message, severity: 'note' });
          for (const problem of policy.problems) problems.push({ manifest: { file, object: member }, field: problem.field, message: problem.message, severity: 'error' });
          continue;
        }
        manifests.push(asApplied(file, member));
      }
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
 * The registry Config applied whole (Argo CD's Replace=true, ACM's mustonlyhave) loses on every
 * apply what the operator writes back into its spec (httpSecret, the storage's managementState,
 * what it fills in of the storage), and the operator writes them again: the two never settle, and
 * each new httpSecret rolls the registry out.
 */
function replacedConfig(manifest: Manifest): RuleProblem {
  const why = 'removes on every apply what the operator writes back into the spec (httpSecret, storage.managementState, what it fills in of the storage); the operator writes them again, rolling the registry out with each new httpSecret, and the next apply removes them';
  if (manifest.within) {
    return { manifest: { file: manifest.file, object: manifest.within.policy }, field: `${manifest.within.template}.complianceType`, severity: 'error',
      message: `mustonlyhave on the registry Config ${why}: use musthave, which merges into the live Config` };
  }
  return { manifest, field: 'metadata.annotations.argocd.argoproj.io/sync-options', severity: 'error',
    message: `Replace=true on the registry Config ${why}: apply it as a partial object (server-side apply: ServerSideApply=true)` };
}

/**
 * Checks a stream of manifests (`kubectl kustomize DIR | validate -`) as the objects of one
 * cluster, named STREAM_NAME, with the limits of a whole cluster's stream.
 */
export function validateStream(text: string, options: ValidateOptions): ValidationReport {
  return validateTree(new Map([[STREAM_NAME, text]]), options, { bytes: STREAM_BYTE_LIMIT, nodes: STREAM_NODE_LIMIT });
}

/** A manifest as the cluster takes it: nulls left out, and merged into the live object or whole. */
function asApplied(file: string, object: Manifest['object']): Manifest {
  const applied = withoutNulls(object);
  return { file, object: applied, application: applicationOf(applied) };
}

/**
 * Checks the objects of one cluster as the cluster takes them (see as-applied.ts): each object's
 * schema (core kinds with kubernetes-models, custom resources strictly against their CRD; a
 * required field an object merged into its live object leaves out is not missing), Pod Security
 * where a namespace among them enforces it, no plaintext Secret unless allowed, and the registry
 * operator's rules across them. Every problem of an object is reported, not only the first.
 */
export function validateManifests(manifests: readonly Manifest[], options: ValidateOptions, kustomized = true): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const named: Manifest[] = [];
  const seen = new Map<string, Manifest>();
  const namespaces = new Map<unknown, Manifest['object']>();
  for (const { object } of manifests) if (object.kind === 'Namespace' && object.apiVersion === 'v1') namespaces.set(asMap(object.metadata).name, object);
  let grants: SccGrants | undefined;
  const core = options.schemas.find((s): s is CoreSchemas => s instanceof CoreSchemas)?.models ?? EMITTED_CORE_MODELS;
  for (const manifest of manifests) {
    const add = (field: string, message: string, severity: RuleProblem['severity'] = 'error') => problems.push({ manifest, field, message, severity });
    const { object } = manifest;
    const apiVersion = asString(object.apiVersion);
    const kind = asString(object.kind);
    if (!apiVersion || !kind) {
      // A YAML file that is not a manifest at all (Helm values, a tool's settings) sits beside them in many repositories.
      if (object.apiVersion === undefined && object.kind === undefined) add('', 'not checked: not a Kubernetes object (no apiVersion and no kind)', 'note');
      else add('', 'every object needs apiVersion and kind (strings): without them neither the API server nor validate knows what it is');
      continue;
    }
    const metadata = asMap(object.metadata);
    const name = asString(metadata.name);
    if (!name && !asString(metadata.generateName)) add('metadata.name', 'is required: every object needs a name (or, for objects only ever created, metadata.generateName)');
    if (name && !manifest.within) {
      // kustomize refuses two objects with one id, and an apply would let the later one win. A
      // folder without a kustomization.yaml may hold several clusters (a cdk8s app writes a file
      // per chart): there, only within a file.
      const id = kustomized ? objectId(object) : `${manifest.file}\0${objectId(object)}`;
      const first = seen.get(id);
      if (first) add('metadata.name', `the same object as in ${first.file} (${kind} ${show(name)}${metadata.namespace === undefined ? '' : ` in ${show(metadata.namespace)}`}): a cluster has each object once; kustomize refuses two of one name`);
      else seen.set(id, manifest);
    }
    if (name) named.push(manifest);
    // The API server ignores a manifest's status (kinds with a status subresource take it apart).
    const { status: _status, ...withoutStatus } = object;
    const schema = schemaProblems(withoutStatus, options.schemas, options.openshiftVersion);
    if (!schema) {
      const unknown = unknownKind(apiVersion, kind, options.openshiftVersion ?? DEFAULT_OPENSHIFT_VERSION, core);
      add('', unknown.message, unknown.severity);
    }
    const unserved = notYetServed(apiVersion, kind, options.openshiftVersion ?? DEFAULT_OPENSHIFT_VERSION);
    if (unserved) add('apiVersion', unserved);
    for (const p of [...schema ?? [], ...builtInProblems(object)]) {
      // Merged into the live object, a field left out keeps its live value; a template's is unknown.
      if (p.missing && (manifest.templated || (manifest.application === 'merged' && mayComeFromLiveObject(p.field)))) continue;
      add(p.field, p.message, p.severity);
    }
    if (hasPodTemplate(kind)) {
      const level = enforcedLevel(namespaces.get(metadata.namespace));
      grants ??= new SccGrants(manifests.map((m) => m.object));
      for (const p of level ? checkPodSecurity(object, level, grants, namespaces.get(metadata.namespace)) : []) add(p.field, p.message);
      const cutOff = !usesHostNetwork(object) && registryNamespaceTrafficProblem(metadata.namespace, asMap(podTemplateLabels(object)), manifests.map((m) => m.object), options.openshiftVersion ?? DEFAULT_OPENSHIFT_VERSION);
      if (cutOff) add('metadata.namespace', cutOff);
    }
    if (kind === 'Config' && apiVersion.startsWith('imageregistry.operator.openshift.io/') && manifest.application === 'whole' && isClusterSingleton(object) && manifest.within?.enforced !== false) {
      problems.push(replacedConfig(manifest));
    }
    if (kind === 'Secret' && apiVersion === 'v1' && (object.data || object.stringData) && !options.allowPlainSecrets && !fromTemplates(manifest)) {
      add(object.stringData ? 'stringData' : 'data', 'a plain Secret puts credentials in git; use an existing secret, an ExternalSecret or a SealedSecret (plainSecret in the config is for labs)');
    }
  }
  // One field, one finding: a rule says nothing more of a field its schema already refuses, and
  // nothing is said below a field the cluster's version lacks.
  const schemaFields = new Map<Manifest, Set<string>>();
  for (const p of problems) if (p.severity === 'error' && p.field) (schemaFields.get(p.manifest) ?? schemaFields.set(p.manifest, new Set()).get(p.manifest)!).add(p.field);
  const rules = checkRegistryRules(named, options.openshiftVersion).filter((p) => !schemaFields.get(p.manifest)?.has(p.field));
  const absent = new Map<Manifest, string[]>();
  for (const p of rules) if (p.versionBound) (absent.get(p.manifest) ?? absent.set(p.manifest, []).get(p.manifest)!).push(p.field);
  const below = (p: RuleProblem) => absent.get(p.manifest)?.some((field) => p.field.startsWith(`${field}.`) || p.field.startsWith(`${field}[`));
  return [...problems, ...rules]
    // A templated value is known only by its type: what else is said of it cannot be known.
    .filter((p) => (!p.manifest.templated?.has(p.field) || isTypeProblem(p.message)) && !below(p));
}

/** A Secret whose every value is a template (ACM's fromSecret): its values are not in git. */
function fromTemplates({ object, templated }: Manifest): boolean {
  const keys = (field: 'data' | 'stringData') => Object.keys(asMap(object[field])).map((key) => `${field}.${key}`);
  const values = [...keys('data'), ...keys('stringData')];
  return templated !== undefined && values.length > 0 && values.every((field) => templated.has(field));
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
  return problems.map(({ manifest, field: inObject, message, severity }) => {
    // An object a policy applies is named by the policy, at the path of its object template.
    const object = manifest.within?.policy ?? manifest.object;
    const cut = show(inObject, 120);
    const field = manifest.within ? `${manifest.within.template}.objectDefinition${cut ? `.${cut}` : ''}` : cut;
    const meta = asMap(object.metadata);
    const kind = asString(object.kind);
    const namespace = asString(meta.namespace);
    const name = asString(meta.name);
    const what = kind ? `${show(kind)} ${namespace ? `${show(namespace)}/` : ''}${name ? show(name, 253) : '(no name)'}: ` : '';
    return escapeControl(`${severity === 'error' ? '' : `${severity}: `}${manifest.file}: ${what}${field ? `${field}: ` : ''}${message}`);
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
