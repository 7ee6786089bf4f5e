import type * as Http from 'node:http';
import type { Agent as HttpAgent, ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type * as Https from 'node:https';
import type { Agent as HttpsAgent } from 'node:https';
import { escapeControl } from '../output/terminal-text';
import { msg } from './messages';

// Loaded by the first client: every command's start-up would otherwise load them (https and tls
// are some 10 ms), and only discover sends requests.
let httpModule: typeof Http | undefined;
let httpsModule: typeof Https | undefined;
const http = () => (httpModule ??= require('node:http') as typeof Http);
const https = () => (httpsModule ??= require('node:https') as typeof Https);

/**
 * A problem talking to a registry, with a message for people (no stack trace needed). Messages
 * are written with msg`...`, which escapes and redacts what they quote; the escaping here is a
 * second line for a message written without it.
 */
export class DiscoverError extends Error {
  constructor(message: string) {
    super(escapeControl(message));
    this.name = 'DiscoverError';
  }
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** 16 MiB per answer: a registry's answers (pages of names, tokens) are far smaller; a hostile body cannot fill the memory. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * 256 MiB for all the answers of a run: a catalog of a million repositories in pages of 100 is
 * some 50 MiB, and their tag lists as much again; page after page of distinct names cannot go on
 * for ever (10,000 pages of 16 MiB would be 160 GB).
 */
export const MAX_TOTAL_BYTES = 256 * 1024 * 1024;

/**
 * Two hours for a whole run: a registry of a million tags, one HEAD each, at 8 requests in flight
 * and 50 ms each, takes under two; a registry that answers slowly page after page stops here.
 */
export const MAX_RUN_MS = 2 * 60 * 60 * 1000;

export interface HttpOptions {
  /** PEM CA bundle to trust instead of the system's. */
  readonly ca?: string;
  /** Skip TLS verification. */
  readonly insecure?: boolean;
  /** Deadline of each request, from sending it to the last byte of the answer. */
  readonly timeoutMs: number;
  /** Connections kept open per host. */
  readonly maxSockets: number;
  /** Largest answer body accepted (default MAX_BODY_BYTES). */
  readonly maxBodyBytes?: number;
  /** Most bytes of all answers together (default MAX_TOTAL_BYTES). */
  readonly maxTotalBytes?: number;
  /** Deadline of all requests together, from the client's creation (default MAX_RUN_MS). */
  readonly runTimeoutMs?: number;
}

/** A keep-alive HTTP(S) client for one registry. It does not follow redirects (the caller decides). */
export class HttpClient {
  private readonly https: HttpsAgent;
  private readonly http: HttpAgent;
  /** When the run must be over (Date.now() time). */
  private readonly runDeadline: number;
  /** Bytes of all answers so far. */
  private received = 0;
  private closed = false;

  constructor(private readonly options: HttpOptions) {
    this.https = new (https().Agent)({ keepAlive: true, maxSockets: options.maxSockets, ca: options.ca, rejectUnauthorized: !options.insecure });
    this.http = new (http().Agent)({ keepAlive: true, maxSockets: options.maxSockets });
    this.runDeadline = Date.now() + (options.runTimeoutMs ?? MAX_RUN_MS);
  }

  public request(method: 'GET' | 'HEAD', url: URL, headers: Record<string, string>): Promise<HttpResponse> {
    const secure = url.protocol === 'https:';
    const what = `${method} ${url.pathname}`;
    const limit = this.options.maxBodyBytes ?? MAX_BODY_BYTES;
    const totalLimit = this.options.maxTotalBytes ?? MAX_TOTAL_BYTES;
    const runMs = this.options.runTimeoutMs ?? MAX_RUN_MS;
    // Requests queued when the run failed are not sent: the run is over.
    if (this.closed) return Promise.reject(new DiscoverError(msg`not sending ${what}: the run has ended`));
    const left = this.runDeadline - Date.now();
    const runOver = () => new DiscoverError(msg`the run did not finish within ${formatDuration(runMs)}, discover's limit for a whole run; stopped at ${what} to ${url.host}`);
    if (left <= 0) return Promise.reject(runOver());
    const tooMuchInAll = () => new DiscoverError(msg`${url.host} sent more than ${totalLimit / 1024 / 1024} MiB in all (at ${what}): discover stops there (a registry's whole listing is far smaller)`);
    if (this.received > totalLimit) return Promise.reject(tooMuchInAll());
    return new Promise((resolve, reject) => {
      let settled = false;
      let req: ClientRequest | undefined;
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        req?.destroy();
        reject(e instanceof DiscoverError ? e : networkError(url, e));
      };
      // A deadline for the whole exchange: a socket timeout would restart on every byte, so a
      // server trickling one byte at a time could hold a request forever.
      const deadline = left < this.options.timeoutMs
        ? setTimeout(() => fail(runOver()), left)
        : setTimeout(() => fail(new DiscoverError(msg`timed out after ${this.options.timeoutMs / 1000} s waiting for ${url.host} (${what})`)), this.options.timeoutMs);
      const tooLarge = () => new DiscoverError(msg`${url.host} sent more than ${limit / 1024 / 1024} MiB for ${what}: discover stops there (the answers of a registry's API are far smaller)`);
      const onResponse = (res: IncomingMessage) => {
        if (method !== 'HEAD' && Number(res.headers['content-length']) > limit) return fail(tooLarge());
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          this.received += c.length;
          if (size > limit) fail(tooLarge());
          else if (this.received > totalLimit) fail(tooMuchInAll());
          else chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', fail);
        res.on('close', () => { if (!res.complete) fail(new DiscoverError(msg`${url.host} closed the connection in the middle of the answer to ${what}`)); });
      };
      try {
        req = (secure ? https().request : http().request)(url, { method, headers, agent: secure ? this.https : this.http }, onResponse);
      } catch (e) {
        return fail(e as Error); // a header Node refuses to send
      }
      req.on('error', fail);
      req.end();
    });
  }

  public close(): void {
    this.closed = true;
    this.https.destroy();
    this.http.destroy();
  }
}

/** 7200000 -> `2 h`, 1500 -> `1.5 s`. */
function formatDuration(ms: number): string {
  return ms >= 3_600_000 && ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${ms / 1000} s`;
}

/** A network or TLS failure as one sentence that says what to do. */
function networkError(url: URL, error: Error & { code?: string }): DiscoverError {
  const host = url.host;
  switch (error.code) {
    case 'ECONNREFUSED': return new DiscoverError(msg`cannot connect to ${host}: connection refused (is the registry running, and is the port right?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return new DiscoverError(msg`cannot resolve ${url.hostname}: check the host name (oc get route default-route -n openshift-image-registry)`);
    case 'ECONNRESET': return new DiscoverError(msg`${host} closed the connection (is it serving ${url.protocol === 'https:' ? 'https' : 'plain http'} on this port?)`);
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER': return new DiscoverError(msg`TLS handshake with ${host} failed; if it serves plain HTTP, use http://${host}`);
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return new DiscoverError(msg`the TLS certificate of ${host} is not trusted (${error.code}: ${error.message}); pass --ca-file with the CA that signed it (for the default route: the ingress CA), or --insecure to skip the check`);
    default: return new DiscoverError(msg`request to ${host} failed: ${error.message.split('\n')[0]}`);
  }
}
