import { Testing } from 'cdk8s';
import { Chart } from 'cdk8s';
import { MinioBucket } from '../../../lib/minio/minio-bucket';
import { MinioObjectStore } from '../../../lib/minio/minio-object-store';
import { SecretSource } from '../../../lib/secrets/secret-source';

function synth(bucket: string, options: { user?: boolean; tls?: boolean } = {}) {
  const chart: Chart = Testing.chart();
  const objectStore = new MinioObjectStore(chart, 'Minio', { rootCredentials: SecretSource.existing(), tls: options.tls });
  new MinioBucket(chart, 'Bucket', { objectStore, bucket, user: options.user ? SecretSource.existing() : undefined });
  const objects = Testing.synth(chart);
  const job = objects.find((o) => o.kind === 'Job');
  return { objects, job, script: job?.spec.template.spec.containers[0].command[2] as string };
}

describe('MinioBucket', () => {
  test('a Job waits for MinIO, then creates the bucket idempotently', () => {
    const { job, script } = synth('image-registry');
    expect(job.metadata).toMatchObject({ name: 'minio-bucket-image-registry', namespace: 'minio' });
    expect(script).toMatch(/until mc alias set store "\$ENDPOINT"/);
    expect(script).toContain('mc mb --ignore-existing "store/$BUCKET"');
    expect(script).not.toContain('mc admin');
    const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ ENDPOINT: 'http://minio.minio.svc:9000', BUCKET: 'image-registry' });
  });

  test('the mc image is pinned and can be replaced', () => {
    expect(synth('image-registry').job.spec.template.spec.containers[0].image).toMatch(/^quay\.io\/minio\/mc:RELEASE\.\d{4}-/);
    const chart = Testing.chart();
    const objectStore = new MinioObjectStore(chart, 'Minio', { rootCredentials: SecretSource.existing() });
    new MinioBucket(chart, 'Bucket', { objectStore, bucket: 'b-1', mcImage: 'registry.example.com/mc:pinned' });
    expect(Testing.synth(chart).find((o) => o.kind === 'Job').spec.template.spec.containers[0].image).toBe('registry.example.com/mc:pinned');
    // A reference a node cannot pull is refused by name (the API server would take it).
    expect(() => new MinioBucket(chart, 'Bad', { objectStore, bucket: 'b-2', mcImage: 'registry.example.com/MC:pinned' })).toThrow(/^mcImage: "registry\.example\.com\/MC:pinned" is not an image reference/);
  });

  test('the Job pod meets the restricted profile and keeps mc state in /tmp', () => {
    const pod = synth('image-registry').job.spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(JSON.stringify(pod)).not.toMatch(/runAsUser|runAsGroup|fsGroup/);
    expect(pod.containers[0].env).toContainEqual({ name: 'MC_CONFIG_DIR', value: '/tmp/.mc' });
  });

  test('a bucket user gets a policy limited to its bucket', () => {
    const { objects, script } = synth('registry-data', { user: true });
    const policy = JSON.parse(objects.find((o) => o.kind === 'ConfigMap').data['policy.json']);
    const resources = policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
    expect(resources).toEqual(['arn:aws:s3:::registry-data', 'arn:aws:s3:::registry-data/*']);
    expect(JSON.stringify(policy)).not.toContain('s3:*');
    expect(script).toContain('mc admin user add store "$REGISTRY_STORAGE_S3_ACCESSKEY" "$REGISTRY_STORAGE_S3_SECRETKEY"');
    expect(script).toContain('mc admin policy attach store "$POLICY" --user "$REGISTRY_STORAGE_S3_ACCESSKEY"');
  });

  test('with TLS the Job trusts the service CA', () => {
    const pod = synth('image-registry', { tls: true }).job.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'service-ca', configMap: { name: 'openshift-service-ca.crt' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'service-ca', mountPath: '/tmp/.mc/certs/CAs', readOnly: true });
  });

  test.each([
    ['ab', 'use 3 to 63 lower-case letters'],
    ['Image-Registry', 'use 3 to 63 lower-case letters'],
    ['image_registry', 'use 3 to 63 lower-case letters'],
    ['a..b', 'two dots in a row'],
    ['192.168.1.1', 'formatted like an IP address'],
    ['xn--bucket', 'reserved'],
    ['a'.repeat(64), 'use 3 to 63'],
  ])('rejects the bucket name %p', (bucket, problem) => {
    expect(() => synth(bucket)).toThrow(`bucket: ${JSON.stringify(bucket)} is not a valid S3 bucket name: `);
    expect(() => synth(bucket)).toThrow(problem);
  });
});
