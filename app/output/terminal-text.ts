// Text from outside (a registry, a config file) shown on a terminal: control characters could move
// the cursor, rewrite the title, hide text or reorder it (bidi overrides), so they are shown as
// visible escapes instead. For people only: JSON output has its own escaping.

// C0, DEL, C1; Unicode bidi marks, embeddings, overrides and isolates; line/paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters as visible escapes: ESC -> `\x1b`, newline -> `\n`, U+202E -> `\u202e`. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return SHORT[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}
