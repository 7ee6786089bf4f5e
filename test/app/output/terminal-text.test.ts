import { escapeControl } from '../../../app/output/terminal-text';

test('control characters become visible escapes; other text is unchanged', () => {
  expect(escapeControl('plain/name:v1.0 ünïcødé ✓')).toBe('plain/name:v1.0 ünïcødé ✓');
  expect(escapeControl('a\x1b[31mred\x1b]0;title\x07\r\n\t\x00\x7f')).toBe('a\\x1b[31mred\\x1b]0;title\\x07\\r\\n\\t\\x00\\x7f');
  expect(escapeControl('\u0085\u009b\u009d')).toBe('\\x85\\x9b\\x9d');
  expect(escapeControl('abc\u202egnp.exe\u2066\u2069\u202a')).toBe('abc\\u202egnp.exe\\u2066\\u2069\\u202a');
  expect(escapeControl('\u200e\u200f\u061c\u2028\u2029')).toBe('\\u200e\\u200f\\u061c\\u2028\\u2029');
});

test('the result has no control characters left, whatever the input', () => {
  const all = Array.from({ length: 0x2100 }, (_, i) => String.fromCharCode(i)).join('');
  expect(escapeControl(all)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
});
