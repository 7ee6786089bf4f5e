// Credentials must never reach a terminal or a log, not even when a hostile registry echoes them
// back in a Link, a redirect, a realm or a name that a message then quotes. The client registers
// them here; errors and warnings pass through `redact`.
import { escapeControl } from '../output/terminal-text';

const secrets = new Set<string>();

/** Remembers credentials, in the forms a message could show them. Very short ones would garble every message. */
export function addSecret(...values: string[]): void {
  for (const value of values) {
    if (value.length >= 4) for (const form of [value, encodeURIComponent(value), escapeControl(value)]) secrets.add(form);
  }
}

export function redact(text: string): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join('***');
  return result;
}

/** A warning line on stderr, escaped and redacted; on a terminal it first clears the progress line. */
export function warnOnStderr(message: string): void {
  process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}warning: ${redact(escapeControl(message))}\n`);
}
