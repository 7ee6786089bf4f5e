import { goTrimSpace } from '../../../lib/rules/shapes';

describe('goTrimSpace', () => {
  test('cuts what Go\'s strings.TrimSpace cuts (Unicode White_Space, NEL among it), not U+FEFF as String.prototype.trim does', () => {
    expect(goTrimSpace(' \t\nReplace=true\r\u00a0\u3000')).toBe('Replace=true');
    expect(goTrimSpace('\u0085Replace=true\u0085')).toBe('Replace=true');
    expect('\u0085Replace=true'.trim()).not.toBe('Replace=true');
    expect(goTrimSpace('\ufeffReplace=true')).toBe('\ufeffReplace=true');
    expect(goTrimSpace(' a b ')).toBe('a b');
  });
});
