import type { RegExpEngine, RegExpLike } from 'ajv/dist/types';
import { setFlagsFromString } from 'node:v8';
import { createContext, Script } from 'node:vm';

// The patterns of a CRD folder given to `validate` are untrusted: `^(a+)+$` backtracks for
// minutes on "aaaa…a!". Every pattern runs either
//  - on V8's linear-time engine (RegExp flag `l`, an automaton like RE2: time linear in the
//    input whatever the pattern), which refuses backreferences, lookaround, counted repetitions
//    above 16 and the `u` flag (a pattern that is plain ASCII without \p means the same without
//    `u` on a value without surrogate pairs, so such values go there), or else
//  - on the usual engine with a time limit (vm's watchdog interrupts it); once a value takes
//    longer, the pattern is given up (not checked, for that value and the next ones), and the
//    caller is told each time (a warning). A hostile pattern costs at most one time limit.
try {
  setFlagsFromString('--enable-experimental-regexp-engine');
} catch {
  // Not available: every pattern runs with the time limit.
}

/** How long one pattern may run on one value before it is given up. */
export const PATTERN_TIME_LIMIT_MS = 100;

const context = createContext({});
const timedTest = new Script('pattern.test(value)');
const SURROGATE = /[\ud800-\udfff]/;

/** An Ajv `code.regExp` engine as above; `onTimeout` hears of each pattern given up on a value. */
export function safeRegExpEngine(onTimeout: (pattern: string) => void): RegExpEngine {
  const engine = (pattern: string, flags: string): RegExpLike => {
    const native = new RegExp(pattern, flags); // throws for an invalid pattern, as Ajv would
    const linear = linearRegExp(pattern, flags);
    let givenUp = false; // after one timeout, the pattern is not run again: the time limit is per pattern
    const safe = {
      // Ajv shares compiled patterns by this key.
      toString: () => native.toString(),
      test(value: string): boolean {
        if (linear && !SURROGATE.test(value)) return linear.test(value);
        if (!givenUp) {
          Object.assign(context, { pattern: native, value });
          try {
            return timedTest.runInContext(context, { timeout: PATTERN_TIME_LIMIT_MS }) as boolean;
          } catch (e) {
            if ((e as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw e;
            givenUp = true;
          }
        }
        onTimeout(pattern);
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
