import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { secretSourceFromConfig } from './secret-source-from-config';
import { MinioConfig } from '../config/schema';
import { MinioBucket } from '../../lib/minio/minio-bucket';
import { MinioObjectStore } from '../../lib/minio/minio-object-store';
import { SecretSource } from '../../lib/secrets/secret-source';
import { withinField } from '../../lib/rules/validation-error';

export interface ObjectStoreChartProps {
  /** The `minio` section of a cluster config. */
  readonly minio: MinioConfig;
  /**
   * Credentials of the MinIO user the registry uses, limited to the bucket.
   * @default - no user (the object store is not used by the registry)
   */
  readonly bucketUser?: SecretSource;
}

/** The MinIO object store and its bucket (with the registry's own user). */
export class ObjectStoreChart extends Chart {
  public readonly bucket: MinioBucket;

  constructor(scope: Construct, id: string, props: ObjectStoreChartProps) {
    super(scope, id);
    const { bucket, rootCredentials, mcImage, ...minio } = props.minio;
    const store = withinField('minio', () => new MinioObjectStore(this, 'Minio', {
      ...minio,
      rootCredentials: withinField('rootCredentials', () => secretSourceFromConfig(rootCredentials)),
    }));
    this.bucket = withinField('minio', () => new MinioBucket(this, 'Bucket', {
      objectStore: store,
      bucket: bucket ?? 'image-registry',
      user: props.bucketUser,
      mcImage,
    }));
  }
}
