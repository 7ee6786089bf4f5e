import { mkdtempSync } from 'node:fs';
import { createServer, RequestListener, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discover, globMatcher } from '../../../app/discover/discover';
import { nextLink } from '../../../app/discover/pagination';
import { RegistryClient, RegistryClientOptions, parseBearerChallenge } from '../../../app/discover/registry-client';
import { buildOciLayout, missingTools, OciImages, push, RunningRegistry, startRegistry, startTokenService, TokenService } from './registry-fixture';
import { cli } from './run-cli';

const missing = missingTools();
if (missing.length) {
  // Loud on a developer machine; under CI the tools are installed by .ci/install-tools and must be there.
  console.error(`\n*** discover tests: ${missing.join(', ')} not installed (apt-get install docker-registry skopeo openssl apache2-utils) ***\n`);
}
const run = missing.length && !process.env.CI ? describe.skip : describe;
// Tests that run the CLI wait for a node process or two; on a loaded machine that takes seconds.
jest.setTimeout(30_000);

/** Credentials over plain http (the registry was asked for with http://): one warning, once. */
const plainHttpWarning = (registry: RunningRegistry) =>
  `warning: credentials go over plain http to 127.0.0.1 (--registry ${registry.url}): anyone on the network path can read them\n`;

const client = (registry: RunningRegistry, extra: Partial<RegistryClientOptions> = {}) => new RegistryClient({
  baseUrl: new URL(registry.url), auth: { kind: 'anonymous' }, ca: undefined, timeoutMs: 10_000, maxSockets: 8, ...extra,
});

test('helpers: Link header, Bearer challenge, globs', () => {
  expect(nextLink('</v2/_catalog?last=a%2Fb&n=100>; rel="next"')).toBe('/v2/_catalog?last=a%2Fb&n=100');
  expect(nextLink(undefined)).toBeUndefined();
  expect(parseBearerChallenge('Bearer realm="https://auth.example.com/token",service="registry",scope="repository:a/b:pull"'))
    .toEqual({ realm: 'https://auth.example.com/token', service: 'registry', scope: 'repository:a/b:pull' });
  expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
});

test('globs: * and ? within a path segment, ** across, everything else literal, the whole name', () => {
  const cases: [string, string, boolean][] = [
    ['openshift/*', 'openshift/python', true],
    ['openshift/*', 'openshift/a/b', false],
    ['openshift/*', 'openshift/', true],
    ['**/python', 'a/b/python', true],
    ['**/python', 'python', false],
    ['**python', 'python', true],
    ['multi/**', 'multi/arch', true],
    ['team-?/app', 'team-3/app', true],
    ['team-?/app', 'team-/app', false],
    ['a?b', 'a/b', false],
    ['a.b', 'axb', false],
    ['a.b', 'a.b', true],
    ['a+b|c(d)[e]{2}^$\\', 'a+b|c(d)[e]{2}^$\\', true],
    ['app', 'team/app', false],
    ['team', 'team/app', false],
    ['**a**a**a**b', `${'a'.repeat(200)}b`, true],
    ['**a**a**a**b', 'a'.repeat(200), false],
  ];
  for (const [glob, name, expected] of cases) expect([glob, name, globMatcher(glob)(name)]).toEqual([glob, name, expected]);
});

run('against a real registry (docker-registry 2.8, images pushed with skopeo)', () => {
  let images: OciImages;
  let plain: RunningRegistry;
  let secure: RunningRegistry;
  let tokenRegistry: RunningRegistry;
  let tokens: TokenService;
  const repositories = Array.from({ length: 105 }, (_, i) => `team-${String(i % 7)}/app-${String(i).padStart(3, '0')}`);
  const manyTags = Array.from({ length: 110 }, (_, i) => `v1.${i}`);

  beforeAll(async () => {
    images = buildOciLayout(mkdtempSync(join(tmpdir(), 'oci-')));
    [plain, secure, tokens] = await Promise.all([startRegistry(), startRegistry({ tls: true, basic: { user: 'developer', password: 's3cret' } }), startTokenService()]);
    tokenRegistry = await startRegistry({ token: tokens });
    await push(plain, images, 'single', [...repositories.map((r) => `${r}:latest`), ...manyTags.map((t) => `big/app:${t}`)]);
    await push(plain, images, 'multi', ['multi/arch:1.0', 'multi/arch:latest']);
    await push(secure, images, 'multi', ['openshift/python:3.12', 'openshift/python:latest', 'openshift/nodejs:20']);
    await push(tokenRegistry, images, 'single', ['private/app:v1', 'private/app:v2']);
  }, 120_000);

  afterAll(() => {
    for (const r of [plain, secure, tokenRegistry]) r?.stop();
    tokens?.stop();
  });

  test('lists every repository across catalog pages, every tag, and each digest', async () => {
    const c = client(plain);
    // 107 repositories in pages of 20: only following the Link header gets them all.
    const listings = await discover(c, { concurrency: 8, pageSize: 20 });
    c.close();
    expect(listings.map((l) => l.repository)).toEqual([...repositories, 'big/app', 'multi/arch'].sort());
    const big = listings.find((l) => l.repository === 'big/app')!;
    expect(big.tags.map((t) => t.tag)).toEqual([...manyTags].sort());
    expect(new Set(big.tags.map((t) => t.digest))).toEqual(new Set([images.singleDigest]));
  }, 60_000);

  test('the digest of a multi-platform image is its index, of a single-platform one its manifest', async () => {
    const c = client(plain);
    expect(await c.digest('multi/arch', 'latest')).toBe(images.multiDigest);
    expect(await c.digest('team-0/app-000', 'latest')).toBe(images.singleDigest);
    c.close();
  });

  test('repository patterns filter the listing', async () => {
    const c = client(plain);
    const listings = await discover(c, { concurrency: 4, patterns: ['team-3/*', 'multi/**'] });
    c.close();
    expect(listings.map((l) => l.repository)).toEqual([...repositories.filter((r) => r.startsWith('team-3/')), 'multi/arch'].sort());
  });

  test('CLI: a table for people and JSON for scripts', async () => {
    const table = await cli(['--registry', plain.url, '--repository', 'multi/*']);
    expect(table.status).toBe(0);
    expect(table.stdout).toBe(`REPOSITORY  TAG     DIGEST\nmulti/arch  1.0     ${images.multiDigest}\nmulti/arch  latest  ${images.multiDigest}\n`);
    const json = await cli(['--registry', plain.url, '--repository', 'team-6/app-00*', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual([{ repository: 'team-6/app-006', tags: [{ tag: 'latest', digest: images.singleDigest }] }]);
  });

  describe('TLS and Basic auth', () => {
    test('verifies TLS with --ca-file and sends Basic credentials', async () => {
      const result = await cli(['--registry', secure.host, '--ca-file', secure.caFile!, '--username', 'developer'], { REGISTRY_PASSWORD: 's3cret' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout.split('\n').slice(1, -1).map((l) => l.split(/\s+/).slice(0, 2).join(':'))).toEqual(['openshift/nodejs:20', 'openshift/python:3.12', 'openshift/python:latest']);
    });

    test('the password can also come from --password', async () => {
      const result = await cli(['--registry', secure.host, '--ca-file', secure.caFile!, '--username', 'developer', '--password', 's3cret', '--format', 'json']);
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout).map((l: { repository: string }) => l.repository)).toEqual(['openshift/nodejs', 'openshift/python']);
    });

    test('refuses an untrusted certificate by default, with the fix in the message', async () => {
      const result = await cli(['--registry', secure.host, '--username', 'developer'], { REGISTRY_PASSWORD: 's3cret' });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^discover: the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(.*\); pass --ca-file/);
    });

    test('--insecure works, and warns', async () => {
      const result = await cli(['--registry', secure.host, '--insecure', '--username', 'developer'], { REGISTRY_PASSWORD: 's3cret' });
      expect(result.status).toBe(0);
      expect(result.stderr).toContain('warning: --insecure: the TLS certificate of');
    });

    test('a wrong password: a clear message, no stack trace', async () => {
      const result = await cli(['--registry', secure.host, '--ca-file', secure.caFile!, '--username', 'developer'], { REGISTRY_PASSWORD: 'wrong' });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^discover: 127\.0\.0\.1:\d+ rejected the credentials \(401\): the token is missing, wrong or expired; log in again with oc login/);
      expect(result.stderr).not.toContain('    at ');
    });
  });

  describe('token auth (401 with WWW-Authenticate: Bearer, then the token service)', () => {
    test('the challenge flow with the OpenShift token as password', async () => {
      const before = tokens.requests.length;
      const result = await cli(['--registry', tokenRegistry.url, '--format', 'json'], { REGISTRY_TOKEN: tokens.password });
      expect(result.stderr).toBe(plainHttpWarning(tokenRegistry));
      expect(JSON.parse(result.stdout).map((l: { repository: string; tags: { tag: string }[] }) => [l.repository, l.tags.map((t) => t.tag)])).toEqual([['private/app', ['v1', 'v2']]]);
      expect(tokens.requests.length).toBeGreaterThan(before);
      expect(tokens.requests.slice(before).some((r) => r.includes('scope=registry%3Acatalog%3A*'))).toBe(true);
    });

    test('a bearer token is sent as is: no trip to the token service', async () => {
      const before = tokens.requests.length;
      const result = await cli(['--registry', tokenRegistry.url, '--token', tokens.mint(300, ['private/app'])]);
      expect(result.stderr).toBe(plainHttpWarning(tokenRegistry));
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('private/app  v2');
      expect(tokens.requests.length).toBe(before);
    });

    test('an expired token: "log in again"', async () => {
      const result = await cli(['--registry', tokenRegistry.url, '--token', tokens.mint(-60, ['private/app'])]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/rejected the credentials \(401\).*log in again with oc login/);
    });

    test('no credentials at all: refused with the same message', async () => {
      const result = await cli(['--registry', tokenRegistry.url]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('rejected the credentials');
    });
  });
});

describe('hosts that are not working registries', () => {
  const servers: Server[] = [];
  const serve = async (handler: RequestListener) => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  afterAll(() => servers.forEach((s) => { s.closeAllConnections(); s.close(); }));

  test('not a registry', async () => {
    const url = await serve((_, res) => res.writeHead(404).end('not found'));
    const result = await cli(['--registry', url]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/does not look like a container registry: GET \/v2\/ answered 404 without a Docker-Distribution-Api-Version header/);
  });

  test('malformed JSON', async () => {
    const url = await serve((req, res) => res.writeHead(200, { 'Docker-Distribution-Api-Version': 'registry/2.0' }).end(req.url === '/v2/' ? '{}' : '{"repositories": [oops'));
    const result = await cli(['--registry', url]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/sent malformed JSON for \/v2\/_catalog\?n=100/);
  });

  test('a timeout', async () => {
    const url = await serve(() => undefined);
    const result = await cli(['--registry', url, '--timeout', '0.5']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/timed out after 0\.5 s waiting for 127\.0\.0\.1:\d+ \(GET \/v2\/\)/);
  });

  test('connection refused, and bad usage', async () => {
    const refused = await cli(['--registry', 'http://127.0.0.1:9']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('connection refused');
    const usage = await cli(['--concurrency', '0', '--registry', 'x']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--concurrency must be a whole number from 1 to 64, got 0');
    expect((await cli([])).stderr).toContain('--registry is required');
  });
});
