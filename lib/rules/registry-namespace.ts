// What the registry operator does to the namespace it owns, openshift-image-registry, and so to
// any other pod there. From OpenShift 4.22 the operator's manifests hold NetworkPolicy
// `default-deny-all` (podSelector {}, Ingress and Egress: manifests/08-default-deny-all-networkpolicy.yaml,
// on release-4.22 and later) and open traffic only for its own pods (07-image-registry-operator-
// networkpolicy.yaml, and the registry's and the pruner's policies in pkg/resource): any other pod
// there reaches neither the API server nor DNS unless a NetworkPolicy selects it and allows egress.
import { REGISTRY_NAMESPACE } from '../registry/constants';
import { OPENSHIFT_VERSIONS, OpenShiftVersion } from './openshift-version';
import { asList, asMap, asString, isMap, Obj } from './shapes';

/** The first OpenShift minor whose registry namespace denies all traffic by default. */
export const DEFAULT_DENY_FROM: OpenShiftVersion = '4.22';

/** True when pods in the registry's namespace are cut off by default on `version`. */
export function registryNamespaceDeniesTraffic(version: OpenShiftVersion): boolean {
  return OPENSHIFT_VERSIONS.indexOf(version) >= OPENSHIFT_VERSIONS.indexOf(DEFAULT_DENY_FROM);
}

/**
 * The NetworkPolicies among some objects that allow egress to the pods they select, in one
 * namespace (policies add up: one that allows is enough). Indexed by a label each one requires,
 * so that checking many pods against many policies costs what the matching candidates cost.
 */
export class EgressPolicies {
  /** Policies that require no particular label (an empty selector, or only expressions). */
  private readonly unindexed: Obj[] = [];
  /** The others, by one `key=value` of their matchLabels. */
  private readonly byLabel = new Map<string, Obj[]>();

  constructor(objects: readonly unknown[], namespace: string) {
    for (const policy of objects.filter(isMap)) {
      if (policy.kind !== 'NetworkPolicy' || !asString(policy.apiVersion)?.startsWith('networking.k8s.io/')) continue;
      if (asMap(policy.metadata).namespace !== namespace) continue;
      const spec = asMap(policy.spec);
      // policyTypes defaults to Ingress, plus Egress when egress rules are given (networking/v1 types.go).
      const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
      if (!types.includes('Egress') || asList(spec.egress).length === 0) continue;
      const selector = asMap(spec.podSelector);
      const required = Object.entries(asMap(selector.matchLabels))[0];
      if (!required) this.unindexed.push(selector);
      else {
        const key = labelKey(required[0], required[1]);
        const list = this.byLabel.get(key);
        if (list) list.push(selector);
        else this.byLabel.set(key, [selector]);
      }
    }
  }

  /** Whether one of the policies selects a pod with `labels`. */
  public allow(labels: Obj): boolean {
    if (this.unindexed.some((selector) => selects(selector, labels))) return true;
    return Object.entries(labels).some(([key, value]) => this.byLabel.get(labelKey(key, value))?.some((selector) => selects(selector, labels)));
  }
}

const labelKey = (key: string, value: unknown) => JSON.stringify([key, value]);

/** A label selector (matchLabels and matchExpressions) against labels; an empty one selects all. */
export function selects(selector: Obj, labels: Obj): boolean {
  const matchLabels = Object.entries(asMap(selector.matchLabels)).every(([key, value]) => labels[key] === value);
  return matchLabels && asList(selector.matchExpressions).map(asMap).every((expression) => {
    const key = asString(expression.key) ?? '';
    const values = asList(expression.values);
    const has = Object.hasOwn(labels, key);
    switch (expression.operator) {
      case 'In': return has && values.includes(labels[key]);
      case 'NotIn': return !has || !values.includes(labels[key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/**
 * A pod template in the registry's namespace with none of `policies` (of that namespace) letting it
 * out: the message, or undefined when it may talk (another namespace, an older version, a policy).
 */
export function registryNamespaceTrafficProblem(namespace: unknown, templateLabels: Obj, policies: EgressPolicies, version: OpenShiftVersion): string | undefined {
  if (namespace !== REGISTRY_NAMESPACE || !registryNamespaceDeniesTraffic(version)) return undefined;
  if (policies.allow(templateLabels)) return undefined;
  return `from OpenShift ${DEFAULT_DENY_FROM} (checked here for ${version}) the registry operator denies all traffic to and from the pods of ${REGISTRY_NAMESPACE} (NetworkPolicy default-deny-all) but its own: this pod reaches neither the API server nor DNS. Add a NetworkPolicy there that selects this pod's labels and allows the egress it needs, or run it in another namespace`;
}
