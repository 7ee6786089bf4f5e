import { checkCelSchema, PER_CALL_LIMIT, RUNTIME_COST_BUDGET } from '../../../../lib/rules/cel/evaluate';
import { CEL_TIME_BUDGET_MS, Meter, REGEX_WORK_LIMIT } from '../../../../lib/rules/cel/meter';
import { regexInstructions } from '../../../../lib/rules/cel/library';
import { RE2JS } from 're2js';
import { celSchemaOf } from '../../../../lib/rules/cel/schema';
import { crd, K8S_1_36, rule, run } from './cel-fixtures';

// The integration tier's part of evaluate.test.ts: hostile rules and values that run into the
// API server's cost limits and this tool's time and regular-expression bounds (seconds each).
// Each test starts with the process's CEL time budget unspent.
beforeEach(() => {
  Meter.timeSpentMs = 0;
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
