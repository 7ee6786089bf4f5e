import { join } from 'node:path';
import fc from 'fast-check';
import { load, loadAll } from 'js-yaml';
import { parse, parseAllDocuments } from 'yaml';
import { readTree } from '../../../app/output/read-tree';
import { toYaml } from '../../../app/output/to-yaml';
import { repoRoot } from '../../helpers';

/** What the `yaml` package (YAML 1.2) and the same in YAML 1.1 mode read back. */
const readBack = (text: string, version: '1.1' | '1.2') => parseAllDocuments(text, { version }).map((d) => {
  expect(d.errors).toEqual([]);
  return d.toJS();
});

// JSON-like data: what Kubernetes objects are made of.
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' },
    fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('', ' ', 'a b', 'yes', 'no', 'on', '~', 'null', 'true', '1e3', '0x1f', '012', '1:30', '2024-01-01', '-', '- a', ': a', 'a: b', 'a #b', '#a', '>a', '|a', '*a', '&a', '!a', '%a', '@a', '`a', '"a', "'a", '---', '...', '.inf', '-.5', '+1', '1_000', 'a\nb', 'a\n', 'a\n\n', '\na', ' a\nb', 'a \nb', 'x\u2028y', 'tab\there', '\u0085'),
    fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
    tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('app.kubernetes.io/name', 'on', 'a: b', '-', '?x', 'null')), tie('value'), { maxKeys: 4 }),
}));

describe('toYaml', () => {
  test('any JSON-like data reads back identically with the yaml package (1.2 and 1.1) and js-yaml', () => {
    fc.assert(fc.property(fc.array(json.object, { minLength: 1, maxLength: 3 }), (docs) => {
      const clean = JSON.parse(JSON.stringify(docs));
      const text = toYaml(...clean);
      expect(readBack(text, '1.2')).toEqual(clean);
      expect(readBack(text, '1.1')).toEqual(clean);
      expect(loadAll(text)).toEqual(clean);
    }), { numRuns: 2000 });
  });

  test('reads like kubectl output: block style, plain where safe, literal blocks for scripts', () => {
    expect(toYaml({ metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'minio' }, annotations: { wave: '-1' } }, spec: { args: ['server', '--address', ':9000'], ports: [{ name: 'api', port: 9000 }], empty: {}, none: [] }, script: 'set -eu\necho hi\n' })).toBe([
      'metadata:',
      '  name: x',
      '  labels:',
      '    app.kubernetes.io/name: minio',
      '  annotations:',
      '    wave: "-1"',
      'spec:',
      '  args:',
      '    - server',
      '    - --address',
      '    - :9000',
      '  ports:',
      '    - name: api',
      '      port: 9000',
      '  empty: {}',
      '  none: []',
      'script: |',
      '  set -eu',
      '  echo hi',
      '',
    ].join('\n'));
  });

  test('words YAML 1.1 reads as booleans or numbers are quoted', () => {
    expect(toYaml({ a: 'yes', b: 'on', c: '0755', d: '1:30', e: 'true', f: '100Gi' })).toBe('a: "yes"\nb: "on"\nc: "0755"\nd: "1:30"\ne: "true"\nf: 100Gi\n');
  });

  test('data with no YAML form is refused', () => {
    expect(() => toYaml({ a: undefined })).toThrow('undefined has no YAML form');
    expect(() => toYaml({ a: Number.NaN })).toThrow('has no YAML form');
  });

  test('every file in dist/ reads back as what js-yaml reads', () => {
    // readTree: the output files, without synth's marker (.synth-output), which is not YAML.
    for (const text of readTree(join(repoRoot, 'dist')).values()) {
      const docs = loadAll(text);
      expect(toYaml(...docs)).toBe(text);
    }
    expect(load('a: 1')).toEqual({ a: 1 });
  });
});

describe('strings a config can carry into dist/', () => {
  test.each([
    ['only a newline', '\n'], ['a newline, then an indented line', '\n a'], ['DEL', 'a\u007fb'], ['a C1 control', 'x\u0085y'],
    ['U+0080', '\u0080'], ['U+FFFE', '\ufffe'], ['empty lines only', '\n\n'],
  ])('%s reads back exactly (yaml 1.2 and js-yaml), with no raw DEL, C1 or U+FFFE in the file', (_, value) => {
    const text = toYaml({ value });
    expect(parse(text).value).toBe(value);
    expect((load(text) as { value: string }).value).toBe(value);
    expect(text).not.toMatch(/[\u007f-\u009f\ufffe\uffff]/);
  });
});
