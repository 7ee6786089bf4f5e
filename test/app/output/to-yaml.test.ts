import { join } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { parse } from 'yaml';
import { readTree } from '../../../app/output/read-tree';
import { MEMO_LENGTH, MEMO_SIZE, toYaml } from '../../../app/output/to-yaml';
import { roundTrips } from './to-yaml-properties';
import { repoRoot } from '../../helpers';

// Any JSON-like data reads back: 50 runs here, 2000 in the integration tier (to-yaml.slow.test.ts).
roundTrips(50);

describe('toYaml', () => {
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

  test('a string is written the same the second time (short ones are remembered) and after the memory is cleared', () => {
    // More distinct short strings than the writer remembers: it clears its memory part way through.
    const words = Array.from({ length: 1500 }, (_, i) => [`k${i}`, String(i), i % 2 ? 'yes' : `a: ${i}`, ` ${i}`, `${'x'.repeat(60 + (i % 10))}: y`]).flat();
    expect(new Set(words.filter((w) => w.length <= MEMO_LENGTH)).size).toBeGreaterThan(MEMO_SIZE);
    const first = toYaml({ words });
    expect(load(first)).toEqual({ words });
    expect(toYaml({ words })).toBe(first);
    expect(toYaml({ values: ['yes', '0755', 'plain', 'a: b'] })).toBe('values:\n  - "yes"\n  - "0755"\n  - plain\n  - "a: b"\n');
  });

  test('several documents are each one\'s text, joined by ---: synth writes a file from its objects\' texts', () => {
    const documents = [{ a: 1 }, { b: ['x', { c: 'yes' }] }, { d: 'set -eu\necho hi\n' }];
    expect(toYaml(...documents)).toBe(documents.map((d) => toYaml(d)).join('---\n'));
    expect(toYaml(...documents)).toBe('a: 1\n---\nb:\n  - x\n  - c: "yes"\n---\nd: |\n  set -eu\n  echo hi\n');
  });

  test('data with no YAML form is refused', () => {
    expect(() => toYaml({ a: undefined })).toThrow('undefined has no YAML form');
    expect(() => toYaml({ a: Number.NaN })).toThrow('has no YAML form');
    // A hole would be left out, and a Date or a Map written as {}: two values, one text.
    // eslint-disable-next-line no-sparse-arrays
    expect(() => toYaml({ v: [, 'a'] })).toThrow('undefined has no YAML form');
    expect(() => toYaml({ v: ['a', , 'b'] })).toThrow('undefined has no YAML form');
    expect(() => toYaml({ when: new Date(0) })).toThrow('object Date has no YAML form');
    expect(() => toYaml({ map: new Map([['a', 1]]) })).toThrow('object Map has no YAML form');
    expect(() => toYaml(new (class Settings { a = 1; })())).toThrow('object Settings has no YAML form');
    expect(toYaml({ kept: Object.assign(Object.create(null), { a: 1 }) })).toBe('kept:\n  a: 1\n');
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
