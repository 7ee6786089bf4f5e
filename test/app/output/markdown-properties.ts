import fc from 'fast-check';

// Any code point, lone surrogates too, as fc.string's 'binary' unit gives (which, nested as a unit
// of another string, costs fast-check over half a second to set up).
const anyCodePoint = fc.nat({ max: 0x10ffff }).map((c) => String.fromCodePoint(c));

/** Text with what Markdown reads in it: punctuation, URL and mention parts, breaks, control characters, anything. */
export const hostile = (minLength = 0) => fc.string({ minLength, unit: fc.oneof(fc.constantFrom(...'\\`*_~{}[]<>|!$&@#:/.-( )\n\r\t\x1b\u202e'), fc.constantFrom('www.', 'WWW.', '://', '&#8203;', '\u200b'), anyCodePoint) });

/**
 * What a reader of the comment sees of markdownText's output: CommonMark drops the backslash of
 * an escaped ASCII punctuation character, and the character reference is the zero-width space.
 */
export const rendered = (markdown: string) => markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1').replace(/&#8203;/g, '\u200b');
