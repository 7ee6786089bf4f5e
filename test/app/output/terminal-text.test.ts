import { escapeControl } from '../../../app/output/terminal-text';

describe('escapeControl', () => {
  test('plain text, quotes, backslashes and non-control Unicode are unchanged', () => {
    expect(escapeControl('registry.replicas: "x" \\ é 漢字 🙂')).toBe('registry.replicas: "x" \\ é 漢字 🙂');
  });

  test('C0 controls, newline and tab included, are escaped visibly', () => {
    expect(escapeControl('\x1b]0;pwned\x07')).toBe('\\x1b]0;pwned\\x07');
    expect(escapeControl('a\nb\tc\rd\0')).toBe('a\\x0ab\\x09c\\x0dd\\x00');
  });

  test('DEL and C1 controls (8-bit CSI) are escaped', () => {
    expect(escapeControl('\x7f\x9b31m\x85')).toBe('\\x7f\\x9b31m\\x85');
  });

  test('bidi overrides, embeddings, isolates and marks are escaped', () => {
    expect(escapeControl('admin\u202e\u2066x\u2069\u200f')).toBe('admin\\u202e\\u2066x\\u2069\\u200f');
  });

  test('no control character survives, whatever the input', () => {
    const all = Array.from({ length: 0x2100 }, (_, i) => String.fromCharCode(i)).join('');
    expect(escapeControl(all)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
  });
});
