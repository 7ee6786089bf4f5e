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

/** `/v2/<name>/<rest...>` with every segment encoded; `name` must be a valid repository name. */
export function apiPath(repository: string, ...rest: string[]): string {
  if (!isRepositoryName(repository)) throw new DiscoverError(msg`not a repository name: ${repository}`); // callers filter first
  return `/v2/${[...repository.split('/'), ...rest].map(encodeURIComponent).join('/')}`;
}
