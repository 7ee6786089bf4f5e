// Go's time.ParseDuration, exactly: the operator reads keepYoungerThanDuration into a
// metav1.Duration, whose JSON decoding is time.ParseDuration, and robfig/cron reads `@every <d>`
// with it too. The grammar is [-+]?([0-9]*(\.[0-9]*)?unit)+ or a bare "0"; units ns, us, µs, μs,
// ms, s, m, h (no days); the total must fit in an int64 of nanoseconds.

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  '\u00b5s': 1_000n, // µ, MICRO SIGN
  '\u03bcs': 1_000n, // μ, GREEK SMALL LETTER MU
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const LIMIT = 1n << 63n;

/** A parsed duration (`nanoseconds`), or why Go would refuse the text (`problem`). */
export type GoDuration = { readonly nanoseconds: bigint; readonly problem?: undefined } | { readonly nanoseconds?: undefined; readonly problem: string };

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Parses `text` as Go's time.ParseDuration does. */
export function parseGoDuration(text: string): GoDuration {
  const invalid = { problem: 'is not a Go duration' };
  let s = text;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { nanoseconds: 0n };
  if (s === '') return invalid;
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return invalid;
    // The whole part; Go refuses one above 2^63 as it reads it.
    let i = 0;
    let whole = 0n;
    while (isDigit(s[i])) {
      if (whole > LIMIT / 10n) return invalid;
      whole = whole * 10n + BigInt(s.charCodeAt(i) - 48);
      if (whole > LIMIT) return invalid;
      i++;
    }
    const hasWhole = i > 0;
    // The fraction: digits past what fits are read and dropped, as Go's leadingFraction does.
    let fraction = 0n;
    let scale = 1;
    let hasFraction = false;
    if (s[i] === '.') {
      i++;
      let overflow = false;
      while (isDigit(s[i])) {
        hasFraction = true;
        if (!overflow) {
          if (fraction > (LIMIT - 1n) / 10n) overflow = true;
          else {
            const next = fraction * 10n + BigInt(s.charCodeAt(i) - 48);
            if (next > LIMIT) overflow = true;
            else {
              fraction = next;
              scale *= 10;
            }
          }
        }
        i++;
      }
    }
    if (!hasWhole && !hasFraction) return invalid;
    let end = i;
    while (end < s.length && s[end] !== '.' && !isDigit(s[end])) end++;
    if (end === i) return { problem: 'has a number without a unit (ns, us, ms, s, m or h)' };
    const unitText = s.slice(i, end);
    const unit = UNITS[unitText];
    if (unit === undefined) return { problem: `has the unit ${JSON.stringify(unitText)}, which Go does not know (ns, us, ms, s, m, h; no days or weeks)` };
    s = s.slice(end);
    if (whole > LIMIT / unit) return invalid;
    let value = whole * unit;
    if (fraction > 0n) {
      // Go computes the fraction in float64 and truncates it: so does this.
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (value > LIMIT) return invalid;
    }
    total += value;
    if (total > LIMIT) return invalid;
  }
  if (negative) return { nanoseconds: -total };
  if (total > LIMIT - 1n) return invalid;
  return { nanoseconds: total };
}

/** `nanoseconds` as a Go duration that parses back to it, shortest units first dropped: 5400000000000 -> "1h30m". */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const sign = nanoseconds < 0n ? '-' : '';
  let rest = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  let text = '';
  for (const unit of ['h', 'm', 's', 'ms', 'us', 'ns']) {
    const size = UNITS[unit];
    const count = rest / size;
    rest -= count * size;
    if (count > 0n) text += `${count}${unit}`;
  }
  return sign + text;
}
