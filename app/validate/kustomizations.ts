// Kustomization files among the manifests: which folders are clusters, what synth recorded about
// each cluster, and what kustomize does to the files on their way to the cluster.
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { OPENSHIFT_VERSION_ANNOTATION, parsePlainSecrets, PLAIN_SECRETS_ANNOTATION } from '../output/kustomization';
import { MANIFEST_FILE_LIMIT, readInputFile } from '../output/read-tree';
import { isOpenShiftVersion, OPENSHIFT_VERSIONS, OpenShiftVersion } from '../../lib/rules/openshift-version';
import { asList, asMap, isMap, Obj, quote, show } from '../../lib/rules/shapes';

/**
 * The names kustomize reads a folder's kustomization from. A folder may hold only one of them:
 * kustomize refuses a folder with two ("Found multiple kustomization files"), so none takes
 * precedence (kubernetes-sigs/kustomize `api/konfig/general.go` RecognizedKustomizationFileNames,
 * `api/internal/target/kusttarget.go` LoadKustFile).
 */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Whether kustomize reads `path` (relative, `/`-separated) as its folder's kustomization. */
export function isKustomizationFile(path: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(posix.basename(path));
}

/** Whether validate reads `path`: YAML files (objects, patches) and kustomizations. */
export function isValidateInput(path: string): boolean {
  return /\.ya?ml$/.test(path) || isKustomizationFile(path);
}

/** The folder of a path relative to the folder validated: '' for that folder itself. */
export function folderOf(path: string): string {
  const folder = posix.dirname(path);
  return folder === '.' ? '' : folder;
}

/** What synth recorded about a cluster in its kustomization file (app/output/kustomization.ts). */
export interface ClusterRecord {
  /** The kustomization file, relative to the folder validated (`../kustomization.yaml` above it). */
  readonly file: string;
  readonly openshiftVersion?: OpenShiftVersion;
  /** The plain Secrets (`namespace/name`) the cluster's config asked for. */
  readonly plainSecrets?: readonly string[];
}

/** A kustomization file, as far as validate reads it. */
export interface Kustomization {
  readonly file: string;
  /** Its folder, relative to the folder validated ('' for that folder). */
  readonly folder: string;
  readonly record: ClusterRecord;
  /** What kustomize would refuse, or validate cannot read, in the parts validate reads. */
  readonly problems: readonly { readonly field: string; readonly message: string }[];
  /** Its fields that change, add or remove objects between the files and the cluster. */
  readonly transforms: readonly string[];
  /** Entries of `resources` (or `bases`) kustomize reads from outside its folder, or fetches. */
  readonly outside: readonly string[];
  /** Files (relative to the folder validated) it reads as patches, generator input or settings. */
  readonly inputs: readonly string[];
  /** Files and folders (relative to the folder validated) its `resources` name. */
  readonly resources: readonly string[];
}

/**
 * Fields of a Kustomization (kustomize `api/types/kustomization.go`) that make what kustomize
 * builds differ from the files it lists: names, namespaces, labels and annotations, patches,
 * images, replica counts, generated and transformed objects. `resources`, `sortOptions`,
 * `validators` and the settings that only tune these (`crds`, `configurations`, `openapi`,
 * `generatorOptions`, `helmGlobals`) do not.
 */
const TRANSFORMING_FIELDS = [
  'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels', 'commonAnnotations',
  'patches', 'patchesStrategicMerge', 'patchesJson6902', 'replacements', 'vars', 'images', 'imageTags', 'replicas',
  'configMapGenerator', 'secretGenerator', 'helmCharts', 'helmChartInflationGenerator', 'generators', 'transformers',
  'components', 'buildMetadata',
] as const;

/** Reads a kustomization file's first document (kustomize reads no other). */
export function readKustomization(file: string, object: Obj): Kustomization {
  const folder = folderOf(file);
  const problems: { field: string; message: string }[] = [];
  const record = readRecord(file, object, problems);
  const transforms = TRANSFORMING_FIELDS.filter((field) => isSet(object[field]));
  const resolve = (entry: string) => posix.normalize(posix.join(folder, entry));
  const outside: string[] = [];
  const resources: string[] = [];
  for (const entry of [...asList(object.resources), ...asList(object.bases)]) {
    if (typeof entry !== 'string') continue;
    if (isRemote(entry) || posix.isAbsolute(entry) || !isWithin(resolve(entry), folder)) outside.push(entry);
    else resources.push(resolve(entry));
  }
  const inputs = inputPaths(object).filter((path) => !isRemote(path) && !posix.isAbsolute(path)).map(resolve);
  return { file, folder, record, problems, transforms, outside, inputs, resources };
}

/**
 * The note for a kustomization whose build differs from its files: validate checked the files as
 * written, and the files it reads as patches not at all (a patch is partial by nature).
 */
export function buildNote(kustomization: Kustomization, root: string | undefined, skipped: readonly string[]): string | undefined {
  const { transforms, outside, folder } = kustomization;
  if (!transforms.length && !outside.length) return undefined;
  const what = [
    transforms.length ? `changes the objects on their way to the cluster (${transforms.join(', ')})` : '',
    outside.length ? `adds objects from outside this folder (${listed(outside)})` : '',
  ].filter(Boolean).join(' and ');
  const patches = skipped.length ? `, and what it reads as patches or generator input (${listed(skipped.map((f) => posix.relative(folder, f)))}) not at all` : '';
  const dir = shellWord(root === undefined ? folder || '.' : posix.join(root, folder));
  return `not checked as built: kustomize ${what}; the files here were checked as they are written${patches}. `
    + `Validate what it builds: kubectl kustomize ${dir} | openshift-image-registry-cdk8s validate -`;
}

/**
 * What the cluster folder around `dir` recorded, for a folder inside one (a stage folder such as
 * dist/<cluster>/registry, which a Flux Kustomization applies on its own). Walks up from dir's
 * parent while each folder holds a kustomization file (a stage inside its cluster, a cluster
 * inside a fleet's kustomization), stopping at a git repository's top folder and at the
 * filesystem root: a kustomization file outside that chain says nothing about these manifests.
 * The nearest file that records something wins. Unreadable files end the walk with nothing.
 */
export function enclosingRecord(dir: string): ClusterRecord | undefined {
  let folder: string;
  try {
    folder = realpathSync(dir);
  } catch {
    return undefined;
  }
  for (let up = '..'; ; up = `${up}/..`) {
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    const names = KUSTOMIZATION_FILE_NAMES.filter((name) => exists(join(parent, name)));
    if (names.length !== 1) return undefined; // none: the chain ends; several: kustomize refuses the folder
    let first: unknown;
    try {
      first = loadAll(readInputFile(join(parent, names[0]), MANIFEST_FILE_LIMIT, parent), { schema: CORE_SCHEMA, maxDepth: 100 })[0];
    } catch {
      return undefined;
    }
    const record = readRecord(`${up}/${names[0]}`, asMap(first), []);
    if (record.openshiftVersion !== undefined || record.plainSecrets !== undefined) return record;
    if (exists(join(parent, '.git'))) return undefined;
    folder = parent;
  }
}

/** Whether anything (a file, a folder, a link) is at `path`; a folder that cannot be read holds nothing. */
function exists(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** What synth recorded in a Kustomization's annotations; a bad value is a problem and records nothing. */
function readRecord(file: string, object: Obj, problems: { field: string; message: string }[]): ClusterRecord {
  const metadata = object.metadata;
  if (metadata === undefined || metadata === null) return { file };
  if (!isMap(metadata)) {
    problems.push({ field: 'metadata', message: `must be a map, got ${show(metadata)}` });
    return { file };
  }
  const annotations = metadata.annotations;
  if (annotations === undefined || annotations === null) return { file };
  if (!isMap(annotations)) {
    problems.push({ field: 'metadata.annotations', message: `must be a map, got ${show(annotations)}` });
    return { file };
  }
  const version = annotations[OPENSHIFT_VERSION_ANNOTATION];
  const secrets = annotations[PLAIN_SECRETS_ANNOTATION];
  const plainSecrets = secrets === undefined ? undefined : parsePlainSecrets(secrets);
  if (version !== undefined && !isOpenShiftVersion(version)) {
    problems.push({ field: `metadata.annotations.${OPENSHIFT_VERSION_ANNOTATION}`, message: `${quote(version)} is not a known OpenShift version; use one of ${OPENSHIFT_VERSIONS.join(', ')}` });
  }
  if (secrets !== undefined && !plainSecrets) {
    problems.push({ field: `metadata.annotations.${PLAIN_SECRETS_ANNOTATION}`, message: `${quote(secrets)} is not a list of plain Secrets as synth writes it ("namespace/name, namespace/name"): no plain Secret is let through` });
  }
  return { file, openshiftVersion: isOpenShiftVersion(version) ? version : undefined, plainSecrets };
}

/**
 * The paths a Kustomization reads other than as resources: patch files, replacement sources,
 * generator input, plugin and transformer settings, Helm values. An entry of
 * patchesStrategicMerge, generators or transformers may also be the patch itself, inline (a
 * document of several lines), which names no file.
 */
function inputPaths(object: Obj): string[] {
  const paths: unknown[] = [];
  for (const key of ['patches', 'patchesJson6902', 'replacements'] as const) for (const entry of asList(object[key])) paths.push(asMap(entry).path);
  for (const generator of [...asList(object.configMapGenerator), ...asList(object.secretGenerator)]) {
    const { files, envs, env } = asMap(generator);
    // files: `path` or `key=path`
    for (const file of asList(files)) paths.push(typeof file === 'string' ? file.slice(file.indexOf('=') + 1) : file);
    paths.push(...asList(envs), env);
  }
  for (const key of ['patchesStrategicMerge', 'generators', 'transformers', 'validators', 'configurations', 'crds'] as const) paths.push(...asList(object[key]));
  paths.push(asMap(object.openapi).path);
  for (const chart of asList(object.helmCharts)) paths.push(asMap(chart).valuesFile, ...asList(asMap(chart).additionalValuesFiles));
  return paths.filter((path): path is string => typeof path === 'string' && path !== '' && !path.includes('\n'));
}

/** A resource kustomize fetches: a URL, or a repository named as kustomize accepts it (`github.com/org/repo//path`). */
function isRemote(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^git(::|@)/.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)[/:]/.test(entry);
}

/** Whether a normalized relative path lies in `folder` ('' for the folder validated). */
function isWithin(path: string, folder: string): boolean {
  if (path === '..' || path.startsWith('../')) return false;
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

/** A path as one word of a shell command line: quoted when it holds anything but the usual characters. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}

function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return !isMap(value) || Object.keys(value).length > 0;
}

/** At most three entries, then how many more. */
function listed(entries: readonly string[]): string {
  const shown = entries.slice(0, 3).map((entry) => show(entry, 80)).join(', ');
  return entries.length > 3 ? `${shown} and ${entries.length - 3} more` : shown;
}
