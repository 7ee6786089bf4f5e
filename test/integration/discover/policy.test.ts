// The rules behind discover's hardening, as plain functions: name grammar, URLs, Links.
import { addSecret, msg, shorten } from '../../../app/discover/messages';
import { apiPath, isRepositoryName, isTagName } from '../../../app/discover/names';
import { onRegistry, realmUrl, registryUrl } from '../../../app/discover/origin';
import { nextLink, PageGuard } from '../../../app/discover/pagination';

test('repository names: the distribution grammar, at most 255 characters', () => {
  for (const name of ['a', 'a/b', 'openshift/python-3.12', 'a.b_c__d---e/f0', 'x'.repeat(255)]) expect(isRepositoryName(name)).toBe(true);
  for (const name of ['', 'A', 'a/', '/a', 'a//b', '_a', 'a_', 'a___b', 'a..b', '-a', 'a-', '../x', 'a/./b', 'a?b', 'a#b', 'a%2fb', 'a b', 'a\nb', 'x'.repeat(256)]) {
    expect(isRepositoryName(name)).toBe(false);
  }
});

test('the name check does not backtrack exponentially on a long near-miss', () => {
  for (const name of [`${'a'.repeat(254)}!`, `${'a-'.repeat(127)}!`, `${'a.'.repeat(127)}!`]) expect(isRepositoryName(name)).toBe(false);
});

test('tag names: [\\w][\\w.-]{0,127}', () => {
  for (const tag of ['v1', 'latest', '1.0.0-rc_1', '_x', 'x'.repeat(128)]) expect(isTagName(tag)).toBe(true);
  for (const tag of ['', '.x', '-x', 'a/b', 'a:b', 'v1?x', '%2e', 'a b', 'x'.repeat(129)]) expect(isTagName(tag)).toBe(false);
});

test('API paths encode every segment and refuse invalid names', () => {
  expect(apiPath('a/b', 'tags', 'list')).toBe('/v2/a/b/tags/list');
  expect(apiPath('a', 'manifests', 'v1.0')).toBe('/v2/a/manifests/v1.0');
  expect(() => apiPath('../x', 'tags', 'list')).toThrow('not a repository name');
});

test('--registry: host[:port] is https, http only when written, nothing but the origin kept', () => {
  expect(registryUrl('registry.example.com').href).toBe('https://registry.example.com/');
  expect(registryUrl('127.0.0.1:5000').href).toBe('https://127.0.0.1:5000/');
  expect(registryUrl('[::1]:5000').href).toBe('https://[::1]:5000/');
  expect(registryUrl('HTTP://h:80/v2/?x#y').href).toBe('http://h/');
  expect(() => registryUrl('file:///etc/passwd')).toThrow('not file:');
  expect(() => registryUrl('https://u:p@h')).toThrow('must not carry a user name or password');
});

test('Links and redirects: same origin and /v2/ only', () => {
  const registry = new URL('https://r.example:5000');
  const from = new URL('https://r.example:5000/v2/_catalog?n=100');
  expect(onRegistry('/v2/_catalog?last=a', from, registry, 'Link').href).toBe('https://r.example:5000/v2/_catalog?last=a');
  expect(onRegistry('?last=b', from, registry, 'Link').href).toBe('https://r.example:5000/v2/_catalog?last=b');
  for (const other of ['//evil:5000/v2/_catalog', 'http://r.example:5000/v2/_catalog', 'https://r.example/v2/_catalog', 'https://r.example:5001/v2/', 'file:///v2/x']) {
    expect(() => onRegistry(other, from, registry, 'Link')).toThrow('to another origin');
  }
  expect(() => onRegistry('/v2/../admin', from, registry, 'redirect')).toThrow('out of the registry API (/admin)');
});

test('the token service (Bearer realm): on the registry origin only, as given (scheme, host and port)', () => {
  const plain = new URL('http://r.example:5000');
  const secure = new URL('https://r.example');
  expect(realmUrl('https://r.example/openshift/token?x=1#f', secure).href).toBe('https://r.example/openshift/token?x=1');
  expect(realmUrl('https://r.example:443/token', secure).href).toBe('https://r.example/token');
  expect(realmUrl('http://r.example:5000/token', plain).href).toBe('http://r.example:5000/token');
  for (const [realm, registry, origin] of [
    ['https://auth.example/token', secure, 'https://auth.example'],
    ['https://r.example:8443/token', secure, 'https://r.example:8443'],
    ['http://r.example/token', secure, 'http://r.example'],
    ['http://r.example:5001/token', plain, 'http://r.example:5001'],
    ['https://r.example:5000/token', plain, 'https://r.example:5000'],
    ['http://R.EXAMPLE.:5000/token', plain, 'http://r.example.:5000'],
  ] as const) {
    expect(() => realmUrl(realm, registry)).toThrow(`names a token service on another origin (${origin}); not asked: credentials go only to the registry given with --registry (${registry.origin})`);
  }
  expect(() => realmUrl('file:///etc/passwd', secure)).toThrow('not an http(s) URL');
  expect(() => realmUrl('https://u:p@r.example/token', secure)).toThrow('not an http(s) URL');
});

test('Link headers: rel=next among several links and parameters', () => {
  expect(nextLink('</v2/_catalog?last=a&n=100>; rel="next"')).toBe('/v2/_catalog?last=a&n=100');
  expect(nextLink('</p>; rel="prev", </n>; type="x"; rel=next')).toBe('/n');
  expect(nextLink('</n>; rel="prefetch next"')).toBe('/n');
  expect(nextLink('</p>; rel="prev"')).toBeUndefined();
  expect(nextLink('')).toBeUndefined();
});

test('the page guard: a repeated cursor or page is a loop; the cap ends any list', () => {
  const guard = new PageGuard(new URL('http://r'), 3);
  guard.visit(new URL('http://r/v2/_catalog?n=100'));
  guard.visit(new URL('http://r/v2/_catalog?last=a&n=100'));
  expect(() => guard.visit(new URL('http://r/v2/_catalog?n=50&last=a'))).toThrow('its pagination loops');
  expect(() => guard.visit(new URL('http://r/v2/_catalog'))).toThrow('its pagination loops');
  guard.visit(new URL('http://r/v2/_catalog?last=b'));
  expect(() => guard.visit(new URL('http://r/v2/_catalog?last=c'))).toThrow('more than 3 pages');
});

test('messages: quoted values are escaped and have credentials hidden; the template words stay', () => {
  addSecret('wrong');
  expect(msg`the token is missing, wrong or expired: ${'?last=wrong\x1b[2J'}`).toBe('the token is missing, wrong or expired: ?last=***\\x1b[2J');
  // Redacted before the cut: a cut in the middle of a secret would show the start of it.
  expect(shorten(`${'x'.repeat(117)}wrong`)).toBe(`${'x'.repeat(117)}***`);
});
