// The rights a GitOps tool's service account needs to apply the output: computed from the objects
// themselves, so that they are exactly what the output needs, and a kind this table does not know
// is an error instead of a "forbidden" on the first sync.
import { ValidationError } from '../rules/validation-error';
import { gitOpsAnnotations, GitOpsTools, includesTool, isAdopted, isApplierRbac, pruneProtection } from './gitops-annotations';

/** An RBAC rule (`rbac.authorization.k8s.io/v1` PolicyRule). */
export interface PolicyRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly resourceNames?: string[];
  readonly verbs: string[];
}

/** An object of the output, as JSON. */
export interface OutputObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly rules?: readonly PolicyRule[];
  readonly roleRef?: { readonly kind: string; readonly name: string };
}

/** The rights: cluster-wide rules, and rules per namespace. */
export interface ApplierPermissions {
  readonly cluster: PolicyRule[];
  readonly namespaces: Readonly<Record<string, PolicyRule[]>>;
}

/**
 * Every kind this library writes, `Kind` (core group) or `Kind.group`, with its resource and
 * whether it is namespaced (the `spec.names.plural` and `spec.scope` of its CRD, or the
 * Kubernetes API's own). A kind missing here is an error when rights are computed.
 */
/** A kind's resource as the API names it, and its scope. */
export interface AppliedResource {
  readonly resource: string;
  readonly namespaced: boolean;
}

export const APPLIED_RESOURCES: Readonly<Record<string, AppliedResource>> = {
  'Namespace': { resource: 'namespaces', namespaced: false },
  'Secret': { resource: 'secrets', namespaced: true },
  'ConfigMap': { resource: 'configmaps', namespaced: true },
  'PersistentVolumeClaim': { resource: 'persistentvolumeclaims', namespaced: true },
  'Service': { resource: 'services', namespaced: true },
  'ServiceAccount': { resource: 'serviceaccounts', namespaced: true },
  'Deployment.apps': { resource: 'deployments', namespaced: true },
  'Job.batch': { resource: 'jobs', namespaced: true },
  'NetworkPolicy.networking.k8s.io': { resource: 'networkpolicies', namespaced: true },
  'ClusterRole.rbac.authorization.k8s.io': { resource: 'clusterroles', namespaced: false },
  'ClusterRoleBinding.rbac.authorization.k8s.io': { resource: 'clusterrolebindings', namespaced: false },
  'Role.rbac.authorization.k8s.io': { resource: 'roles', namespaced: true },
  'RoleBinding.rbac.authorization.k8s.io': { resource: 'rolebindings', namespaced: true },
  'Route.route.openshift.io': { resource: 'routes', namespaced: true },
  'ExternalSecret.external-secrets.io': { resource: 'externalsecrets', namespaced: true },
  'SealedSecret.bitnami.com': { resource: 'sealedsecrets', namespaced: true },
  'Config.imageregistry.operator.openshift.io': { resource: 'configs', namespaced: false },
  'ImagePruner.imageregistry.operator.openshift.io': { resource: 'imagepruners', namespaced: false },
  'Image.config.openshift.io': { resource: 'images', namespaced: false },
};

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** The API group of an apiVersion (`''` for the core group). */
export function apiGroup(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** The verbs the tools send for one object: `unnamed` for any name, `named` for its own name only. */
export interface ObjectVerbs {
  readonly unnamed: readonly string[];
  readonly named: readonly string[];
}

/**
 * What Argo CD and Flux send for an object, by how it is synced (its GitOps annotations):
 * - `get`, `list`, `watch`: both tools read and watch what they manage;
 * - `create` (any name: a create request carries none) and `patch`: a client-side apply creates or
 *   patches (kubectl apply, as Argo CD runs it); a server-side apply patches, and the API server
 *   also checks `create` when the object does not exist (k8s.io/apiserver
 *   `pkg/endpoints/handlers/patch.go`, createAuthorizerAttributes);
 * - adopted objects (the `cluster` objects the operator and the installer create, applied
 *   server-side and never pruned) only `patch`;
 * - `delete` when a sync may delete it: pruned when it leaves the output (gitops-engine
 *   `pkg/sync/sync_context.go` pruneObject, unless Prune=false; Flux unless prune: disabled), or
 *   replaced (a Job: Argo CD's `Replace=true` with `Force=true` runs `kubectl replace --force`, a
 *   delete and a create, gitops-engine `pkg/utils/kube/resource_ops.go`; Flux's force re-creates it);
 * - `update` for RBAC objects: Argo CD reconciles them with `kubectl auth reconcile` (updates, and
 *   re-creates a binding whose roleRef changed) before it applies them (resource_ops.go rbacReconcile).
 *   Flux sends no update: its server-side apply patches and deletes only (fluxcd/pkg
 *   `ssa/manager_apply.go`).
 * Only the tools in `tools` apply the objects, with the annotations written for them.
 */
export function applierVerbs(object: OutputObject, tools: GitOpsTools = GitOpsTools.BOTH): ObjectVerbs {
  const annotations = gitOpsAnnotations(object, tools);
  const kept = pruneProtection({ annotations });
  const replaced = /(^|,)\s*Replace=true\s*(,|$)/.test(annotations['argocd.argoproj.io/sync-options'] ?? '')
    || annotations['kustomize.toolkit.fluxcd.io/force'] === 'enabled';
  const adopted = isAdopted(object);
  const argocd = includesTool(tools, 'argocd');
  const named = ['patch'];
  if ((argocd && !kept.argocd) || (includesTool(tools, 'flux') && !kept.flux) || replaced) named.push('delete');
  if (argocd && apiGroup(object.apiVersion) === RBAC_GROUP) named.push('update');
  return { unnamed: ['get', 'list', 'watch', ...(adopted ? [] : ['create'])], named };
}

/** Permission atoms of one scope: `group\0resource` -> verbs for any name, and verbs for some names. */
type Grants = Map<string, { unnamed: Set<string>; named: Map<string, Set<string>> }>;

/**
 * The rights that applying `objects` takes: for each object, the verbs its sync sends on its kind
 * (cluster-wide for cluster-scoped kinds, in its namespace otherwise); and, since the API server
 * lets a service account grant only rights it holds (k8s `pkg/registry/rbac/validation` escalation
 * check), the rules of every ClusterRole (cluster-wide) and Role (in its namespace) among them, and
 * `bind` on a role a binding refers to that is not among them. ApplierRbac's own objects are left out.
 */
export function applierPermissions(objects: readonly OutputObject[], tools: GitOpsTools = GitOpsTools.BOTH, resources: Readonly<Record<string, AppliedResource>> = {}): ApplierPermissions {
  const scopes = new Map<string, Grants>();
  const grant = (namespace: string, group: string, resource: string, verbs: readonly string[], names?: readonly string[]) => {
    const grants = scopes.get(namespace) ?? scopes.set(namespace, new Map()).get(namespace)!;
    const key = `${group}\u0000${resource}`;
    const entry = grants.get(key) ?? grants.set(key, { unnamed: new Set(), named: new Map() }).get(key)!;
    for (const verb of verbs) {
      if (!names?.length) entry.unnamed.add(verb);
      else for (const name of names) (entry.named.get(verb) ?? entry.named.set(verb, new Set()).get(verb)!).add(name);
    }
  };
  const own = objects.filter((o) => !isApplierRbac(o));
  const roles = new Set(own.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole').map((o) => `${o.kind}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`));
  for (const object of own) {
    const group = apiGroup(object.apiVersion);
    const kindKey = group ? `${object.kind}.${group}` : object.kind;
    const known = Object.hasOwn(APPLIED_RESOURCES, kindKey) ? APPLIED_RESOURCES[kindKey] : Object.hasOwn(resources, kindKey) ? resources[kindKey] : undefined;
    if (!known) {
      throw new ValidationError('objects', `no rights are known for ${object.apiVersion} ${object.kind}: give its resource in the resources prop (resources: {'${kindKey}': {resource: '...', namespaced: ...}}), or, in this library, add it to APPLIED_RESOURCES in lib/gitops/applier-permissions.ts`);
    }
    const namespace = known.namespaced ? object.metadata.namespace ?? '' : '';
    if (known.namespaced && !namespace) throw new Error(`${object.apiVersion} ${object.kind} ${object.metadata.name} has no namespace`);
    const verbs = applierVerbs(object, tools);
    grant(namespace, group, known.resource, verbs.unnamed);
    grant(namespace, group, known.resource, verbs.named, [object.metadata.name ?? '']);
    // A Route that sets its host also takes `create` on routes/custom-host (openshift-apiserver's
    // route host allocation, library-go pkg/route/hostassignment AllocateHost).
    if (group === 'route.openshift.io' && object.kind === 'Route' && (object as { spec?: { host?: unknown } }).spec?.host) grant(namespace, group, 'routes/custom-host', ['create']);
    if (group !== RBAC_GROUP) continue;
    // To write a role, hold what it grants; to bind a role it does not write, `bind` on it.
    for (const rule of object.rules ?? []) {
      if (!rule.apiGroups?.length || !rule.resources?.length) throw new Error(`${object.kind} ${object.metadata.name}: a rule without apiGroups or resources (non-resource URLs) is not supported`);
      for (const ruleGroup of rule.apiGroups) for (const resource of rule.resources) grant(namespace, ruleGroup, resource, rule.verbs, rule.resourceNames);
    }
    const ref = object.roleRef;
    if (ref && !roles.has(`${ref.kind}\u0000${ref.kind === 'Role' ? namespace : ''}\u0000${ref.name}`)) {
      grant(namespace, RBAC_GROUP, ref.kind === 'Role' ? 'roles' : 'clusterroles', ['bind'], [ref.name]);
    }
  }
  const namespaces: Record<string, PolicyRule[]> = {};
  for (const namespace of [...scopes.keys()].filter(Boolean).sort()) namespaces[namespace] = toRules(scopes.get(namespace)!);
  return { cluster: toRules(scopes.get('') ?? new Map()), namespaces };
}

/** Fewest rules for the atoms, exactly: rules that differ only in resources are merged. */
function toRules(grants: Grants): PolicyRule[] {
  const rules = new Map<string, { group: string; resources: string[]; names?: string[]; verbs: string[] }>();
  const add = (group: string, resource: string, verbs: string[], names?: string[]) => {
    const key = JSON.stringify([group, verbs, names ?? []]);
    const rule = rules.get(key) ?? rules.set(key, { group, resources: [], names, verbs }).get(key)!;
    rule.resources.push(resource);
  };
  for (const [key, { unnamed, named }] of [...grants].sort(([a], [b]) => compare(a, b))) {
    const [group, resource] = key.split('\u0000');
    if (unnamed.size) add(group, resource, [...unnamed].sort());
    // Named verbs that no unnamed verb already covers, grouped by the names they take.
    const byNames = new Map<string, string[]>();
    for (const [verb, names] of named) {
      if (unnamed.has(verb)) continue;
      const list = JSON.stringify([...names].sort());
      byNames.set(list, [...(byNames.get(list) ?? []), verb]);
    }
    for (const [names, verbs] of byNames) add(group, resource, verbs.sort(), JSON.parse(names));
  }
  return [...rules.values()]
    .map(({ group, resources, names, verbs }) => ({ apiGroups: [group], resources: resources.sort(), ...(names ? { resourceNames: names } : {}), verbs }))
    .sort((a, b) => compare(JSON.stringify([a.apiGroups, a.resources, a.resourceNames ?? []]), JSON.stringify([b.apiGroups, b.resources, b.resourceNames ?? []])));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
