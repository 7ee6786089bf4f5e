import { DiscoverError, HttpClient, HttpOptions, HttpResponse } from './http';

/** How to authenticate to the registry. */
export type RegistryAuth =
  | { readonly kind: 'anonymous' }
  /** A bearer token sent as is (an OpenShift token from `oc whoami -t`). */
  | { readonly kind: 'bearer'; readonly token: string }
  /** A user name and password, for Basic auth or the token service. */
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

export interface RegistryClientOptions extends HttpOptions {
  /** `https://host[:port]` or `http://host[:port]`. */
  readonly baseUrl: URL;
  readonly auth: RegistryAuth;
}

/** Media types of manifests whose digest a tag can point to, most specific first. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/**
 * A client for the registry HTTP API v2 (the distribution spec): the credentials it was given,
 * and the standard token flow when the registry answers 401 with `WWW-Authenticate: Bearer`.
 */
export class RegistryClient {
  private readonly http: HttpClient;
  /** Tokens from the token service, by scope. */
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(private readonly options: RegistryClientOptions) {
    this.http = new HttpClient(options);
  }

  public get host(): string {
    return this.options.baseUrl.host;
  }

  /** Checks that the host is a registry (GET /v2/) and that the credentials work. */
  public async ping(): Promise<void> {
    const res = await this.send('GET', '/v2/');
    if (res.status !== 200 && !res.headers['docker-distribution-api-version']) {
      throw new DiscoverError(`${this.host} does not look like a container registry: GET /v2/ answered ${res.status} without a Docker-Distribution-Api-Version header`);
    }
    this.check(res, 'GET /v2/');
  }

  /** Every page of a paginated list, following `Link: <...>; rel="next"` to the end. */
  public async *pages<T>(path: string, pageSize: number): AsyncGenerator<T> {
    let next: string | undefined = `${path}?n=${pageSize}`;
    while (next) {
      const res = await this.send('GET', next);
      this.check(res, `GET ${next}`);
      yield this.json<T>(res, next);
      next = nextLink([res.headers.link ?? []].flat().join(", "));
    }
  }

  /** The digest a tag points to, from a HEAD on the manifest. */
  public async digest(repository: string, tag: string): Promise<string> {
    const path = `/v2/${repository}/manifests/${encodeURIComponent(tag)}`;
    const res = await this.send('HEAD', path, { Accept: MANIFEST_TYPES.join(', ') });
    this.check(res, `HEAD ${path}`);
    const digest = res.headers['docker-content-digest'];
    if (typeof digest !== 'string' || !/^[a-z0-9]+:[a-f0-9]+$/.test(digest)) {
      throw new DiscoverError(`${this.host} gave no Docker-Content-Digest for ${repository}:${tag}`);
    }
    return digest;
  }

  public close(): void {
    this.http.close();
  }

  /** Sends with the given credentials; on a Bearer challenge, gets a token for its scope and retries. */
  private async send(method: 'GET' | 'HEAD', path: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const url = new URL(path, this.options.baseUrl);
    const auth = this.options.auth;
    const first = await this.http.request(method, url, { ...headers, ...credentialsHeader(auth) });
    const challenge = first.status === 401 ? parseBearerChallenge(first.headers['www-authenticate']) : undefined;
    if (!challenge) return first;
    const token = await this.token(challenge);
    return this.http.request(method, url, { ...headers, Authorization: `Bearer ${token}` });
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

  private async fetchToken(challenge: BearerChallenge): Promise<string> {
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    if (challenge.scope) url.searchParams.set('scope', challenge.scope);
    const auth = this.options.auth;
    // The token service takes Basic credentials; a bearer token goes in as the password (what
    // OpenShift's registry expects from `podman login -p $(oc whoami -t)`).
    const basic = auth.kind === 'basic' ? auth : auth.kind === 'bearer' ? { username: 'unused', password: auth.token } : undefined;
    const res = await this.http.request('GET', url, basic ? { Authorization: basicHeader(basic.username, basic.password) } : {});
    if (res.status === 401 || res.status === 403) throw rejected(this.host, res.status);
    if (res.status !== 200) throw new DiscoverError(`the token service ${url.origin}${url.pathname} answered ${res.status}`);
    const body = this.json<{ token?: string; access_token?: string }>(res, url.pathname);
    const token = body.token ?? body.access_token;
    if (!token) throw new DiscoverError(`the token service ${url.origin}${url.pathname} answered without a token`);
    return token;
  }

  private check(res: HttpResponse, what: string): void {
    if (res.status === 401) throw rejected(this.host, 401);
    if (res.status === 403) throw new DiscoverError(`${this.host} refused ${what} (403): the user may not list this registry; on OpenShift it needs the registry-viewer role (oc adm policy add-cluster-role-to-user registry-viewer USER)`);
    if (res.status === 404) throw new DiscoverError(`${this.host} answered 404 for ${what}`);
    if (res.status < 200 || res.status >= 300) throw new DiscoverError(`${this.host} answered ${res.status} for ${what}`);
  }

  private json<T>(res: HttpResponse, what: string): T {
    try {
      return JSON.parse(res.body) as T;
    } catch (e) {
      throw new DiscoverError(`${this.host} sent malformed JSON for ${what}: ${(e as Error).message}`);
    }
  }
}

function rejected(host: string, status: number): DiscoverError {
  return new DiscoverError(`${host} rejected the credentials (${status}): the token is missing, wrong or expired; log in again with oc login and pass a fresh token (oc whoami -t), or check the user name and password`);
}

function credentialsHeader(auth: RegistryAuth): Record<string, string> {
  if (auth.kind === 'bearer') return { Authorization: `Bearer ${auth.token}` };
  if (auth.kind === 'basic') return { Authorization: basicHeader(auth.username, auth.password) };
  return {};
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

/** The next page from a Link header (`</v2/_catalog?last=x&n=100>; rel="next"`). */
export function nextLink(header: string | undefined): string | undefined {
  const match = header && /<([^>]+)>\s*;\s*rel="?next"?/.exec(header);
  return match ? match[1] : undefined;
}
