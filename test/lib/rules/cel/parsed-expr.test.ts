import { parse } from '@bufbuild/cel';
import { decodeParsedExpr, encodeParsedExpr, knownExpressions, parsedTable } from '../../../../lib/rules/cel/parsed-expr';
import { PARSED_RULES } from '../../../../lib/rules/generated/cel-parsed';

// The rules of the CRDs this project knows are kept parsed (lib/rules/generated/cel-parsed.ts), so
// that checking them parses nothing; what is kept must be what the parser gives now.

// What `npm run cel-parsed` keeps of the known rules: those the parser accepts.
const kept = parsedTable(knownExpressions(), parse).map(([expression]) => expression);

describe('the parsed rules of the known CRDs', () => {
  test('are every expression of CEL_RULES the parser accepts, and nothing else (after `npm run cel-rules`, run `npm run cel-parsed`)', () => {
    expect(kept.length).toBeGreaterThan(10);
    expect(Object.keys(PARSED_RULES).sort()).toEqual(kept);
  });

  test('leave out a rule the parser refuses (optional syntax, say): checked, it fails as it would without them', () => {
    expect(parsedTable(['self.?a.orValue(1) > 0', 'self.a > 1', 'self ==', "self.b == 'x'"], parse).map(([expression]) => expression)).toEqual(['self.a > 1', "self.b == 'x'"]);
  });

  test.each(kept)('%s: kept exactly as @bufbuild/cel parses it now (after an update of it, run `npm run cel-parsed`)', (expression) => {
    expect(decodeParsedExpr(PARSED_RULES[expression])).toStrictEqual(parse(expression));
  });
});

describe('the JSON of a parsed expression', () => {
  test('keeps what JSON alone loses: 64-bit ids and integers, bytes literals, fields that are there but undefined', () => {
    const expression = "b'\\x00\\xff' == bytes('a') && 18446744073709551615u > 1u && -9223372036854775808 < 0 && [1, 2].exists(x, x > 1) && has(self.a)";
    const parsed = parse(expression);
    const json = encodeParsedExpr(parsed);
    expect(json).toContain('"$bigint":"18446744073709551615"');
    expect(json).toContain('"$bytes":"AP8="');
    expect(json).toContain('"$undefined":true');
    expect(decodeParsedExpr(json)).toStrictEqual(parsed);
  });

  test('is read into a new object each time (compile() rewrites the tree it is given)', () => {
    const json = encodeParsedExpr(parse('self.a > 1'));
    expect(decodeParsedExpr(json)).not.toBe(decodeParsedExpr(json));
  });
});

describe('compile()', () => {
  test('parses nothing for a rule of a known CRD, and parses any other rule', () => {
    try {
      jest.isolateModules(() => {
        const actual = jest.requireActual('@bufbuild/cel');
        jest.doMock('@bufbuild/cel', () => ({ ...actual, parse: () => { throw new Error('the parser ran'); } }));
        const { compile } = require('../../../../lib/rules/cel/evaluate') as typeof import('../../../../lib/rules/cel/evaluate');
        const known = Object.keys(PARSED_RULES).find((e) => !e.includes('oldSelf'))!;
        expect(typeof compile(known, 30)).toBe('function');
        expect(compile('self.a > 1', 30)).toBe('the parser ran');
      });
    } finally {
      // Even when it fails: the unit tier runs the next files in this module registry.
      jest.dontMock('@bufbuild/cel');
    }
  });
});
