import { ValidationError } from './validation-error';
import { hasUrlCredentials } from './shapes';

// The key sets the operator accepts in Secret image-registry-private-configuration-user
// (`pkg/storage/swift/swift.go` GetConfig): one of them, each key non-empty.
/** A Keystone user name and password. */
export const SWIFT_PASSWORD_KEYS = ['REGISTRY_STORAGE_SWIFT_USERNAME', 'REGISTRY_STORAGE_SWIFT_PASSWORD'] as const;
/** A Keystone application credential: the operator requires its id, name and secret. */
export const SWIFT_APPLICATION_CREDENTIAL_KEYS = [
  'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME', 'REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET',
] as const;
/** A Keystone token (OpenShift 4.20 and later). */
export const SWIFT_TOKEN_KEYS = ['REGISTRY_STORAGE_SWIFT_TOKENID'] as const;

/** The Swift settings the credential rules look at (the typed import's names). */
export interface SwiftAuthSettings {
  readonly authUrl?: string;
  readonly authVersion?: string;
  readonly domain?: string;
  readonly domainId?: string;
}

/** Throws unless `name` is a Swift container name: 1 to 256 characters, no `/`. */
export function checkSwiftContainer(field: string, name: string): void {
  if (typeof name !== 'string' || !name.length || name.length > 256 || name.includes('/')) {
    throw new ValidationError(field, `${JSON.stringify(name)} is not a valid Swift container name: use 1 to 256 characters without '/'`);
  }
}

/**
 * Throws unless `url` is an http(s) URL whose path is empty or starts with the API version
 * (`pkg/storage/swift/swift.go` ensureAuthURLHasAPIVersion), matching `authVersion` when both say one.
 */
export function checkSwiftAuthUrl(field: string, url: string, authVersion?: string): void {
  // Not quoted: what is before the @ is a secret, and this value is written to dist/.
  if (typeof url === 'string' && hasUrlCredentials(url)) {
    throw new ValidationError(field, 'carries credentials (user:password@), which would be written to the output and committed; the registry reads them from the credentials Secret: remove them from the URL');
  }
  if (typeof url !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new ValidationError(field, `${JSON.stringify(url)} has no scheme, and the operator would assume http://; write https://${url} (or http:// for a plain-HTTP Keystone)`);
  }
  const parts = /^https?:\/\/[^/\s]+(\/\S*)?$/i.exec(url);
  if (!parts) throw new ValidationError(field, `${JSON.stringify(url)} must be http:// or https:// followed by a host, optional port and path`);
  const path = parts[1] ?? '';
  const version = /^\/v([123])/.exec(path)?.[1];
  if (path !== '' && path !== '/' && !version) {
    throw new ValidationError(field, `${JSON.stringify(url)} has path ${path}, which the operator refuses ("Incorrect Auth URL"); end the URL at the host, or at the API version (/v3)`);
  }
  if (version && authVersion !== undefined && version !== authVersion) {
    throw new ValidationError('authVersion', `is ${authVersion}, but authURL ${url} is the v${version} API; make them agree`);
  }
}

/**
 * Rules for credentials in the user's Secret (`keys`: the key set it holds, undefined when not
 * known). The operator reads the auth URL and domain from the cluster's clouds.yaml only when
 * that Secret does not exist; with it they come from spec alone. The operator's OpenStack client
 * (gophercloud) needs exactly one of domain and domainID for a user name on Keystone v3, and
 * refuses either with a token.
 */
export function checkSwiftCredentials(spec: SwiftAuthSettings, keys: readonly string[] | undefined): void {
  if (spec.authUrl === undefined) {
    throw new ValidationError('authURL', 'is required with credentials in Secret image-registry-private-configuration-user: the operator takes the auth URL from the cluster\'s clouds.yaml only when that Secret does not exist; set authURL, or leave out credentials to use the cluster\'s OpenStack credentials');
  }
  const domains = [spec.domain, spec.domainId].filter((value) => value !== undefined).length;
  if (keys?.[0] === SWIFT_PASSWORD_KEYS[0] && (spec.authVersion ?? '3') === '3' && domains !== 1) {
    throw new ValidationError(domains ? 'domainID' : 'domain', `${domains ? 'and domain are both set' : 'is required'}: a user name on Keystone v3 needs exactly one of domain and domainID (the user's domain); ${domains ? 'remove one' : 'set domain (e.g. Default) or domainID'}`);
  }
  if (keys?.[0] === SWIFT_TOKEN_KEYS[0] && domains) {
    throw new ValidationError(spec.domain === undefined ? 'domainID' : 'domain', 'is refused with a token (the token already names its scope); remove domain and domainID');
  }
}
