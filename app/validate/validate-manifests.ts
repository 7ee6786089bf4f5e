import { loadAll } from 'js-yaml';
import { SchemaSource } from './crd-schemas';
import { checkPodSecurity } from './pod-security';
import { checkRegistryRules, Manifest, RuleProblem } from './registry-rules';

export interface ValidateOptions {
  /** Where schemas come from, tried in order (CRDs, core kinds). */
  readonly schemas: readonly SchemaSource[];
  /**
   * Plain Secrets are allowed (the config asked for a plainSecret).
   * @default false
   */
  readonly allowPlainSecrets?: boolean;
}

export interface ValidationReport {
  readonly objects: number;
  readonly problems: RuleProblem[];
}

/**
 * Checks every object of an output tree (relative path -> YAML): see validateManifests. The
 * operator's rules apply across the objects of each cluster (a folder with a kustomization.yaml,
 * or each top folder).
 */
export function validateTree(files: ReadonlyMap<string, string>, options: ValidateOptions): ValidationReport {
  const manifests: Manifest[] = [];
  const problems: RuleProblem[] = [];
  for (const [file, text] of files) {
    if (!/\.ya?ml$/.test(file)) continue;
    let docs: unknown[];
    try {
      docs = loadAll(text);
    } catch (e) {
      problems.push({ manifest: { file, object: {} }, field: '', message: `invalid YAML: ${(e as Error).message.split('\n')[0]}`, severity: 'error' });
      continue;
    }
    for (const doc of docs) {
      if (doc === null || doc === undefined) continue;
      const object = doc as Manifest['object'];
      if (object.kind === 'Kustomization' && object.apiVersion?.startsWith('kustomize.config.k8s.io/')) continue;
      manifests.push({ file, object });
    }
  }
  for (const group of groupByCluster(manifests, files)) problems.push(...validateManifests(group, options));
  return { objects: manifests.length, problems };
}

/**
 * Checks the objects of one cluster: each object's schema (core kinds with kubernetes-models,
 * custom resources strictly against their CRD), the restricted Pod Security profile and
 * restricted-v2, no plaintext Secret unless allowed, and the registry operator's rules across them.
 */
export function validateManifests(manifests: readonly Manifest[], options: ValidateOptions): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const manifest of manifests) {
    const add = (field: string, message: string) => problems.push({ manifest, field, message, severity: 'error' });
    const { object } = manifest;
    if (!object.apiVersion || !object.kind || !object.metadata?.name) {
      add('', 'every object needs apiVersion, kind and metadata.name');
      continue;
    }
    const schema = schemaProblems(object, options.schemas);
    if (!schema) add('', `no schema for ${object.apiVersion} ${object.kind}: neither a core kind this validator knows nor a built-in custom resource; pass its CRD with --crds DIR`);
    for (const p of schema ?? []) add(p.field, p.message);
    for (const p of checkPodSecurity(object)) add(p.field, p.message);
    if (object.kind === 'Secret' && object.apiVersion === 'v1' && (object.data || object.stringData) && !options.allowPlainSecrets) {
      add(object.stringData ? 'stringData' : 'data', 'a plain Secret puts credentials in git; use an existing secret, an ExternalSecret or a SealedSecret (plainSecret in the config is for labs)');
    }
  }
  return [...problems, ...checkRegistryRules(manifests)];
}

// A fleet repeats the same objects (the MinIO workload of every cluster, say): each distinct
// object is checked once per process against a given list of schema sources.
const checked = new WeakMap<readonly SchemaSource[], Map<string, ReturnType<SchemaSource['validate']>>>();

function schemaProblems(object: Manifest['object'], schemas: readonly SchemaSource[]): ReturnType<SchemaSource['validate']> {
  let cache = checked.get(schemas);
  if (!cache) checked.set(schemas, (cache = new Map()));
  const key = JSON.stringify(object);
  if (cache.has(key)) return cache.get(key);
  let problems: ReturnType<SchemaSource['validate']>;
  for (const source of schemas) if (!problems) problems = source.validate(object);
  if (cache.size > 20_000) cache.clear();
  cache.set(key, problems);
  return problems;
}

function groupByCluster(manifests: readonly Manifest[], files: ReadonlyMap<string, string>): Manifest[][] {
  if (files.has('kustomization.yaml')) return [[...manifests]];
  const groups = new Map<string, Manifest[]>();
  for (const m of manifests) {
    const key = m.file.includes('/') ? m.file.split('/')[0] : '';
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return [...groups.values()];
}

/** One line per problem: `file: Kind namespace/name: field: message`. */
export function formatProblems(problems: readonly RuleProblem[]): string {
  return problems.map(({ manifest, field, message, severity }) => {
    const meta = manifest.object.metadata;
    const what = manifest.object.kind ? `${manifest.object.kind} ${meta?.namespace ? `${meta.namespace}/` : ''}${meta?.name ?? '(no name)'}: ` : '';
    return `${severity === 'warning' ? 'warning: ' : ''}${manifest.file}: ${what}${field ? `${field}: ` : ''}${message}`;
  }).join('\n') + (problems.length ? '\n' : '');
}
