import type { ConfigSpecStorageGcs } from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import type { StorageManagementState } from './registry-storage';
import { checkGcsBucketName, checkGcsLocation, checkKmsKeyName } from '../rules/gcs';

export interface GcsStorageProps {
  /** Bucket name. The operator creates the bucket when it does not exist. */
  readonly bucket: string;
  /**
   * Location of a bucket the operator creates; requires `projectId`.
   * @default - the cluster's region and project (GCP clusters only), which the operator writes
   * back into the Config when it creates the bucket
   */
  readonly region?: string;
  /**
   * Project the operator creates a missing bucket in; requires `region`.
   * @default - the cluster's project, taken together with its region
   */
  readonly projectId?: string;
  /**
   * KMS key (`projects/.../locations/.../keyRings/.../cryptoKeys/...`) that the operator sets as
   * the default key of a bucket it creates; an existing bucket keeps its own encryption.
   * @default - Google-managed encryption keys
   */
  readonly keyId?: string;
  /**
   * Whether the operator manages the bucket. With `Managed`, `managementState: Removed` (or
   * deleting the Config) deletes every object in the bucket and the bucket.
   * @default StorageManagementState.UNMANAGED: the operator never deletes the bucket
   */
  readonly managementState?: StorageManagementState;
}

/** `spec.storage.gcs` for `props`, after the rules. */
export function gcsSpec(props: GcsStorageProps): ConfigSpecStorageGcs {
  checkGcsBucketName('bucket', props.bucket);
  checkGcsLocation(props);
  if (props.keyId !== undefined) checkKmsKeyName('keyID', props.keyId);
  return { bucket: props.bucket, region: props.region, projectId: props.projectId, keyId: props.keyId };
}
