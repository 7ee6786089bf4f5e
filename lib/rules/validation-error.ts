/**
 * A rule that construct props (or a config file) break. `field` is the dotted path of the
 * offending prop, relative to the construct, so a caller that built the props from a config
 * file can point at its own field (see `within`).
 */
export class ValidationError extends Error {
  constructor(
    /** Dotted path of the prop, e.g. `routes[1].name`. */
    public readonly field: string,
    /** What is wrong and how to fix it. */
    public readonly problem: string,
    /** True when it holds because of the cluster's OpenShift version (a field its CRD lacks). */
    public readonly versionBound = false,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'ValidationError';
  }

  /** The same error with its field placed under `prefix` (e.g. `registry`). */
  public within(prefix: string): ValidationError {
    return new ValidationError(`${prefix}.${this.field}`, this.problem, this.versionBound);
  }
}

/** Runs `build`, placing any ValidationError it throws under `prefix`. */
export function withinField<T>(prefix: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    throw e instanceof ValidationError ? e.within(prefix) : e;
  }
}
