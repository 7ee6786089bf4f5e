// Real registries for the discover tests: Debian's docker-registry (CNCF distribution 2.8) on
// 127.0.0.1, and images pushed into them with Debian's skopeo from OCI layouts built here.
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, createSign, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, Server } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const TOOLS = ['docker-registry', 'skopeo', 'openssl', 'htpasswd'];

/** Tools missing on this machine (CI installs them with apt-get). */
export function missingTools(): string[] {
  return TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** A free port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A one-file tar archive (ustar), enough for an image layer. */
function tar(name: string, content: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${Buffer.byteLength(content).toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  const sum = [...header].reduce((a, b) => a + b, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(content) / 512) * 512);
  body.write(content);
  return Buffer.concat([header, body, Buffer.alloc(1024)]);
}

export interface OciImages {
  /** OCI layout folder; refs `single` (one platform) and `multi` (an index of two). */
  readonly layout: string;
  readonly singleDigest: string;
  readonly multiDigest: string;
}

/** Builds an OCI layout with a single-platform image and a multi-platform index. */
export function buildOciLayout(dir: string): OciImages {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const blob = (data: Buffer | string) => {
    const digest = sha256(data);
    writeFileSync(join(blobs, digest), data);
    return { digest: `sha256:${digest}`, size: Buffer.byteLength(data) };
  };
  const image = (arch: string) => {
    const layerTar = tar('hello.txt', `hello from ${arch}\n`);
    const layer = blob(gzipSync(layerTar));
    const config = blob(JSON.stringify({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layerTar)}`] }, config: {} }));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    });
    return { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...blob(manifest), platform: { architecture: arch, os: 'linux' } };
  };
  const single = image('amd64');
  const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [image('amd64'), image('arm64')] });
  const multi = { mediaType: 'application/vnd.oci.image.index.v1+json', ...blob(index) };
  writeFileSync(join(dir, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [
      { mediaType: single.mediaType, digest: single.digest, size: single.size, annotations: { 'org.opencontainers.image.ref.name': 'single' } },
      { ...multi, annotations: { 'org.opencontainers.image.ref.name': 'multi' } },
    ],
  }));
  return { layout: dir, singleDigest: single.digest, multiDigest: multi.digest };
}

export interface RegistryOptions {
  /** Serve TLS with a certificate from a CA made here. */
  readonly tls?: boolean;
  /** htpasswd Basic auth with this user and password. */
  readonly basic?: { user: string; password: string };
  /** Token auth: the registry sends clients to this token service, which also fronts the registry (url and host are its). */
  readonly token?: TokenService;
  /** `catalog: maxentries`: the largest catalog page (`n`) the registry allows. */
  readonly catalogMaxEntries?: number;
}

export interface RunningRegistry {
  readonly url: string;
  readonly host: string;
  /** PEM of the CA that signed the TLS certificate. */
  readonly caFile?: string;
  /** skopeo flags to push to it. */
  readonly skopeoFlags: string[];
  stop(): void;
}

/** Starts docker-registry on 127.0.0.1 and waits until it answers. */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = ['version: 0.1', 'log:', '  level: error', 'storage:', '  filesystem:', `    rootdirectory: ${dir}/data`, 'http:', `  addr: ${host}`];
  if (options.catalogMaxEntries !== undefined) lines.push('catalog:', `  maxentries: ${options.catalogMaxEntries}`);
  let caFile: string | undefined;
  if (options.tls) {
    const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=discover test CA']);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tls.key', '-out', 'tls.csr', '-subj', '/CN=127.0.0.1']);
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    openssl(['x509', '-req', '-in', 'tls.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tls.pem', '-days', '2', '-extfile', 'san.ext']);
    lines.push('  tls:', `    certificate: ${dir}/tls.pem`, `    key: ${dir}/tls.key`);
    caFile = join(dir, 'ca.pem');
  }
  if (options.basic) {
    execFileSync('htpasswd', ['-Bbc', join(dir, 'htpasswd'), options.basic.user, options.basic.password], { stdio: 'ignore' });
    lines.push('auth:', '  htpasswd:', '    realm: discover-test', `    path: ${dir}/htpasswd`);
  }
  if (options.token) {
    lines.push('auth:', '  token:', `    realm: ${options.token.realm}`, `    service: ${TOKEN_SERVICE}`, `    issuer: ${TOKEN_ISSUER}`, `    rootcertbundle: ${options.token.certFile}`);
  }
  writeFileSync(join(dir, 'config.yml'), lines.join('\n') + '\n');
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const url = `${options.tls ? 'https' : 'http'}://${host}`;
  for (let i = 0; ; i++) {
    const probe = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', ...(caFile ? ['--cacert', caFile] : []), `${url}/v2/`]);
    if (['200', '401'].includes(probe.stdout.toString())) break;
    if (i > 100 || child.exitCode !== null) throw new Error(`docker-registry did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const skopeoFlags = [caFile ? `--dest-cert-dir=${dir}/certs.d` : '--dest-tls-verify=false'];
  if (caFile) {
    mkdirSync(join(dir, 'certs.d'));
    writeFileSync(join(dir, 'certs.d', 'ca.crt'), readFileSync(caFile));
  }
  if (options.basic) skopeoFlags.push(`--dest-creds=${options.basic.user}:${options.basic.password}`);
  if (options.token) {
    skopeoFlags.push(`--dest-creds=unused:${options.token.password}`);
    options.token.forwardTo(url);
    return { url: options.token.url, host: new URL(options.token.url).host, caFile, skopeoFlags, stop: () => child.kill() };
  }
  return { url, host, caFile, skopeoFlags, stop: () => child.kill() };
}

/**
 * Pushes `ref` (single or multi) of the layout to each `repo:tag`, a few skopeo processes at a
 * time; the tags of one repository one after the other (parallel uploads of the same blobs to
 * one repository race in the registry). On a registry without TLS or credentials, a single-platform
 * image is pushed once with skopeo and given its other names through the registry's own API (see
 * `tagThroughApi`): a skopeo process for each of some 200 names took 10 s of CPU.
 */
export async function push(registry: RunningRegistry, images: OciImages, ref: 'single' | 'multi', targets: string[]): Promise<void> {
  const open = registry.url.startsWith('http://') && registry.skopeoFlags.length === 1;
  if (open && ref === 'single' && targets.length > 1) {
    await push(registry, images, ref, targets.slice(0, 1));
    await tagThroughApi(registry, targets[0], targets.slice(1));
    return;
  }
  const byRepository = new Map<string, string[]>();
  for (const target of targets) {
    const repository = target.split(':')[0];
    byRepository.set(repository, [...(byRepository.get(repository) ?? []), target]);
  }
  const queue = [...byRepository.values()];
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) for (const target of group) {
      await new Promise<void>((resolve, reject) => {
        const child = spawn('skopeo', ['copy', '-q', '--all', ...registry.skopeoFlags, `oci:${images.layout}:${ref}`, `docker://${registry.host}/${target}`], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => { err += d; });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`skopeo copy to ${target} failed: ${err}`))));
      });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/**
 * Gives the single-platform image at `source` (`repo:tag`) the names `targets`, as `skopeo copy`
 * does when the registry already holds its blobs: each blob mounted from the source repository
 * (POST .../blobs/uploads/?mount=&from=), then the same manifest bytes put under the new name.
 */
async function tagThroughApi(registry: RunningRegistry, source: string, targets: string[]): Promise<void> {
  const [from, tag] = source.split(':');
  const got = await fetch(`${registry.url}/v2/${from}/manifests/${tag}`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } });
  if (got.status !== 200) throw new Error(`GET manifest ${source}: ${got.status}`);
  const type = got.headers.get('content-type')!;
  const manifest = Buffer.from(await got.arrayBuffer());
  const { config, layers } = JSON.parse(manifest.toString('utf8')) as { config: { digest: string }; layers: { digest: string }[] };
  const expectStatus = async (response: Promise<Response>, status: number, what: string) => {
    const r = await response;
    if (r.status !== status) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  };
  // One repository's names one after the other, its blobs mounted once: concurrent mounts into one
  // repository race in the registry (a manifest put next refers to a blob it does not know yet).
  const byRepository = new Map<string, string[]>();
  for (const target of targets) {
    const [repository, name] = target.split(':');
    byRepository.set(repository, [...(byRepository.get(repository) ?? []), name]);
  }
  const queue = [...byRepository];
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      const [repository, names] = group;
      if (repository !== from) {
        for (const digest of [config.digest, ...layers.map((l) => l.digest)]) {
          await expectStatus(fetch(`${registry.url}/v2/${repository}/blobs/uploads/?mount=${digest}&from=${from}`, { method: 'POST' }), 201, `mount ${digest} into ${repository}`);
        }
      }
      for (const name of names) {
        await expectStatus(fetch(`${registry.url}/v2/${repository}/manifests/${name}`, { method: 'PUT', headers: { 'Content-Type': type }, body: manifest }), 201, `PUT manifest ${repository}:${name}`);
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

const TOKEN_SERVICE = 'discover-test-registry';
const TOKEN_ISSUER = 'discover-test-issuer';

export interface TokenService {
  /** `http://127.0.0.1:PORT/token`: on the origin of `url`, as discover requires. */
  readonly realm: string;
  /** The registry as clients see it: everything but /token goes on to the registry set with forwardTo. */
  readonly url: string;
  forwardTo(registryUrl: string): void;
  readonly certFile: string;
  /** The password (an "OpenShift token") the service accepts. */
  readonly password: string;
  /** Requests it has served. */
  readonly requests: string[];
  /** A token for the catalog and pulls of `repositories`, valid for `seconds` (negative: expired). */
  mint(seconds: number, repositories: string[]): string;
  stop(): void;
}

/**
 * The token service of the registry's standard token auth: checks Basic credentials (any user,
 * the password must be `password`) and signs a JWT for the scope asked for, with its key whose
 * self-signed certificate is the registry's root bundle (sent in the x5c header). It fronts the
 * registry on one origin, as OpenShift's registry serves /openshift/token itself: discover sends
 * credentials to no other origin.
 */
export async function startTokenService(): Promise<TokenService> {
  const dir = mkdtempSync(join(tmpdir(), 'token-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', '/CN=discover test token issuer'], { cwd: dir, stdio: 'ignore' });
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  const der = Buffer.from(readFileSync(join(dir, 'cert.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const password = `sha256~${randomUUID()}`;
  const requests: string[] = [];
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const sign = (access: object[], seconds: number) => {
    const now = Math.floor(Date.now() / 1000);
    const head = b64({ alg: 'RS256', typ: 'JWT', x5c: [der.toString('base64')] });
    const body = b64({ iss: TOKEN_ISSUER, sub: 'developer', aud: TOKEN_SERVICE, iat: now - 60, nbf: now - 60, exp: now + seconds, jti: randomUUID(), access });
    return `${head}.${body}.${createSign('RSA-SHA256').update(`${head}.${body}`).sign(key).toString('base64url')}`;
  };
  let upstream: string | undefined;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/token') {
      // The Host header stays: the registry builds its Links and Locations on the front's origin.
      const forwarded = request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forwarded.on('error', () => res.destroy());
      req.pipe(forwarded);
      return;
    }
    requests.push(req.url ?? '');
    const [, given] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
    if (given !== password) {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    const access = url.searchParams.getAll('scope').map((scope) => {
      const first = scope.indexOf(':');
      const last = scope.lastIndexOf(':');
      return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',') };
    });
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: sign(access, 300) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    url: `http://127.0.0.1:${port}`,
    forwardTo: (registryUrl) => { upstream = registryUrl; },
    certFile: join(dir, 'cert.pem'),
    password,
    requests,
    mint: (seconds, repositories) => sign([{ type: 'registry', name: 'catalog', actions: ['*'] }, ...repositories.map((name) => ({ type: 'repository', name, actions: ['pull'] }))], seconds),
    stop: () => { server.closeAllConnections(); server.close(); },
  };
}
