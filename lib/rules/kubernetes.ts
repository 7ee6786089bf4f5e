import { ValidationError } from './validation-error';

// Object names: RFC 1123 subdomain (most kinds) and label (namespaces, services, config names),
// as the API server checks them (k8s.io/apimachinery/pkg/util/validation).
export const DNS_SUBDOMAIN_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
export const DNS_SUBDOMAIN_MAX = 253;
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
export const DNS_LABEL_MAX = 63;

/**
 * A non-negative Kubernetes quantity (k8s.io/apimachinery/pkg/api/resource): a number with an
 * optional binary-SI, decimal-SI or exponent suffix. `100Gi`, `500m`, `1e3`; not `100GB`.
 */
export const QUANTITY_PATTERN = '^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][-+]?[0-9]+)?$';

const dnsSubdomain = new RegExp(DNS_SUBDOMAIN_PATTERN);
const dnsLabel = new RegExp(DNS_LABEL_PATTERN);
const quantity = new RegExp(QUANTITY_PATTERN);

const show = (value: unknown) => JSON.stringify(value);

/** Whether `value` is a DNS-1123 subdomain (the name of a PVC, Secret, Route, node, ...). */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= DNS_SUBDOMAIN_MAX && dnsSubdomain.test(value);
}

/** Whether `value` is a DNS-1123 label (a namespace's name). */
export function isDnsLabel(value: string): boolean {
  return value.length <= DNS_LABEL_MAX && dnsLabel.test(value);
}

/** Why `namespace` is not a namespace's name, or undefined. */
export function namespaceNameProblem(namespace: string): string | undefined {
  return isDnsLabel(namespace) ? undefined : `is not a namespace name: at most ${DNS_LABEL_MAX} lower-case letters, digits and '-', starting and ending with a letter or digit`;
}

/** Throws unless `value` is a valid DNS-1123 subdomain (the name of a PVC, Secret, Route, ...). */
export function checkDnsSubdomain(field: string, value: string): void {
  if (typeof value !== 'string' || !isDnsSubdomain(value)) {
    throw new ValidationError(field, `${show(value)} is not a valid name: use at most ${DNS_SUBDOMAIN_MAX} lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`);
  }
}

/** Throws unless `value` is a valid DNS-1123 label (a namespace or cluster name). */
export function checkDnsLabel(field: string, value: string): void {
  if (typeof value !== 'string' || !isDnsLabel(value)) {
    throw new ValidationError(field, `${show(value)} is not a valid name: use at most ${DNS_LABEL_MAX} lower-case letters, digits and '-', starting and ending with a letter or digit`);
  }
}

/** Throws unless `value` is a Kubernetes quantity; with `positive`, also rejects zero. */
export function checkQuantity(field: string, value: string, options: { positive?: boolean } = {}): void {
  if (typeof value !== 'string' || !quantity.test(value)) {
    throw new ValidationError(field, `${show(value)} is not a Kubernetes quantity: use a number with a binary suffix (Ki, Mi, Gi, Ti, Pi, Ei) or a decimal one (k, M, G, T, P, E), e.g. 100Gi`);
  }
  if (options.positive && !/[1-9]/.test(value.replace(/[eE].*$/, ''))) {
    throw new ValidationError(field, `${show(value)} must be greater than zero`);
  }
}

/** Throws unless `value` is a whole number >= `min`. */
export function checkWholeNumber(field: string, value: number, min = 0): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValidationError(field, `${show(value)} must be a whole number >= ${min}`);
  }
}

/** Throws unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(field: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) {
    throw new ValidationError(field, `${show(value)} is not allowed; use one of ${allowed.join(', ')}`);
  }
}

const SUFFIX: Record<string, number> = {
  '': 1, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
};

/** The value of a quantity (`500m` -> 0.5, `1Gi` -> 1073741824); undefined if it is not one. */
export function quantityValue(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !quantity.test(text)) return undefined;
  const [, number, suffix = ''] = /^([0-9.]+(?:[eE][-+]?[0-9]+)?)([a-zA-Z]*)$/.exec(text) ?? [];
  return number === undefined ? undefined : Number(number) * (SUFFIX[suffix] ?? 1);
}

const labelName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Why `key` is not a label key (an optional DNS subdomain prefix and `/`, then a name), or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > DNS_SUBDOMAIN_MAX || !dnsSubdomain.test(prefix))) return 'must have a prefix (before the /) that is a DNS subdomain (lower-case letters, digits, - and .)';
  if (name.length > 63 || !labelName.test(name)) return 'must be at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit (after an optional prefix/)';
  return undefined;
}

/** Why `value` is not a label value (empty, or at most 63 of letters, digits, -, _, .), or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  return value.length > 63 || !labelName.test(value) ? 'must be empty or at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit' : undefined;
}

/**
 * `value` for a container's `env` value, `command` or `args`, where the kubelet expands `$(NAME)`
 * to another variable's value and `$$` to `$` (kubernetes third_party/forked/golang/expansion,
 * expand.go): with every `$` doubled, the process sees `value` exactly as it is.
 */
export function escapeKubeletExpansion(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Kinds named by a path segment, not a DNS name (k8s.io/kubernetes pkg/apis/rbac/validation ValidateRBACName). */
const PATH_SEGMENT_NAMED_GROUPS = ['rbac.authorization.k8s.io'];

/**
 * Why the API server would refuse `metadata` of an object of `apiVersion` and `kind`, by field
 * (k8s.io/apimachinery pkg/api/validation ValidateObjectMeta and each kind's name rule):
 * a Namespace is named by a DNS label, a Service by a DNS-1035 label (a letter first), RBAC
 * objects by any path segment, the other built-in kinds and custom resources by a DNS subdomain
 * (apiextensions-apiserver customresource validator.go: NameIsDNSSubdomain); the kinds OpenShift's
 * own API servers serve (`*.openshift.io` groups that are not CRDs) are held to a path segment
 * only, the loosest rule, as their names are not checked here. The namespace is a DNS label,
 * label keys and annotation keys qualified names, label values label values.
 */
export function objectMetaProblems(apiVersion: string, kind: string, metadata: Record<string, unknown>): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const { name, namespace, labels, annotations } = metadata;
  if (typeof name === 'string') {
    const problem = nameProblem(group, kind, name);
    if (problem) problems.push({ field: 'metadata.name', message: `${show(name)} ${problem}` });
  }
  const namespaceProblem = typeof namespace === 'string' ? namespaceNameProblem(namespace) : undefined;
  if (namespaceProblem) problems.push({ field: 'metadata.namespace', message: `${show(namespace)} ${namespaceProblem}` });
  if (labels !== null && typeof labels === 'object' && !Array.isArray(labels)) {
    for (const [key, value] of Object.entries(labels)) {
      const keyProblem = labelKeyProblem(key);
      if (keyProblem) problems.push({ field: `metadata.labels.${key}`, message: `the label key ${keyProblem}` });
      const valueProblem = typeof value === 'string' ? labelValueProblem(value) : undefined;
      if (valueProblem) problems.push({ field: `metadata.labels.${key}`, message: `${show(value)} ${valueProblem}` });
    }
  }
  if (annotations !== null && typeof annotations === 'object' && !Array.isArray(annotations)) {
    for (const key of Object.keys(annotations)) {
      // ValidateAnnotations checks the key in lower case.
      const keyProblem = labelKeyProblem(key.toLowerCase());
      if (keyProblem) problems.push({ field: `metadata.annotations.${key}`, message: `the annotation key ${keyProblem}` });
    }
  }
  return problems;
}

function nameProblem(group: string, kind: string, name: string): string | undefined {
  if (PATH_SEGMENT_NAMED_GROUPS.includes(group) || group.endsWith('.openshift.io')) {
    return name === '.' || name === '..' || /[/%]/.test(name) ? `is not a valid ${kind} name: it may not be "." or ".." nor hold "/" or "%"` : undefined;
  }
  if (group === '' && kind === 'Namespace') {
    return name.length > DNS_LABEL_MAX || !dnsLabel.test(name) ? `is not a valid Namespace name: at most ${DNS_LABEL_MAX} lower-case letters, digits and '-', starting and ending with a letter or digit` : undefined;
  }
  if (group === '' && kind === 'Service') {
    return name.length > DNS_LABEL_MAX || !dns1035Label.test(name) ? `is not a valid Service name: at most ${DNS_LABEL_MAX} lower-case letters, digits and '-', starting with a letter and ending with a letter or digit` : undefined;
  }
  return name.length > DNS_SUBDOMAIN_MAX || !dnsSubdomain.test(name) ? `is not a valid ${kind} name: at most ${DNS_SUBDOMAIN_MAX} lower-case letters, digits, '-' and '.', starting and ending with a letter or digit` : undefined;
}
