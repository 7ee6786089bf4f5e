import fc from 'fast-check';
import { loadAll } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { toYaml } from '../../../app/output/to-yaml';

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

/** The round-trip property of toYaml, over `numRuns` generated documents. */
export function roundTrips(numRuns: number): void {
  test(`any JSON-like data reads back identically with the yaml package (1.2 and 1.1) and js-yaml (${numRuns} runs)`, () => {
    fc.assert(fc.property(fc.array(json.object, { minLength: 1, maxLength: 3 }), (docs) => {
      const clean = JSON.parse(JSON.stringify(docs));
      const text = toYaml(...clean);
      expect(readBack(text, '1.2')).toEqual(clean);
      expect(readBack(text, '1.1')).toEqual(clean);
      expect(loadAll(text)).toEqual(clean);
    }), { numRuns });
  });
}
