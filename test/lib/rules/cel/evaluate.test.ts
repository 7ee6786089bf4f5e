import { fieldPathOf } from '../../../../lib/rules/cel/evaluate';
import { Meter } from '../../../../lib/rules/cel/meter';
import { celSchemaOf } from '../../../../lib/rules/cel/schema';
import { rule, run } from './cel-fixtures';

// Each test starts with the process's CEL time budget unspent (the budget tests spend seconds).
beforeEach(() => {
  Meter.timeSpentMs = 0;
});


describe('values are typed as the API server types them', () => {
  test('integer fields are int, number fields double, also when the JSON number is whole', () => {
    expect(run('n', { type: 'integer', ...rule('self == 3 && type(self) == int') }, 3)).toEqual([]);
    expect(run('d', { type: 'number', ...rule('type(self) == double && self == 3.0') }, 3)).toEqual([]);
    expect(run('d', { type: 'number', ...rule('self + 1 > 0') }, 3)[0].message).toMatch(/overload/);
  });

  test('int-or-string is an int or a string; date-time a timestamp; duration a duration', () => {
    expect(run('p', { 'x-kubernetes-int-or-string': true, ...rule("type(self) == int ? self > 0 : self.startsWith('p')") }, 8080)).toEqual([]);
    expect(run('p', { 'x-kubernetes-int-or-string': true, ...rule("type(self) == int ? self > 0 : self.startsWith('p')") }, 'x')).toHaveLength(1);
    expect(run('t', { type: 'string', format: 'date-time', ...rule("self < timestamp('2030-01-01T00:00:00Z')") }, '2026-01-01T00:00:00Z')).toEqual([]);
    expect(run('t', { type: 'string', format: 'date-time', ...rule("self < timestamp('2030-01-01T00:00:00Z')") }, '2031-01-01T00:00:00Z')).toHaveLength(1);
    expect(run('d', { type: 'string', format: 'duration', ...rule("self <= duration('1h')") }, '90m')).toHaveLength(1);
    expect(run('d', { type: 'string', format: 'duration', ...rule("self <= duration('1h')") }, '30m')).toEqual([]);
  });

  test('an object\'s unset field is false for has() and an error when read; a map is a map', () => {
    const obj = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } };
    expect(run('o', { ...obj, ...rule('!has(self.b)') }, { a: 'x' })).toEqual([]);
    expect(run('o', { ...obj, ...rule("self.b == 'y'") }, { a: 'x' })).toEqual([{ field: 'spec.o', message: expect.stringMatching(/ evaluating rule: self\.b == 'y'$/), severity: 'error' }]);
    expect(run('m', { type: 'object', additionalProperties: { type: 'integer' }, ...rule("self.all(k, self[k] > 0) && 'a' in self") }, { a: 1, b: 2 })).toEqual([]);
  });

  test('defaults are applied before the rules run, as the API server defaults before it validates', () => {
    const schema = { type: 'object', properties: { mode: { type: 'string', default: 'Strict' }, extra: { type: 'string' } }, ...rule("self.mode != 'Strict' || !has(self.extra)", { message: 'extra only when not Strict' }) };
    expect(run('o', schema, { extra: 'x' })).toEqual([{ field: 'spec.o', message: 'extra only when not Strict', severity: 'error' }]);
    expect(run('o', schema, { mode: 'Loose', extra: 'x' })).toEqual([]);
  });

  test('rules run at their node for every list item and map value, never on null', () => {
    const items = { type: 'array', items: { type: 'string', ...rule("self != 'bad'", { message: 'no bad' }) } };
    expect(run('l', items, ['ok', 'bad', 'ok', 'bad']).map((f) => f.field)).toEqual(['spec.l[1]', 'spec.l[3]']);
    const values = { type: 'object', additionalProperties: { type: 'string', ...rule("self != 'bad'") } };
    expect(run('m', values, { a: 'ok', 'b.c': 'bad' }).map((f) => f.field)).toEqual(['spec.m[b.c]']);
    expect(run('s', { type: 'string', nullable: true, ...rule("self != ''") }, null)).toEqual([]);
  });
});

describe('messages as the API server words them', () => {
  test('message, else "failed rule: <rule>"; messageExpression, falling back to message when it fails', () => {
    expect(run('n', { type: 'integer', ...rule('self > 1') }, 1)[0].message).toBe('failed rule: self > 1');
    expect(run('n', { type: 'integer', ...rule('self > 1', { message: ' too small ' }) }, 1)[0].message).toBe('too small');
    expect(run('n', { type: 'integer', ...rule('self > 1', { messageExpression: "'got ' + string(self)" }) }, 1)[0].message).toBe('got 1');
    // An error, a non-string, an empty string or a line break: the message (or the default) instead.
    for (const messageExpression of ["'x' + self", 'self', "''", "'a\\nb'", "'x'.repeat(10000)"]) {
      expect(run('n', { type: 'integer', ...rule('self > 1', { messageExpression, message: 'fallback' }) }, 1)[0].message).toBe('fallback');
    }
  });

  test('fieldPath puts the finding below the rule\'s node', () => {
    const schema = { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } } } }, ...rule("self.a.b != 'x'", { fieldPath: '.a.b', reason: 'FieldValueForbidden', message: 'not x' }) };
    expect(run('o', schema, { a: { b: 'x' } })).toEqual([{ field: 'spec.o.a.b', message: 'not x', severity: 'error' }]);
    expect(fieldPathOf('spec', ".a['b.c'][2]")).toBe('spec.a.b.c[2]');
    expect(fieldPathOf('spec', 'not a path')).toBe('spec');
  });

  test('a runtime error is "<error> evaluating rule: <message or rule>"', () => {
    expect(run('l', { type: 'array', items: { type: 'integer' }, ...rule('self[5] > 0', { message: 'fifth' }) }, [1])).toEqual([
      { field: 'spec.l', message: expect.stringMatching(/ evaluating rule: fifth$/), severity: 'error' },
    ]);
  });

  test('transition rules (oldSelf) are left out: there is no stored object offline', () => {
    expect(celSchemaOf({ type: 'integer', ...rule('self >= oldSelf') })).toBeUndefined();
    expect(run('n', { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self >= oldSelf' }, { rule: 'self > 0' }] }, -1).map((f) => f.message)).toEqual(['failed rule: self > 0']);
  });

  test('a name no rule can use (`self` is the only variable) is unresolved, also where it names a property every JavaScript object has', () => {
    for (const text of ['prototype', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(run('s', { type: 'string', ...rule(`${text} == 'x'`) }, 'x')).toEqual([
        { field: 'spec.s', message: expect.stringMatching(/^not checked against the CRD rule .*: unresolved attribute/), severity: 'warning' },
      ]);
    }
  });

  test('a rule this validator cannot compile or run is a warning that it was not checked, never a failure', () => {
    for (const text of ['self.', 'self.?a.orValue(1) == 1', "format.dns1123Label().validate(self).hasValue()", "ip(self).family() == 4"]) {
      const [finding] = run('s', { type: 'string', ...rule(text) }, 'x');
      expect(finding).toEqual({ field: 'spec.s', message: expect.stringMatching(/^not checked against the CRD rule /), severity: 'warning' });
    }
  });
});

describe('the Kubernetes CEL library of the cluster\'s version', () => {
  const ok = (text: string, value: unknown, minor = 36) => run('v', { ...rule(text) }, value, { kubernetesMinor: minor });

  test.each([
    ["self.lowerAscii() == 'abc' && self.upperAscii() == 'ABC'", 'aBc'],
    ["self.split(',') == ['a', 'b'] && ['a', 'b'].join('-') == 'a-b' && self.replace(',', ';') == 'a;b'", 'a,b'],
    ["self.indexOf('b') == 2 && self.substring(0, 1) == 'a' && self.charAt(2) == 'b' && ' x '.trim() == 'x'", 'a,b'],
    ["self.find('[0-9]+') == '12' && self.findAll('[0-9]+') == ['12', '345'] && self.findAll('[0-9]+', 1) == ['12']", 'ab12cd345'],
    ["self.matches('^[[:alpha:]]+$')", 'abc'],
    ['[1, 2, 3].isSorted() && [3, 1].sum() == 4 && [3, 1].min() == 1 && [3, 1].max() == 3 && [1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2', 'x'],
    ["isURL(self) && url(self).getScheme() == 'https' && url(self).getHost() == 'example.com:8443' && url(self).getHostname() == 'example.com' && url(self).getPort() == '8443' && url(self).getEscapedPath() == '/a' && url(self).getQuery()['q'] == ['1']", 'https://example.com:8443/a?q=1'],
    ["isQuantity(self) && quantity(self).isGreaterThan(quantity('1Gi')) && quantity(self).compareTo(quantity('2048Mi')) == 0 && quantity(self).isInteger() && quantity('1.5').asApproximateFloat() == 1.5 && quantity('500m').add(1).compareTo(quantity('1500m')) == 0", '2Gi'],
    ['sets.contains([1, 2, 3], [2]) && sets.equivalent([1, 2], [2, 1]) && sets.intersects([1], [1, 5])', 'x'],
    ['cel.bind(n, self.size(), n > 0 && n < 10)', 'abc'],
  ])('%s', (text, value) => {
    expect(ok(text, value)).toEqual([]);
  });

  test('quantity() comes with Kubernetes 1.28 (OpenShift 4.15), sets with 1.29 (4.16): before, a rule using them is not checked', () => {
    expect(ok("quantity(self).isInteger()", '1', 27)[0]).toEqual(expect.objectContaining({ severity: 'warning' }));
    expect(ok("quantity(self).isInteger()", '1', 28)).toEqual([]);
    expect(ok('sets.contains([1], [1])', 'x', 28)[0]).toEqual(expect.objectContaining({ severity: 'warning' }));
  });
});

// Hostile rules and values, bounded by the API server's limits and this tool's: in the integration
// tier (evaluate.slow.test.ts), as they spend seconds on purpose.

