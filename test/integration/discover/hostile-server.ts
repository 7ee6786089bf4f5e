// Hostile registries for the discover tests: small node:http(s) servers on 127.0.0.1 that answer
// what the test says, and record every request they get (to prove what discover did not send).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Recorded {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  /** The Host header. */
  readonly host: string;
  readonly authorization?: string;
}

export interface HostileServer {
  /** `http://127.0.0.1:PORT` (or https). */
  readonly url: string;
  readonly port: number;
  readonly requests: Recorded[];
}

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

/** A certificate for 127.0.0.1 (self-signed: pass `file` as --ca-file). */
export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
  readonly file: string;
}

export function makeCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir, stdio: 'ignore' });
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), file: join(dir, 'cert.pem') };
}

/** Servers started by `serve`, closed by `closeAll` (afterAll). */
const servers: Server[] = [];

export async function serve(handler: Handler, tls?: TestCertificate): Promise<HostileServer> {
  const requests: Recorded[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host ?? '', authorization: req.headers.authorization });
    handler(req, res, new URL(req.url ?? '/', 'http://x'));
  };
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, port, requests };
}

export function closeAll(): void {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
}

const API = { 'Docker-Distribution-Api-Version': 'registry/2.0' };

/** JSON with the registry API header. */
export function json(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { ...API, 'Content-Type': 'application/json', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * A registry: `/v2/` answers 200, a manifest HEAD answers a digest, the rest is `handler`'s (404
 * when it does not answer).
 */
export function registry(handler: Handler = () => undefined): Handler {
  return (req, res, url) => {
    if (url.pathname === '/v2/') return json(res, 200, {});
    if (req.method === 'HEAD' && /\/manifests\/[^/]+$/.test(url.pathname)) {
      res.writeHead(200, { ...API, 'Docker-Content-Digest': DIGEST }).end();
      return;
    }
    handler(req, res, url);
    if (!res.headersSent) json(res, 404, { errors: [{ code: 'NAME_UNKNOWN' }] });
  };
}

export const DIGEST = `sha256:${'ab'.repeat(32)}`;
