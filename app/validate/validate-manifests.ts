import { posix } from 'node:path';
import { loadAll } from 'js-yaml';
import { countNodes, describeTreeError, MANIFEST_YAML_SCHEMA, TreeError } from '../config/yaml-bounds';
import { formatBytes, MANIFEST_FILE_LIMIT, MANIFEST_NODE_LIMIT } from '../output/read-tree';
import { escapeControl } from '../output/terminal-text';
import { notYetServed, unknownKind } from './api-kinds';
import { builtInProblems } from './built-in-checks';
import { isPolicy, isTypeProblem, policyObjects } from './acm-policies';
import { applicationOf, isClusterSingleton, mayComeFromLiveObject, storageRemovedByNull, withNullClaimEmpty, withoutNulls } from './as-applied';
import { CoreSchemas, EMITTED_CORE_MODELS } from './core-schemas';
import { SchemaSource } from './crd-schemas';
import { checkPodSecurity, enforcedLevel, hasPodTemplate, podTemplateLabels, SccGrants, usesHostNetwork } from './pod-security';
import { EgressPolicies, registryNamespaceTrafficProblem } from '../../lib/rules/registry-namespace';
import { REGISTRY_NAMESPACE } from '../../lib/registry/constants';
import { checkRegistryRules, Manifest, RuleProblem } from './registry-rules';
import { DEFAULT_OPENSHIFT_VERSION, OpenShiftVersion } from '../../lib/rules/openshift-version';
import { PLAIN_SECRETS_ANNOTATION } from '../output/kustomization';
import { buildNote, ClusterRecord, folderOf, isKustomizationFile, isValidateInput, Kustomization, readKustomization } from './kustomizations';
import { asMap, asString, hideCredentials, isMap, show } from '../../lib/rules/shapes';
import { objectMetaProblems } from '../../lib/rules/kubernetes';

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
   * Every plain Secret is allowed (`--allow-plain-secrets`; synth, for a config with a plainSecret).
   * @default false
   */
  readonly allowPlainSecrets?: boolean;
  /**
   * The plain Secrets (`namespace/name`) the cluster's config asked for, as synth recorded them:
   * these are allowed.
   * @default - in validateTree, the cluster's record (PLAIN_SECRETS_ANNOTATION); else none
   */
  readonly recordedPlainSecrets?: readonly string[];
  /**
   * The clusters' OpenShift version: registry Config and ImagePruner fields its CRDs lack are errors.
   * @default - in validateTree, each cluster's version as synth recorded it in its
   * kustomization file (OPENSHIFT_VERSION_ANNOTATION); else DEFAULT_OPENSHIFT_VERSION, with a note
   */
  readonly openshiftVersion?: OpenShiftVersion;
}

/** Where the files given to validateTree come from. */
export interface TreeSource {
  /**
   * The folder's path as the user gave it, for the commands validate suggests.
   * @default - paths relative to the folder
   */
  readonly root?: string;
  /**
   * What the cluster folder around the folder recorded (kustomizations.ts enclosingRecord), for
   * clusters that record nothing themselves (a stage folder).
   * @default - nothing
   */
  readonly enclosing?: ClusterRecord;
  /** @default - MANIFEST_FILE_LIMIT bytes and MANIFEST_NODE_LIMIT values per file */
  readonly limits?: FileLimits;
}

export interface ValidationReport {
  readonly objects: number;
  /**
   * The documents read that name a kind: the objects checked, and those that could not be (a
   * custom resource no CRD describes, a policy that only templates its objects). Not the files a
   * kustomization reads as patches or generator input.
   */
  readonly documents: number;
  /** The `apiVersion Kind` of every object checked. */
  readonly kinds: ReadonlySet<string>;
  readonly problems: RuleProblem[];
  /** Each cluster checked (validateTree), in the order of its first file. */
  readonly clusters: readonly CheckedCluster[];
}

/** A cluster validateTree checked, and the OpenShift version it was checked against. */
export interface CheckedCluster {
  /** Its kustomization file; else its folder ('' for the files at the top), or STREAM_NAME. */
  readonly file: string;
  readonly openshiftVersion: OpenShiftVersion;
  /**
   * Where the version comes from: the option (`--openshift-version`), the kustomization file that
   * records it (relative to the folder validated), or nothing, so the default (the newest).
   */
  readonly versionFrom: 'option' | 'default' | { readonly recordedIn: string };
  /** The plain Secrets its record lets through (PLAIN_SECRETS_ANNOTATION), and the kustomization file that records them. */
  readonly plainSecrets?: { readonly recordedIn: string; readonly secrets: readonly string[] };
}

/**
 * Checks every object of a folder (relative path -> YAML): see validateManifests, once per
 * cluster. A cluster is a folder with a kustomization file (KUSTOMIZATION_FILE_NAMES) that is not
 * inside another one, wherever it is below the folder given (the folder itself, `dist/<cluster>`,
 * `PARENT/dist/<cluster>`); files outside every cluster folder are one group per top folder
 * (and one for the files at the top). Each cluster is checked against what synth recorded in its
 * kustomization file, else what the cluster folder around the folder recorded (`source.enclosing`).
 * Files a kustomization reads as patches or generator input are not objects and are not checked;
 * a kustomization that changes its objects on their way to the cluster gets a note saying that
 * the files were checked as written, not as built.
 *
 * The files are untrusted: each must be at most MANIFEST_FILE_LIMIT bytes and expand to at most
 * MANIFEST_NODE_LIMIT values, with no recursive alias and no `__proto__` key; each document must
 * be a map. A file or document that is not is one error naming it, and is not checked further.
 */
export function validateTree(files: ReadonlyMap<string, string>, options: ValidateOptions, source: TreeSource = {}): ValidationReport {
  const manifests: Manifest[] = [];
  const problems: RuleProblem[] = [];
  const report: Report = (file, message, severity = 'error', object = {}, field = '') => {
    problems.push({ manifest: { file, object }, field, message, severity });
  };
  // Kustomization files first: they say which folders are clusters and which files are patches.
  const kustomizations = readKustomizations(files, source.limits ?? FILE_LIMITS, report);
  const asResources = new Set([...kustomizations.values()].flatMap((k) => k.resources));
  const notObjects = new Set<string>();
  for (const k of kustomizations.values()) {
    const inputs = k.inputs.filter((path) => files.has(path) && !asResources.has(path));
    for (const path of inputs) notObjects.add(path);
    const note = buildNote(k, source.root, inputs);
    if (note) report(k.file, note, 'note');
  }

  let documents = 0;
  for (const [file, text] of files) {
    if ((!isValidateInput(file) && file !== STREAM_NAME) || isKustomizationFile(file) || notObjects.has(file)) continue;
    for (const document of parseDocuments(file, text, source.limits ?? FILE_LIMITS, report) ?? []) {
      // A Kustomization in a file of another name is read by no one: not an object either.
      if (isKustomizationDocument(document)) continue;
      if (document.kind !== undefined) documents += 1;
      // A List (`kind: List`, or any `...List` of items) is applied item by item by oc, kubectl,
      // Argo CD and kustomize.
      const items = document.apiVersion === 'v1' && /List$/.test(asString(document.kind) ?? '') && Array.isArray(document.items) ? document.items : [document];
      for (const item of items) {
        if (!isMap(item)) {
          report(file, `an item of a List is ${Array.isArray(item) ? 'a list' : `a ${typeof item}`}, not a Kubernetes object`, 'error', document);
          continue;
        }
        const object = item as Manifest['object'];
        if (isPolicy(object)) {
          const policy = policyObjects(file, object);
          for (const m of policy.manifests) manifests.push(m);
          for (const finding of policy.findings) report(file, finding.message, finding.severity, object, finding.field);
          continue;
        }
        for (const field of storageRemovedByNull(object)) {
          report(file, 'null removes the live value when merged (oc apply, Argo CD, a merge patch): the operator then sets up new, empty storage (the platform\'s default store, or a new bucket) and the registry no longer serves its images; leave the field out to keep the live value', 'error', object, field);
        }
        manifests.push(asApplied(file, object));
      }
    }
  }

  const clusters: CheckedCluster[] = [];
  for (const { manifests: group, cluster, folder } of groupByCluster(manifests, kustomizations)) {
    // The cluster's own record, else the one of the cluster folder around the folder given.
    const own = cluster?.record;
    const recorded = own?.openshiftVersion ? own : source.enclosing?.openshiftVersion ? source.enclosing : undefined;
    const openshiftVersion = options.openshiftVersion ?? recorded?.openshiftVersion;
    const plainSecrets = own?.plainSecrets ? own : source.enclosing?.plainSecrets ? source.enclosing : undefined;
    clusters.push({
      file: cluster?.file ?? (files.has(STREAM_NAME) ? STREAM_NAME : folder),
      openshiftVersion: openshiftVersion ?? DEFAULT_OPENSHIFT_VERSION,
      versionFrom: options.openshiftVersion ? 'option' : recorded ? { recordedIn: recorded.file } : 'default',
      plainSecrets: plainSecrets && { recordedIn: plainSecrets.file, secrets: plainSecrets.plainSecrets! },
    });
    if (plainSecrets && !options.allowPlainSecrets) {
      report(plainSecrets.file, plainSecretsWarning(plainSecrets.plainSecrets!, group), 'warning', {}, `metadata.annotations.${PLAIN_SECRETS_ANNOTATION}`);
    }
    const clusterOptions = { ...options, openshiftVersion, recordedPlainSecrets: plainSecrets?.plainSecrets ?? options.recordedPlainSecrets };
    // One at a time: push(...list) fails past about 150000 arguments.
    for (const p of validateManifests(group, clusterOptions, cluster !== undefined)) problems.push(p);
  }
  return { objects: manifests.length, documents, problems, clusters, kinds: new Set(manifests.map((m) => `${asString(m.object.apiVersion)} ${asString(m.object.kind)}`)) };
}

type Report = (file: string, message: string, severity?: RuleProblem['severity'], object?: Manifest['object'], field?: string) => void;

/**
 * The kustomization file of each folder (folder -> its kustomization), read as kustomize reads it:
 * one per folder, its first document. A file kustomize would refuse is reported, and still makes
 * its folder a cluster folder.
 */
function readKustomizations(files: ReadonlyMap<string, string>, limits: FileLimits, report: Report): Map<string, Kustomization> {
  const kustomizations = new Map<string, Kustomization>();
  for (const [file, text] of files) {
    if (!isKustomizationFile(file)) continue;
    const other = kustomizations.get(folderOf(file));
    if (other) {
      report(file, `${posix.basename(other.file)} is in this folder too: kustomize refuses a folder with more than one kustomization file; keep one`);
      continue;
    }
    const [first, ...rest] = parseDocuments(file, text, limits, report) ?? [];
    const kustomization = readKustomization(file, first ?? {});
    kustomizations.set(kustomization.folder, kustomization);
    for (const p of kustomization.problems) report(file, p.message, 'error', {}, p.field);
    for (const object of rest) report(file, 'a second document in this file: kustomize reads only the first, the Kustomization; keep one', 'error', object);
  }
  return kustomizations;
}

/**
 * The documents of a file that are maps; undefined when the file as a whole is refused. Every
 * refused file or document is reported.
 */
function parseDocuments(file: string, text: string, limits: FileLimits, report: Report): Manifest['object'][] | undefined {
  if (Buffer.byteLength(text) > limits.bytes) {
    report(file, `the file is ${Buffer.byteLength(text)} bytes; a manifest file may be at most ${formatBytes(limits.bytes)}`);
    return undefined;
  }
  let docs: unknown[];
  try {
    docs = loadAll(text, { schema: MANIFEST_YAML_SCHEMA, maxDepth: 100 });
  } catch (e) {
    report(file, `invalid YAML: ${String((e as Error).message).split('\n')[0]}`);
    return undefined;
  }
  const maps: Manifest['object'][] = [];
  let budget = limits.nodes;
  for (const [i, doc] of docs.entries()) {
    if (doc === null || doc === undefined) continue;
    try {
      budget -= countNodes(doc, budget);
    } catch (e) {
      if (!(e instanceof TreeError)) throw e;
      if (e.reason === 'size') {
        report(file, `the file expands to more than ${limits.nodes} values by document ${i + 1} (maps, lists and scalars, a long string one per 64 characters, each alias counted as a copy of its anchor); the limit is ${limits.nodes}: use fewer aliases`);
        break;
      }
      report(file, `document ${i + 1}: ${describeTreeError(e, 'the document')}`, 'error', isMap(doc) ? doc : {});
      continue;
    }
    if (!isMap(doc)) {
      report(file, `document ${i + 1} is ${Array.isArray(doc) ? 'a list' : `a ${typeof doc}`}, not a Kubernetes object (a map with apiVersion, kind and metadata)`);
      continue;
    }
    maps.push(doc as Manifest['object']);
  }
  return maps;
}

function isKustomizationDocument(object: Manifest['object']): boolean {
  return (object.kind === 'Kustomization' || object.kind === 'Component') && Boolean(asString(object.apiVersion)?.startsWith('kustomize.config.k8s.io/'));
}

/** Says loudly that a cluster lets plain Secrets through, and which of them are here. */
function plainSecretsWarning(allowed: readonly string[], group: readonly Manifest[]): string {
  const present = new Set(group.filter(({ object }) => isPlainSecret(object)).map(({ object }) => secretId(object)));
  const here = allowed.filter((id) => present.has(id));
  return `lets these plain Secrets through, with their values in git: ${allowed.join(', ')} (${here.length ? `here: ${here.join(', ')}` : 'none of them here'}). `
    + 'synth writes this for a config with a plainSecret (labs only): make sure this cluster\'s config asks for one (validate --config checks it)';
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
  return validateTree(new Map([[STREAM_NAME, text]]), options, { limits: { bytes: STREAM_BYTE_LIMIT, nodes: STREAM_NODE_LIMIT } });
}

/** A manifest as the cluster takes it: nulls left out, and merged into the live object or whole. */
function asApplied(file: string, object: Manifest['object']): Manifest {
  const applied = withoutNulls(withNullClaimEmpty(object));
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
  // Built once per cluster, on the first pod template.
  let grants: SccGrants | undefined;
  let networkPolicies: EgressPolicies | undefined;
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
    for (const p of objectMetaProblems(apiVersion, kind, metadata)) add(p.field, p.message);
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
    const schema = schemaProblems(withoutStatus, options.schemas, options.openshiftVersion, manifest.yaml);
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
      networkPolicies ??= new EgressPolicies(manifests.map((m) => m.object), REGISTRY_NAMESPACE);
      const cutOff = !usesHostNetwork(object) && registryNamespaceTrafficProblem(metadata.namespace, asMap(podTemplateLabels(object)), networkPolicies, options.openshiftVersion ?? DEFAULT_OPENSHIFT_VERSION);
      if (cutOff) add('metadata.namespace', cutOff);
    }
    if (kind === 'Config' && apiVersion.startsWith('imageregistry.operator.openshift.io/') && manifest.application === 'whole' && isClusterSingleton(object) && manifest.within?.enforced !== false) {
      problems.push(replacedConfig(manifest));
    }
    if (isPlainSecret(object) && !options.allowPlainSecrets && !options.recordedPlainSecrets?.includes(secretId(object)) && !fromTemplates(manifest)) {
      add(object.stringData ? 'stringData' : 'data', 'a plain Secret puts credentials in git; use an existing secret, an ExternalSecret or a SealedSecret (or --allow-plain-secrets; this tool\'s configs ask for one with plainSecret, for labs)');
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
// object is checked once per process against a given list of schema sources and OpenShift
// version. Its key is the object's text: as synth writes it (Manifest.yaml), else its JSON.
const checked = new WeakMap<readonly SchemaSource[], Map<string, Map<string, ReturnType<SchemaSource['validate']>>>>();

function schemaProblems(object: Manifest['object'], schemas: readonly SchemaSource[], openshiftVersion?: OpenShiftVersion, yaml?: string): ReturnType<SchemaSource['validate']> {
  let byVersion = checked.get(schemas);
  if (!byVersion) checked.set(schemas, (byVersion = new Map()));
  const versionKey = String(openshiftVersion);
  let cache = byVersion.get(versionKey);
  if (!cache) byVersion.set(versionKey, (cache = new Map()));
  // A YAML text ends with a line break, a JSON text never does: the two never meet.
  const key = yaml ?? JSON.stringify(object);
  if (cache.has(key)) return cache.get(key);
  let problems: ReturnType<SchemaSource['validate']>;
  for (const source of schemas) if (!problems) problems = source.validate(object, openshiftVersion);
  // At most 20,000 objects in all versions' maps.
  if ([...byVersion.values()].reduce((n, m) => n + m.size, 0) >= 20_000) for (const m of byVersion.values()) m.clear();
  if (key.length < 100_000) cache.set(key, problems); // a fleet repeats small objects, not large ones
  return problems;
}

/**
 * The manifests of each cluster folder (the outermost folders with a kustomization file), and of
 * each top folder for the files outside every cluster folder ('' for the files at the top).
 */
function groupByCluster(manifests: readonly Manifest[], kustomizations: ReadonlyMap<string, Kustomization>): { manifests: Manifest[]; cluster?: Kustomization; folder: string }[] {
  const groups = new Map<string, { manifests: Manifest[]; cluster?: Kustomization; folder: string }>();
  for (const m of manifests) {
    const folders = folderOf(m.file).split('/');
    let cluster = kustomizations.get('');
    for (let depth = 1; !cluster && depth <= folders.length && folders[0] !== ''; depth++) cluster = kustomizations.get(folders.slice(0, depth).join('/'));
    const folder = cluster?.folder ?? (m.file.includes('/') ? folders[0] : '');
    const key = `${cluster ? 'cluster' : 'top'}\0${folder}`;
    const group = groups.get(key);
    if (group) group.manifests.push(m);
    else groups.set(key, { manifests: [m], cluster, folder });
  }
  return [...groups.values()];
}

/** A Secret that carries its values in the manifest, so in git. */
export function isPlainSecret(object: Manifest['object']): boolean {
  return object.kind === 'Secret' && object.apiVersion === 'v1' && Boolean(object.data || object.stringData);
}

/** `namespace/name`, as PLAIN_SECRETS_ANNOTATION lists Secrets. */
function secretId(object: Manifest['object']): string {
  const metadata = asMap(object.metadata);
  return `${asString(metadata.namespace) ?? ''}/${asString(metadata.name) ?? ''}`;
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
    return escapeControl(hideCredentials(`${severity === 'error' ? '' : `${severity}: `}${manifest.file}: ${what}${field ? `${field}: ` : ''}${message}`));
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
