import { ValidationError } from './validation-error';

// S3 bucket naming rules (AWS "general purpose bucket naming rules"), which MinIO also enforces.
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Throws unless `bucket` is a name S3 accepts. */
export function checkBucketName(field: string, bucket: string): void {
  const problem =
    typeof bucket !== 'string' || !BUCKET_PATTERN.test(bucket) ? 'use 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit'
      : bucket.includes('..') ? 'two dots in a row are not allowed'
        : /^\d+\.\d+\.\d+\.\d+$/.test(bucket) ? 'a name formatted like an IP address is not allowed'
          : /^(xn--|sthree-)/.test(bucket) || /(-s3alias|--ol-s3)$/.test(bucket) ? 'the prefixes xn-- and sthree- and the suffixes -s3alias and --ol-s3 are reserved'
            : undefined;
  if (problem) throw new ValidationError(field, `${JSON.stringify(bucket)} is not a valid S3 bucket name: ${problem}`);
}
