import type { RegExpEngine, RegExpLike } from 'ajv/dist/types';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { createContext, Script } from 'node:vm';

// The patterns of a CRD folder given to `validate` are untrusted: `^(a+)+$` backtracks for
// minutes on "aaaa…a!". Every pattern runs either
//  - on V8's linear-time engine (RegExp flag `l`, an automaton like RE2: time linear in the
//    input whatever the pattern), which refuses backreferences, lookaround, counted repetitions
//    above 16 and the `u` flag (a pattern that is plain ASCII without \p means the same without
//    `u` on a value without surrogate pairs, so such values go there), or else
//  - on the usual engine under vm's watchdog, with a time limit per value and a time budget for
//    all such runs of one engine. A pattern that reaches the limit is given up (not checked, for
//    that value and the next ones), and so is every such pattern once the budget is spent; the
//    caller is told each time (a warning).
try {
  setFlagsFromString('--enable-experimental-regexp-engine');
} catch {
  // Not available: every pattern runs under the time limits.
}

/** How long one pattern may run on one value before it is given up (its first run: ten times this). */
export const PATTERN_TIME_LIMIT_MS = 100;
/** How long the patterns the linear engine cannot run may take in all, per engine (per CRD folder). */
export const PATTERN_TIME_BUDGET_MS = 10_000;

const context = createContext({});
const timedTest = new Script('pattern.test(value)');
const SURROGATE = /[\ud800-\udfff]/;

/** An Ajv `code.regExp` engine as above; `onGivenUp` hears of each value not checked against a pattern. */
export function safeRegExpEngine(onGivenUp: (pattern: string) => void, budgetMs = PATTERN_TIME_BUDGET_MS): RegExpEngine {
  let spent = 0;
  const engine = (pattern: string, flags: string): RegExpLike => {
    const native = new RegExp(pattern, flags); // throws for an invalid pattern, as Ajv would
    const linear = linearRegExp(pattern, flags);
    let givenUp = false;
    let compiled = false;
    const timed = (value: string): boolean | undefined => {
      if (givenUp || spent >= budgetMs) return undefined;
      // V8 compiles a pattern on its first run: with Unicode property classes (\p{L}) that alone can
      // pass the limit on a busy machine, so the first run has ten times the limit.
      const limit = compiled ? PATTERN_TIME_LIMIT_MS : 10 * PATTERN_TIME_LIMIT_MS;
      compiled = true;
      const start = performance.now();
      Object.assign(context, { pattern: native, value });
      try {
        return timedTest.runInContext(context, { timeout: limit }) as boolean;
      } catch (e) {
        if ((e as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw e;
        givenUp = true;
        return undefined;
      } finally {
        spent += performance.now() - start;
      }
    };
    const safe = {
      // Ajv shares compiled patterns by this key.
      toString: () => native.toString(),
      test(value: string): boolean {
        if (linear && !SURROGATE.test(value)) return linear.test(value);
        const matched = timed(value);
        if (matched !== undefined) return matched;
        onGivenUp(pattern);
        return true;
      },
    };
    return safe;
  };
  return Object.assign(engine, { code: 'safeRegExp' });
}

function linearRegExp(pattern: string, flags: string): RegExp | undefined {
  if (flags.includes('u') && !(/^[\x00-\x7f]*$/.test(pattern) && !/\\[pP]|\\u\{/.test(pattern))) return undefined;
  try {
    return new RegExp(pattern, `${flags.replace('u', '')}l`);
  } catch {
    return undefined; // not supported by the linear engine, or the engine is not available
  }
}
