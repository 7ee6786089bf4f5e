// discover against hostile registries: small servers on 127.0.0.1 that send Links and redirects
// elsewhere, loop, refuse page sizes, send control characters, trickle, flood or send odd JSON.
// Each describe is one class of defect; every test here failed before discover was hardened.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discover, formatTable } from '../../../app/discover/discover';
import { nestedDeeperThan, RegistryClient } from '../../../app/discover/registry-client';
import { closeAll, DIGEST, json, makeCertificate, registry, serve, TestCertificate } from './hostile-server';
import { buildOciLayout, missingTools, push, RunningRegistry, startRegistry } from './registry-fixture';
import { cli, CliResult } from './run-cli';

const TOKEN = 'tok-s3cret-never-printed';
const PASSWORD = 'pw-s3cret-never-printed';
/** What must never reach a terminal: control characters other than the newline ending a line. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

// Most tests run the CLI: a node process each, seconds on a loaded machine.
jest.setTimeout(30_000);
afterAll(closeAll);

/** Exit 1, nothing on stdout, one `discover: ` line matching `pattern` (besides warnings), no control characters, no secret. */
function expectError(result: CliResult, pattern: RegExp): void {
  const errors = result.stderr.split('\n').filter((line) => line && !line.startsWith('warning: '));
  expect(errors).toEqual([expect.stringMatching(/^discover: /)]);
  expect(errors[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(CONTROL);
  for (const secret of [TOKEN, PASSWORD, Buffer.from(`unused:${TOKEN}`).toString('base64')]) expect(result.stderr).not.toContain(secret);
  expect(result.stdout).toBe('');
  expect(result.status).toBe(1);
}

/** A catalog of `repositories` (one page), with these extra headers. */
const catalog = (repositories: unknown, headers: Record<string, string> = {}) => registry((_, res, url) => {
  if (url.pathname === '/v2/_catalog') json(res, 200, { repositories }, headers);
  else if (url.pathname.endsWith('/tags/list')) json(res, 200, { tags: ['v1'] });
});

describe('class 1: credentials and answers stay on the registry origin', () => {
  let cert: TestCertificate;
  beforeAll(() => { cert = makeCertificate(); });

  test('a catalog Link to another port is refused; that server gets no request', async () => {
    const other = await serve(catalog(['stolen/app']));
    const registryServer = await serve(catalog(['a/app'], { Link: `<${other.url}/v2/_catalog?last=a/app>; rel="next"` }));
    const result = await cli(['--registry', registryServer.url], { REGISTRY_TOKEN: TOKEN });
    expectError(result, /^discover: 127\.0\.0\.1:\d+ sent a Link to another origin \(http:\/\/127\.0\.0\.1:\d+\) for \/v2\/_catalog; not followed/);
    expect(other.requests).toEqual([]);
  });

  test('a scheme-relative Link (//host:port/...) is refused too', async () => {
    const other = await serve(catalog(['stolen/app']));
    const registryServer = await serve(catalog(['a/app'], { Link: `<//127.0.0.1:${other.port}/v2/_catalog?last=a>; rel="next"` }));
    const result = await cli(['--registry', registryServer.url, '--username', 'me'], { REGISTRY_PASSWORD: PASSWORD });
    expectError(result, /sent a Link to another origin \(http:\/\/127\.0\.0\.1:\d+\)/);
    expect(other.requests).toEqual([]);
  });

  test('a tags Link to another host name on the same port is refused (the origin is scheme, host and port)', async () => {
    const registryServer = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: ['a/app'] });
      if (url.pathname === '/v2/a/app/tags/list') json(res, 200, { tags: ['v1'] }, { Link: `<http://localhost:${registryServer.port}/v2/a/app/tags/list?last=v1>; rel="next"` });
    }));
    const result = await cli(['--registry', registryServer.url], { REGISTRY_TOKEN: TOKEN });
    expectError(result, /sent a Link to another origin \(http:\/\/localhost:\d+\) for \/v2\/a\/app\/tags\/list/);
    expect(registryServer.requests.filter((r) => !r.host.startsWith('127.0.0.1'))).toEqual([]);
  });

  test('a Link off the list or out of /v2/ is refused', async () => {
    for (const link of ['/v2/other/tags/list?last=x', '/v2/../admin?x=1', '/admin']) {
      const registryServer = await serve(catalog(['a/app'], { Link: `<${link}>; rel="next"` }));
      const result = await cli(['--registry', registryServer.url]);
      expectError(result, /sent a Link (from \/v2\/_catalog to another list|out of the registry API)/);
      expect(registryServer.requests.map((r) => r.url).filter((u) => !u.startsWith('/v2/_catalog?n=100') && u !== '/v2/')).toEqual([]);
    }
  });

  test('a redirect to another origin is refused, on the catalog and on a manifest', async () => {
    const other = await serve(catalog(['stolen/app']));
    const toOther = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') res.writeHead(307, { Location: `${other.url}/v2/_catalog` }).end();
    }));
    expectError(await cli(['--registry', toOther.url], { REGISTRY_TOKEN: TOKEN }), /sent a redirect to another origin \(http:\/\/127\.0\.0\.1:\d+\) for \/v2\/_catalog/);
    const manifest = await serve((_, res, url) => {
      if (url.pathname === '/v2/') json(res, 200, {});
      else if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: ['a/app'] });
      else if (url.pathname === '/v2/a/app/tags/list') json(res, 200, { tags: ['v1'] });
      else res.writeHead(302, { Location: `//127.0.0.1:${other.port}/v2/a/app/manifests/v1` }).end();
    });
    expectError(await cli(['--registry', manifest.url], { REGISTRY_TOKEN: TOKEN }), /sent a redirect to another origin .* for \/v2\/a\/app\/manifests\/v1/);
    expect(other.requests).toEqual([]);
  });

  test('a redirect on the same origin is followed within /v2/ only', async () => {
    const moved = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') res.writeHead(307, { Location: '/v2/_catalog2?n=100' }).end();
      if (url.pathname === '/v2/_catalog2') json(res, 200, { repositories: ['a/app'] });
      if (url.pathname === '/v2/a/app/tags/list') json(res, 200, { tags: ['v1'] });
    }));
    const result = await cli(['--registry', moved.url, '--format', 'json'], { REGISTRY_TOKEN: TOKEN });
    expect(JSON.parse(result.stdout)).toEqual([{ repository: 'a/app', tags: [{ tag: 'v1', digest: DIGEST }] }]);
    expect(moved.requests.find((r) => r.url === '/v2/_catalog2?n=100')?.authorization).toBe(`Bearer ${TOKEN}`);
    const outside = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') res.writeHead(301, { Location: '/admin/secrets' }).end();
    }));
    expectError(await cli(['--registry', outside.url], { REGISTRY_TOKEN: TOKEN }), /sent a redirect out of the registry API \(\/admin\/secrets\)/);
    expect(outside.requests.map((r) => r.url)).not.toContain('/admin/secrets');
  });

  test('https registry: a Link to plain http on the same host and port is another origin', async () => {
    const downgrade = await serve((req, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: ['a/app'] }, { Link: `<http://127.0.0.1:${new URL(`https://${req.headers.host}`).port}/v2/_catalog?last=a>; rel="next"` });
      else registry()(req, res, url);
    }, cert);
    expect(downgrade.url).toMatch(/^https:/);
    expectError(await cli(['--registry', downgrade.url, '--ca-file', cert.file], { REGISTRY_TOKEN: TOKEN }), /sent a Link to another origin \(http:\/\/127\.0\.0\.1:\d+\)/);
  });

  // The registry's origin is all the credentials may reach: a realm elsewhere (another host, or
  // another port or scheme of the same host) gets no request, whatever the credentials.
  const credentialSources: [string, string[], Record<string, string>][] = [
    ['--token', ['--token', TOKEN], {}],
    ['$REGISTRY_TOKEN', [], { REGISTRY_TOKEN: TOKEN }],
    ['--username and $REGISTRY_PASSWORD', ['--username', 'me'], { REGISTRY_PASSWORD: PASSWORD }],
    ['--username and --password', ['--username', 'me', '--password', PASSWORD], {}],
    ['no credentials', [], {}],
  ];
  const challenge = (realm: string) => (_: unknown, res: ServerResponse) => json(res, 401, {}, { 'WWW-Authenticate': `Bearer realm="${realm}",service="evil"` });

  test.each(credentialSources)('https registry, realm on another port over https (%s): refused, and the realm gets no request', async (_, args, env) => {
    const realm = await serve((__, res) => json(res, 200, { token: 'issued' }), cert);
    const secure = await serve(challenge(`${realm.url}/token`), cert);
    const result = await cli(['--registry', secure.url, '--ca-file', cert.file, ...args], env);
    expectError(result, new RegExp(`^discover: 127\\.0\\.0\\.1:\\d+ names a token service on another origin \\(https://127\\.0\\.0\\.1:${realm.port}\\); not asked: credentials go only to the registry given with --registry \\(${secure.url.replace(/\./g, '\\.')}\\), so a registry whose token service is elsewhere cannot be read$`));
    expect(realm.requests).toEqual([]);
  });

  test.each(credentialSources)('http registry, realm on another port of the same host (%s): refused, and the realm gets no request', async (_, args, env) => {
    const realm = await serve((__, res) => json(res, 200, { token: 'issued' }));
    const plain = await serve(challenge(`${realm.url}/token`));
    expectError(await cli(['--registry', plain.url, ...args], env), new RegExp(`names a token service on another origin \\(http://127\\.0\\.0\\.1:${realm.port}\\); not asked`));
    expect(realm.requests).toEqual([]);
  });

  test('a realm on another host name, or on plain http for an https registry: refused', async () => {
    const realm = await serve((_, res) => json(res, 200, { token: 'issued' }));
    const plain = await serve(challenge(`http://localhost:${realm.port}/token`));
    expectError(await cli(['--registry', plain.url], { REGISTRY_TOKEN: TOKEN }), /names a token service on another origin \(http:\/\/localhost:\d+\)/);
    const secure = await serve(challenge(`${realm.url}/token`), cert);
    expectError(await cli(['--registry', secure.url, '--ca-file', cert.file], { REGISTRY_TOKEN: TOKEN }), /names a token service on another origin \(http:\/\/127\.0\.0\.1:\d+\)/);
    expect(realm.requests).toEqual([]);
  });

  test.each(credentialSources)('a token service on the registry origin (as OpenShift serves /openshift/token) gets the credentials (%s)', async (label, args, env) => {
    const expected = label === 'no credentials' ? undefined : `Basic ${Buffer.from(label.startsWith('--username') ? `me:${PASSWORD}` : `unused:${TOKEN}`).toString('base64')}`;
    const secure = await serve((req, res, url) => {
      if (url.pathname === '/openshift/token') return json(res, req.headers.authorization === expected ? 200 : 401, { token: 'issued' });
      if (req.headers.authorization !== 'Bearer issued') return json(res, 401, {}, { 'WWW-Authenticate': `Bearer realm="https://${req.headers.host}/openshift/token"` });
      if (url.pathname === '/v2/_catalog') return json(res, 200, { repositories: ['a/app'] });
      if (url.pathname === '/v2/a/app/tags/list') return json(res, 200, { tags: ['v1'] });
      registry()(req, res, url);
    }, cert);
    const result = await cli(['--registry', secure.url, '--ca-file', cert.file, ...args], env);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`a/app       v1   ${DIGEST}`);
    expect(secure.requests.filter((r) => r.url.startsWith('/openshift/token')).map((r) => r.authorization)).toEqual([expected]);
  });

  test('http registry asked for with http://: credentials sent, with one warning for the whole run', async () => {
    const plain = await serve(catalog(['a/app', 'b/app', 'c/app']));
    const result = await cli(['--registry', plain.url, '--username', 'me'], { REGISTRY_PASSWORD: PASSWORD });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(`warning: credentials go over plain http to 127.0.0.1 (--registry ${plain.url}): anyone on the network path can read them\n`);
    expect(plain.requests.every((r) => r.authorization?.startsWith('Basic '))).toBe(true);
  });

  test('a registry echoing the credentials back (in a Link, a name, a redirect): they are never printed', async () => {
    const echo = (auth: string | undefined) => (auth ?? '').replace(/^Bearer /, '');
    const server = await serve(registry((req, res, url) => {
      const token = echo(req.headers.authorization);
      if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: ['a/app', `X-${token}`] });
      else if (url.searchParams.has('last')) json(res, 500, {});
      else if (url.pathname === '/v2/a/app/tags/list') json(res, 200, { tags: ['v1'] }, { Link: `</v2/a/app/tags/list?last=${token}>; rel="next"` });
    }));
    const result = await cli(['--registry', server.url], { REGISTRY_TOKEN: TOKEN });
    expectError(result, /answered 500 for GET \/v2\/a\/app\/tags\/list\?last=\*\*\*$/);
    expect(result.stderr).toContain("warning: skipped 1 repositories whose names the distribution spec does not allow: 'X-***'");
    const redirecting = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') res.writeHead(302, { Location: `/stolen/${Buffer.from(`me:${PASSWORD}`).toString('base64')}/${encodeURIComponent(PASSWORD)}` }).end();
    }));
    expectError(await cli(['--registry', redirecting.url, '--username', 'me'], { REGISTRY_PASSWORD: PASSWORD }), /out of the registry API \(\/stolen\/\*\*\*\/\*\*\*\)/);
  });

  test.each(['file:///etc/passwd', 'ftp://127.0.0.1/token', '/token', 'javascript:alert(1)', 'token.example.com/token'])('a realm that is not an http(s) URL (%s) is an error', async (realmValue) => {
    const plain = await serve((_, res) => json(res, 401, {}, { 'WWW-Authenticate': `Bearer realm="${realmValue}",service="r"` }));
    expectError(await cli(['--registry', plain.url], { REGISTRY_TOKEN: TOKEN }), /names a token service \(Bearer realm\) that is not an http\(s\) URL/);
  });
});

describe('class 2: pagination that never ends', () => {
  const loops = (link: (url: URL) => string) => registry((_, res, url) => {
    if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: [`r${url.searchParams.get('last') ?? ''}/app`] }, { Link: `<${link(url)}>; rel="next"` });
  });

  test('a Link back to the same page stops with an error', async () => {
    const server = await serve(loops(() => '/v2/_catalog?n=100'));
    expectError(await cli(['--registry', server.url], {}, 15_000), /sent a Link back to a page of \/v2\/_catalog it already gave \(\?n=100\): its pagination loops/);
  }, 20_000);

  test('a cycle of Links stops with an error', async () => {
    const server = await serve(loops((url) => `/v2/_catalog?last=${url.searchParams.get('last') === 'a' ? 'b' : 'a'}&n=100`));
    expectError(await cli(['--registry', server.url], {}, 15_000), /it already gave \(\?last=a&n=100\): its pagination loops/);
    expect(server.requests.filter((r) => r.url.startsWith('/v2/_catalog')).length).toBe(3);
  }, 20_000);

  test('the same cursor asked for with another page size is the same page', async () => {
    let k = 0;
    const server = await serve(loops(() => `/v2/_catalog?last=a&n=${++k}`));
    expectError(await cli(['--registry', server.url], {}, 15_000), /its pagination loops/);
  }, 20_000);

  test('a tag list that loops stops too', async () => {
    const server = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: ['a/app'] });
      if (url.pathname === '/v2/a/app/tags/list') json(res, 200, { tags: ['v1'] }, { Link: '</v2/a/app/tags/list?last=v1>; rel="next"' });
    }));
    expectError(await cli(['--registry', server.url], {}, 15_000), /a page of \/v2\/a\/app\/tags\/list it already gave/);
  }, 20_000);

  test('a list that never ends stops at the page cap (10,000 pages by default)', async () => {
    let page = 0;
    const server = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: [] }, { Link: `</v2/_catalog?last=p${++page}>; rel="next"` });
    }));
    expectError(await cli(['--registry', server.url], {}, 50_000), /sent more than 10000 pages for \/v2\/_catalog; discover stops there/);
    expect(page).toBe(10_000);
  }, 60_000);

  test('the page cap is an option of the client', async () => {
    let page = 0;
    const server = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: [`p${page}/app`] }, { Link: `</v2/_catalog?last=p${++page}>; rel="next"` });
    }));
    const client = new RegistryClient({ baseUrl: new URL(server.url), auth: { kind: 'anonymous' }, timeoutMs: 5000, maxSockets: 2, maxPages: 25 });
    const run = discover(client, { concurrency: 2 }).finally(() => client.close());
    await expect(Promise.race([run, new Promise((_, reject) => setTimeout(() => reject(new Error('still paging after 5 s')), 5000))])).rejects.toThrow('sent more than 25 pages for /v2/_catalog');
    expect(page).toBe(25);
  }, 10_000);
});

describe('class 3: registries that cap page sizes', () => {
  const capped = (max: number, repositories: string[], tags: string[]) => {
    const refusals: string[] = [];
    const page = (res: ServerResponse, url: URL, field: string, all: string[]) => {
      const n = url.searchParams.has('n') ? Number(url.searchParams.get('n')) : max;
      if (n > max) {
        refusals.push(url.pathname);
        return json(res, 400, { errors: [{ code: 'PAGINATION_NUMBER_INVALID', message: 'invalid number of results requested', detail: { n } }] });
      }
      const rest = all.filter((x) => x > (url.searchParams.get('last') ?? ''));
      const more = rest.length > n ? { Link: `<${url.pathname}?last=${rest[n - 1]}&n=${n}>; rel="next"` } : {};
      json(res, 200, { [field]: rest.slice(0, n) }, more);
    };
    return {
      refusals,
      handler: registry((_, res, url) => {
        if (url.pathname === '/v2/_catalog') page(res, url, 'repositories', repositories);
        else if (url.pathname.endsWith('/tags/list')) page(res, url, 'tags', tags);
      }),
    };
  };

  test('n above the registry maximum: asks without n and lists everything, refused once per kind of list', async () => {
    const repositories = Array.from({ length: 8 }, (_, i) => `team/app-${i}`);
    const tags = ['a', 'b', 'c', 'd', 'e'];
    const { refusals, handler } = capped(3, repositories, tags);
    const server = await serve(handler);
    const result = await cli(['--registry', server.url, '--format', 'json', '--concurrency', '1']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(repositories.map((repository) => ({ repository, tags: tags.map((tag) => ({ tag, digest: DIGEST })) })));
    expect(refusals).toEqual(['/v2/_catalog', '/v2/team/app-0/tags/list']);
  });

  test('a registry that refuses every page size: one clear error', async () => {
    const server = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 400, { errors: [{ code: 'PAGINATION_NUMBER_INVALID' }] });
    }));
    expectError(await cli(['--registry', server.url]), /^discover: 127\.0\.0\.1:\d+ answered 400 for GET \/v2\/_catalog$/);
    expect(server.requests.map((r) => r.url)).toEqual(['/v2/', '/v2/_catalog?n=100', '/v2/_catalog']);
  });

  const run = missingTools().length && !process.env.CI ? describe.skip : describe;
  run('docker-registry with catalog maxentries 5', () => {
    let real: RunningRegistry;
    const repositories = Array.from({ length: 12 }, (_, i) => `capped/app-${String(i).padStart(2, '0')}`);
    beforeAll(async () => {
      real = await startRegistry({ catalogMaxEntries: 5 });
      await push(real, buildOciLayout(mkdtempSync(join(tmpdir(), 'oci-'))), 'single', repositories.map((r) => `${r}:v1`));
    }, 120_000);
    afterAll(() => real?.stop());

    test('lists all 12 repositories although discover asks for pages of 100', async () => {
      const result = await cli(['--registry', real.url, '--format', 'json']);
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout).map((l: { repository: string }) => l.repository)).toEqual(repositories);
    });
  });
});

describe('class 4: control characters from the registry are escaped for the terminal', () => {
  const evil = ['evil\x1b]0;pwned\x07', 'clear\x1b[2J', 'x\r\nfake/line  latest', 'bidi\u202eppa', 'c1\u009b31m', 'iso\u2066late\u2069'];

  test('the table escapes control characters in names', () => {
    const table = formatTable([{ repository: 'a/\x1b[31mred', tags: [{ tag: 'v1\r\nforged', digest: DIGEST }, { tag: '\u202ev2', digest: DIGEST }] }]);
    expect(table).not.toMatch(CONTROL);
    expect(table).toContain('a/\\x1b[31mred  v1\\r\\nforged');
    expect(table).toContain('\\u202ev2');
  });

  test('repository names with ESC, OSC, CR, newline, C1 or bidi characters: skipped, with an escaped warning', async () => {
    const server = await serve(catalog(['ok/app', ...evil]));
    const result = await cli(['--registry', server.url]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`REPOSITORY  TAG  DIGEST\nok/app      v1   ${DIGEST}\n`);
    expect(result.stderr).not.toMatch(CONTROL);
    expect(result.stderr.split('\n')).toEqual([
      "warning: skipped 6 repositories whose names the distribution spec does not allow: 'evil\\x1b]0;pwned\\x07', 'clear\\x1b[2J', 'x\\r\\nfake/line  latest', 'bidi\\u202eppa', 'c1\\x9b31m' and 1 more",
      '',
    ]);
    const asJson = await cli(['--registry', server.url, '--format', 'json']);
    expect(JSON.parse(asJson.stdout)).toEqual([{ repository: 'ok/app', tags: [{ tag: 'v1', digest: DIGEST }] }]);
  });

  test('tag names with control characters: skipped, with an escaped warning', async () => {
    const server = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: ['a/app'] });
      if (url.pathname === '/v2/a/app/tags/list') json(res, 200, { tags: ['v1', 'v2\x1b[8m', 'v3\u2067'] });
    }));
    const result = await cli(['--registry', server.url]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`REPOSITORY  TAG  DIGEST\na/app       v1   ${DIGEST}\n`);
    expect(result.stderr).toBe("warning: skipped 2 tags whose names the distribution spec does not allow: 'a/app:v2\\x1b[8m', 'a/app:v3\\u2067'\n");
  });

  test('error messages quoting the registry are escaped: malformed JSON, a realm with C1 characters', async () => {
    const garbage = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') res.writeHead(200, { 'Content-Type': 'application/json' }).end('\x1b]0;pwned\x07\x1b[2J{');
    }));
    const malformed = await cli(['--registry', garbage.url]);
    expectError(malformed, /sent malformed JSON for \/v2\/_catalog\?n=100: .*\\x1b\]0;pwned\\x07/);
    const realm = await serve((_, res) => json(res, 401, {}, { 'WWW-Authenticate': 'Bearer realm="\u009b2J\u009d0;pwned\u009c"' }));
    expectError(await cli(['--registry', realm.url]), /not an http\(s\) URL: \\x9b2J\\x9d0;pwned\\x9c$/);
  });
});

describe('class 5: limits, odd JSON, names and URLs', () => {
  test('--timeout is a deadline for the whole request: a server trickling a byte every 2 s fails after 3 s', async () => {
    const server = await serve(registry((_, res, url) => {
      if (url.pathname !== '/v2/_catalog') return;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '20' });
      let sent = 0;
      const tick = setInterval(() => {
        if (res.destroyed || ++sent > 20) return clearInterval(tick);
        res.write(' ');
      }, 2000);
      res.on('close', () => clearInterval(tick));
    }));
    // A byte every 2 s never lets a 3 s idle timeout fire: the error shows the deadline did.
    const result = await cli(['--registry', server.url, '--timeout', '3'], {}, 25_000);
    expectError(result, /timed out after 3 s waiting for 127\.0\.0\.1:\d+ \(GET \/v2\/_catalog\)/);
  }, 30_000);

  test('a body that never ends: a clear error at 16 MiB, no crash', async () => {
    const chunk = Buffer.alloc(1 << 20, ' ');
    const server = await serve(registry((_, res, url) => {
      if (url.pathname !== '/v2/_catalog') return;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const pump = () => { while (!res.destroyed && res.write(chunk)); };
      res.on('drain', pump);
      pump();
    }));
    expectError(await cli(['--registry', server.url], {}, 25_000), /sent more than 16 MiB for GET \/v2\/_catalog: discover stops there/);
  }, 30_000);

  test('a Content-Length above the cap is refused before reading', async () => {
    const server = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') res.writeHead(200, { 'Content-Length': String(2 ** 32) }).write('{');
    }));
    expectError(await cli(['--registry', server.url], {}, 15_000), /sent more than 16 MiB for GET \/v2\/_catalog/);
  }, 20_000);

  test.each([
    ['"repositories" a string', '{"repositories":"abc"}', /"repositories" that is not a list of strings/],
    ['"repositories" numbers', '{"repositories":[1,2]}', /"repositories" that is not a list of strings/],
    ['"repositories" with null', '{"repositories":["a/app",null]}', /"repositories" that is not a list of strings/],
    ['"repositories" an object', '{"repositories":{"a":1}}', /"repositories" that is not a list of strings/],
    ['null', 'null', /JSON that is not an object/],
    ['an array', '["a/app"]', /JSON that is not an object/],
    ['a number', '5', /JSON that is not an object/],
  ])('a catalog with %s: one-line error', async (_, body, pattern) => {
    const server = await serve(registry((__, res, url) => { if (url.pathname === '/v2/_catalog') json(res, 200, body); }));
    expectError(await cli(['--registry', server.url]), pattern);
  });

  test.each([
    ['a number', '{"tags":5}'],
    ['a string', '{"tags":"v1"}'],
    ['numbers', '{"tags":["v1",2]}'],
    ['an object', '{"tags":{"v1":true}}'],
  ])('tags that are %s: one-line error', async (_, body) => {
    const server = await serve(registry((__, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: ['a/app'] });
      if (url.pathname === '/v2/a/app/tags/list') json(res, 200, body);
    }));
    expectError(await cli(['--registry', server.url]), /answered \/v2\/a\/app\/tags\/list\?n=100 with "tags" that is not a list of strings/);
  });

  test('"tags": null (distribution, once every tag is deleted) is a repository without tags', async () => {
    const server = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: ['a/app'] });
      if (url.pathname === '/v2/a/app/tags/list') json(res, 200, { name: 'a/app', tags: null });
    }));
    const result = await cli(['--registry', server.url]);
    expect(result.stdout).toBe('REPOSITORY  TAG        DIGEST\na/app       (no tags)\n');
  });

  test('repository names outside the grammar are skipped; no request leaves /v2/<valid name>/', async () => {
    const bad = ['../../x', 'a/../../../etc', 'a?b=1', 'a#frag', 'a%2fb', 'UPPER/app', 'a//b', '-a', 'a-', '', 'a b', 'a/./b', 'x'.repeat(256), `${'a'.repeat(200)}!`, 'a\\b', 'https://127.0.0.1:1/x'];
    const server = await serve(catalog(['good/app', ...bad]));
    const result = await cli(['--registry', server.url, '--format', 'json']);
    expect(JSON.parse(result.stdout)).toEqual([{ repository: 'good/app', tags: [{ tag: 'v1', digest: DIGEST }] }]);
    expect(result.stderr).toMatch(/^warning: skipped 16 repositories whose names the distribution spec does not allow: '\.\.\/\.\.\/x', 'a\/\.\.\/\.\.\/\.\.\/etc', 'a\?b=1', 'a#frag', 'a%2fb' and 11 more\n$/);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v2/', 'GET /v2/_catalog?n=100', 'GET /v2/good/app/tags/list?n=100', 'HEAD /v2/good/app/manifests/v1']);
  });

  test('tag names outside [\\w][\\w.-]{0,127} are skipped; only valid tags are asked for', async () => {
    const bad = ['../x', 'a/b', 'v1?x=1', 'v1#f', '%2e%2e', '-x', '.x', 'x'.repeat(129), 'a b', ''];
    const server = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: ['a/app'] });
      if (url.pathname === '/v2/a/app/tags/list') json(res, 200, { tags: ['v1.0_rc-1', ...bad, 'x'.repeat(128)] });
    }));
    const result = await cli(['--registry', server.url, '--format', 'json']);
    expect(JSON.parse(result.stdout)[0].tags.map((t: { tag: string }) => t.tag)).toEqual(['v1.0_rc-1', 'x'.repeat(128)]);
    expect(result.stderr).toMatch(/^warning: skipped 10 tags whose names/);
    expect(server.requests.filter((r) => r.method === 'HEAD').map((r) => r.url).sort()).toEqual(['/v2/a/app/manifests/v1.0_rc-1', `/v2/a/app/manifests/${'x'.repeat(128)}`]);
  });

  test('a Docker-Content-Digest outside the OCI grammar (sha256: 64 lowercase hex, sha512: 128): the tag is skipped, with one escaped warning', async () => {
    const sha512 = `sha512:${'cd'.repeat(64)}`;
    const digests: Record<string, string | string[]> = {
      good: DIGEST,
      long: sha512,
      short: `sha256:${'b'.repeat(32)}`,
      md5: `md5:${'c'.repeat(32)}`,
      upper: `sha256:${'AB'.repeat(32)}`,
      algo: `SHA256:${'ab'.repeat(32)}`,
      sha384: `sha384:${'ab'.repeat(48)}`,
      trailing: `${DIGEST}\u009b2J`,
      twice: [DIGEST, DIGEST],
    };
    const server = await serve((_, res, url) => {
      if (url.pathname === '/v2/') return json(res, 200, {});
      if (url.pathname === '/v2/_catalog') return json(res, 200, { repositories: ['a/app'] });
      if (url.pathname === '/v2/a/app/tags/list') return json(res, 200, { tags: Object.keys(digests) });
      res.writeHead(200, { 'Docker-Distribution-Api-Version': 'registry/2.0', 'Docker-Content-Digest': digests[url.pathname.split('/').pop()!] }).end();
    });
    const result = await cli(['--registry', server.url, '--format', 'json']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([{ repository: 'a/app', tags: [{ tag: 'good', digest: DIGEST }, { tag: 'long', digest: sha512 }] }]);
    expect(result.stderr).not.toMatch(CONTROL);
    expect(result.stderr.split('\n')).toEqual([
      `warning: skipped 7 tags whose Docker-Content-Digest is not sha256: and 64 lowercase hex digits or sha512: and 128 (the OCI digest grammar): 'a/app:algo SHA256:${'ab'.repeat(32)}', 'a/app:md5 md5:${'c'.repeat(32)}', 'a/app:sha384 sha384:${'ab'.repeat(40)}...', 'a/app:short sha256:${'b'.repeat(32)}', 'a/app:trailing ${DIGEST}\\x9b2J' and 2 more`,
      '',
    ]);
  });

  // Each `**` was `.*` in a JS RegExp: '**a**a**a**a**b' took 23 s on one name of 200 characters,
  // and each further `**a` multiplies that by some 50. RE2 answers at once: the test would be
  // killed long before a backtracking matcher got through 200 such names.
  test('--repository globs match in linear time: many `**` against 200 long names that almost match', async () => {
    const near = Array.from({ length: 200 }, (_, i) => `${'a'.repeat(250)}${String(i).padStart(3, '0')}x`);
    const server = await serve(catalog([...near, `${'a'.repeat(254)}b`]));
    const result = await cli(['--registry', server.url, '--format', 'json', '--repository', '**a**a**a**a**a**a**a**a**b'], {}, 25_000);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([{ repository: `${'a'.repeat(254)}b`, tags: [{ tag: 'v1', digest: DIGEST }] }]);
  }, 30_000);

  test.each([
    ['file:///etc/passwd', /--registry must be host\[:port\] or an http:\/\/ or https:\/\/ URL, not file:/],
    ['ftp://127.0.0.1/', /not ftp:/],
    ['javascript:alert(1)', /not javascript:/],
    ['a b', /--registry must be host\[:port\] or an http:\/\/ or https:\/\/ URL$/],
    [`http://me:${PASSWORD}@127.0.0.1:9`, /--registry must not carry a user name or password/],
  ])('--registry %s: one-line error', async (registryArg, pattern) => {
    expectError(await cli(['--registry', registryArg]), pattern);
  });

  test('a token that would inject a header: one-line error, the token not printed', async () => {
    const server = await serve(catalog(['a/app']));
    expectError(await cli(['--registry', server.url, '--token', `${TOKEN}\r\nX-Injected: 1`]), /the token has characters that cannot go in an HTTP header/);
    expect(server.requests).toEqual([]);
    const challenging = await serve((req, res, url) => {
      if (url.pathname === '/token') json(res, 200, { token: 'abc\r\nX-Injected: 1' });
      else json(res, 401, {}, { 'WWW-Authenticate': `Bearer realm="http://${req.headers.host}/token"` });
    });
    expectError(await cli(['--registry', challenging.url]), /the token service http:\/\/127\.0\.0\.1:\d+\/token answered without a usable token/);
  });
});

describe('class 6: options a run cannot live with', () => {
  /** Exit 2, the message on the first line, the usage after it, nothing else. */
  function expectUsage(result: CliResult, message: string): void {
    expect(result.stderr.split('\n')[0]).toBe(`openshift-image-registry-cdk8s discover: ${message}`);
    expect(result.stderr.split('\n')[1]).toMatch(/^usage: /);
    expect(result.stderr).not.toMatch(/Warning|    at /);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  }

  // Node's timers hold at most 2^31-1 ms: 1e10 s printed a TimeoutOverflowWarning and timed out at once.
  test.each(['1e10', 'Infinity', '3600.5', '-1', '0', 'NaN', ''])('--timeout %p: a usage error naming the range', async (value) => {
    expectUsage(await cli(['--registry', 'http://127.0.0.1:9', `--timeout=${value}`], {}, 15_000), `--timeout must be a number of seconds above 0 and at most 3600, got ${value}`);
  });

  test('--timeout 3600 (the maximum) is accepted', async () => {
    const server = await serve(catalog(['a/app']));
    const result = await cli(['--registry', server.url, '--timeout', '3600']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  // readFileSync read /dev/zero until the memory was gone, and waited on a FIFO forever.
  test('--ca-file must be a regular file of at most 1 MiB: a device, a FIFO, a folder, a larger file are refused before reading', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-file-'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    writeFileSync(join(dir, 'big.pem'), Buffer.alloc(1024 * 1024 + 1, 'A'));
    const run = (file: string) => cli(['--registry', 'http://127.0.0.1:9', '--ca-file', file], {}, 15_000);
    expectUsage(await run('/dev/null'), '--ca-file /dev/null is a character device, not a regular file');
    expectUsage(await run(join(dir, 'fifo')), `--ca-file ${join(dir, 'fifo')} is a FIFO (named pipe), not a regular file`);
    expectUsage(await run(dir), `--ca-file ${dir} is a folder, not a regular file`);
    expectUsage(await run(join(dir, 'big.pem')), `--ca-file ${join(dir, 'big.pem')} is 1048577 bytes; the limit is 1 MiB (1048576 bytes)`);
    expectUsage(await run(join(dir, 'missing.pem')), `cannot read --ca-file ${join(dir, 'missing.pem')}: ENOENT: no such file or directory, lstat '${join(dir, 'missing.pem')}'`);
  }, 40_000);

  test('--ca-file through a symbolic link elsewhere (as /etc/ssl/certs holds them) is read', async () => {
    const cert = makeCertificate();
    const link = join(mkdtempSync(join(tmpdir(), 'ca-link-')), 'ca.pem');
    symlinkSync(cert.file, link);
    const server = await serve(catalog(['a/app']), cert);
    const result = await cli(['--registry', server.url, '--ca-file', link]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`REPOSITORY  TAG  DIGEST\na/app       v1   ${DIGEST}\n`);
  });
});

describe('class 7: limits over a whole run (names, bytes, time)', () => {
  /** A catalog whose every page holds `names(page)` and a Link to one more page, for ever. */
  const endlessCatalog = (names: (page: number) => string[], body?: (page: number) => Buffer) => {
    let page = 0;
    return registry((_, res, url) => {
      if (url.pathname !== '/v2/_catalog') return;
      page++;
      const link = { Link: `</v2/_catalog?last=p${page}>; rel="next"` };
      if (body) res.writeHead(200, { 'Docker-Distribution-Api-Version': 'registry/2.0', 'Content-Type': 'application/json', ...link }).end(body(page));
      else json(res, 200, { repositories: names(page) }, link);
    });
  };
  const catalogRequests = (server: { requests: { url: string }[] }) => server.requests.filter((r) => r.url.startsWith('/v2/_catalog')).length;

  // Pages of distinct names drove discover to 1.7 GB, then "RangeError: Set maximum size exceeded".
  test('a catalog listing more than 1,000,000 repositories stops at the limit, with one line', async () => {
    const server = await serve(endlessCatalog((page) => Array.from({ length: 300_000 }, (_, i) => `r${page}x${i}`)));
    expectError(await cli(['--registry', server.url], {}, 50_000), /^discover: 127\.0\.0\.1:\d+ listed more than 1,000,000 repositories in its catalog: discover stops there/);
    expect(catalogRequests(server)).toBe(4);
  }, 60_000);

  // A pending task for each repository took 1.7 GB for a catalog of a million; a few workers take
  // some 250 MB. The registry fails the 1000th tag list, so the run ends early either way.
  test('a catalog of exactly 1,000,000 repositories is accepted and walked within 400 MB of heap', async () => {
    let tagLists = 0;
    const server = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') {
        const page = Number(url.searchParams.get('last') ?? 0);
        const more = page < 9 ? { Link: `</v2/_catalog?last=${page + 1}>; rel="next"` } : {};
        json(res, 200, { repositories: Array.from({ length: 100_000 }, (_, i) => `team-${page}/app-${String(i).padStart(6, '0')}`) }, more);
      } else if (url.pathname.endsWith('/tags/list')) json(res, ++tagLists === 1000 ? 500 : 200, { tags: [] });
    }));
    const result = await cli(['--registry', server.url], { NODE_OPTIONS: '--max-old-space-size=400' }, 50_000);
    expectError(result, /^discover: 127\.0\.0\.1:\d+ answered 500 for GET \/v2\/team-0\/app-\d+\/tags\/list\?n=100$/);
  }, 60_000);

  test('tag lists holding more than 1,000,000 tags in all stop at the limit, before any manifest is asked for', async () => {
    let page = 0;
    const server = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 200, { repositories: ['a/app'] });
      if (url.pathname === '/v2/a/app/tags/list') {
        page++;
        json(res, 200, { tags: Array.from({ length: 300_000 }, (_, i) => `t${page}x${i}`) }, { Link: `</v2/a/app/tags/list?last=p${page}>; rel="next"` });
      }
    }));
    expectError(await cli(['--registry', server.url], {}, 50_000), /^discover: 127\.0\.0\.1:\d+ listed more than 1,000,000 tags in all \(at a\/app\): discover stops there/);
    expect(page).toBe(4);
    expect(server.requests.filter((r) => r.method === 'HEAD')).toEqual([]);
  }, 60_000);

  test('the tag limit counts the tags of all repositories together (an option of discover)', async () => {
    const repositories = Array.from({ length: 30 }, (_, i) => `team/app-${i}`);
    const server = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 200, { repositories });
      else if (url.pathname.endsWith('/tags/list')) json(res, 200, { tags: Array.from({ length: 10 }, (__, i) => `v${i}`) });
    }));
    const client = new RegistryClient({ baseUrl: new URL(server.url), auth: { kind: 'anonymous' }, timeoutMs: 5000, maxSockets: 2 });
    await expect(discover(client, { concurrency: 2, maxTags: 250 }).finally(() => client.close())).rejects.toThrow(/listed more than 250 tags in all \(at team\/app-\d+\)/);
    expect(server.requests.filter((r) => r.url.endsWith('/tags/list?n=100')).length).toBeLessThanOrEqual(27);
  });

  test('answers adding up to more than 256 MiB stop the run, each below the 16 MiB of one answer', async () => {
    const padding = Buffer.alloc(15 * 1024 * 1024, ' ');
    const server = await serve(endlessCatalog(() => [], (page) => Buffer.concat([Buffer.from(`{"repositories":["p${page}/app"]`), padding, Buffer.from('}')])));
    expectError(await cli(['--registry', server.url], {}, 50_000), /^discover: 127\.0\.0\.1:\d+ sent more than 256 MiB in all \(at GET \/v2\/_catalog\): discover stops there/);
    expect(catalogRequests(server)).toBe(18); // 17 pages of 15 MiB are 255 MiB
  }, 60_000);

  test('the whole run has a deadline (an option of the client): a registry paging slowly for ever stops there, and no request follows', async () => {
    let page = 0;
    const server = await serve((_, res, url) => {
      if (url.pathname === '/v2/') json(res, 200, {});
      else setTimeout(() => json(res, 200, { repositories: [`p${++page}/app`] }, { Link: `</v2/_catalog?last=p${page}>; rel="next"` }), 100);
    });
    const client = new RegistryClient({ baseUrl: new URL(server.url), auth: { kind: 'anonymous' }, timeoutMs: 30_000, maxSockets: 2, runTimeoutMs: 1500 });
    await expect(discover(client, { concurrency: 2 }).finally(() => client.close())).rejects.toThrow(/^the run did not finish within 1\.5 s, discover's limit for a whole run; stopped at GET \/v2\/_catalog to 127\.0\.0\.1:\d+$/);
    const sent = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.requests.length).toBe(sent);
  }, 15_000);

  test('the run deadline also cuts a request whose own --timeout is longer', async () => {
    const silent = await serve((_, res, url) => (url.pathname === '/v2/' ? json(res, 200, {}) : undefined));
    const client = new RegistryClient({ baseUrl: new URL(silent.url), auth: { kind: 'anonymous' }, timeoutMs: 30_000, maxSockets: 2, runTimeoutMs: 1000 });
    await expect(discover(client, { concurrency: 2 }).finally(() => client.close())).rejects.toThrow("the run did not finish within 1 s, discover's limit for a whole run; stopped at GET /v2/_catalog");
    expect(silent.requests.map((r) => r.url)).toEqual(['/v2/', '/v2/_catalog?n=100']);
  }, 15_000);

  test('after an error, the requests still queued are not sent', async () => {
    const repositories = Array.from({ length: 50 }, (_, i) => `team/app-${String(i).padStart(2, '0')}`);
    const server = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 200, { repositories });
      else if (url.pathname.endsWith('/tags/list')) json(res, 500, {});
    }));
    expectError(await cli(['--registry', server.url, '--concurrency', '1']), /answered 500 for GET \/v2\/team\/app-00\/tags\/list/);
    expect(server.requests.filter((r) => r.url.endsWith('/tags/list?n=100')).length).toBeLessThan(5);
  });

  // A 10 MB answer of nested `[` cost 630 MB and 3.6 s in JSON.parse before it failed.
  test('JSON nested deeper than 32 levels is refused before it is parsed', async () => {
    const server = await serve(registry((_, res, url) => {
      if (url.pathname === '/v2/_catalog') json(res, 200, `{"repositories":${'['.repeat(8_000_000)}${']'.repeat(8_000_000)}}`);
    }));
    expectError(await cli(['--registry', server.url], {}, 25_000), /^discover: 127\.0\.0\.1:\d+ sent JSON nested more than 32 levels deep for \/v2\/_catalog\?n=100: discover stops there/);
  }, 30_000);

  test('the depth check: brackets in strings and escaped quotes do not count; 32 levels pass, 33 do not', () => {
    const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(nestedDeeperThan(nest(32), 32)).toBe(false);
    expect(nestedDeeperThan(nest(33), 32)).toBe(true);
    expect(nestedDeeperThan(`{"a":[{"b":"${'['.repeat(100)}"}]}`, 3)).toBe(false);
    expect(nestedDeeperThan(`{"a":"\\"${'['.repeat(100)}"}`, 3)).toBe(false);
    expect(nestedDeeperThan(`{"a":"\\\\",${'['.repeat(4)}`, 3)).toBe(true);
    expect(nestedDeeperThan(`${'{"a":'.repeat(33)}1${'}'.repeat(33)}`, 32)).toBe(true);
  });
});
