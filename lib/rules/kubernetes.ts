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

/** Throws unless `value` is a valid DNS-1123 subdomain (the name of a PVC, Secret, Route, ...). */
export function checkDnsSubdomain(field: string, value: string): void {
  if (typeof value !== 'string' || value.length > DNS_SUBDOMAIN_MAX || !dnsSubdomain.test(value)) {
    throw new ValidationError(field, `${show(value)} is not a valid name: use at most ${DNS_SUBDOMAIN_MAX} lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`);
  }
}

/** Throws unless `value` is a valid DNS-1123 label (a namespace or cluster name). */
export function checkDnsLabel(field: string, value: string): void {
  if (typeof value !== 'string' || value.length > DNS_LABEL_MAX || !dnsLabel.test(value)) {
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
