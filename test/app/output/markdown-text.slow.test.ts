import fc from 'fast-check';
import { markdownText } from '../../../app/output/markdown-text';
import { escapeControl } from '../../../app/output/terminal-text';
import { hostile, rendered } from './markdown-properties';

// The integration tier's part of markdown-text.test.ts: the escaping property over generated text.

describe('markdownText', () => {
  test('any text: nothing Markdown reads is left unescaped, and the reader sees the text (control characters escaped)', () => {
    fc.assert(fc.property(hostile(), (s) => {
      const out = markdownText(s);
      // Every special character is escaped (an even run of backslashes before it would be text).
      expect(out).not.toMatch(/(^|[^\\])(\\\\)*[`*_~{}[\]<>|!$]/);
      expect(out).not.toMatch(/(^|[^\\])(\\\\)*&(?!#8203;)/);
      expect(out.replace(/&#8203;/g, '\u200b')).not.toMatch(/[@#](?!\u200b)/);
      expect(out).not.toMatch(/(^|[^\\])(\\\\)*:\/\//);
      expect(out).not.toMatch(/www\./i);
      expect(out).not.toMatch(/[\r\n]/);
      expect(rendered(out).replace(/\u200b/g, '')).toBe(escapeControl(s).replace(/\u200b/g, ''));
    }));
  });
});
