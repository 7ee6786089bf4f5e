import { Construct } from 'constructs';
import { REGISTRY_CREDENTIALS_SECRET_NAME, REGISTRY_NAMESPACE } from './constants';
import { RegistryStorage } from './registry-storage';
import { checkAzureCredentials } from '../rules/azure';
import { CredentialedBackend, REGISTRY_CREDENTIAL_KEYS } from '../rules/credential-keys';
import { checkSwiftCredentials } from '../rules/swift';
import { checkProps, is, propTypes } from '../rules/prop-types';
import { ValidationError, withinField } from '../rules/validation-error';
import { CredentialsSecret } from '../secrets/credentials-secret';
import { SecretSource } from '../secrets/secret-source';

export { CredentialedBackend, REGISTRY_CREDENTIAL_KEYS } from '../rules/credential-keys';

/** Rules relating a back end's settings to the credentials (`keys`: the set the Secret holds, when known). */
const CREDENTIAL_RULES: Partial<Record<CredentialedBackend, (storage: RegistryStorage, keys?: readonly string[]) => void>> = {
  azure: (storage) => checkAzureCredentials(storage.spec.azure!),
  swift: (storage, keys) => checkSwiftCredentials(storage.spec.swift!, keys),
};

export interface RegistryCredentialsProps {
  /** The registry's storage: its back end decides the keys, and its settings are checked against them. */
  readonly storage: RegistryStorage;
  /**
   * Where the values come from: exactly the back end's keys (for Swift, one of its key sets).
   * An existing secret is trusted to hold them.
   */
  readonly source: SecretSource;
}

/** The props' types, for callers without TypeScript (lib/rules/prop-types.ts). */
const PROP_TYPES = propTypes<RegistryCredentialsProps>('RegistryCredentials', {
  storage: is.instanceOf(RegistryStorage, 'a RegistryStorage (RegistryStorage.s3, .gcs, ...)').isRequired,
  source: is.instanceOf(SecretSource, 'a SecretSource (SecretSource.existing, .externalSecret, ...)').isRequired,
});

/**
 * The registry's storage credentials: Secret `image-registry-private-configuration-user` in
 * `openshift-image-registry` with the keys of the storage's back end. Without this Secret the
 * operator uses the cluster's cloud credentials (Secret `installer-cloud-credentials`, from the
 * Cloud Credential Operator); with it, this Secret only.
 */
export class RegistryCredentials extends Construct {
  public readonly secret: CredentialsSecret;
  /** The keys the Secret holds; undefined for an existing Swift secret, which may hold any of its key sets. */
  public readonly keys?: readonly string[];

  constructor(scope: Construct, id: string, props: RegistryCredentialsProps) {
    super(scope, id);
    checkProps(PROP_TYPES, props);
    const backend = props.storage.backend;
    if (backend === undefined || !(backend in REGISTRY_CREDENTIAL_KEYS)) {
      throw new ValidationError('storage', `${backend ?? 'no'} storage reads no credentials; credentials go with ${Object.keys(REGISTRY_CREDENTIAL_KEYS).join(', ')}`);
    }
    this.keys = props.source.chooseKeys(REGISTRY_CREDENTIAL_KEYS[backend as CredentialedBackend]);
    withinField('storage', () => CREDENTIAL_RULES[backend as CredentialedBackend]?.(props.storage, this.keys));
    this.secret = new CredentialsSecret(this, 'Secret', {
      name: REGISTRY_CREDENTIALS_SECRET_NAME,
      namespace: REGISTRY_NAMESPACE,
      keys: this.keys ?? [],
      source: props.source,
    });
  }
}
