// Repository and tag names come from the registry and go into request paths: only names the
// distribution spec allows are used, so `../../x`, `a?b` or `a%2fb` cannot lead a request out of
// /v2/<name>/; each path segment is encoded anyway.
import { DiscoverError } from './http';
import { msg } from './messages';

// The spec's path component is [a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*; `-+` instead of `[-]*` is
// the same language without the nested `+` that makes JS regexes backtrack exponentially.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^\w[\w.-]{0,127}$/;

/** distribution's limit for a whole name. */
const MAX_REPOSITORY_LENGTH = 255;

export function isRepositoryName(name: string): boolean {
  return name.length <= MAX_REPOSITORY_LENGTH && REPOSITORY.test(name);
}

export function isTagName(tag: string): boolean {
  return TAG.test(tag);
}

// The digest grammar of the OCI image spec for its registered algorithms (image-spec
// descriptor.md, "Registered algorithms": sha256 is 64 lowercase hex, sha512 128). The spec lets
// unregistered algorithms that fit its general grammar pass; discover prints digests to pull by,
// so it keeps to the two that registries and clients implement.
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/** A digest discover prints: `sha256:` + 64 lowercase hex, or `sha512:` + 128. */
export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/** `/v2/<name>/<rest...>` with every segment encoded; `name` must be a valid repository name. */
export function apiPath(repository: string, ...rest: string[]): string {
  if (!isRepositoryName(repository)) throw new DiscoverError(msg`not a repository name: ${repository}`); // callers filter first
  return `/v2/${[...repository.split('/'), ...rest].map(encodeURIComponent).join('/')}`;
}
