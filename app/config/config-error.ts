/** One problem in a config file, located as precisely as the file allows. */
export interface ConfigProblem {
  /** Dotted field path, e.g. `registry.routes[1].name`; empty for the whole file. */
  readonly field: string;
  /** 1-based line and column of the field in the file, when known. */
  readonly line?: number;
  readonly column?: number;
  /** What is wrong and what is allowed. */
  readonly message: string;
  /** `file:line:column` of another file where the value is set (fleet defaults). */
  readonly from?: string;
}

/** A config file that cannot be used, with every problem found in it. */
export class ConfigError extends Error {
  constructor(public readonly file: string, public readonly problems: readonly ConfigProblem[]) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'ConfigError';
  }
}

function formatProblem(file: string, problem: ConfigProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}:${problem.column}`;
  const from = problem.from ? ` (set in ${problem.from})` : '';
  return problem.field ? `${where}: ${problem.field}${from}: ${problem.message}` : `${where}: ${problem.message}`;
}

/** `registry.routes[1].name` -> ['registry', 'routes', 1, 'name'] */
export function parseFieldPath(field: string): (string | number)[] {
  return field.split(/\.|(?=\[)/).filter(Boolean).map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
}

/** ['registry', 'routes', 1, 'name'] -> `registry.routes[1].name` */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}
