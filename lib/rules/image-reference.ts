import { ValidationError } from './validation-error';

// A container image reference as the container runtime parses it: github.com/distribution/reference
// (regexp.go ReferenceRegexp, reference.go Parse), with the digest checked as
// github.com/opencontainers/go-digest does for the algorithms it knows. The API server accepts any
// non-empty image string; a malformed one only fails on the node (InvalidImageName), so it is
// refused here instead.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainNameComponent}(?:\\.${domainNameComponent})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const domainAndPort = `${host}(?::[0-9]+)?`;
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const tag = '[\\w][\\w.-]{0,127}';
// go-digest: sha256, sha384 and sha512, in lower-case hex of the algorithm's length.
const digest = '(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})';

/** `[registry[:port]/]path[:tag][@digest]`: the name, then an optional tag and digest. */
export const IMAGE_REFERENCE_PATTERN = `^(?:${domainAndPort}/)?(${remoteName})(?::${tag})?(?:@${digest})?$`;

/** reference.go RepositoryNameTotalLengthMax: the path (without registry) is at most 255 characters. */
export const IMAGE_PATH_MAX = 255;

const reference = new RegExp(IMAGE_REFERENCE_PATTERN);

/**
 * Throws unless `value` is an image reference a node can pull: `quay.io/org/name:tag`,
 * `mirror.example.com:5000/org/name@sha256:<64 hex>`, or both tag and digest.
 */
export function checkImageReference(field: string, value: string): void {
  const match = typeof value === 'string' ? reference.exec(value) : null;
  if (!match) {
    throw new ValidationError(field, `${JSON.stringify(value)} is not an image reference: use [registry[:port]/]path[:tag][@sha256:<64 hex digits>], with a lower-case path (e.g. quay.io/org/name:1.0, or a mirror's name@sha256:...)`);
  }
  // normalize.go ParseNormalizedNamed: a bare 64-hex name reads as an image ID, not a name.
  if (/^[a-f0-9]{64}$/.test(value)) {
    throw new ValidationError(field, `${JSON.stringify(value)} is an image ID, not a name: use name@sha256:${value}`);
  }
  if (match[1].length > IMAGE_PATH_MAX) {
    throw new ValidationError(field, `the image path ${JSON.stringify(match[1].slice(0, 40))}... is ${match[1].length} characters; the container runtime allows at most ${IMAGE_PATH_MAX}`);
  }
}
