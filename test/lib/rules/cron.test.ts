import fc from 'fast-check';
import { CRON_DESCRIPTORS, CRON_FIELDS, cronScheduleProblem, cronScheduleRarity } from '../../../lib/rules/cron';

// The Kubernetes API server's verdict on a new CronJob's schedule: robfig/cron v3 ParseStandard,
// and no "TZ". Expected verdicts are robfig's (github.com/robfig/cron/v3 parser.go).

describe('cron schedules the CronJob API accepts', () => {
  test.each([
    '0 0 * * *', '*/15 * * * *', '0 2 * * 0', '0 2 * * 6', '30 3 1,15 * *', '0 0 1 jan *', '0 0 * * MON-fri',
    '0 9-17/2 * * 1-5', '5/10 * * * *', '0 0 ? * *', '0 0 * * ?', '59 23 31 12 6', '0 0 * Dec Sun',
    '*-5 * * * *', // robfig reads nothing after `*-`
    '+5 * * * *', // strconv.Atoi takes a sign
    '0 0 1,,2 * *', // empty list items are dropped (strings.FieldsFunc)
    '  0\t0  * *\n* ', // any whitespace separates fields
    '0\u00a00 * * *', // so does a no-break space (unicode.IsSpace)
    '007 00 01 01 00',
    '@every 1h30m', '@every 0', '@every 1.5h', '@every -5m',
    ...CRON_DESCRIPTORS,
  ])('accepts %p', (schedule) => {
    expect(cronScheduleProblem(schedule)).toBeUndefined();
  });

  test.each([
    ['', 'is empty'],
    ['0 0 * *', 'has 4 fields; a schedule has exactly 5'],
    ['0 0 0 * * *', 'has 6 fields; a schedule has exactly 5'],
    ['60 * * * *', 'minute "60": 60 is above the maximum 59'],
    ['0 24 * * *', 'hour "24": 24 is above the maximum 23'],
    ['0 0 0 * *', 'day of month "0": 0 is below the minimum 1'],
    ['0 0 32 * *', 'day of month "32": 32 is above the maximum 31'],
    ['0 0 * 13 *', 'month "13": 13 is above the maximum 12'],
    ['0 0 * * 7', 'day of week "7": 7 is above the maximum 6'],
    ['0 0 * * 1-7', 'day of week "1-7": 7 is above the maximum 6'],
    ['5-1 * * * *', 'the range starts at 5, after its end 1'],
    ['*/0 * * * *', 'the step must be a positive number'],
    ['*/-1 * * * *', 'negative number -1 not allowed'],
    ['1-2-3 * * * *', 'too many hyphens'],
    ['*/2/3 * * * *', 'too many slashes'],
    ['-5 * * * *', '"" is not a number'],
    ['x * * * *', '"x" is not a number'],
    ['0 0 * * jan', '"jan" is not a number'], // month names only in the month field
    ['0 0 L * *', '"L" is not a number'],
    ['0 0 * * 1#2', '"1#2" is not a number'],
    ['1_0 * * * *', '"1_0" is not a number'],
    ['99999999999999999999 * * * *', 'is out of range'],
    ['CRON_TZ=UTC 0 0 * * *', 'names a time zone (TZ= or CRON_TZ=), which the CronJob API refuses'],
    ['TZ=Europe/Paris 0 0 * * *', 'names a time zone'],
    ['@Daily', 'is not a descriptor'],
    ['@daily ', 'is not a descriptor'],
    [' @daily', 'has 1 field'],
    ['@every 1d', '@every needs a Go duration'],
    ['@every  1h', '@every needs a Go duration'],
    ['@reboot', 'is not a descriptor'],
    ['0 0 * * *\u200b', '"*\u200b" is not a number'], // a zero-width space is not a space to Go
  ])('refuses %p: %s', (schedule, problem) => {
    expect(cronScheduleProblem(schedule)).toContain(problem);
  });
});

// A generator of valid fields for each position, from the bounds alone.
const validPart = (i: number) => {
  const { min, max, names } = CRON_FIELDS[i];
  const value = fc.integer({ min, max });
  const atom = names ? fc.oneof(value.map(String), fc.constantFrom(...Object.keys(names)).chain((n) => fc.constantFrom(n, n.toUpperCase()))) : value.map(String);
  return fc.oneof(
    fc.constantFrom('*', '?'),
    atom,
    fc.tuple(value, value).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.tuple(fc.constantFrom('*', String(min)), fc.integer({ min: 1, max: 100 })).map(([from, step]) => `${from}/${step}`),
  );
};
const validField = (i: number) => fc.array(validPart(i), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(','));
const validFields = fc.tuple(validField(0), validField(1), validField(2), validField(3), validField(4));
const goSpace = fc.array(fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2003', '\u3000'), { minLength: 1, maxLength: 3 }).map((s) => s.join(''));

describe('cron schedule properties', () => {
  test('five fields of in-bounds values, ranges and steps are accepted, whatever the whitespace between them', () => {
    fc.assert(fc.property(validFields, fc.array(goSpace, { minLength: 4, maxLength: 4 }), (fields, spaces) => {
      const schedule = fields.map((f, i) => f + (spaces[i] ?? '')).join('');
      expect(cronScheduleProblem(schedule)).toBeUndefined();
    }));
  });

  test('a value past a field\'s bounds is refused, naming the field', () => {
    fc.assert(fc.property(validFields, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 10_000 }), (fields, i, over) => {
      const bad = [...fields];
      bad[i] = String(CRON_FIELDS[i].max + over);
      expect(cronScheduleProblem(bad.join(' '))).toContain(`${CRON_FIELDS[i].name} "${bad[i]}": ${bad[i]} is above the maximum ${CRON_FIELDS[i].max}`);
    }));
  });

  test('any other number of fields is refused', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('*', '0', '1-2'), { maxLength: 9 }).filter((f) => f.length !== 5 && f.length > 0), (fields) => {
      expect(cronScheduleProblem(fields.join(' '))).toBe(`has ${fields.length} field${fields.length === 1 ? '' : 's'}; a schedule has exactly 5: minute hour day-of-month month day-of-week`);
    }));
  });

  test('a schedule holding "TZ" anywhere is refused', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (before, after) => {
      expect(cronScheduleProblem(`${before}TZ${after}`)).toContain('names a time zone');
    }));
  });

});

test('hints: a bare descriptor name suggests the descriptor, day of week 7 says Sunday is 0', () => {
  expect(cronScheduleProblem('weekly')).toBe('has 1 field; a schedule has exactly 5: minute hour day-of-month month day-of-week (or the descriptor @weekly)');
  expect(cronScheduleProblem('0 3 * * 7')).toBe('day of week "7": 7 is above the maximum 6; Sunday is 0');
  expect(cronScheduleProblem('0 3 * 13 *')).not.toMatch(/Sunday/);
});

// robfig/cron v3 spec.go dayMatches: both day fields must match when either is `*` or `?` (a
// step over 1 clears that mark), either one otherwise; Next() gives up after five years.
describe('schedules the API server accepts but that never (or rarely) fire', () => {
  test.each([
    '0 0 30 2 *', '0 0 31 2 *', '0 0 31 4,6,9,11 *', '0 0 31 2,4 *', '0 0 30-31 feb ?', '0 0 30 2 */1', '0 0 31 2-2 *',
  ])('%p never fires', (schedule) => {
    expect(cronScheduleProblem(schedule)).toBeUndefined();
    expect(cronScheduleRarity(schedule)).toBe('never');
  });

  test.each(['0 0 29 2 *', '0 0 29-31 2 ?', '0 0 29/5 feb *'])('%p fires only in leap years', (schedule) => {
    expect(cronScheduleRarity(schedule)).toBe('leap-years');
  });

  test.each([
    '0 0 30 2 1', // day of month OR day of week: every Monday in February
    '0 0 30 2 */2', // a step over 1 is not `*`: OR again
    '0 0 * 2 1', // day of month `*`: every Monday in February
    '0 0 28,30 2 *', '0 0 31 1-12 *', '0 0 31 4,5 *', '0 0 28 2 *', '0 0 */30 2 *', '0 0 * * *',
    '@yearly', '@every 24h',
    '0 0 31 2', // refused by the API server: another rule's
  ])('%p is not flagged', (schedule) => {
    expect(cronScheduleRarity(schedule)).toBeUndefined();
  });
});

