import { CredentialsConfig } from '../config/schema';
import { SecretSource } from '../../lib/secrets/secret-source';

/** The SecretSource a `credentials` section of a config file describes. */
export function secretSourceFromConfig(config: CredentialsConfig): SecretSource {
  if (config.externalSecret) return SecretSource.externalSecret(config.externalSecret);
  if (config.sealedSecret) return SecretSource.sealedSecret(config.sealedSecret);
  if (config.plainSecret) return SecretSource.fromEnvironment(config.plainSecret.fromEnv);
  return SecretSource.existing();
}
