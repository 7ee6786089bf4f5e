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

/** The fields of a config that ask for a plain Secret (labs only: its values land in dist/). */
export function plainSecretFields(config: ClusterConfig): string[] {
  const storage = storageCredentials(config.registry.storage);
  return [
    config.minio?.rootCredentials.plainSecret ? 'minio.rootCredentials.plainSecret' : '',
    storage?.credentials.plainSecret ? `registry.storage.${storage.backend}.credentials.plainSecret` : '',
  ].filter(Boolean);
}
