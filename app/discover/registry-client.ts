import { DiscoverError, HttpClient, HttpOptions, HttpResponse } from './http';
import { addSecret, msg, shorten, warnOnStderr } from './messages';
import { apiPath, isTagName } from './names';
import { onRegistry, realmUrl } from './origin';
import { nextPage, PageGuard } from './pagination';

/** How to authenticate to the registry. */
export type RegistryAuth =
  | { readonly kind: 'anonymous' }
  /** A bearer token sent as is (an OpenShift token from `oc whoami -t`). */
  | { readonly kind: 'bearer'; readonly token: string }
  /** A user name and password, for Basic auth or the token service. */
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

export interface RegistryClientOptions extends HttpOptions {
  /**
   * `https://host[:port]`, or `http://host[:port]` only when the user wrote `http://` (credentials
   * then go unencrypted, with a warning). Credentials go to this origin and nowhere else.
   */
  readonly baseUrl: URL;
  readonly auth: RegistryAuth;
  /** Pages of one list at most (default MAX_PAGES of pagination.ts). */
  readonly maxPages?: number;
  /** Where warnings go; default: a `warning: ...` line on stderr. */
  readonly warn?: (message: string) => void;
}

/** Media types of manifests whose digest a tag can point to, most specific first. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** Redirects followed for one request (on the registry's origin only). */
const MAX_REDIRECTS = 5;

/** What may go in an Authorization header: visible ASCII (no stray newline to inject headers). */
const HEADER_TOKEN = /^[\x21-\x7e]+$/;

/**
 * A client for the registry HTTP API v2 (the distribution spec): the credentials it was given,
 * and the standard token flow when the registry answers 401 with `WWW-Authenticate: Bearer`.
 * Requests stay on the registry's origin and under /v2/ (see origin.ts).
 */
export class RegistryClient {
  private readonly http: HttpClient;
  private readonly base: URL;
  /** Tokens from the token service, by scope. */
  private readonly tokens = new Map<string, Promise<string>>();
  /** Lists whose page size (`n`) the registry refused: asked for without it from then on. */
  private readonly sizeRefused = new Set<string>();
  private warnedPlainHttp = false;

  constructor(private readonly options: RegistryClientOptions) {
    const { baseUrl, auth } = options;
    if (baseUrl.protocol !== 'https:' && baseUrl.protocol !== 'http:') throw new DiscoverError(msg`the registry must be an http(s) URL, not ${baseUrl.protocol}`);
    this.base = new URL(baseUrl.origin);
    if (auth.kind === 'bearer' && !HEADER_TOKEN.test(auth.token)) {
      throw new DiscoverError('the token has characters that cannot go in an HTTP header (a space or a stray newline?)');
    }
    if (auth.kind === 'bearer') addSecret(auth.token, Buffer.from(`unused:${auth.token}`).toString('base64'));
    if (auth.kind === 'basic') addSecret(auth.password, Buffer.from(`${auth.username}:${auth.password}`).toString('base64'));
    this.http = new HttpClient(options);
  }

  public get host(): string {
    return this.base.host;
  }

  /** Checks that the host is a registry (GET /v2/) and that the credentials work. */
  public async ping(): Promise<void> {
    const res = await this.send('GET', new URL('/v2/', this.base));
    if (res.status !== 200 && !res.headers['docker-distribution-api-version']) {
      throw new DiscoverError(msg`${this.host} does not look like a container registry: GET /v2/ answered ${res.status} without a Docker-Distribution-Api-Version header`);
    }
    this.check(res, 'GET /v2/');
  }

  /** The names in the catalog, a page at a time, as sent (not checked against the name grammar). */
  public repositories(pageSize: number): AsyncGenerator<string[]> {
    return this.list('/v2/_catalog', 'repositories', pageSize);
  }

  /** The tags of a repository (a valid name), a page at a time, as sent. */
  public tags(repository: string, pageSize: number): AsyncGenerator<string[]> {
    return this.list(apiPath(repository, 'tags', 'list'), 'tags', pageSize);
  }

  /** The digest a tag points to, from a HEAD on the manifest, as sent (isDigest checks it). */
  public async digest(repository: string, tag: string): Promise<string> {
    if (!isTagName(tag)) throw new DiscoverError(msg`not a tag name: ${tag}`);
    const url = new URL(apiPath(repository, 'manifests', tag), this.base);
    const res = await this.send('HEAD', url, { Accept: MANIFEST_TYPES.join(', ') });
    this.check(res, `HEAD ${url.pathname}`);
    const digest = res.headers['docker-content-digest'];
    if (typeof digest !== 'string' || !digest) throw new DiscoverError(msg`${this.host} gave no Docker-Content-Digest for ${repository}:${tag}`);
    return digest;
  }

  public close(): void {
    this.http.close();
  }

  /** Every page of a list, following `Link: <...>; rel="next"` on the same list to its end. */
  private async *list(path: string, field: 'repositories' | 'tags', pageSize: number): AsyncGenerator<string[]> {
    let url: URL | undefined = new URL(path, this.base);
    if (!this.sizeRefused.has(field)) url.searchParams.set('n', String(pageSize));
    const guard = new PageGuard(this.base, this.options.maxPages);
    while (url) {
      guard.visit(url);
      let res = await this.send('GET', url);
      if (res.status === 400 && url.searchParams.has('n')) {
        // The registry caps page sizes (distribution's catalog.maxentries answers 400
        // PAGINATION_NUMBER_INVALID): without `n`, it sends pages of a size it allows.
        this.sizeRefused.add(field);
        url = new URL(url);
        url.searchParams.delete('n');
        res = await this.send('GET', url);
      }
      const what = `${url.pathname}${shorten(url.search)}`;
      this.check(res, `GET ${what}`);
      yield this.names(this.json(res, what), field, what);
      url = nextPage([res.headers.link ?? []].flat().join(', '), url, this.base);
    }
  }

  /** A request to the registry's API with credentials, following redirects on its origin only. */
  private async send(method: 'GET' | 'HEAD', url: URL, headers: Record<string, string> = {}): Promise<HttpResponse> {
    for (let hops = 0; ; hops++) {
      const res = await this.authorized(method, url, headers);
      const location = res.headers.location;
      if (res.status < 300 || res.status > 399 || !location) return res;
      if (hops === MAX_REDIRECTS) throw new DiscoverError(msg`${this.host} redirected ${method} ${url.pathname} more than ${MAX_REDIRECTS} times`);
      url = onRegistry(location, url, this.base, 'redirect');
    }
  }

  /** Sends with the given credentials; on a Bearer challenge, gets a token for its scope and retries. */
  private async authorized(method: 'GET' | 'HEAD', url: URL, headers: Record<string, string>): Promise<HttpResponse> {
    const first = await this.http.request(method, url, { ...headers, ...this.credentials(url, this.options.auth) });
    const challenge = first.status === 401 ? parseBearerChallenge(first.headers['www-authenticate']) : undefined;
    if (!challenge) return first;
    const token = await this.token(challenge);
    return this.http.request(method, url, { ...headers, Authorization: `Bearer ${token}` });
  }

  /** The Authorization header for `url`, on the registry's origin only (origin.ts checks every URL before; this is the last guard). */
  private credentials(url: URL, auth: RegistryAuth): Record<string, string> {
    if (auth.kind === 'anonymous') return {};
    if (url.origin !== this.base.origin) throw new DiscoverError(msg`not sending credentials to ${url.origin}: they go only to ${this.base.origin}`);
    if (url.protocol === 'http:' && !this.warnedPlainHttp) {
      this.warnedPlainHttp = true;
      this.warn(msg`credentials go over plain http to ${this.base.hostname} (--registry ${this.base.origin}): anyone on the network path can read them`);
    }
    return { Authorization: auth.kind === 'bearer' ? `Bearer ${auth.token}` : basicHeader(auth.username, auth.password) };
  }

  private warn(message: string): void {
    (this.options.warn ?? warnOnStderr)(message);
  }

  private token(challenge: BearerChallenge): Promise<string> {
    const key = `${challenge.realm} ${challenge.service ?? ''} ${challenge.scope ?? ''}`;
    if (!this.tokens.has(key)) {
      const promise = this.fetchToken(challenge);
      promise.catch(() => this.tokens.delete(key));
      this.tokens.set(key, promise);
    }
    return this.tokens.get(key)!;
  }

  /** A token from the token service; its redirects are not followed (they could lead the credentials anywhere). */
  private async fetchToken(challenge: BearerChallenge): Promise<string> {
    const url = realmUrl(challenge.realm, this.base);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    if (challenge.scope) url.searchParams.set('scope', challenge.scope);
    const auth = this.options.auth;
    // The token service takes Basic credentials; a bearer token goes in as the password (what
    // OpenShift's registry expects from `podman login -p $(oc whoami -t)`).
    const basic: RegistryAuth = auth.kind === 'bearer' ? { kind: 'basic', username: 'unused', password: auth.token } : auth;
    const res = await this.http.request('GET', url, this.credentials(url, basic));
    const service = `the token service ${url.origin}${url.pathname}`;
    if (res.status === 401 || res.status === 403) throw rejected(this.host, res.status);
    if (res.status !== 200) throw new DiscoverError(msg`${service} answered ${res.status}`);
    const body = this.json<{ token?: unknown; access_token?: unknown } | null>(res, url.pathname);
    const token = body?.token ?? body?.access_token;
    if (typeof token !== 'string' || !HEADER_TOKEN.test(token)) throw new DiscoverError(msg`${service} answered without a usable token`);
    addSecret(token);
    return token;
  }

  private check(res: HttpResponse, what: string): void {
    if (res.status === 401) throw rejected(this.host, 401);
    if (res.status === 403) throw new DiscoverError(msg`${this.host} refused ${what} (403): the user may not list this registry; on OpenShift it needs the registry-viewer role (oc adm policy add-cluster-role-to-user registry-viewer USER)`);
    if (res.status === 404) throw new DiscoverError(msg`${this.host} answered 404 for ${what}`);
    if (res.status < 200 || res.status >= 300) throw new DiscoverError(msg`${this.host} answered ${res.status} for ${what}`);
  }

  private json<T>(res: HttpResponse, what: string): T {
    // JSON.parse builds every level: 16 MiB of `[` cost some 1 GB before it failed.
    if (nestedDeeperThan(res.body, MAX_JSON_DEPTH)) throw new DiscoverError(msg`${this.host} sent JSON nested more than ${MAX_JSON_DEPTH} levels deep for ${what}: discover stops there (a registry's answers are 2 levels deep)`);
    try {
      return JSON.parse(res.body) as T;
    } catch (e) {
      throw new DiscoverError(msg`${this.host} sent malformed JSON for ${what}: ${(e as Error).message}`);
    }
  }

  /** `{"repositories": [...]}` or `{"tags": [...]}`: a list of strings; null or missing is empty. */
  private names(body: unknown, field: 'repositories' | 'tags', what: string): string[] {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DiscoverError(msg`${this.host} answered ${what} with JSON that is not an object`);
    // distribution sends "tags": null for a repository whose tags were all deleted.
    const list = (body as Record<string, unknown>)[field] ?? [];
    if (!Array.isArray(list) || !list.every((name) => typeof name === 'string')) {
      throw new DiscoverError(msg`${this.host} answered ${what} with "${field}" that is not a list of strings`);
    }
    return list;
  }
}

/** Deepest nesting of JSON discover reads; the registry's answers (`{"tags": [...]}`, `{"token": ...}`) have 2 levels. */
const MAX_JSON_DEPTH = 32;

/** Whether arrays and objects in `text` nest deeper than `max`: one pass, nothing built. Malformed JSON is left to JSON.parse. */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function rejected(host: string, status: number): DiscoverError {
  return new DiscoverError(msg`${host} rejected the credentials (${status}): the token is missing, wrong or expired; log in again with oc login and pass a fresh token (oc whoami -t), or check the user name and password`);
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

interface BearerChallenge {
  readonly realm: string;
  readonly service?: string;
  readonly scope?: string;
}

/** `Bearer realm="https://auth",service="registry",scope="repository:a:pull"` -> its parts. */
export function parseBearerChallenge(header: string | undefined): BearerChallenge | undefined {
  const match = header && /^\s*Bearer\s+(.*)$/i.exec(header);
  if (!match) return undefined;
  const params = Object.fromEntries([...match[1].matchAll(/([a-zA-Z]+)="([^"]*)"/g)].map((m) => [m[1].toLowerCase(), m[2]]));
  return params.realm ? { realm: params.realm, service: params.service, scope: params.scope } : undefined;
}
