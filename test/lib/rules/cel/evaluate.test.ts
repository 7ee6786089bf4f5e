import { checkCelSchema, fieldPathOf, PER_CALL_LIMIT, RUNTIME_COST_BUDGET } from '../../../../lib/rules/cel/evaluate';
import { CEL_TIME_BUDGET_MS, Meter, REGEX_WORK_LIMIT } from '../../../../lib/rules/cel/meter';
import { regexInstructions } from '../../../../lib/rules/cel/library';
import { RE2JS } from 're2js';
import { celSchemaOf } from '../../../../lib/rules/cel/schema';

// Each test starts with the process's CEL time budget unspent (the budget tests spend seconds).
beforeEach(() => {
  Meter.timeSpentMs = 0;
});

// The evaluation of CRD rules as the API server does it (apiextensions-apiserver
// pkg/apiserver/schema/cel/validation.go), on small schemas written here.

const K8S_1_36 = { kubernetesMinor: 36 };
/** A CRD schema with `spec.<field>` of `schema`. */
const crd = (field: string, schema: object) => celSchemaOf({ type: 'object', properties: { spec: { type: 'object', properties: { [field]: schema } } } })!;
const run = (field: string, schema: object, value: unknown, options = K8S_1_36) => checkCelSchema(crd(field, schema), { spec: { [field]: value } }, options);
const rule = (text: string, extra: object = {}) => ({ 'x-kubernetes-validations': [{ rule: text, ...extra }] });

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

describe('hostile rules and values are bounded', () => {
  const list = (n: number) => Array.from({ length: n }, (_, i) => `item-${i}`);

  test('self.all(x, self.all(y, self.all(z, ...))) on 10,000 items stops at the per-call limit, in the API server\'s words', () => {
    const findings = run('l', { type: 'array', items: { type: 'string' }, ...rule("self.all(x, self.all(y, self.all(z, x + y + z != '')))") }, list(10_000));
    expect(findings).toEqual([{
      field: 'spec.l',
      message: expect.stringMatching(new RegExp(`^'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: .*one evaluation may cost at most ${PER_CALL_LIMIT}: PerCallLimit`)),
      severity: 'error',
    }]);
    // The same rule on 10 items costs little and passes.
    expect(run('l', { type: 'array', items: { type: 'string' }, ...rule("self.all(x, self.all(y, self.all(z, x + y + z != '')))") }, list(10))).toEqual([]);
  }, 60_000);

  test('work that grows faster than its inputs is charged by size before it is done: sets, indexOf, replace, a list or string doubled', () => {
    const cancelled = expect.stringMatching(/^'operation cancelled: actual cost limit exceeded'/);
    const ints = { type: 'array', items: { type: 'integer' } };
    const pair = (r: string, value: object) => checkCelSchema(celSchemaOf({ type: 'object', properties: { spec: { type: 'object', properties: { l: ints, m: ints, s: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: r }] } } })!, { spec: value }, K8S_1_36);
    const n = Array.from({ length: 20_000 }, (_, i) => i);
    expect(pair('sets.contains(self.l, self.m)', { l: n, m: n })).toEqual([{ field: 'spec', message: cancelled, severity: 'error' }]);
    expect(pair('self.l.map(x, self.l.indexOf(x)).size() > 0', { l: n })).toEqual([{ field: 'spec', message: cancelled, severity: 'error' }]);
    expect(pair("self.s.replace('', self.s).size() > 0", { s: 'a'.repeat(300_000) })).toEqual([{ field: 'spec', message: cancelled, severity: 'error' }]);
    const doubled = (end: string) => `cel.bind(x0, ['aaaa'], ${Array.from({ length: 28 }, (_, i) => `cel.bind(x${i + 1}, x${i} + x${i}, `).join('')}${end}${')'.repeat(29)}`;
    expect(pair(doubled('x28.size() > 0'), {})).toEqual([{ field: 'spec', message: cancelled, severity: 'error' }]);
    expect(pair(doubled("x28.join('').size() > 0"), {})).toEqual([{ field: 'spec', message: cancelled, severity: 'error' }]);
    // Small inputs cost little and pass, with Go's strings.Replace's results.
    expect(pair("sets.contains(self.l, self.m) && self.l.indexOf(2) == 1 && 'abc'.replace('', '-') == '-a-b-c-' && 'aXbXc'.replace('X', 'Y', 1) == 'aYbXc'", { l: [1, 2, 3], m: [3] })).toEqual([]);
  }, 60_000);

  test('matches, find and findAll cost what cel-go charges: a tenth of the string\'s length times a quarter of the pattern\'s', () => {
    const text = 'a'.repeat(4000);
    const findings = (expression: string) => run('s', { type: 'string', ...rule(expression) }, text, { ...K8S_1_36, perCallLimit: 1000 } as never);
    const exceeded = [{ field: 'spec.s', message: expect.stringMatching(/^'operation cancelled: actual cost limit exceeded'.*PerCallLimit/), severity: 'error' }];
    // ceil(4001 / 10) x ceil(4 / 4) = 401 passes; x ceil(16 / 4) = 1604 passes the limit of 1000.
    for (const call of ['matches', 'find', 'findAll']) {
      expect(findings(`self.${call}('b{1}') == self.${call}('b{1}')`)).toEqual([]);
      expect(findings(`self.${call}('bbbbbbbbbbbbbbbb') == self.${call}('b')`)).toEqual(exceeded);
    }
  });

  test('a regular expression whose work here would pass the limit is not run: a warning that the rule was not checked, never an error', () => {
    expect(regexInstructions(RE2JS.compile('(a{1,30}){1,30}[0-9]'))).toBeGreaterThan(1000);
    const pattern = '(a{1,30}){1,30}[0-9]';
    const text = 'a'.repeat(Math.ceil(REGEX_WORK_LIMIT / regexInstructions(RE2JS.compile(pattern))));
    const findings = run('s', { type: 'string', ...rule(`!self.matches('${pattern}')`) }, text);
    expect(findings).toEqual([{ field: 'spec.s', message: `not checked against the CRD rule "!self.matches('${pattern}')": a regular expression in it would do more than ${REGEX_WORK_LIMIT} steps on this value here (characters times the instructions of its program); the API server runs it in Go, far faster`, severity: 'warning' }]);
    // The same rule on a short value runs, and judges.
    expect(run('s', { type: 'string', ...rule(`!self.matches('${pattern}')`) }, 'aaa1')).toEqual([{ field: 'spec.s', message: `failed rule: !self.matches('${pattern}')`, severity: 'error' }]);
  });

  test('rules that each stay under the per-call limit stop at the per-object budget', () => {
    // The API server's budget (10000000) takes seconds to spend; a tenth of it shows the same.
    expect([PER_CALL_LIMIT, RUNTIME_COST_BUDGET]).toEqual([1_000_000, 10_000_000]);
    const rules = Array.from({ length: 10 }, (_, i) => ({ rule: `self.all(x, self.all(y, x != y || x == y)) || ${i} == 0` }));
    const findings = checkCelSchema(crd('l', { type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': rules }), { spec: { l: list(400) } }, { ...K8S_1_36, budget: 1_000_000 });
    expect(findings).toEqual([{ field: 'spec.l', message: expect.stringMatching(/^validation failed due to running out of cost budget, no further validation rules will be run \(the rules of one object may cost at most 1000000: RuntimeCELCostBudget/), severity: 'error' }]);
  }, 60_000);

  test('a pathological regular expression runs in linear time (RE2), and an invalid one is a runtime error', () => {
    // RE2 (re2js): the backreference below is an error there, as in Go; JavaScript's RegExp would take it, and backtrack here for minutes.
    expect(run('s', { type: 'string', ...rule("self.matches('^(a+)+$')") }, `${'a'.repeat(100_000)}!`)).toHaveLength(1);
    expect(run('s', { type: 'string', ...rule("self.matches('(a)\\\\1')") }, 'aa')[0]).toEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(/evaluating rule/) }));
  });

  test('deeply nested values and expressions give findings or warnings, never a crash', () => {
    let value: unknown = 'leaf';
    for (let i = 0; i < 90; i++) value = { a: value };
    expect(run('o', { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...rule('has(self.a.a.a)') }, value)).toEqual([]);
    const deep = `${'('.repeat(5000)}true${')'.repeat(5000)}`;
    expect(run('s', { type: 'string', ...rule(deep) }, 'x')[0]).toEqual(expect.objectContaining({ severity: 'warning' }));
  });

  test('once CEL rules have run for the time budget in all (a folder of hostile objects), the rest are not checked, with a warning', () => {
    Meter.timeSpentMs = CEL_TIME_BUDGET_MS;
    expect(run('s', { type: 'string', ...rule("self == 'x'") }, 'y')).toEqual([{ field: 'spec.s', message: expect.stringMatching(/^not checked against the CRD rule "self == 'x'" or any later one: CEL rules have run for 10 s in all/), severity: 'warning' }]);
  });

  test('a messageExpression that runs past the per-call limit ends the rules, as the API server does', () => {
    const findings = run('l', { type: 'array', items: { type: 'string' }, ...rule('false', { messageExpression: "self.all(x, self.all(y, self.all(z, x != ''))) ? 'a' : 'b'" }) }, list(1000));
    expect(findings).toEqual([expect.objectContaining({ message: expect.stringMatching(/^no further validation rules will be run due to call cost exceeds limit for messageExpression/) })]);
  });
});
