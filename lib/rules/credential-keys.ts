import { SWIFT_APPLICATION_CREDENTIAL_KEYS, SWIFT_PASSWORD_KEYS, SWIFT_TOKEN_KEYS } from './swift';

/**
 * The keys each back end reads from Secret `image-registry-private-configuration-user`
 * (`pkg/storage/<back end>/` in the operator): key sets, of which the Secret holds one.
 */
export const REGISTRY_CREDENTIAL_KEYS = {
  s3: [['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY']],
  gcs: [['REGISTRY_STORAGE_GCS_KEYFILE']],
  azure: [['REGISTRY_STORAGE_AZURE_ACCOUNTKEY']],
  swift: [SWIFT_PASSWORD_KEYS, SWIFT_APPLICATION_CREDENTIAL_KEYS, SWIFT_TOKEN_KEYS],
  ibmcos: [['REGISTRY_STORAGE_IBMCOS_IAMAPIKEY']],
} as const;

/** A back end that reads credentials from that Secret. */
export type CredentialedBackend = keyof typeof REGISTRY_CREDENTIAL_KEYS;
