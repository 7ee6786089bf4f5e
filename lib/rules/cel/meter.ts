import { performance } from 'node:perf_hooks';
// The cost of evaluating CEL rules, metered so that a hostile rule cannot run for long.

// Function names the rewrite adds; a user's rule cannot name them (CEL identifiers have no '@').
export const CHARGE_CALL = '@charge';
export const CHARGE_STEP = '@charge_step';

/**
 * How long CEL rules may run in all, per process: the API server's limits bound one object, and
 * this bounds a folder of hostile objects (each under the limits, together hours). Past it, rules
 * are not checked, with a warning. Our own configs take milliseconds.
 */
export const CEL_TIME_BUDGET_MS = 10_000;

/**
 * The most work one regular expression may do here: characters of its input times instructions of
 * its program, by which re2js's NFA takes time (about 30 ns a unit, so about a second). RE2 in Go,
 * in the API server, is far faster: past this, the rule is not checked (a warning), never refused.
 */
export const REGEX_WORK_LIMIT = 2 ** 25;

/**
 * Cost as counted here: one unit per function or operator call and per comprehension step, the
 * units cel-go's runtime cost tracker also charges for them (cel-go interpreter/runtimecost.go),
 * plus what it charges by size: for what a call makes (sizeCost), and, before they run, for the
 * functions whose work grows faster than what they make (sets, indexOf, replace). cel-go charges
 * more still (variable and field reads), so a rule under the API server's limits is under these.
 * `&&`, `||` and `?:` are not charged.
 */
export class Meter {
  /** Milliseconds all evaluations of this process have taken (see CEL_TIME_BUDGET_MS). */
  public static timeSpentMs = 0;
  public spent = 0;
  private started = 0;
  private callStart = 0;
  private callLimit = Infinity;
  private budget = Infinity;
  /** Why the evaluation was stopped, if it was. */
  public exceeded: 'call' | 'budget' | 'time' | 'regex' | undefined;

  public start(callLimit: number, budget: number): void {
    this.callStart = this.spent;
    this.callLimit = callLimit;
    this.budget = budget;
    this.exceeded = Meter.timeSpentMs >= CEL_TIME_BUDGET_MS ? 'time' : undefined;
    this.started = performance.now();
  }

  /** Ends an evaluation: its time counts against the process's budget. */
  public stop(): void {
    Meter.timeSpentMs += performance.now() - this.started;
  }

  private timeCheckedAt = 0;

  /** Before a regular expression runs: stops the evaluation when its work would pass REGEX_WORK_LIMIT. */
  public guardRegex(work: number): void {
    if (work > REGEX_WORK_LIMIT) this.exceeded ??= 'regex';
    if (this.exceeded) throw new Error('operation cancelled: regular expression work limit exceeded');
  }

  /** After work that took time without charging much (a regular expression): reads the clock. */
  public checkClock(): void {
    if (Meter.timeSpentMs + performance.now() - this.started >= CEL_TIME_BUDGET_MS) this.exceeded ??= 'time';
    if (this.exceeded) throw new Error('operation cancelled: actual cost limit exceeded');
  }

  /**
   * Charges `units` (one call; or, before an operation that costs by size, its size); throws once
   * a limit is passed, which ends the evaluation (compile()). The clock is read every 4096 units.
   */
  public charge(units = 1): void {
    this.spent += units;
    if (this.spent - this.callStart > this.callLimit) this.exceeded ??= 'call';
    else if (this.spent > this.budget) this.exceeded ??= 'budget';
    else if (this.spent - this.timeCheckedAt >= 4096) {
      this.timeCheckedAt = this.spent;
      if (Meter.timeSpentMs + performance.now() - this.started >= CEL_TIME_BUDGET_MS) this.exceeded ??= 'time';
    }
    if (this.exceeded) throw new Error('operation cancelled: actual cost limit exceeded');
  }
}

/**
 * The cost of a value made by a call, by its size, as cel-go charges strings (a tenth of a unit
 * per byte) and lists and maps (a unit per item): so that doubling a list or a string in a loop
 * runs into the limit long before it runs out of memory.
 */
export function sizeCost(value: unknown): number {
  if (typeof value === 'string') return Math.floor(value.length / 10);
  const size = (value as { size?: unknown } | null)?.size;
  return typeof size === 'number' ? size : 0;
}



/** The meter of the evaluation under way (evaluations are synchronous and never nested). */
export const currentMeter: { meter: Meter } = { meter: new Meter() };

