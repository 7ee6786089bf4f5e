// What discover's messages may show. They quote what a registry sent (names, Links, realms,
// redirects), and a hostile registry can send control characters or echo the credentials back:
// quoted values are escaped and credentials hidden, so they reach neither a terminal nor a log.
import { escapeControl } from '../output/terminal-text';

const secrets = new Set<string>();

/** Remembers credentials, in the forms a quoted value could show them (very short ones are not worth it). */
export function addSecret(...values: string[]): void {
  for (const value of values) {
    if (value.length < 4) continue;
    // As sent, as a URL's path or query re-encodes it (a redirect or Link that echoes it), escaped.
    const inUrl = (prefix: string) => { try { return new URL(prefix + value, 'http://x').href.slice(`http://x${prefix}`.length); } catch { return value; } };
    for (const form of [value, encodeURIComponent(value), encodeURI(value), inUrl('/'), inUrl('/?'), escapeControl(value), JSON.stringify(value).slice(1, -1)]) secrets.add(form);
  }
}

function redact(text: string): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join('***');
  return result;
}

/** A registry's text for a message: not a screenful, and redacted before the cut could split a secret. */
export function shorten(text: string, max = 120): string {
  const safe = redact(text);
  return safe.length > max ? `${safe.slice(0, max)}...` : safe;
}

/**
 * A message template: msg`${host} answered ${what}`. Each value is escaped and credentials in it
 * become `***`; the template's own words stay as written (a password like "wrong" must not
 * garble "wrong or expired").
 */
export function msg(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((text, part, i) => text + part + (i < values.length ? redact(escapeControl(String(values[i]))) : ''), '');
}

/** A warning line on stderr; on a terminal it first clears the progress line. */
export function warnOnStderr(message: string): void {
  process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}warning: ${escapeControl(message)}\n`);
}
