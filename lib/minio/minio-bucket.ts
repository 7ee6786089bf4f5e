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
import { checkProps, is, propTypes } from '../rules/prop-types';

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

/** The props' types, for callers without TypeScript (lib/rules/prop-types.ts). */
const PROP_TYPES = propTypes<MinioBucketProps>('MinioBucket', {
  objectStore: is.instanceOf(MinioObjectStore, 'a MinioObjectStore').isRequired,
  bucket: is.string.isRequired,
  user: is.instanceOf(SecretSource, 'a SecretSource (SecretSource.existing, .externalSecret, ...)'),
  mcImage: is.string,
});

/**
 * A bucket in a MinIO, created by a Job that waits for MinIO and runs `mc mb --ignore-existing`
 * (idempotent), and optionally a user whose policy is limited to the bucket.
 *
 * The user is kept in step with its Secret by a small Deployment (`<name>-user-sync`), not by the
 * Job: credentials rotate in the Secret (an ExternalSecret refresh, a re-sealed SealedSecret, an
 * edit), and the registry operator rolls the registry out with the new key at once
 * (cluster-image-registry-operator `pkg/resource/deployment.go`, the dependencies checksum), while
 * a Job runs again only when its own spec changes. The Deployment reads the Secret from a volume,
 * which the kubelet updates in place, and sets the user again whenever the Secret (or the root
 * credentials, or the policy) differ from what it last set; `mc admin user add` rewrites an
 * existing user's secret key (MinIO `cmd/iam.go` CreateUser). It is ready only while MinIO has the
 * Secret's values, so a rotation MinIO does not accept shows as an unready Deployment.
 */
export class MinioBucket extends Construct {
  public readonly bucket: string;
  public readonly objectStore: MinioObjectStore;
  /** The user's credentials Secret in the MinIO namespace, when a user is created. */
  public readonly userSecret?: CredentialsSecret;

  constructor(scope: Construct, id: string, props: MinioBucketProps) {
    super(scope, id);
    checkProps(PROP_TYPES, props);
    checkBucketName('bucket', props.bucket);
    this.bucket = props.bucket;
    this.objectStore = props.objectStore;
    const store = props.objectStore;
    const namespace = store.namespace;
    const base = `${store.name}-bucket-${props.bucket.replace(/\./g, '-')}`.slice(0, 52).replace(/-+$/, '');
    const labels = bucketLabels(store, base, 'bucket');
    const image = props.mcImage ?? MC_IMAGE;
    checkImageReference('mcImage', image);
    // mc trusts the CAs in its config dir: OpenShift's service CA, for a MinIO with TLS.
    const serviceCa: ServiceCaMount = store.tls
      ? { mounts: [{ name: 'service-ca', mountPath: '/tmp/.mc/certs/CAs', readOnly: true }], volumes: [{ name: 'service-ca', configMap: { name: 'openshift-service-ca.crt' } }] }
      : { mounts: [], volumes: [] };

    if (props.user) this.userSecret = this.addUser(props.user, { base, image, serviceCa });
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
              image,
              command: ['/bin/sh', '-c', BUCKET_SCRIPT],
              env: [
                { name: 'MC_CONFIG_DIR', value: '/tmp/.mc' },
                { name: 'ENDPOINT', value: store.endpoint },
                { name: 'BUCKET', value: props.bucket },
                ...secretEnv(store.rootSecret.name, ['MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD']),
              ],
              resources: {
                requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
                limits: { memory: k8s.Quantity.fromString('256Mi') },
              },
              securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...serviceCa.mounts],
            }],
            volumes: [{ name: 'tmp', emptyDir: {} }, ...serviceCa.volumes],
          },
        },
      },
    });
  }

  /** The user's Secret, its policy, and the Deployment that keeps MinIO's user in step with the Secret. */
  private addUser(user: SecretSource, { base, image, serviceCa }: { base: string; image: string; serviceCa: ServiceCaMount }): CredentialsSecret {
    const store = this.objectStore;
    const namespace = store.namespace;
    const labels = bucketLabels(store, base, 'bucket');
    const userSecret = withinField('user', () => new CredentialsSecret(this, 'UserCredentials', {
      name: `${base}-user`, namespace, keys: BUCKET_USER_KEYS, source: user,
    }));
    const policy = `${base}-policy`;
    new k8s.KubeConfigMap(this, 'Policy', {
      metadata: { name: policy, namespace, labels },
      data: { 'policy.json': JSON.stringify(bucketPolicy(this.bucket), null, 2) + '\n' },
    });
    const syncLabels = bucketLabels(store, base, 'bucket-user-sync');
    const readyFile = '/tmp/in-sync';
    new k8s.KubeDeployment(this, 'UserSync', {
      metadata: { name: `${base}-user-sync`, namespace, labels: syncLabels },
      spec: {
        replicas: 1,
        selector: { matchLabels: syncLabels },
        template: {
          metadata: { labels: syncLabels },
          spec: {
            securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
            // Nothing to talk to but MinIO: no API token in the pod.
            automountServiceAccountToken: false,
            containers: [{
              name: 'mc',
              image,
              command: ['/bin/sh', '-c', USER_SYNC_SCRIPT],
              env: [
                { name: 'MC_CONFIG_DIR', value: '/tmp/.mc' },
                { name: 'ENDPOINT', value: store.endpoint },
                { name: 'POLICY', value: policy },
                { name: 'POLICY_FILE', value: '/policy/policy.json' },
                { name: 'USER_DIR', value: '/credentials' },
                { name: 'ROOT_DIR', value: '/root-credentials' },
                { name: 'READY_FILE', value: readyFile },
                { name: 'INTERVAL', value: '10' },
              ],
              readinessProbe: { exec: { command: ['/bin/sh', '-c', `test -e ${readyFile}`] }, periodSeconds: 10 },
              resources: {
                requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') },
                limits: { memory: k8s.Quantity.fromString('128Mi') },
              },
              securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'policy', mountPath: '/policy', readOnly: true },
                // Volumes, not environment variables: the kubelet updates a mounted Secret in place.
                { name: 'credentials', mountPath: '/credentials', readOnly: true },
                { name: 'root-credentials', mountPath: '/root-credentials', readOnly: true },
                ...serviceCa.mounts,
              ],
            }],
            volumes: [
              { name: 'tmp', emptyDir: {} },
              { name: 'policy', configMap: { name: policy } },
              { name: 'credentials', secret: { secretName: userSecret.name } },
              { name: 'root-credentials', secret: { secretName: store.rootSecret.name } },
              ...serviceCa.volumes,
            ],
          },
        },
      },
    });
    return userSecret;
  }
}

/**
 * Labels of a bucket's objects. Not MinIO's selector: its Service would send S3 traffic to these
 * pods, and its Deployment's selector would overlap theirs.
 */
function bucketLabels(store: MinioObjectStore, base: string, component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'minio-bucket', 'app.kubernetes.io/instance': base, 'app.kubernetes.io/part-of': store.name, 'app.kubernetes.io/component': component };
}

/** The volume and mount of OpenShift's service CA, for mc to trust a MinIO with TLS (none without). */
interface ServiceCaMount {
  readonly mounts: k8s.VolumeMount[];
  readonly volumes: k8s.Volume[];
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

/** Waits for MinIO, then creates the bucket; safe to re-run after a failure or a re-sync. */
export const BUCKET_SCRIPT = [
  'set -eu',
  'tries=0',
  // `--`: a value that starts with '-' is not a flag; mc's errors about a credential print it: hidden.
  'until mc alias set -- store "$ENDPOINT" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do',
  '  tries=$((tries + 1)); [ "$tries" -lt 60 ] || { echo "MinIO at $ENDPOINT did not answer, or did not take the root credentials (at least 3 and 8 characters)" >&2; exit 1; }',
  '  echo "waiting for MinIO at $ENDPOINT"; sleep 5',
  'done',
  'mc mb --ignore-existing "store/$BUCKET"',
].join('\n') + '\n';

/**
 * Every INTERVAL seconds: when the user's Secret, the root credentials or the policy differ from
 * what was last set, (re)creates the policy, sets the user's secret key and attaches the policy
 * (attaching twice is an error in MinIO, "policy change already applied": then the user info must
 * name the policy). READY_FILE exists only while MinIO has the current values. No value is printed.
 */
export const USER_SYNC_SCRIPT = [
  'set -u',
  // The mc image (ubi-micro) has a shell and coreutils, no grep: match with the shell.
  'attached() { info=$(mc admin user info -- store "$1" 2>/dev/null) && case "$info" in *"PolicyName: "*"$POLICY"*) return 0;; *) return 1;; esac; }',
  'applied=\'\'',
  'while :; do',
  '  current=$(cat "$USER_DIR/REGISTRY_STORAGE_S3_ACCESSKEY" "$USER_DIR/REGISTRY_STORAGE_S3_SECRETKEY" "$ROOT_DIR/MINIO_ROOT_USER" "$ROOT_DIR/MINIO_ROOT_PASSWORD" "$POLICY_FILE") || current=\'\'',
  '  if [ -n "$current" ] && [ "$current" != "$applied" ]; then',
  '    rm -f "$READY_FILE"',
  '    access=$(cat "$USER_DIR/REGISTRY_STORAGE_S3_ACCESSKEY")',
  '    if mc alias set -- store "$ENDPOINT" "$(cat "$ROOT_DIR/MINIO_ROOT_USER")" "$(cat "$ROOT_DIR/MINIO_ROOT_PASSWORD")" >/dev/null 2>&1 \\',
  '      && mc admin policy create store "$POLICY" "$POLICY_FILE" >/dev/null \\',
  '      && mc admin user add -- store "$access" "$(cat "$USER_DIR/REGISTRY_STORAGE_S3_SECRETKEY")" >/dev/null 2>&1 \\',
  '      && { mc admin policy attach store "$POLICY" --user="$access" >/dev/null 2>&1 || attached "$access"; }; then',
  '      applied=$current',
  '      : > "$READY_FILE"',
  '      echo "the bucket user has the credentials of its Secret"',
  '    else',
  '      echo "could not set the bucket user: MinIO at $ENDPOINT does not answer, or does not accept the root credentials (after a change of them, MinIO needs a restart), or refuses the user\'s keys (at least 3 and 8 characters); trying again" >&2',
  '    fi',
  '  fi',
  '  sleep "$INTERVAL"',
  'done',
].join('\n') + '\n';
