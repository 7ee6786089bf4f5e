import { ValidationError } from './validation-error';

// Google Cloud Storage bucket naming rules ("Bucket naming" in the Cloud Storage docs).
const GCS_BUCKET_PATTERN = /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/;
// The key the operator sets as the new bucket's default KMS key (DefaultKMSKeyName): a full resource name.
const KMS_KEY_PATTERN = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/;

/** Throws unless `bucket` is a name Cloud Storage accepts. */
export function checkGcsBucketName(field: string, bucket: string): void {
  const tooLong = () => bucket.length > (bucket.includes('.') ? 222 : 63) || bucket.split('.').some((part) => part.length > 63);
  const problem =
    typeof bucket !== 'string' || bucket.length < 3 || !GCS_BUCKET_PATTERN.test(bucket) ? 'use lower-case letters, digits, -, _ and ., at least 3, starting and ending with a letter or digit'
      : tooLong() ? 'use at most 63 characters (222 with dots, at most 63 between two dots)'
        : /^\d+\.\d+\.\d+\.\d+$/.test(bucket) ? 'a name formatted like an IP address is not allowed'
          : bucket.startsWith('goog') || bucket.includes('google') ? 'names starting with "goog" or containing "google" are reserved'
            : undefined;
  if (problem) throw new ValidationError(field, `${JSON.stringify(bucket)} is not a valid Cloud Storage bucket name: ${problem}`);
}

/** Throws unless `key` is a KMS key's full resource name. */
export function checkKmsKeyName(field: string, key: string): void {
  if (typeof key !== 'string' || !KMS_KEY_PATTERN.test(key)) {
    throw new ValidationError(field, `${JSON.stringify(key)} is not a KMS key name: write projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>`);
  }
}

/**
 * The operator takes region and project from the cluster together, and only when `region` is
 * empty (`pkg/storage/gcs/gcs.go` getGCSClient): a region alone leaves the project empty, and
 * creating a missing bucket then fails; a project alone is replaced by the cluster's.
 */
export function checkGcsLocation(location: { readonly region?: string; readonly projectId?: string }): void {
  for (const [field, value] of [['region', location.region], ['projectID', location.projectId]] as const) {
    if (value !== undefined && !value.trim()) throw new ValidationError(field, 'must not be empty; leave it out to use the cluster\'s region and project');
  }
  if (location.region !== undefined && location.projectId === undefined) {
    throw new ValidationError('projectID', 'is required with region: the operator takes the project from the cluster only when region is empty, and creating a missing bucket without a project fails; set projectID, or remove region to use the cluster\'s region and project');
  }
  if (location.projectId !== undefined && location.region === undefined) {
    throw new ValidationError('region', 'is required with projectID: with region empty the operator replaces projectID by the cluster\'s project; set region too, or remove projectID to use the cluster\'s region and project');
  }
}
