// Text from files (a cluster folder's name, an object's name, keys, values) in a Markdown report
// that GitHub shows as a pull-request comment: it must show as the text it is, never as a link, an
// image, HTML, emphasis, a cell of its own, a mention that notifies someone or an issue reference.
// Control characters become visible escapes first (terminal-text.ts), so no text adds a line.
//
// What GitHub's renderer (github/cmark-gfm) reads, and how each is kept out:
// - a backslash before ASCII punctuation makes it plain text (CommonMark, "Backslash escapes"):
//   emphasis, links, images, HTML, entities, math (`$`);
// - a table cell ends at a `|` without a backslash; inside a cell `\|` is a `|`, in a code span too
//   (extensions/ext_scanners.re `table_cell`, extensions/table.c `unescape_pipes`);
// - a bare URL becomes a link at a `:` followed by `//`, or at `www.` (extensions/autolink.c
//   `url_match`, `www_match`): an escaped `:` or `.` is plain text, never seen by them;
// - an e-mail address becomes a link at an `@` followed by a domain (autolink.c `postprocess_text`),
//   and GitHub links `@user` and `#12` (a mention notifies the user) in the rendered text, outside
//   code and links, where no escape is left: a zero-width space after `@` and `#` breaks them, as
//   Renovate does in its comments (renovatebot/renovate lib/util/markdown.ts sanitizeMarkdown).
import { escapeControl } from './terminal-text';

/** Characters escaped with a backslash in plain text. `(`, `)`, `-`, `.`, `/`, `:` are left as they read. */
const PUNCTUATION = /[\\`*_~{}[\]<>|&!$]/g;
/** A zero-width space, as a character reference (the Markdown stays ASCII and shows it). */
const BREAK = '&#8203;';

/** `s` as plain text in Markdown, in a paragraph or a table cell. */
export function markdownText(s: string): string {
  return escapeControl(s)
    .replace(PUNCTUATION, '\\$&')
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/(www)\./gi, '$1\\.')
    .replace(/[@#]/g, `$&${BREAK}`);
}

/**
 * `s` as a code span, where nothing is Markdown: fenced by one backtick more than its longest run
 * of them (CommonMark, "Code spans"); in a table cell (`inTable`), `|` is escaped. Empty for ''.
 */
export function markdownCode(s: string, { inTable = false } = {}): string {
  const text = inTable ? escapeControl(s).replace(/\|/g, '\\|') : escapeControl(s);
  if (!text) return '';
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  // A span drops one space each side when it has both and is not all spaces: a span that starts
  // or ends with a backtick needs them, and one that starts or ends with a space keeps its own.
  const pad = /^[ `]|[ `]$/.test(text) && /[^ ]/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
