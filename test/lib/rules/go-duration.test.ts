import fc from 'fast-check';
import { formatGoDuration, parseGoDuration } from '../../../lib/rules/go-duration';

// Expected values are Go's time.ParseDuration (src/time/format.go and its tests).
const NS = { ns: 1n, us: 1000n, '\u00b5s': 1000n, '\u03bcs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

describe('Go durations', () => {
  test.each([
    ['0', 0n], ['+0', 0n], ['-0', 0n], ['60m', 3_600_000_000_000n], ['1h30m', 5_400_000_000_000n], ['1.5h', 5_400_000_000_000n],
    ['.5s', 500_000_000n], ['5.s', 5_000_000_000n], ['1h1h', 7_200_000_000_000n], ['100ns', 100n], ['3\u00b5s', 3000n], ['3\u03bcs', 3000n],
    ['-1h', -3_600_000_000_000n], ['9223372036854775807ns', 9_223_372_036_854_775_807n], ['-9223372036854775808ns', -9_223_372_036_854_775_808n],
    ['2562047h47m16.854775807s', 9_223_372_036_854_775_807n], ['0.3333333333333333333h', 1_200_000_000_000n],
  ])('%p is %p nanoseconds', (text, nanoseconds) => {
    expect(parseGoDuration(text)).toEqual({ nanoseconds });
  });

  test.each([
    ['', 'is not a Go duration'], ['1', 'has a number without a unit'], ['h', 'is not a Go duration'], ['.h', 'is not a Go duration'],
    ['7d', 'has the unit "d", which Go does not know'], ['1w', 'has the unit "w"'], ['1 h', 'has the unit " h"'], ['1H', 'has the unit "H"'],
    ['1h ', 'has the unit "h "'], ['1h-30m', 'has the unit "h-"'], ['--1h', 'is not a Go duration'],
    ['9223372036854775808ns', 'is not a Go duration'], ['2562048h', 'is not a Go duration'], ['99999999999999999999s', 'is not a Go duration'],
  ])('refuses %p: %s', (text, problem) => {
    expect(parseGoDuration(text).problem).toContain(problem);
  });

  test('a sum of whole components is the sum of their values', () => {
    const component = fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(...Object.keys(NS) as (keyof typeof NS)[]));
    fc.assert(fc.property(fc.array(component, { minLength: 1, maxLength: 6 }), fc.boolean(), (parts, negative) => {
      const text = (negative ? '-' : '') + parts.map(([n, unit]) => `${n}${unit}`).join('');
      const sum = parts.reduce((total, [n, unit]) => total + BigInt(n) * NS[unit], 0n);
      expect(parseGoDuration(text)).toEqual({ nanoseconds: negative ? -sum : sum });
    }));
  });

  test('formatGoDuration writes every int64 as a duration that parses back to it', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }), (n) => {
      expect(parseGoDuration(formatGoDuration(n))).toEqual({ nanoseconds: n });
    }));
    expect(formatGoDuration(5_400_000_000_000n)).toBe('1h30m');
    expect(formatGoDuration(0n)).toBe('0s');
  });

  test('days and weeks, which the OpenAPI duration format takes, are never Go durations', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), fc.constantFrom('d', 'w', 'day', 'week', 'wk'), (n, unit) => {
      expect(parseGoDuration(`${n}${unit}`).problem).toContain('which Go does not know');
    }));
  });
});
