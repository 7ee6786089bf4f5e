// Evaluates a CRD's `x-kubernetes-validations` rules on an object as the API server does
// (k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel/validation.go): each rule at the
// schema node that holds it, with `self` the value there (for every item of a list and value of
// a map), typed by the schema (values.ts), skipped on null values, with the API server's messages
// and its cost limits.
//
// The CEL implementation is @bufbuild/cel: it passes the cel-spec conformance suite that cel-go
// (the API server's) is held to, ships CommonJS (loaded synchronously, so constructs can check in
// their constructor), has receiver-style overloads for the Kubernetes library (library.ts), and
// its `matches` takes an RE2 engine, for which re2js (a port of RE2/J: RE2 syntax such as
// `[[:cntrl:]]`, time linear in the input) is given. @marcbachmann/cel-js, the other candidate,
// is ES-module only, runs `matches` on JavaScript's backtracking RegExp, and tests against its own
// cases, not the conformance suite. Neither bounds evaluation cost: compile() rewrites each
// rule's syntax tree so that every call and every comprehension step is metered (see Meter).
// The library is loaded on the first rule that runs, never at import.
import type { CelValue } from '@bufbuild/cel';
import { PARSED_RULES } from '../generated/cel-parsed';
import { isMap } from '../shapes';
import { loadCel, kubernetesEnvironment } from './library';
import { decodeParsedExpr } from './parsed-expr';
import { CEL_TIME_BUDGET_MS, CHARGE_CALL, CHARGE_STEP, currentMeter, Meter, REGEX_WORK_LIMIT } from './meter';
import { CelRule, CelSchema } from './schema';
import { toCelValue, withDefaults } from './values';

/**
 * The API server's limits (k8s.io/apiserver/pkg/apis/cel/config.go): the cost one evaluation of
 * one expression may reach (PerCallLimit), and the cost all rules of one object may reach
 * together (RuntimeCELCostBudget).
 */
export const PER_CALL_LIMIT = 1_000_000;
export const RUNTIME_COST_BUDGET = 10_000_000;
/** The longest message a messageExpression may give (MaxEvaluatedMessageExpressionSizeBytes). */
export const MAX_MESSAGE_EXPRESSION_BYTES = 5 * 1024;

/** A rule's verdict on a value: the field (dotted, relative to the object) and the message. */
export interface CelFinding {
  readonly field: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export interface CelCheckOptions {
  /** The Kubernetes minor the cluster runs (OpenShift 4.x runs 1.(x+13)): which library functions exist. */
  readonly kubernetesMinor: number;
  /** Cost all rules of the object may spend. @default RUNTIME_COST_BUDGET */
  readonly budget?: number;
  /** Cost one evaluation may spend. @default PER_CALL_LIMIT */
  readonly perCallLimit?: number;
}

type Program = (self: unknown) => CelValue | Error;
const programs = new Map<string, Program | string>();

/** The rule compiled for a Kubernetes minor, or why it cannot be (a parse error, say). */
export function compile(expression: string, kubernetesMinor: number): Program | string {
  const key = `${kubernetesMinor}\0${expression}`;
  let program = programs.get(key);
  if (program === undefined) {
    const cel = loadCel();
    try {
      // The rules of the CRDs this project knows were parsed when their table was generated.
      const parsed = Object.hasOwn(PARSED_RULES, expression) ? decodeParsedExpr(PARSED_RULES[expression]) : cel.parse(expression);
      meterCalls(parsed.expr);
      const plan = cel.plan(kubernetesEnvironment(kubernetesMinor), parsed);
      // The variables without a prototype: a rule naming `constructor` or `__proto__` reads nothing.
      program = (self) => plan(Object.assign(Object.create(null), { self }) as never) as CelValue | Error;
    } catch (e) {
      // A RangeError is a syntax tree too deep for the parser or the rewrite: the API server's
      // parser refuses those too (cel-go's recursion limit).
      program = (e instanceof RangeError ? 'the expression is nested too deeply' : String((e as Error).message ?? e)).split('\n')[0];
    }
    if (programs.size > 10_000) programs.clear();
    programs.set(key, program);
  }
  return program;
}

const FREE = new Set(['_&&_', '_||_', '_?_:_', '@not_strictly_false']);

interface Node { id?: bigint; exprKind: { case: string | undefined; value?: any } }

/**
 * Rewrites a parsed expression in place: every call `f(x)` becomes `@charge(f(x))`, and each
 * comprehension's loop condition `c` becomes `@charge_step(c)`. A charge past a limit fails that
 * call; a failed loop condition ends its comprehension at once (bufbuild's fold returns the error),
 * and so does every enclosing one, whose next condition is charged too. Also expands
 * `cel.bind(v, init, expr)` as cel-go does (a comprehension over nothing, `v` its accumulator).
 */
function meterCalls(root: Node): void {
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    const { exprKind } = node;
    if (exprKind.case === 'callExpr') {
      const call = exprKind.value;
      if (call.function === 'bind' && call.target?.exprKind.case === 'identExpr' && call.target.exprKind.value.name === 'cel' && call.args.length === 3 && call.args[0].exprKind.case === 'identExpr') {
        node.exprKind = { case: 'comprehensionExpr', value: bindComprehension(call.args) };
        stack.push(node);
        continue;
      }
      if (call.target) stack.push(call.target);
      stack.push(...call.args);
      if (!FREE.has(call.function) && !call.function.startsWith('@charge')) wrap(node, CHARGE_CALL);
    } else if (exprKind.case === 'comprehensionExpr') {
      const c = exprKind.value;
      stack.push(c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result);
      const condition = c.loopCondition;
      c.loopCondition = { $typeName: 'cel.expr.Expr', id: condition.id, exprKind: { case: 'callExpr', value: { $typeName: 'cel.expr.Expr.Call', function: CHARGE_STEP, args: [condition] } } };
    } else if (exprKind.case === 'selectExpr') {
      stack.push(exprKind.value.operand);
    } else if (exprKind.case === 'listExpr') {
      stack.push(...exprKind.value.elements);
    } else if (exprKind.case === 'structExpr') {
      for (const entry of exprKind.value.entries) {
        if (entry.keyKind?.case === 'mapKey') stack.push(entry.keyKind.value);
        stack.push(entry.value);
      }
    }
  }
}

/** Makes `node` a call of `name` on what it was. */
function wrap(node: Node, name: string): void {
  const inner = { $typeName: 'cel.expr.Expr', id: node.id, exprKind: node.exprKind };
  node.exprKind = { case: 'callExpr', value: { $typeName: 'cel.expr.Expr.Call', function: name, args: [inner] } };
}

function bindComprehension([variable, init, body]: Node[]): unknown {
  const constant = (value: unknown, kind: string) => ({ $typeName: 'cel.expr.Expr', id: 0n, exprKind: { case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind: { case: kind, value } } } });
  return {
    $typeName: 'cel.expr.Expr.Comprehension',
    iterVar: '#unused',
    iterVar2: '',
    iterRange: { $typeName: 'cel.expr.Expr', id: 0n, exprKind: { case: 'listExpr', value: { $typeName: 'cel.expr.Expr.CreateList', elements: [], optionalIndices: [] } } },
    accuVar: variable.exprKind.value.name,
    accuInit: init,
    loopCondition: constant(false, 'boolValue'),
    loopStep: { $typeName: 'cel.expr.Expr', id: 0n, exprKind: { case: 'identExpr', value: { $typeName: 'cel.expr.Expr.Ident', name: variable.exprKind.value.name } } },
    result: body,
  };
}

/**
 * Checks `value` against the rules in `schema` and below it, as the API server would on create:
 * findings with the rule's message (or messageExpression, or `failed rule: ...`) at the rule's
 * node (or its fieldPath). Once the per-object budget or a per-call limit is passed, no further
 * rule runs (as in the API server) and the finding says which limit.
 */
export function checkCelSchema(schema: CelSchema, value: unknown, options: CelCheckOptions, basePath = ''): CelFinding[] {
  const findings: CelFinding[] = [];
  const meter = new Meter();
  const state = { meter, options, findings, stopped: false, budget: options.budget ?? RUNTIME_COST_BUDGET };
  walk(schema, value, basePath, state);
  return findings;
}

interface WalkState {
  readonly meter: Meter;
  readonly options: CelCheckOptions;
  readonly findings: CelFinding[];
  readonly budget: number;
  stopped: boolean;
}

function walk(schema: CelSchema, raw: unknown, path: string, state: WalkState): void {
  if (raw === null || raw === undefined || state.stopped) return;
  const value = withDefaults(raw, schema);
  if (schema.rules?.length) runRules(schema, value, path, state);
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => walk(schema.items!, item, `${path}[${i}]`, state));
  } else if (isMap(value)) {
    for (const [key, child] of Object.entries(value)) {
      const sub = schema.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : schema.additionalProperties;
      if (!sub) continue;
      walk(sub, child, sub === schema.additionalProperties ? `${path}[${key}]` : join(path, key), state);
    }
  }
}

function runRules(schema: CelSchema, value: unknown, path: string, state: WalkState): void {
  const { meter, options, findings } = state;
  const add = (field: string, message: string, severity: CelFinding['severity'] = 'error') => findings.push({ field, message, severity });
  if (meter.spent >= state.budget) {
    add(path, budgetMessage(state.budget));
    state.stopped = true;
    return;
  }
  const perCall = options.perCallLimit ?? PER_CALL_LIMIT;
  let self: unknown;
  for (const rule of schema.rules!) {
    const program = compile(rule.rule, options.kubernetesMinor);
    if (typeof program === 'string') {
      add(path, `not checked against the CRD rule ${quoteRule(rule.rule)}: it cannot be compiled here (${program})`, 'warning');
      continue;
    }
    self ??= toCelValue(value, schema);
    const result = run(program, self, meter, perCall, state.budget);
    if (meter.exceeded === 'time') {
      add(path, `not checked against the CRD rule ${quoteRule(rule.rule)} or any later one: CEL rules have run for ${CEL_TIME_BUDGET_MS / 1000} s in all, the most this tool spends on them (against hostile rules)`, 'warning');
      state.stopped = true;
      return;
    }
    if (meter.exceeded === 'regex') {
      add(path, `not checked against the CRD rule ${quoteRule(rule.rule)}: a regular expression in it would do more than ${REGEX_WORK_LIMIT} steps on this value here (characters times the instructions of its program); the API server runs it in Go, far faster`, 'warning');
      continue;
    }
    if (meter.exceeded === 'call') {
      add(path, `'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(rule)} (one evaluation may cost at most ${perCall}: PerCallLimit in k8s.io/apiserver/pkg/apis/cel/config.go)`);
      state.stopped = true;
      return;
    }
    if (meter.exceeded === 'budget') {
      add(path, budgetMessage(state.budget));
      state.stopped = true;
      return;
    }
    if (result instanceof Error) {
      const message = String(result.message);
      if (/^(unbound function|found no matching overload|unresolved attribute)/.test(message)) {
        add(path, `not checked against the CRD rule ${quoteRule(rule.rule)}: ${message} (a function or overload of a Kubernetes version or CEL library this validator does not have)`, 'warning');
      } else {
        add(path, `${message} evaluating rule: ${ruleErrorString(rule)}`);
      }
      continue;
    }
    if (result === true) continue;
    const field = rule.fieldPath ? fieldPathOf(path, rule.fieldPath) : path;
    const message = rule.messageExpression ? messageFrom(rule, self, path, meter, perCall, state) : ruleMessageOrDefault(rule);
    if (message === undefined) return; // the budget ran out in the messageExpression
    add(field, message);
  }
}

function run(program: Program, self: unknown, meter: Meter, perCall: number, budget: number): CelValue | Error {
  currentMeter.meter = meter;
  meter.start(perCall, budget);
  try {
    return program(self);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  } finally {
    meter.stop();
  }
}

/** messageExpression's result, or the message when it fails (as the API server does). */
function messageFrom(rule: CelRule, self: unknown, path: string, meter: Meter, perCall: number, state: WalkState): string | undefined {
  const program = compile(rule.messageExpression!, state.options.kubernetesMinor);
  if (typeof program === 'string') return ruleMessageOrDefault(rule);
  const result = run(program, self, meter, perCall, state.budget);
  if (meter.exceeded === 'time' || meter.exceeded === 'regex') return ruleMessageOrDefault(rule);
  if (meter.exceeded) {
    state.findings.push({ field: path, message: meter.exceeded === 'call' ? `no further validation rules will be run due to call cost exceeds limit for messageExpression: ${JSON.stringify(rule.messageExpression)}` : 'messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run', severity: 'error' });
    state.stopped = true;
    return undefined;
  }
  if (typeof result !== 'string') return ruleMessageOrDefault(rule);
  const trimmed = result.trim();
  if (!trimmed || /\n/.test(trimmed) || Buffer.byteLength(trimmed) > MAX_MESSAGE_EXPRESSION_BYTES) return ruleMessageOrDefault(rule);
  return trimmed;
}

function budgetMessage(budget: number): string {
  return `validation failed due to running out of cost budget, no further validation rules will be run (the rules of one object may cost at most ${budget}: RuntimeCELCostBudget in k8s.io/apiserver/pkg/apis/cel/config.go)`;
}

function ruleMessageOrDefault(rule: CelRule): string {
  return rule.message ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`;
}

/** The rule (or its message), as the API server names it; cut at 300 characters, so one problem stays one readable line. */
function ruleErrorString(rule: CelRule): string {
  const text = (rule.message ? rule.message : rule.rule).trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function quoteRule(rule: string): string {
  return JSON.stringify(rule.length > 80 ? `${rule.slice(0, 80)}…` : rule);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** `path` with a rule's fieldPath (`.a.b`, `.a['b.c']`, `.a[0]`) below it; the path alone if it cannot be read. */
export function fieldPathOf(path: string, fieldPath: string): string {
  let out = path;
  const token = /\.([^.[\]']+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/y;
  let match: RegExpExecArray | null;
  let at = 0;
  while (at < fieldPath.length && (token.lastIndex = at, (match = token.exec(fieldPath)))) {
    if (match[1] !== undefined) out = join(out, match[1]);
    else if (match[2] !== undefined) out = join(out, match[2].replace(/\\(.)/g, '$1'));
    else out = `${out}[${match[3]}]`;
    at = token.lastIndex;
  }
  return at === fieldPath.length ? out : path;
}
