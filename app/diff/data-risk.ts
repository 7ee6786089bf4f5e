// What a change to dist/ does to data. In GitOps, an object that leaves dist/ is deleted from the
// cluster by the next sync (Argo CD with prune, Flux with prune: true), unless the object in the
// cluster carries the tools' prune protection; the object in the cluster carries the annotations
// of the dist/ it was last synced from, so that is what decides. A namespace takes every object in
// it along, claims included, whatever their own annotations say. Only the tools a cluster's output
// is written for (`gitops: argocd` or `flux`) count.
import { PruneProtection, pruneProtection } from '../../lib/gitops/gitops-annotations';

/** What a change does to data: deletes it, or leaves it behind on purpose. */
export interface DataRisk {
  /** True when a sync would delete data (images) or make the operator delete it. */
  readonly loss: boolean;
  readonly message: string;
}

/** An object as read from a file of dist/. */
export type ManifestObject = {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown; readonly labels?: unknown; readonly annotations?: unknown };
  readonly spec?: unknown;
} | null | undefined;

/** What the rest of the same cluster's change says about an object. */
export interface ClusterContext {
  /** The claims (`namespace/name`) the old dist/ has in a namespace. */
  claimsIn(namespace: string): string[];
  /** The Namespace object, when it leaves dist/ in this change. */
  removedNamespace(namespace: string): ManifestObject;
  /** The tools that apply the cluster's output (see `gitOpsToolsOf`). */
  readonly tools: GitOpsToolsApplying;
}

/** Which GitOps tools apply a cluster's output: each one's protection counts. */
export interface GitOpsToolsApplying {
  readonly argocd: boolean;
  readonly flux: boolean;
}

const TOOL_PREFIXES = { argocd: 'argocd.argoproj.io/', flux: 'kustomize.toolkit.fluxcd.io/' };

/**
 * The tools a cluster's output is written for, by the annotations its objects carry: synth with
 * `gitops: argocd` writes no Flux annotation anywhere, and `flux` no Argo CD one. Output that
 * carries neither (written by hand, or an empty cluster) may be applied by either.
 */
export function gitOpsToolsOf(objects: readonly ManifestObject[]): GitOpsToolsApplying {
  const keys = objects.flatMap((o) => [o?.metadata?.annotations, o?.metadata?.labels].flatMap((m) => (typeof m === 'object' && m !== null ? Object.keys(m) : [])));
  const argocd = keys.some((k) => k.startsWith(TOOL_PREFIXES.argocd));
  const flux = keys.some((k) => k.startsWith(TOOL_PREFIXES.flux));
  return argocd || flux ? { argocd, flux } : { argocd: true, flux: true };
}

/** What a change to one object does to data, or undefined when it touches none. */
export function dataRisk(before: ManifestObject, after: ManifestObject, context: ClusterContext): DataRisk | undefined {
  const object = after ?? before;
  if (isClaim(object) || isNamespace(object) || isRegistryConfig(object)) {
    const holder = holderRisk(before, after, context);
    if (holder || !isRegistryConfig(after)) return holder;
  }
  if (isRegistryConfig(after)) return configRisk(before, after);
  return undefined;
}

/** A claim or namespace that leaves dist/, or loses its protection. */
function holderRisk(before: ManifestObject, after: ManifestObject, context: ClusterContext): DataRisk | undefined {
  if (!before) return undefined;
  const { tools } = context;
  const namespace = isNamespace(before) ? String(before.metadata?.name) : undefined;
  const config = isRegistryConfig(before);
  const claims = namespace === undefined ? [] : context.claimsIn(namespace);
  const what = config
    ? 'the registry Config: its finalizer has the operator remove the registry and its storage when Managed, with every image, and the operator then makes a new Config with new, empty storage'
    : namespace === undefined
      ? 'the claim and every image in it'
      : `the namespace and every object in it${claims.length ? `, including ${plural(claims.length, 'claim')} ${claims.join(', ')} and the images in ${claims.length > 1 ? 'them' : 'it'}` : ''}`;
  const old = pruneProtection(before.metadata);
  const unprotected = (kept: PruneProtection) => (tools.argocd && !kept.argocd) || (tools.flux && !kept.flux);
  const deleters = [tools.argocd && !old.argocd && 'Argo CD (no Prune=false)', tools.flux && !old.flux && 'Flux (no kustomize.toolkit.fluxcd.io/prune: disabled)'].filter(Boolean);
  if (!after) {
    if (deleters.length) {
      return {
        loss: true,
        message: `leaves dist/ without prune protection: ${deleters.join(' and ')} will delete ${what}. `
          + 'To keep it, first sync a dist/ that still has it, written by this version (it marks claims, namespaces and the registry Config Prune=false), then remove it',
      };
    }
    if (config) return { loss: false, message: `leaves dist/ but stays in the cluster as last applied (${[tools.argocd && 'Prune=false', tools.flux && 'Flux prune: disabled'].filter(Boolean).join('; ')}); the operator keeps running the registry from it` };
    const home = namespace === undefined ? context.removedNamespace(String(before.metadata?.namespace)) : undefined;
    if (home && unprotected(pruneProtection(home.metadata))) {
      return { loss: true, message: `is deleted with its namespace ${String(before.metadata?.namespace)}, which leaves dist/ without prune protection, whatever the claim's own annotations say` };
    }
    const remove = namespace === undefined ? `oc delete pvc -n ${String(before.metadata?.namespace)} ${String(before.metadata?.name)}` : `oc delete namespace ${namespace}`;
    const protections = [tools.argocd && 'Prune=false', tools.flux && 'Flux prune: disabled'].filter(Boolean).join('; ');
    return {
      loss: false,
      message: `leaves dist/ but stays in the cluster with its data (${protections})${claims.length ? `, with ${claims.join(', ')}` : ''}; `
        + `nothing here uses it any more: delete it by hand (${remove}) once its images are copied or no longer needed`,
    };
  }
  const next = pruneProtection(after.metadata);
  const lostFor = (tool: keyof GitOpsToolsApplying) => old[tool] && !next[tool];
  const lost = [tools.argocd && lostFor('argocd') && 'Argo CD', tools.flux && lostFor('flux') && 'Flux'].filter(Boolean);
  if (lost.length) return { loss: true, message: `loses its prune protection for ${lost.join(' and ')}: once it leaves dist/, a sync deletes ${what}` };
  // The output is now written for the other tool only (gitops: argocd or flux).
  const dropped = [!tools.argocd && lostFor('argocd') && 'Argo CD', !tools.flux && lostFor('flux') && 'Flux'].filter(Boolean);
  if (dropped.length) {
    const kept = tools.argocd ? 'Argo CD' : 'Flux';
    return {
      loss: false,
      message: `keeps its prune protection for ${kept} only: this cluster's output is now written for ${kept} alone (gitops); if ${dropped.join(' and ')} applied it, a sync would delete ${what} once it leaves dist/`,
    };
  }
  return undefined;
}

/** The registry Config set to Removed: the operator deletes storage that is Managed. */
function configRisk(before: ManifestObject, after: ManifestObject): DataRisk | undefined {
  const state = (o: ManifestObject) => field(o?.spec, 'managementState');
  if (state(after) !== 'Removed' || state(before) === 'Removed') return undefined;
  const storage = field(after?.spec, 'storage');
  const storageState = field(storage, 'managementState');
  const where = describeStorage(storage);
  if (storageState === 'Unmanaged') {
    return { loss: false, message: `managementState becomes Removed: the operator deletes the registry; its storage (${where}) is Unmanaged and kept` };
  }
  return {
    loss: true,
    message: `managementState becomes Removed: the operator deletes the registry and then storage whose managementState is Managed: ${where}`
      + `${storageState === 'Managed' ? ' is Managed' : ' has no managementState here, so the value in the cluster decides (the operator writes Managed for storage it created)'}, `
      + 'and is deleted with every image (an S3 bucket is emptied first). Set registry.storage.<back end>.managementState: Unmanaged to keep it',
  };
}

function describeStorage(storage: unknown): string {
  const named: Record<string, [string, string]> = {
    pvc: ['claim', 'claim'], s3: ['bucket', 'bucket'], gcs: ['bucket', 'bucket'], ibmcos: ['bucket', 'bucket'],
    azure: ['container', 'container'], swift: ['container', 'container'],
  };
  for (const [key, [label, prop]] of Object.entries(named)) {
    const backEnd = field(storage, key);
    if (backEnd !== undefined) {
      const name = field(backEnd, prop);
      return `${key} ${label} ${typeof name === 'string' && name ? name : '(named by the operator)'}`;
    }
  }
  return 'the configured storage';
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function isClaim(o: ManifestObject): boolean {
  return o?.apiVersion === 'v1' && o.kind === 'PersistentVolumeClaim';
}

function isNamespace(o: ManifestObject): boolean {
  return o?.apiVersion === 'v1' && o.kind === 'Namespace';
}

function isRegistryConfig(o: ManifestObject): boolean {
  return typeof o?.apiVersion === 'string' && o.apiVersion.startsWith('imageregistry.operator.openshift.io/') && o.kind === 'Config';
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
