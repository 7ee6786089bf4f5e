// Text that comes from files (keys, values, file names, kinds) is printed on terminals: escape
// what a terminal would act on instead of showing, so that a file cannot move the cursor, set
// the window title, hide text or reorder it.

/** C0 controls (newline and tab too), DEL, C1 controls, and Unicode bidi marks, embeddings, overrides and isolates. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with each control character written visibly: `\x1b`, `\x0a`, `\u202e`. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
