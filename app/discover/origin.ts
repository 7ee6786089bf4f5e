// Where discover may send requests, and where credentials may go: the registry's origin (scheme,
// host and port, as the user gave them), nowhere else. Registry requests stay in its API (/v2/):
// a Link or redirect elsewhere could collect the token, or slip another registry's answers into
// the listing. The token service named in a Bearer challenge must be on that origin too: docker
// and podman send the credentials to any realm, which lets a registry (or whoever answers for it)
// send the user's OpenShift token to a host of its choosing. OpenShift's registry serves its token
// service on its own origin (openshift/image-registry, pkg/dockerregistry/server/configuration/
// configuration.go: the default realm is /openshift/token on the scheme and host of the request).
import { DiscoverError } from './http';
import { msg, shorten } from './messages';

/** The registry from --registry: `host[:port]` means https; plain http only when written as `http://`. */
export function registryUrl(input: string): URL {
  // A scheme (`https:`, `file:`), unless the colon starts a port (`host:5000`).
  const explicit = /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(input);
  let url: URL;
  try {
    url = new URL(explicit ? input : `https://${input}`);
  } catch {
    throw new DiscoverError('--registry must be host[:port] or an http:// or https:// URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DiscoverError(msg`--registry must be host[:port] or an http:// or https:// URL, not ${url.protocol}`);
  if (url.username || url.password) throw new DiscoverError('--registry must not carry a user name or password: use --username (password in $REGISTRY_PASSWORD) or --token');
  return new URL(url.origin);
}

/** `https://host:port`, or the scheme alone for URLs without an origin (`file:`). */
export function originOf(url: URL): string {
  return url.origin === 'null' ? url.protocol : url.origin;
}

/** Where a Link or redirect sent by the registry leads: only into its API on its origin. */
export function onRegistry(reference: string, from: URL, registry: URL, kind: 'Link' | 'redirect'): URL {
  let to: URL;
  try {
    to = new URL(reference, from);
  } catch {
    throw new DiscoverError(msg`${registry.host} sent a ${kind} that is not a URL (${shorten(reference)}) for ${from.pathname}`);
  }
  if (to.origin !== registry.origin) {
    throw new DiscoverError(msg`${registry.host} sent a ${kind} to another origin (${originOf(to)}) for ${from.pathname}; not followed: the credentials and the listing stay with ${registry.origin}`);
  }
  if (to.pathname !== '/v2' && !to.pathname.startsWith('/v2/')) throw new DiscoverError(msg`${registry.host} sent a ${kind} out of the registry API (${shorten(to.pathname)}) for ${from.pathname}; not followed`);
  to.username = '';
  to.password = '';
  to.hash = '';
  return to;
}

/**
 * The token service from a Bearer challenge: an http(s) URL on the registry's origin. A realm
 * elsewhere is refused, with or without credentials: anonymous, the request would still go to a
 * URL the registry chose (a service on the user's network, say), and its "token" back to the registry.
 */
export function realmUrl(realm: string, registry: URL): URL {
  let url: URL | undefined;
  try {
    url = new URL(realm);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
    throw new DiscoverError(msg`${registry.host} names a token service (Bearer realm) that is not an http(s) URL: ${shorten(realm)}`);
  }
  if (url.origin !== registry.origin) {
    throw new DiscoverError(msg`${registry.host} names a token service on another origin (${url.origin}); not asked: credentials go only to the registry given with --registry (${registry.origin}), so a registry whose token service is elsewhere cannot be read`);
  }
  url.hash = '';
  return url;
}
