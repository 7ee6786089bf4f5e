import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MinioObjectStore } from './minio-object-store';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT } from '../openshift/restricted';
import { CredentialsSecret } from '../secrets/credentials-secret';
import { SecretSource } from '../secrets/secret-source';
import { REGISTRY_CREDENTIAL_KEYS } from '../rules/credential-keys';
import { checkImageReference } from '../rules/image-reference';
import { checkBucketName } from '../rules/s3';
import { withinField } from '../rules/validation-error';

/** MinIO client image, pinned. */
export const MC_IMAGE = 'quay.io/minio/mc:RELEASE.2025-04-16T18-13-26Z';

/** Keys of a bucket user's credentials Secret (the names the registry operator reads). */
export const BUCKET_USER_KEYS = REGISTRY_CREDENTIAL_KEYS.s3[0];

export interface MinioBucketProps {
  /** The MinIO that holds the bucket. */
  readonly objectStore: MinioObjectStore;
  /** Bucket name (S3 naming rules). */
  readonly bucket: string;
  /**
   * Credentials of a MinIO user that may use this bucket and nothing else, created by the Job
   * (keys `REGISTRY_STORAGE_S3_ACCESSKEY`, `REGISTRY_STORAGE_S3_SECRETKEY`).
   * @default - no user: clients use the root credentials
   */
  readonly user?: SecretSource;
  /**
   * MinIO client image, by tag or digest (disconnected clusters name their mirror).
   * @default MC_IMAGE
   */
  readonly mcImage?: string;
}

/**
 * A bucket in a MinIO, created by a Job that waits for MinIO and runs `mc mb --ignore-existing`
 * (idempotent), and optionally a user whose policy is limited to the bucket.
 */
export class MinioBucket extends Construct {
  public readonly bucket: string;
  public readonly objectStore: MinioObjectStore;
  /** The user's credentials Secret in the MinIO namespace, when a user is created. */
  public readonly userSecret?: CredentialsSecret;

  constructor(scope: Construct, id: string, props: MinioBucketProps) {
    super(scope, id);
    checkBucketName('bucket', props.bucket);
    const mcImage = props.mcImage ?? MC_IMAGE;
    checkImageReference('mcImage', mcImage);
    this.bucket = props.bucket;
    this.objectStore = props.objectStore;
    const store = props.objectStore;
    const namespace = store.namespace;
    const base = `${store.name}-bucket-${props.bucket.replace(/\./g, '-')}`.slice(0, 52).replace(/-+$/, '');
    const labels = { ...store.selector, 'app.kubernetes.io/component': 'bucket' };

    if (props.user) {
      this.userSecret = withinField('user', () => new CredentialsSecret(this, 'UserCredentials', {
        name: `${base}-user`, namespace, keys: BUCKET_USER_KEYS, source: props.user!,
      }));
      new k8s.KubeConfigMap(this, 'Policy', {
        metadata: { name: `${base}-policy`, namespace, labels },
        data: { 'policy.json': JSON.stringify(bucketPolicy(props.bucket), null, 2) + '\n' },
      });
    }

    const env: k8s.EnvVar[] = [
      { name: 'MC_CONFIG_DIR', value: '/tmp/.mc' },
      { name: 'ENDPOINT', value: store.endpoint },
      { name: 'BUCKET', value: props.bucket },
      { name: 'POLICY', value: `${base}-policy` },
      ...secretEnv(store.rootSecret.name, ['MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD']),
      ...(this.userSecret ? secretEnv(this.userSecret.name, [...BUCKET_USER_KEYS]) : []),
    ];
    new k8s.KubeJob(this, 'Job', {
      metadata: { name: base, namespace, labels },
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'OnFailure',
            securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
            containers: [{
              name: 'mc',
              image: mcImage,
              command: ['/bin/sh', '-c', script(Boolean(this.userSecret))],
              env,
              resources: {
                requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
                limits: { memory: k8s.Quantity.fromString('256Mi') },
              },
              securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                ...(this.userSecret ? [{ name: 'policy', mountPath: '/policy', readOnly: true }] : []),
                // mc trusts the CAs in its config dir: OpenShift's service CA, for a MinIO with TLS.
                ...(store.tls ? [{ name: 'service-ca', mountPath: '/tmp/.mc/certs/CAs', readOnly: true }] : []),
              ],
            }],
            volumes: [
              { name: 'tmp', emptyDir: {} },
              ...(this.userSecret ? [{ name: 'policy', configMap: { name: `${base}-policy` } }] : []),
              ...(store.tls ? [{ name: 'service-ca', configMap: { name: 'openshift-service-ca.crt' } }] : []),
            ],
          },
        },
      },
    });
  }
}

function secretEnv(secret: string, keys: string[]): k8s.EnvVar[] {
  return keys.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: secret, key } } }));
}

/** Read, write and list in one bucket; nothing else. */
function bucketPolicy(bucket: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: [`arn:aws:s3:::${bucket}`] },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'], Resource: [`arn:aws:s3:::${bucket}/*`] },
    ],
  };
}

/** Every step can run again: the Job is safe to re-run after a failure or a re-sync. */
function script(withUser: boolean): string {
  const lines = [
    'set -eu',
    'tries=0',
    'until mc alias set store "$ENDPOINT" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null; do',
    '  tries=$((tries + 1)); [ "$tries" -lt 60 ] || { echo "MinIO at $ENDPOINT did not answer" >&2; exit 1; }',
    '  echo "waiting for MinIO at $ENDPOINT"; sleep 5',
    'done',
    'mc mb --ignore-existing "store/$BUCKET"',
  ];
  if (withUser) {
    lines.push(
      'mc admin user add store "$REGISTRY_STORAGE_S3_ACCESSKEY" "$REGISTRY_STORAGE_S3_SECRETKEY"',
      'mc admin policy create store "$POLICY" /policy/policy.json',
      'mc admin policy attach store "$POLICY" --user "$REGISTRY_STORAGE_S3_ACCESSKEY" || mc admin user info store "$REGISTRY_STORAGE_S3_ACCESSKEY" | grep -q "$POLICY"',
    );
  }
  return lines.join('\n') + '\n';
}
