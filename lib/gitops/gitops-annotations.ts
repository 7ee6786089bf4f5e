// Annotations that make an Argo CD or Flux sync of the output correct. They are added to the
// synthesized objects by kind; other tools ignore them.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { REGISTRY_NAMESPACE } from '../registry/constants';
import { ValidationError } from '../rules/validation-error';

/** What the annotations depend on: an object's type, namespace and labels. */
export interface TypedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
}

/**
 * Label of the RBAC that lets the GitOps tool's service account apply the rest (ApplierRbac): it
 * goes first, in a wave of its own, and is not among the objects it grants rights to.
 */
export const APPLIER_RBAC_LABEL: Readonly<Record<string, string>> = { 'app.kubernetes.io/component': 'gitops-applier-rbac' };

/** Which GitOps tools the annotations are written for. */
export enum GitOpsTools {
  /** Argo CD's and Flux's: either tool may apply the output. */
  BOTH = 'both',
  /** Argo CD's only: sync waves and sync options. */
  ARGO_CD = 'argocd',
  /** Flux's only: kustomize-controller's prune, ssa and force annotations. */
  FLUX = 'flux',
}

/** The annotation prefix each tool reads; annotations of a tool not chosen are left out. */
const PREFIXES = { argocd: 'argocd.argoproj.io/', flux: 'kustomize.toolkit.fluxcd.io/' } as const;

/** Throws a ValidationError naming `field` unless `tools` is one of GitOpsTools (callers without types). */
export function checkGitOpsTools(field: string, tools: unknown): asserts tools is GitOpsTools {
  if (!Object.values<unknown>(GitOpsTools).includes(tools)) {
    throw new ValidationError(field, `must be one of ${Object.values(GitOpsTools).join(', ')} (GitOpsTools), got ${JSON.stringify(tools)}`);
  }
}

/** Whether the annotations for `tools` include those of `tool`. */
export function includesTool(tools: GitOpsTools, tool: keyof typeof PREFIXES): boolean {
  return tools === GitOpsTools.BOTH || tools === tool;
}

const ARGO_WAVE = `${PREFIXES.argocd}sync-wave`;
const ARGO_SYNC_OPTIONS = `${PREFIXES.argocd}sync-options`;
const FLUX_PRUNE = `${PREFIXES.flux}prune`;

/**
 * Argo CD sync waves: namespaces, then credentials, then the object store, then the Jobs (bucket,
 * storage switch), then the registry Config and its claim. Argo CD waits for each wave to be
 * healthy. A claim is never in an earlier wave than the workload that mounts it: on a
 * WaitForFirstConsumer storage class it stays Pending (Progressing to Argo CD) until a pod uses it,
 * so an earlier wave would never end (argoproj/argo-cd#12840).
 */
export const SYNC_WAVES: Readonly<Record<string, string>> = {
  // The applier's own rights (ApplierRbac, by its label; Argo CD moves the Namespace of a Role
  // into the Role's wave by itself), before anything they are needed for.
  ApplierRbac: '-3',
  Namespace: '-2',
  Secret: '-1',
  ExternalSecret: '-1',
  SealedSecret: '-1',
  Job: '1',
  Config: '2',
  // With the Config: the pruner prunes the registry the Config describes.
  ImagePruner: '2',
};
const DEFAULT_WAVE = '0';

/**
 * Annotations for one object, by its kind: for Argo CD, Flux, or both (the default). Each tool's
 * protections are complete on their own: a claim, a namespace and the adopted objects are never
 * pruned or deleted by the tool chosen, adopted objects are applied server-side, Jobs are
 * replaced, and Argo CD's waves order the sync.
 */
export function gitOpsAnnotations(object: TypedObject, tools: GitOpsTools = GitOpsTools.BOTH): Record<string, string> {
  checkGitOpsTools('tools', tools);
  const all = annotationsForBoth(object);
  if (tools === GitOpsTools.BOTH) return all;
  return Object.fromEntries(Object.entries(all).filter(([key]) => key.startsWith(PREFIXES[tools])));
}

function annotationsForBoth(object: TypedObject): Record<string, string> {
  const annotations: Record<string, string> = { [ARGO_WAVE]: syncWave(object) };
  if (object.kind === 'PersistentVolumeClaim' || isNamespace(object)) {
    // A claim holds images: a rename or a removed config must never prune or delete it. Nor its
    // namespace (MinIO's): deleting a namespace deletes every claim in it, whatever the claim's
    // own annotations say.
    annotations[ARGO_SYNC_OPTIONS] = 'Prune=false,Delete=false';
    annotations[FLUX_PRUNE] = 'disabled';
  }
  if (isAdopted(object)) {
    // Applied as the partial objects they are, server-side, and never pruned or deleted.
    annotations[ARGO_SYNC_OPTIONS] = 'ServerSideApply=true,Prune=false,Delete=false';
    annotations[`${PREFIXES.flux}ssa`] = 'merge';
    annotations[FLUX_PRUNE] = 'disabled';
  }
  if (object.kind === 'Job') {
    // A Job's pod template is immutable: recreate the Job when it changes instead of failing the sync.
    annotations[ARGO_SYNC_OPTIONS] = 'Force=true,Replace=true';
    annotations[`${PREFIXES.flux}force`] = 'enabled';
  }
  return annotations;
}

/**
 * Objects the cluster always has, which the output only adopts and writes some fields of:
 * - the registry `Config` and `ImagePruner` `cluster`: the operator creates them at install and
 *   writes into the Config's spec; deleting `cluster` is not how to remove the registry, and a
 *   deleted one is recreated by the operator with its defaults at once;
 * - the image config `images.config.openshift.io/cluster`: the cluster's image policy, shared with
 *   other teams, whose status the registry operator writes.
 */
export function isAdopted(object: TypedObject): boolean {
  return ((object.kind === 'Config' || object.kind === 'ImagePruner') && object.apiVersion.startsWith('imageregistry.operator.openshift.io/'))
    || (object.kind === 'Image' && object.apiVersion.startsWith('config.openshift.io/'));
}

/** Whether the object is part of ApplierRbac (by its label). */
export function isApplierRbac(object: TypedObject): boolean {
  return Object.entries(APPLIER_RBAC_LABEL).every(([k, v]) => object.metadata?.labels?.[k] === v);
}

function isNamespace(object: TypedObject): boolean {
  return object.kind === 'Namespace' && object.apiVersion === 'v1';
}

/** Which GitOps tools keep an object in the cluster when it leaves the output. */
export interface PruneProtection {
  /** Argo CD: sync option `Prune=false`. */
  readonly argocd: boolean;
  /** Flux: `kustomize.toolkit.fluxcd.io/prune: disabled`. */
  readonly flux: boolean;
}

/**
 * Whether Argo CD and Flux leave an object in the cluster when it leaves the output, read from
 * its metadata as those tools read it: Argo CD splits `argocd.argoproj.io/sync-options` at commas
 * and compares each trimmed item exactly (gitops-engine `pkg/sync/resource/annotations.go`
 * HasAnnotationOption; `pkg/sync/sync_context.go` pruneObject skips `Prune=false`); Flux skips an
 * object whose label or annotation `kustomize.toolkit.fluxcd.io/prune` is `disabled`, in any case
 * (kustomize-controller's prune exclusions, matched by fluxcd/pkg `ssa/utils/meta.go` AnyInMetadata).
 */
export function pruneProtection(metadata: { readonly labels?: unknown; readonly annotations?: unknown } | undefined): PruneProtection {
  const annotations = stringMap(metadata?.annotations);
  const labels = stringMap(metadata?.labels);
  const options = (annotations[ARGO_SYNC_OPTIONS] ?? '').split(',').map((o) => o.trim());
  const disabled = (value: string | undefined) => value !== undefined && value.toLowerCase() === 'disabled';
  return { argocd: options.includes('Prune=false'), flux: disabled(annotations[FLUX_PRUNE]) || disabled(labels[FLUX_PRUNE]) };
}

function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function syncWave(object: TypedObject): string {
  // The registry's claim is mounted by the pods the operator makes from the Config; others (MinIO's)
  // by a Deployment in the default wave.
  if (object.kind === 'PersistentVolumeClaim' && object.metadata?.namespace === REGISTRY_NAMESPACE) return SYNC_WAVES.Config;
  if (isApplierRbac(object)) return SYNC_WAVES.ApplierRbac;
  return SYNC_WAVES[object.kind] ?? DEFAULT_WAVE;
}

export interface GitOpsAnnotationOptions {
  /**
   * The tools that apply the output: only their annotations are written.
   * @default GitOpsTools.BOTH
   */
  readonly tools?: GitOpsTools;
}

/**
 * Adds the GitOps annotations to every API object in `scope` (a chart, or a whole app). Call it
 * once, after the constructs are made: `addGitOpsAnnotations(app)` before `app.synth()`.
 */
export function addGitOpsAnnotations(scope: IConstruct, options: GitOpsAnnotationOptions = {}): void {
  for (const object of scope.node.findAll().filter(ApiObject.isApiObject)) {
    const typed = { apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata.toJson() };
    for (const [key, value] of Object.entries(gitOpsAnnotations(typed, options.tools))) object.metadata.addAnnotation(key, value);
  }
}
