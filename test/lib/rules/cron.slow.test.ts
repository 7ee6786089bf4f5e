import fc from 'fast-check';
import { cronScheduleProblem, cronScheduleRarity } from '../../../lib/rules/cron';

// The integration tier's part of cron.test.ts: properties over many generated schedules.

describe('cron schedule properties, at length', () => {
  test('never throws, on any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      const problem = cronScheduleProblem(text);
      expect(problem === undefined || typeof problem === 'string').toBe(true);
    }));
  });
});

test('never and leap-years agree with walking eight years of days through robfig\'s dayMatches', () => {
  // Day of month and month as lists of values, day of week `*` or a list: the oracle knows the sets.
  const list = (min: number, max: number) => fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 4 });
  const dayField = (min: number, max: number) => fc.oneof(fc.constant('*' as const), list(min, max));
  fc.assert(fc.property(dayField(1, 31), list(1, 12), dayField(0, 6), (dom, months, dow) => {
    const show = (f: '*' | number[]) => (f === '*' ? '*' : f.join(','));
    const schedule = `0 0 ${show(dom)} ${months.join(',')} ${show(dow)}`;
    const matched: string[] = [];
    for (let day = Date.UTC(2024, 0, 1); day < Date.UTC(2032, 0, 1); day += 86_400_000) {
      const date = new Date(day);
      if (!months.includes(date.getUTCMonth() + 1)) continue;
      const domMatch = dom === '*' || dom.includes(date.getUTCDate());
      const dowMatch = dow === '*' || dow.includes(date.getUTCDay());
      // spec.go dayMatches: AND when either field has the star bit, OR otherwise.
      if (dom === '*' || dow === '*' ? domMatch && dowMatch : domMatch || dowMatch) matched.push(`${date.getUTCMonth() + 1}-${date.getUTCDate()}`);
    }
    const expected = !matched.length ? 'never' : matched.every((d) => d === '2-29') ? 'leap-years' : undefined;
    expect(cronScheduleRarity(schedule)).toBe(expected);
  }), { numRuns: 300 });
});

test('a huge field is shown shortened in the message, not whole', () => {
  const problem = cronScheduleProblem(`${'9'.repeat(1_000_000)} * * * *`)!;
  expect(problem).toMatch(/^minute "9{100}…": "9{100}…" is out of range$/);
});
