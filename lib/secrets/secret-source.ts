import { checkProps, is, propTypes } from '../rules/prop-types';
import { ValidationError } from '../rules/validation-error';

/** Where an ExternalSecret reads from: a SecretStore or ClusterSecretStore of external-secrets. */
export interface SecretStoreReference {
  /** Name of the store. */
  readonly name: string;
  /**
   * Kind of the store.
   * @default 'ClusterSecretStore'
   */
  readonly kind?: 'SecretStore' | 'ClusterSecretStore';
}

/** One value in the external store. */
export interface RemoteValue {
  /** Key of the secret in the external store. */
  readonly key: string;
  /**
   * Property within that secret, for stores that hold structured secrets.
   * @default - the whole value
   */
  readonly property?: string;
}

export interface ExternalSecretSourceProps {
  /** The store to read from. */
  readonly store: SecretStoreReference;
  /** Secret key (e.g. `REGISTRY_STORAGE_S3_ACCESSKEY`) -> where its value lives in the store. */
  readonly data: Readonly<Record<string, RemoteValue>>;
  /**
   * How often external-secrets refreshes the values.
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

const SEALING_SCOPES = ['strict', 'namespace-wide', 'cluster-wide'] as const;

/** Scopes a SealedSecret can be sealed with (`kubeseal --scope`). */
export type SealingScope = typeof SEALING_SCOPES[number];

export interface SealedSecretSourceProps {
  /** Secret key -> value encrypted with `kubeseal` for this secret's name and namespace. */
  readonly encryptedData: Readonly<Record<string, string>>;
  /**
   * The scope the values were sealed with. A value sealed `strict` only opens under the exact
   * name and namespace it was sealed for.
   * @default 'strict'
   */
  readonly scope?: SealingScope;
}

/** Secret key -> name of the environment variable that holds its value at synth time. */
export type EnvironmentSourceProps = Readonly<Record<string, string>>;

/** The ways a credentials Secret can come to exist; no value is ever a default in the code. */
export type SecretSourceKind = 'existingSecret' | 'externalSecret' | 'sealedSecret' | 'plainSecret';

// The factories' props types, for callers without TypeScript (lib/rules/prop-types.ts).
const PROP_TYPES = {
  externalSecret: propTypes<ExternalSecretSourceProps>('SecretSource.externalSecret', {
    store: is.shape<SecretStoreReference>({ name: is.string.isRequired, kind: is.oneOf(['SecretStore', 'ClusterSecretStore']) }).isRequired,
    data: is.mapOf(is.shape<RemoteValue>({ key: is.string.isRequired, property: is.string })).isRequired,
    refreshInterval: is.string,
  }),
  sealedSecret: propTypes<SealedSecretSourceProps>('SecretSource.sealedSecret', {
    encryptedData: is.mapOf(is.string).isRequired,
    scope: is.oneOf(SEALING_SCOPES),
  }),
};

/**
 * How a credentials Secret gets its values, chosen with a static factory. Only `fromEnvironment`
 * puts values in the output, as plaintext, and only because it was asked for: for labs.
 */
export class SecretSource {
  /** The Secret is created outside this project; nothing is rendered. */
  public static existing(): SecretSource {
    return new SecretSource('existingSecret', {});
  }

  /** An ExternalSecret (`external-secrets.io/v1`) that fills the Secret from a store. */
  public static externalSecret(props: ExternalSecretSourceProps): SecretSource {
    checkProps(PROP_TYPES.externalSecret, props);
    return new SecretSource('externalSecret', props.data, props);
  }

  /** A SealedSecret (`bitnami.com/v1alpha1`) with values sealed by `kubeseal`. */
  public static sealedSecret(props: SealedSecretSourceProps): SecretSource {
    checkProps(PROP_TYPES.sealedSecret, props);
    return new SecretSource('sealedSecret', props.encryptedData, undefined, props);
  }

  /** A plain Secret with values read from environment variables at synth time: plaintext in the output, for labs only. */
  public static fromEnvironment(variables: EnvironmentSourceProps): SecretSource {
    is.mapOf(is.string).isRequired.check(variables, 'variables');
    return new SecretSource('plainSecret', variables);
  }

  private constructor(
    public readonly kind: SecretSourceKind,
    /** Secret key -> where its value comes from (meaning depends on the kind). */
    private readonly entries: Readonly<Record<string, unknown>>,
    public readonly externalSecret?: ExternalSecretSourceProps,
    public readonly sealedSecret?: SealedSecretSourceProps,
  ) {}

  /** Field under which this source lists its keys, relative to the source (for error messages). */
  public get keysField(): string {
    return { existingSecret: '', externalSecret: 'externalSecret.data', sealedSecret: 'sealedSecret.encryptedData', plainSecret: 'plainSecret.fromEnv' }[this.kind];
  }

  /**
   * Throws unless the source can provide exactly `keys` now: all keys listed (an existing secret
   * is trusted to have them) and, for a plain Secret, every variable set.
   */
  public validate(keys: readonly string[]): void {
    this.checkKeys(keys);
    if (this.kind === 'plainSecret') this.readEnvironment();
  }

  /** Throws unless the source lists exactly `keys` (an existing secret is trusted to). */
  public checkKeys(keys: readonly string[]): void {
    if (this.kind === 'existingSecret') return;
    const given = Object.keys(this.entries);
    const missing = keys.filter((k) => !given.includes(k));
    const unknown = given.filter((k) => !keys.includes(k));
    if (missing.length || unknown.length) {
      const parts = [missing.length && `missing ${missing.join(', ')}`, unknown.length && `unknown ${unknown.join(', ')}`].filter(Boolean);
      throw new ValidationError(this.keysField, `credentials are incomplete: ${parts.join('; ')}; this secret needs exactly ${andList(keys)}`);
    }
  }

  /**
   * Which of `alternatives` (the key sets a consumer accepts, of which a secret holds one) this
   * source lists exactly; for an existing secret, the only alternative, or undefined when there
   * are several. Throws naming them otherwise.
   */
  public chooseKeys(alternatives: readonly (readonly string[])[]): readonly string[] | undefined {
    if (alternatives.length === 1) {
      this.checkKeys(alternatives[0]);
      return alternatives[0];
    }
    if (this.kind === 'existingSecret') return undefined;
    const given = Object.keys(this.entries);
    const chosen = alternatives.find((keys) => keys.length === given.length && keys.every((k) => given.includes(k)));
    if (!chosen) {
      throw new ValidationError(this.keysField, `credentials match none of the key sets this secret can hold (got ${given.join(', ') || 'none'}); list exactly ${alternatives.map(andList).join('; or ')}`);
    }
    return chosen;
  }

  /** Values for a plain Secret, read from the environment now; throws naming any unset variable. */
  public readEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [key, variable] of Object.entries(this.entries as Record<string, string>)) {
      const value = env[variable];
      if (!value) {
        throw new ValidationError(`${this.keysField}.${key}`, `environment variable ${variable} is not set (or empty); export it before synth, or choose existingSecret, externalSecret or sealedSecret`);
      }
      values[key] = value;
    }
    return values;
  }
}

/** `A`, `A and B`, `A, B and C`. */
function andList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
