import { SecretSource } from '../../lib/secrets/secret-source';
import { ValidationError } from '../../lib/rules/validation-error';

/** An environment variable a `plainSecret` names that is not set: the path of the field that names it, and why. */
export interface UnsetVariable {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Every variable named by a `plainSecret.fromEnv` of `config` (wherever a credentials section
 * is) that is unset or empty in `env`, in config order. The constructs read the variables one
 * at a time and stop at the first; this lists them all at once, with the library's message.
 */
export function unsetPlainSecretVariables(config: unknown, env: Readonly<Record<string, string | undefined>> = process.env): UnsetVariable[] {
  const unset: UnsetVariable[] = [];
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value !== 'object' || value === null) return;
    const fromEnv = (value as { plainSecret?: { fromEnv?: Record<string, string> } }).plainSecret?.fromEnv;
    if (!Array.isArray(value) && fromEnv) {
      for (const [key, variable] of Object.entries(fromEnv)) {
        try {
          SecretSource.fromEnvironment({ [key]: variable }).readEnvironment(env);
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
          unset.push({ path: [...path, 'plainSecret', 'fromEnv', key], message: e.problem });
        }
      }
      return;
    }
    for (const [key, child] of Object.entries(value)) visit(child, [...path, Array.isArray(value) ? Number(key) : key]);
  };
  visit(config, []);
  return unset;
}
