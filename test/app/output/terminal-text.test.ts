import { formatMarkdown, formatText, ObjectChange } from '../../../app/diff/object-diff';
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

describe('diff output', () => {
  test('object names and keys from files cannot move the cursor or forge a line', () => {
    const changes: ObjectChange[] = [{ change: 'changed', cluster: 'prod', object: 'v1 ConfigMap x/evil\x1b[2J', fields: [{ path: 'data.k\nforged', before: 'a', after: 'b' }] }];
    for (const text of [formatText(changes), formatMarkdown(changes)]) {
      expect(text).not.toMatch(/[\x1b]/);
      expect(text).toContain('evil\\x1b[2J');
      expect(text).toContain('data.k\\nforged');
    }
  });
});
