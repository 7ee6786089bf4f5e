import { safeRegExpEngine } from '../../../app/validate/safe-regexp';

// CRD patterns from a user's folder (class 13): linear time where V8's linear engine can run
// them, bounded time otherwise. An exponential path at these sizes runs for hours, past the
// test's timeout: no test times itself.

describe('safeRegExpEngine', () => {
  test('patterns mean what they mean with the u flag', () => {
    const engine = safeRegExpEngine(() => undefined);
    const dns = engine('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', 'u');
    expect(['a.b-c', 'x'].map((v) => dns.test(v))).toEqual([true, true]);
    expect(['A', 'a..b', '-a', 'é'].map((v) => dns.test(v))).toEqual([false, false, false, false]);
    const letters = engine('^\\p{L}+$', 'u');
    expect([letters.test('Grüße'), letters.test('a1')]).toEqual([true, false]);
    const anyTwo = engine('^.{2}$', 'u');
    expect([anyTwo.test('ab'), anyTwo.test('😀'), anyTwo.test('😀😀')]).toEqual([true, false, true]);
    expect(() => engine('(', 'u')).toThrow(SyntaxError);
  });

  test('nested quantifiers take linear time', () => {
    expect(safeRegExpEngine(() => undefined)('^(a+)+$', 'u').test(`${'a'.repeat(100_000)}!`)).toBe(false);
  });

});
