import { Testing } from 'cdk8s';
import { Chart } from 'cdk8s';
import { MinioBucket, USER_SYNC_SCRIPT } from '../../../lib/minio/minio-bucket';
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
    expect(script).toMatch(/until mc alias set -- store "\$ENDPOINT"/);
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
    const { objects } = synth('registry-data', { user: true });
    const policy = JSON.parse(objects.find((o) => o.kind === 'ConfigMap').data['policy.json']);
    const resources = policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
    expect(resources).toEqual(['arn:aws:s3:::registry-data', 'arn:aws:s3:::registry-data/*']);
    expect(JSON.stringify(policy)).not.toContain('s3:*');
  });

  test('the user is kept in step with its Secret by a Deployment that reads it from a volume, not by the Job', () => {
    const { objects, job, script } = synth('image-registry', { user: true });
    // The Job only makes the bucket: it never runs again when the credentials rotate.
    expect(script).not.toContain('mc admin');
    expect(JSON.stringify(job.spec)).not.toContain('REGISTRY_STORAGE_S3');
    const sync = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'minio-bucket-image-registry-user-sync');
    const pod = sync.spec.template.spec;
    expect(pod.containers[0].command).toEqual(['/bin/sh', '-c', USER_SYNC_SCRIPT]);
    // A mounted Secret is updated in place by the kubelet; an environment variable never changes in a running pod.
    expect(pod.volumes).toEqual(expect.arrayContaining([
      { name: 'credentials', secret: { secretName: 'minio-bucket-image-registry-user' } },
      { name: 'root-credentials', secret: { secretName: 'minio-root-credentials' } },
      { name: 'policy', configMap: { name: 'minio-bucket-image-registry-policy' } },
    ]));
    expect(JSON.stringify(pod.containers[0].env)).not.toContain('secretKeyRef');
    // Ready only while MinIO has the Secret's values.
    expect(pod.containers[0].readinessProbe).toEqual({ exec: { command: ['/bin/sh', '-c', 'test -e /tmp/in-sync'] }, periodSeconds: 10 });
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test("no bucket pod is selected by MinIO's Service or Deployment (it would get S3 traffic)", () => {
    const { objects } = synth('image-registry', { user: true });
    const selector = objects.find((o) => o.kind === 'Service').spec.selector as Record<string, string>;
    expect(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'minio').spec.selector.matchLabels).toEqual(selector);
    const pods = objects.filter((o) => o.kind === 'Job' || (o.kind === 'Deployment' && o.metadata.name !== 'minio')).map((o) => o.spec.template.metadata.labels);
    expect(pods).toHaveLength(2);
    for (const labels of pods) expect(Object.entries(selector).every(([k, v]) => labels[k] === v)).toBe(false);
  });

  test('the same props give the same objects: nothing changes between syncs', () => {
    expect(synth('image-registry', { user: true }).objects).toEqual(synth('image-registry', { user: true }).objects);
  });

  test('with TLS the Job and the user sync trust the service CA', () => {
    const { objects } = synth('image-registry', { tls: true, user: true });
    for (const pod of objects.filter((o) => (o.kind === 'Job' || o.kind === 'Deployment') && o.metadata.name.startsWith('minio-bucket-')).map((o) => o.spec.template.spec)) {
      expect(pod.volumes).toContainEqual({ name: 'service-ca', configMap: { name: 'openshift-service-ca.crt' } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'service-ca', mountPath: '/tmp/.mc/certs/CAs', readOnly: true });
    }
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
