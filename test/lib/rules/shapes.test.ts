import { goTrimSpace, hasUrlCredentials, hideCredentials, quote, show } from '../../../lib/rules/shapes';

describe('goTrimSpace', () => {
  test('cuts what Go\'s strings.TrimSpace cuts (Unicode White_Space, NEL among it), not U+FEFF as String.prototype.trim does', () => {
    expect(goTrimSpace(' \t\nReplace=true\r\u00a0\u3000')).toBe('Replace=true');
    expect(goTrimSpace('\u0085Replace=true\u0085')).toBe('Replace=true');
    expect('\u0085Replace=true'.trim()).not.toBe('Replace=true');
    expect(goTrimSpace('\ufeffReplace=true')).toBe('\ufeffReplace=true');
    expect(goTrimSpace(' a b ')).toBe('a b');
  });
});

describe('credentials in URLs', () => {
  test('found with or without a scheme, with / or @ in the password; not in a path or an image reference', () => {
    for (const url of ['https://u:p@host', 'u:p@host:9000', 'https://AKIA:wJalr/K7MDENG/b@s3.example.com', 'https://u:p@ss@host', 'http://token@host']) expect([url, hasUrlCredentials(url)]).toEqual([url, true]);
    for (const url of ['https://host/a@b', 'quay.io/ns/image@sha256:abc', 'registry.example.com:5000/ns/img@sha256:abc', 'http://minio.minio.svc:9000']) expect([url, hasUrlCredentials(url)]).toEqual([url, false]);
  });

  test('hidden wherever they stand in a message, the rest kept', () => {
    expect(hideCredentials('adds objects from outside (https://oauth2:glpat-SECRET@gitlab.example.com/team/base.git//deploy)'))
      .toBe('adds objects from outside (https://***@gitlab.example.com/team/base.git//deploy)');
    expect(hideCredentials('"AKIA:TopSecret@minio.example.com:9000" has no scheme; write http://AKIA:TopSecret@minio.example.com:9000'))
      .toBe('"***@minio.example.com:9000" has no scheme; write http://***@minio.example.com:9000');
    expect(hideCredentials('https://AKIA:wJalr/K7/b@s3.example.com')).toBe('https://***@s3.example.com');
    expect(hideCredentials('image quay.io/ns/image@sha256:abc at registry.example.com:5000/ns/img@sha256:def')).toBe('image quay.io/ns/image@sha256:abc at registry.example.com:5000/ns/img@sha256:def');
  });
});

describe('values in messages', () => {
  test('YAML\'s .inf, -.inf and .nan are named as written, not as JSON\'s null', () => {
    expect([Infinity, -Infinity, NaN].map((n) => show(n))).toEqual(['.inf', '-.inf', '.nan']);
    expect([quote(Infinity), quote(null), quote(3), quote('3')]).toEqual(['.inf', 'null', '3', '"3"']);
  });
});
