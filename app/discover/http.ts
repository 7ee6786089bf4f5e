import { Agent as HttpAgent, request as httpRequest, IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** A problem talking to a registry, with a message for people (no stack trace needed). */
export class DiscoverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiscoverError';
  }
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface HttpOptions {
  /** PEM CA bundle to trust instead of the system's. */
  readonly ca?: string;
  /** Skip TLS verification. */
  readonly insecure?: boolean;
  /** Per-request timeout. */
  readonly timeoutMs: number;
  /** Connections kept open per host. */
  readonly maxSockets: number;
}

/** A keep-alive HTTP(S) client for one registry. */
export class HttpClient {
  private readonly https: HttpsAgent;
  private readonly http: HttpAgent;

  constructor(private readonly options: HttpOptions) {
    this.https = new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets, ca: options.ca, rejectUnauthorized: !options.insecure });
    this.http = new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets });
  }

  public request(method: 'GET' | 'HEAD', url: URL, headers: Record<string, string>): Promise<HttpResponse> {
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(url, { method, headers, agent: secure ? this.https : this.http }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => reject(networkError(url, e)));
      });
      req.setTimeout(this.options.timeoutMs, () => req.destroy(new DiscoverError(`timed out after ${this.options.timeoutMs / 1000} s waiting for ${url.host} (${method} ${url.pathname})`)));
      req.on('error', (e) => reject(e instanceof DiscoverError ? e : networkError(url, e)));
      req.end();
    });
  }

  public close(): void {
    this.https.destroy();
    this.http.destroy();
  }
}

/** A network or TLS failure as one sentence that says what to do. */
function networkError(url: URL, error: Error & { code?: string }): DiscoverError {
  const host = url.host;
  switch (error.code) {
    case 'ECONNREFUSED': return new DiscoverError(`cannot connect to ${host}: connection refused (is the registry running, and is the port right?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return new DiscoverError(`cannot resolve ${url.hostname}: check the host name (oc get route default-route -n openshift-image-registry)`);
    case 'ECONNRESET': return new DiscoverError(`${host} closed the connection (is it serving ${url.protocol === 'https:' ? 'https' : 'plain http'} on this port?)`);
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER': return new DiscoverError(`TLS handshake with ${host} failed; if it serves plain HTTP, use http://${host}`);
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return new DiscoverError(`the TLS certificate of ${host} is not trusted (${error.code}: ${error.message}); pass --ca-file with the CA that signed it (for the default route: the ingress CA), or --insecure to skip the check`);
    default: return new DiscoverError(`request to ${host} failed: ${error.message.split('\n')[0]}`);
  }
}
