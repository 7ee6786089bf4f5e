// What the API server validates is not always the manifest as written: an apply or merge patch is
// merged into the live object first, and nulls are read as "leave out" or "remove". These
// helpers turn a manifest into what can be known of the object the cluster will check.
import { asMap, asString, goTrimSpace, isMap, Obj } from '../../lib/rules/shapes';

/**
 * Groups whose objects named `cluster` the installer or an operator creates on every cluster
 * (the registry Config and ImagePruner, the cluster-wide `config.openshift.io` objects such as the
 * image config, and the `operator.openshift.io` operator configs). A manifest of one of them can
 * only ever update the live object.
 */
const CLUSTER_SINGLETON_GROUPS = ['imageregistry.operator.openshift.io', 'config.openshift.io', 'operator.openshift.io'];

/** True for an object the cluster always has: a manifest of it updates, it never creates. */
export function isClusterSingleton(object: Obj): boolean {
  const group = asString(object.apiVersion)?.split('/')[0];
  return asMap(object.metadata).name === 'cluster' && group !== undefined && CLUSTER_SINGLETON_GROUPS.includes(group)
    && (group !== 'imageregistry.operator.openshift.io' || object.kind === 'Config' || object.kind === 'ImagePruner');
}

/**
 * How the cluster takes a manifest:
 * - `merged`: into the live object, which keeps every field the manifest leaves out: an object
 *   the cluster always has (isClusterSingleton), applied by `oc apply`, server-side apply, Argo
 *   CD, Flux, a kustomize or ACM merge; a required field left out is not missing;
 * - `whole`: as the complete object: created, or replaced (`Replace=true` in Argo CD's sync
 *   options, ACM's `mustonlyhave`).
 */
export type Application = 'merged' | 'whole';

/** Argo CD's per-object sync options annotation (`Replace=true` replaces instead of applying). */
const ARGOCD_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

export function applicationOf(object: Obj, replaced = false): Application {
  const options = asString(asMap(asMap(object.metadata).annotations)[ARGOCD_SYNC_OPTIONS]) ?? '';
  if (replaced || options.split(',').some((o) => goTrimSpace(o) === 'Replace=true')) return 'whole';
  return isClusterSingleton(object) ? 'merged' : 'whole';
}

/**
 * The fields of a registry storage back end that name where its images are and that the operator
 * makes up anew when empty. Not the claim: an empty claim names the operator's own claim
 * `image-registry-storage`, the same one each time, and the docs ask for it with `claim:` left
 * blank (a null).
 */
const STORE_IDENTITY_FIELDS = ['bucket', 'container', 'accountName'];

/**
 * The fields of a registry Config merged into the live one (`oc apply`, Argo CD, a merge patch)
 * whose null removes where the images are: `spec`, `spec.storage`, a back end (unless another
 * takes its place), or a back end's bucket, container or account. With the field gone the
 * operator sets up new, empty storage: the platform's default store (none on bare metal:
 * StorageNotConfigured), or a bucket of a name it makes up
 * (`pkg/resource/generator.go` syncStorage, `pkg/storage/*` CreateStorage).
 */
export function storageRemovedByNull(object: Obj): string[] {
  if (object.kind !== 'Config' || !asString(object.apiVersion)?.startsWith('imageregistry.operator.openshift.io/') || applicationOf(withoutNulls(object)) !== 'merged') return [];
  if (object.spec === null) return ['spec'];
  const storage = asMap(object.spec).storage;
  if (storage === null) return ['spec.storage'];
  const backEnds = Object.entries(asMap(storage)).filter(([key]) => key !== 'managementState');
  // A null back end beside a new one is how a merge switches back ends: only the old one goes.
  const switching = backEnds.some(([, settings]) => settings !== null);
  return backEnds.flatMap(([backEnd, settings]) => {
    if (settings === null) return switching ? [] : [`spec.storage.${backEnd}`];
    return STORE_IDENTITY_FIELDS.filter((field) => isMap(settings) && settings[field] === null).map((field) => `spec.storage.${backEnd}.${field}`);
  });
}

/**
 * A registry Config with a null `storage.pvc.claim` as the operator reads it: an empty claim. The
 * null removes the field in a merge and is pruned on a create; either way the operator's Go struct
 * holds "" (its own claim `image-registry-storage`, pvc.go CreateStorage), not the live value that
 * a claim left out of a merged Config keeps. (ACM's musthave is the exception: there a null keeps
 * the live value, acm-policies.ts.)
 */
export function withNullClaimEmpty(object: Obj): Obj {
  if (object.kind !== 'Config' || !asString(object.apiVersion)?.startsWith('imageregistry.operator.openshift.io/')) return object;
  const spec = asMap(object.spec);
  const storage = asMap(spec.storage);
  const pvc = asMap(storage.pvc);
  if (!isMap(storage.pvc) || pvc.claim !== null) return object;
  return { ...object, spec: { ...spec, storage: { ...storage, pvc: { ...pvc, claim: '' } } } };
}

/**
 * The object with every map entry whose value is null left out, as the cluster reads it: the API
 * server prunes a null in a custom resource's field that is not nullable (and defaults it, if the
 * schema has a default), a null in a built-in kind's field is its zero value, and an apply or
 * merge patch reads a null as "remove this field". Nulls inside lists are kept: they are list
 * items, and the schema judges them. Returns `object` itself when it holds no null entry.
 */
export function withoutNulls<T>(object: T): T {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, i) => {
        const stripped = strip(item);
        if (stripped !== item) (copy ??= [...value])[i] = stripped;
      });
      return copy ?? value;
    }
    if (!isMap(value)) return value;
    let copy: Obj | undefined;
    for (const [key, child] of Object.entries(value)) {
      if (child === null) {
        copy ??= { ...value };
        delete copy[key];
        continue;
      }
      const stripped = strip(child);
      if (stripped !== child) (copy ??= { ...value })[key] = stripped;
    }
    return copy ?? value;
  };
  return strip(object) as T;
}

/**
 * True when a schema's "required" finding at `field` cannot hold for a merged object: the field
 * may come from the live object. Maps merge key by key; a list is replaced whole (or, for a
 * list-map, item by item from what the manifest gives), so inside a list item what the manifest
 * gives is the whole item.
 */
export function mayComeFromLiveObject(field: string): boolean {
  return !field.includes('[');
}
