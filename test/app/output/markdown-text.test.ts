import fc from 'fast-check';
import { markdownCode, markdownText } from '../../../app/output/markdown-text';
import { escapeControl } from '../../../app/output/terminal-text';
import { hostile, rendered } from './markdown-properties';

// The escaping property over generated text runs in the integration tier (markdown-text.slow.test.ts).

describe('markdownText', () => {
  test('names as Kubernetes writes them read as they are', () => {
    for (const name of ['default', 'minio-s3', 'prod-eu-1', 'v1 PersistentVolumeClaim openshift-image-registry/image-registry-pvc', 'imageregistry.operator.openshift.io/v1 Config cluster', 'oc delete pvc -n ns data (named by the operator)']) {
      expect(markdownText(name)).toBe(name);
    }
  });

  test('a link, an image, HTML, a mention, an issue reference and a table cell stay text', () => {
    expect(markdownText('@octocat [click here](https:evil.example) <img src=https:evil.example> | x'))
      .toBe('@&#8203;octocat \\[click here\\](https:evil.example) \\<img src=https:evil.example\\> \\| x');
    expect(markdownText('![i](https://evil.example/x.png)')).toBe('\\!\\[i\\](https\\://evil.example/x.png)');
    expect(markdownText('see #12 and acme/repo#3, mail a@b.example')).toBe('see #&#8203;12 and acme/repo#&#8203;3, mail a@&#8203;b.example');
    expect(markdownText('*bold* _em_ ~~gone~~ `code` $x^2$ &#64;octocat')).toBe('\\*bold\\* \\_em\\_ \\~\\~gone\\~\\~ \\`code\\` \\$x^2\\$ \\&#&#8203;64;octocat');
  });

  test('a bare URL is not linked: the `:` of `://` and the `.` of `www.` are escaped', () => {
    expect(markdownText('https://evil.example (www.evil.example) *WWW.evil.example')).toBe('https\\://evil.example (www\\.evil.example) \\*WWW\\.evil.example');
  });

  test('a line break or an escape sequence becomes a visible escape, not a new line', () => {
    expect(markdownText('a\n| b |\x1b[2J')).toBe('a\\\\n\\| b \\|\\\\x1b\\[2J');
    expect(rendered(markdownText('a\n| b |\x1b[2J'))).toBe('a\\n| b |\\x1b[2J');
  });

});

describe('markdownCode', () => {
  test('a plain name is one backtick each side', () => {
    expect(markdownCode('v1 PersistentVolumeClaim openshift-image-registry/data')).toBe('`v1 PersistentVolumeClaim openshift-image-registry/data`');
    expect(markdownCode('spec.storage.s3')).toBe('`spec.storage.s3`');
  });

  test('backticks inside get a longer fence, and a leading or trailing one a space', () => {
    expect(markdownCode('a`b``c')).toBe('```a`b``c```');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    expect(markdownCode(' x')).toBe('`  x `');
    expect(markdownCode('  ')).toBe('`  `');
    expect(markdownCode('')).toBe('');
  });

  test('in a table cell, `|` is escaped (cmark-gfm ends a cell at any other); outside one it is left as it is', () => {
    expect(markdownCode('a|b\\|c', { inTable: true })).toBe('`a\\|b\\\\|c`');
    expect(markdownCode('a|b')).toBe('`a|b`');
  });

  test('any text: one code span that holds the text, with no line break and, in a table, no bare `|`', () => {
    fc.assert(fc.property(hostile(1), (s) => {
      const out = markdownCode(s, { inTable: true });
      const fence = /^`+/.exec(out)![0];
      expect(out.endsWith(fence)).toBe(true);
      const inside = out.slice(fence.length, out.length - fence.length);
      // No run of backticks as long as the fence inside: the span cannot end early.
      expect(inside.match(/`+/g)?.every((run) => run.length !== fence.length) ?? true).toBe(true);
      expect(inside).not.toMatch(/(^|[^\\])\|/);
      expect(out).not.toMatch(/[\r\n]/);
      // What cmark-gfm shows: the table drops the backslash before each `|`, the span one padding space each side.
      const shown = inside.replace(/\\\|/g, '|');
      expect(/^ .* $/s.test(shown) && /[^ ]/.test(shown) ? shown.slice(1, -1) : shown).toBe(escapeControl(s));
    }));
  });
});
