import { safeRegExpEngine } from '../../../app/validate/safe-regexp';

// The integration tier's part of safe-regexp.test.ts: the time limits, spent in full (a pattern
// that backtracks runs until the limit stops it).

describe('safeRegExpEngine time limits', () => {
  test('a pattern the linear engine cannot run stops at the time limit, then is given up', () => {
    const givenUp: string[] = [];
    const pattern = safeRegExpEngine((p) => givenUp.push(p))('^(a|a)+(?=b)', 'u');
    expect([pattern.test('aab'), pattern.test('c')]).toEqual([true, false]);
    for (let i = 0; i < 20; i++) expect(pattern.test(`${'a'.repeat(40 + i)}!`)).toBe(true);
    // Given up for good: a value it would refuse at once is not run either.
    expect(pattern.test('c')).toBe(true);
    expect(givenUp).toEqual(Array(21).fill('^(a|a)+(?=b)'));
  });

  test('many such patterns share one time budget', () => {
    const givenUp: string[] = [];
    const engine = safeRegExpEngine((p) => givenUp.push(p), 300);
    for (let i = 0; i < 30; i++) expect(engine(`^(a|a${'?'.repeat(i % 2)})+(?=b${i})`, 'u').test(`${'a'.repeat(40)}!`)).toBe(true);
    expect(givenUp).toHaveLength(30);
  });
});
