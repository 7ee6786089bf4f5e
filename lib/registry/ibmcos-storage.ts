import type { ConfigSpecStorageIbmcos } from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import type { StorageManagementState } from './registry-storage';
import { checkIbmCosCrns } from '../rules/ibmcos';
import { checkBucketName } from '../rules/s3';

/**
 * IBM Cloud Object Storage, on IBM Cloud and Power VS clusters only (the operator takes the
 * location from the cluster). `location` and `resourceGroupName` are not offered: the operator
 * overwrites both with the cluster's values, so any other value fights it on every sync.
 */
export interface IbmCosStorageProps {
  /** Bucket name. The operator creates the bucket when it does not exist. */
  readonly bucket: string;
  /**
   * CRN of the Cloud Object Storage service instance that holds the bucket.
   * @default - the operator finds or creates instance `<infrastructure name>-image-registry` in
   * the cluster's resource group and writes its CRN back into the Config
   */
  readonly serviceInstanceCrn?: string;
  /**
   * CRN of a resource key of that instance with HMAC credentials and the Writer or Manager role;
   * requires `serviceInstanceCrn`.
   * @default - the operator creates one (Writer, HMAC) and writes its CRN back into the Config
   */
  readonly resourceKeyCrn?: string;
  /**
   * Whether the operator manages the bucket. With `Managed`, `managementState: Removed` (or
   * deleting the Config) deletes every object in the bucket and the bucket.
   * @default StorageManagementState.UNMANAGED: the operator never deletes the bucket
   */
  readonly managementState?: StorageManagementState;
}

/** `spec.storage.ibmcos` for `props`, after the rules. */
export function ibmCosSpec(props: IbmCosStorageProps): ConfigSpecStorageIbmcos {
  checkBucketName('bucket', props.bucket);
  checkIbmCosCrns(props);
  return { bucket: props.bucket, serviceInstanceCrn: props.serviceInstanceCrn, resourceKeyCrn: props.resourceKeyCrn };
}
