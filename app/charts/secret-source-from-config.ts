import { ClusterConfig, CredentialsConfig, RegistryConfig } from '../config/schema';
import { CredentialedBackend, REGISTRY_CREDENTIAL_KEYS } from '../../lib/registry/registry-credentials';
import { SecretSource } from '../../lib/secrets/secret-source';

/** The SecretSource a `credentials` section of a config file describes. */
export function secretSourceFromConfig(config: CredentialsConfig): SecretSource {
  if (config.externalSecret) return SecretSource.externalSecret(config.externalSecret);
  if (config.sealedSecret) return SecretSource.sealedSecret(config.sealedSecret);
  if (config.plainSecret) return SecretSource.fromEnvironment(config.plainSecret.fromEnv);
  return SecretSource.existing();
}

/** The back end in `registry.storage` that has a `credentials` section, and that section. */
export function storageCredentials(storage: RegistryConfig['storage']): { backend: CredentialedBackend; credentials: CredentialsConfig } | undefined {
  const backend = (Object.keys(REGISTRY_CREDENTIAL_KEYS) as CredentialedBackend[]).find((key) => storage[key]?.credentials);
  return backend && { backend, credentials: storage[backend]!.credentials! };
}

/** Whether a config asks for a plain Secret (labs only: its values land in dist/). */
export function asksForPlainSecrets(config: ClusterConfig): boolean {
  return Boolean(config.minio?.rootCredentials.plainSecret || storageCredentials(config.registry.storage)?.credentials.plainSecret);
}
