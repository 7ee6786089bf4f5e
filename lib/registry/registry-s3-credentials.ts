import { Construct } from 'constructs';
import { REGISTRY_NAMESPACE } from './constants';
import { REGISTRY_CREDENTIALS_SECRET_NAME } from './constants';
import { REGISTRY_CREDENTIAL_KEYS } from './registry-credentials';
import { CredentialsSecret } from '../secrets/credentials-secret';
import { SecretSource } from '../secrets/secret-source';
import { checkProps, is, propTypes } from '../rules/prop-types';

/** The Secret the operator reads S3 credentials from. */
export const REGISTRY_S3_SECRET_NAME = REGISTRY_CREDENTIALS_SECRET_NAME;
/** Its keys; the operator needs both. */
export const REGISTRY_S3_SECRET_KEYS = REGISTRY_CREDENTIAL_KEYS.s3[0];

export interface RegistryS3CredentialsProps {
  /** Where the access key and secret key come from. */
  readonly source: SecretSource;
}

/** The props' types, for callers without TypeScript (lib/rules/prop-types.ts). */
const PROP_TYPES = propTypes<RegistryS3CredentialsProps>('RegistryS3Credentials', {
  source: is.instanceOf(SecretSource, 'a SecretSource (SecretSource.existing, .externalSecret, ...)').isRequired,
});

/**
 * The registry's S3 credentials: Secret `image-registry-private-configuration-user` in
 * `openshift-image-registry` with `REGISTRY_STORAGE_S3_ACCESSKEY` and `REGISTRY_STORAGE_S3_SECRETKEY`.
 * @deprecated Use `RegistryCredentials` with the registry's storage, which works for every back
 * end and checks the storage against the credentials.
 */
export class RegistryS3Credentials extends Construct {
  public readonly secret: CredentialsSecret;

  constructor(scope: Construct, id: string, props: RegistryS3CredentialsProps) {
    super(scope, id);
    checkProps(PROP_TYPES, props);
    this.secret = new CredentialsSecret(this, 'Secret', {
      name: REGISTRY_S3_SECRET_NAME,
      namespace: REGISTRY_NAMESPACE,
      keys: REGISTRY_S3_SECRET_KEYS,
      source: props.source,
    });
  }
}
