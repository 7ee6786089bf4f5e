// A CronJob schedule as the Kubernetes API server accepts it on create (pkg/apis/batch/validation
// validateScheduleFormat): robfig/cron v3's standard parser (cron.ParseStandard), and no "TZ"
// anywhere in the text (a TZ= or CRON_TZ= prefix; the timeZone field is the way, and the
// registry operator does not set it). Written out here because no npm cron parser has robfig's
// rules: exactly five fields, day of week 0-6 only (7 is refused), `?` as `*`, `*-5` read as `*`,
// `+5` as 5, `1,,2` as `1,2`, names in any case, descriptors @yearly ... @hourly and `@every <Go duration>`.
import { parseGoDuration } from './go-duration';
import { quote, show } from './shapes';

interface FieldBounds {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAY_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** The five fields of a standard schedule, in order. */
export const CRON_FIELDS: readonly FieldBounds[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'day of week', min: 0, max: 6, names: DAY_NAMES },
];

/** The descriptors robfig/cron accepts besides `@every <duration>`; case matters, nothing may follow. */
export const CRON_DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'] as const;

// Go's strings.Fields splits on unicode.IsSpace: ASCII whitespace, U+0085, U+00A0 and the
// Unicode White_Space characters (JavaScript's \s differs: it has U+FEFF and lacks U+0085).
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * Why the API server would refuse `schedule` in a CronJob it is asked to create, or undefined
 * when it accepts it. The texts follow robfig/cron's errors.
 */
export function cronScheduleProblem(schedule: string): string | undefined {
  const parsed = parseSchedule(schedule);
  return typeof parsed === 'string' ? parsed : undefined;
}

/** The days a schedule names, as robfig/cron v3 reads them (parser.go getRange, spec.go dayMatches). */
interface ParsedField {
  readonly values: ReadonlySet<number>;
  /** robfig's starBit: the field is `*` or `?` (step 1), so the other day field alone decides. */
  readonly star: boolean;
}

/** The five fields of an accepted schedule, undefined for a descriptor (which always fires), or why it is refused. */
function parseSchedule(schedule: string): ParsedField[] | undefined | string {
  if (schedule.length === 0) return 'is empty';
  if (schedule.includes('TZ')) return 'names a time zone (TZ= or CRON_TZ=), which the CronJob API refuses in a schedule';
  if (schedule.startsWith('@')) return descriptorProblem(schedule);
  const fields = schedule.split(GO_SPACE).filter((f) => f !== '');
  if (fields.length !== CRON_FIELDS.length) {
    const descriptor = fields.length === 1 && (CRON_DESCRIPTORS as readonly string[]).includes(`@${fields[0]}`) ? ` (or the descriptor @${fields[0]})` : '';
    return `has ${fields.length} field${fields.length === 1 ? '' : 's'}; a schedule has exactly 5: minute hour day-of-month month day-of-week${descriptor}`;
  }
  const parsed: ParsedField[] = [];
  for (const [i, field] of fields.entries()) {
    const values = new Set<number>();
    let star = false;
    // strings.FieldsFunc: empty list items are dropped, not refused.
    for (const part of field.split(',').filter((p) => p !== '')) {
      const range = parseRange(part, CRON_FIELDS[i]);
      if (typeof range === 'string') {
        // Other cron dialects take 7 for Sunday; robfig/cron does not.
        const sunday = i === 4 && range.endsWith('above the maximum 6') ? '; Sunday is 0' : '';
        return `${CRON_FIELDS[i].name} ${quote(field)}: ${range}${sunday}`;
      }
      range.values.forEach((v) => values.add(v));
      star ||= range.star;
    }
    parsed.push({ values, star });
  }
  return parsed;
}

// The longest each month gets: 29 February in leap years.
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * For a schedule the API server accepts: `never` when no date matches it, `leap-years` when only
 * 29 February does, otherwise undefined. robfig/cron v3 (spec.go dayMatches) needs both day
 * fields to match when either is `*` or `?`, and either one otherwise: `0 0 30 2 1` runs on every
 * Monday in February, `0 0 30 2 *` never. Next() then finds no time within five years and gives
 * the zero time, and the Kubernetes CronJob controller only records a warning event
 * ("InvalidSchedule ... time difference between two schedules is less than 1 second",
 * pkg/controller/cronjob/utils.go mostRecentScheduleTime) and never starts a Job.
 */
export function cronScheduleRarity(schedule: string): 'never' | 'leap-years' | undefined {
  const parsed = parseSchedule(schedule);
  if (parsed === undefined || typeof parsed === 'string') return undefined;
  const [, , dayOfMonth, month, dayOfWeek] = parsed;
  // Every month has every weekday: a day of week that counts on its own always matches.
  if (dayOfMonth.star || !dayOfWeek.star) return undefined;
  const dates = [...month.values].flatMap((m) => [...dayOfMonth.values].filter((d) => d <= DAYS_IN_MONTH[m - 1]).map((d) => [m, d]));
  if (!dates.length) return 'never';
  return dates.every(([m, d]) => m === 2 && d === 29) ? 'leap-years' : undefined;
}

function descriptorProblem(schedule: string): string | undefined {
  if ((CRON_DESCRIPTORS as readonly string[]).includes(schedule)) return undefined;
  const every = '@every ';
  if (schedule.startsWith(every)) {
    const parsed = parseGoDuration(schedule.slice(every.length));
    return parsed.problem === undefined ? undefined : `@every needs a Go duration such as 6h or 90m: ${quote(schedule.slice(every.length))} ${parsed.problem}`;
  }
  return `is not a descriptor; use one of ${CRON_DESCRIPTORS.join(', ')} or @every <duration>`;
}

/** robfig/cron getRange: `*`, `?`, a value or name, `a-b`, each with an optional `/step`. */
function parseRange(expr: string, bounds: FieldBounds): ParsedField | string {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    // Anything after `*-` is not read at all.
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    const low = intOrName(lowAndHigh[0], bounds);
    if (typeof low === 'string') return low;
    start = low;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const high = intOrName(lowAndHigh[1], bounds);
      if (typeof high === 'string') return high;
      end = high;
    } else return `too many hyphens in ${quote(expr)}`;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const parsed = nonNegativeInt(rangeAndStep[1]);
    if (typeof parsed === 'string') return parsed;
    step = parsed;
    // `N/step` means N to the maximum.
    if (lowAndHigh.length === 1) end = bounds.max;
    // `*/2` is not `*`: it names every other value.
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) return `too many slashes in ${quote(expr)}`;
  if (start < bounds.min) return `${start} is below the minimum ${bounds.min}`;
  if (end > bounds.max) return `${end} is above the maximum ${bounds.max}`;
  if (start > end) return `the range starts at ${start}, after its end ${end}`;
  if (step === 0) return `the step must be a positive number in ${quote(expr)}`;
  const values = new Set<number>();
  for (let v = start; v <= end; v += step) values.add(v);
  return { values, star };
}

function intOrName(text: string, bounds: FieldBounds): number | string {
  const named = bounds.names && Object.hasOwn(bounds.names, text.toLowerCase()) ? bounds.names[text.toLowerCase() as keyof typeof bounds.names] : undefined;
  if (named !== undefined) return named;
  return nonNegativeInt(text);
}

/** Go's strconv.Atoi (an optional sign, decimal digits, int64), then robfig's "negative number not allowed". */
function nonNegativeInt(text: string): number | string {
  if (!/^[+-]?[0-9]+$/.test(text)) return `${quote(text)} is not a number${text === '' ? ' (an empty value)' : ''}`;
  const value = BigInt(text);
  if (value > 2n ** 63n - 1n || value < -(2n ** 63n)) return `${quote(text)} is out of range`;
  if (value < 0n) return `negative number ${show(text)} not allowed`;
  // Any value this large is above every field's maximum: keep it as a number for the bounds check.
  return Number(value);
}
