import { Testing } from 'cdk8s';
import { MinioObjectStore, MinioObjectStoreProps } from '../../../lib/minio/minio-object-store';
import { SecretSource } from '../../../lib/secrets/secret-source';

const rootCredentials = SecretSource.existing();
function synth(props: Partial<MinioObjectStoreProps> = {}) {
  const chart = Testing.chart();
  const store = new MinioObjectStore(chart, 'Minio', { rootCredentials, ...props });
  const objects = Testing.synth(chart);
  const find = (kind: string, name?: string) => objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  return { store, objects, find };
}

describe('MinioObjectStore', () => {
  test('defaults: its own namespace, fixed names, one server on a RWO claim with Recreate', () => {
    const { objects, find } = synth();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/minio', 'PersistentVolumeClaim/minio-data', 'Service/minio', 'Deployment/minio']);
    expect(objects.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === 'minio')).toBe(true);
    expect(find('PersistentVolumeClaim').spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } });
    const deployment = find('Deployment').spec;
    expect(deployment.replicas).toBe(1);
    expect(deployment.strategy).toEqual({ type: 'Recreate' });
    expect(deployment.template.spec.containers[0].image).toMatch(/^quay\.io\/minio\/minio:RELEASE\.\d{4}-/);
    expect(deployment.template.spec.containers[0].args).toEqual(['server', '/data', '--address', ':9000', '--console-address', ':9001']);
  });

  test('the server image can be replaced', () => {
    expect(synth({ image: 'registry.example.com/minio:pinned' }).find('Deployment').spec.template.spec.containers[0].image).toBe('registry.example.com/minio:pinned');
    expect(() => synth({ image: 'minio:' })).toThrow(/^image: "minio:" is not an image reference/);
  });

  test('Service exposes the API on 9000 and the console on 9001', () => {
    expect(synth().find('Service').spec.ports).toEqual([
      { name: 'api', port: 9000, targetPort: 'api' },
      { name: 'console', port: 9001, targetPort: 'console' },
    ]);
  });

  test('probes hit the health endpoints on the API port', () => {
    const container = synth().find('Deployment').spec.template.spec.containers[0];
    expect(container.livenessProbe.httpGet).toEqual({ path: '/minio/health/live', port: 'api', scheme: 'HTTP' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/minio/health/ready', port: 'api', scheme: 'HTTP' });
  });

  test('root credentials come from the Secret, never from a value in the code', () => {
    const container = synth().find('Deployment').spec.template.spec.containers[0];
    const env = Object.fromEntries(container.env.map((e: { name: string }) => [e.name, e]));
    expect(env.MINIO_ROOT_USER.valueFrom).toEqual({ secretKeyRef: { name: 'minio-root-credentials', key: 'MINIO_ROOT_USER' } });
    expect(env.MINIO_ROOT_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'minio-root-credentials', key: 'MINIO_ROOT_PASSWORD' } });
  });

  test('the pod meets the restricted profile with no fixed UID, GID or fsGroup', () => {
    const { find } = synth();
    const pod = find('Deployment').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(JSON.stringify(pod)).not.toMatch(/runAsUser|runAsGroup|fsGroup|privileged|hostPath/);
    expect(find('Namespace').metadata.labels).toEqual({ 'pod-security.kubernetes.io/enforce': 'restricted' });
  });

  test('resources have defaults that can be overridden', () => {
    expect(synth().find('Deployment').spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '2Gi' } });
    expect(synth({ resources: { limits: { memory: '8Gi', cpu: '2' } } }).find('Deployment').spec.template.spec.containers[0].resources)
      .toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '8Gi', cpu: '2' } });
    expect(() => synth({ resources: { requests: { memory: '1GB' } } })).toThrow('resources.requests.memory: "1GB" is not a Kubernetes quantity');
  });

  test('no Route by default: the registry reaches MinIO through the Service', () => {
    const { objects, store } = synth();
    expect(objects.filter((o) => o.kind === 'Route')).toEqual([]);
    expect(store.endpoint).toBe('http://minio.minio.svc:9000');
  });

  test('apiRoute exposes the API with edge TLS, with a generated or given host; the console route is optional', () => {
    expect(synth({ apiRoute: true }).find('Route').spec).toEqual({
      port: { targetPort: 'api' }, to: { kind: 'Service', name: 'minio', weight: 100 }, tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' },
    });
    const { find } = synth({ apiRoute: true, routeHost: 'minio-minio.apps.example.com', consoleRoute: true, consoleRouteHost: 'console.apps.example.com' });
    expect(find('Route', 'minio').spec.host).toBe('minio-minio.apps.example.com');
    expect(find('Route', 'minio-console').spec).toMatchObject({ host: 'console.apps.example.com', port: { targetPort: 'console' } });
    expect(synth({ consoleRoute: true }).objects.filter((o) => o.kind === 'Route').map((o) => o.metadata.name)).toEqual(['minio-console']);
    expect(() => synth({ consoleRouteHost: 'c.example.com' })).toThrow('consoleRouteHost: is set but consoleRoute is not');
  });

  test('a route host without apiRoute is refused, not silently dropped', () => {
    expect(() => synth({ routeHost: 's3.apps.example.com' })).toThrow('routeHost: is set but apiRoute is not; set apiRoute: true');
  });

  test('size, storage class, namespace and name are configurable and checked', () => {
    const { find } = synth({ namespace: 'object-store', name: 's3', size: '1Ti', storageClassName: 'fast' });
    expect(find('Namespace').metadata.name).toBe('object-store');
    expect(find('PersistentVolumeClaim').metadata.name).toBe('s3-data');
    expect(find('PersistentVolumeClaim').spec).toMatchObject({ resources: { requests: { storage: '1Ti' } }, storageClassName: 'fast' });
    expect(() => synth({ size: '10GB' })).toThrow('size: "10GB" is not a Kubernetes quantity');
    expect(() => synth({ namespace: 'MinIO' })).toThrow('namespace: "MinIO" is not a valid name');
    expect(() => synth({ apiRoute: true, routeHost: 'bad host' })).toThrow('routeHost.host: "bad host" is not a valid name');
  });

  describe('endpoint', () => {
    test('is the in-cluster service with http, or https with TLS', () => {
      expect(synth().store.endpoint).toBe('http://minio.minio.svc:9000');
      expect(synth({ tls: true, namespace: 's3' }).store.endpoint).toBe('https://minio.s3.svc:9000');
    });

    test('TLS: serving certificate from the service CA, certs dir, https probes, reencrypt route', () => {
      const { find } = synth({ tls: true, apiRoute: true });
      expect(find('Service').metadata.annotations).toEqual({ 'service.beta.openshift.io/serving-cert-secret-name': 'minio-tls' });
      const pod = find('Deployment').spec.template.spec;
      expect(pod.containers[0].args).toContain('--certs-dir');
      expect(pod.containers[0].livenessProbe.httpGet.scheme).toBe('HTTPS');
      expect(pod.volumes).toContainEqual({ name: 'certs', secret: { secretName: 'minio-tls', items: [{ key: 'tls.crt', path: 'public.crt' }, { key: 'tls.key', path: 'private.key' }] } });
      expect(find('Route').spec.tls.termination).toBe('reencrypt');
    });

    test('checkEndpoint accepts the service in any DNS form with the right scheme', () => {
      const plain = synth().store;
      for (const url of ['http://minio.minio.svc:9000', 'http://minio.minio:9000', 'http://minio.minio.svc.cluster.local:9000/']) {
        expect(() => plain.checkEndpoint('regionEndpoint', url)).not.toThrow();
      }
    });

    test("an endpoint that is not this MinIO's API is an error (the seed's wrong name and port)", () => {
      const store = synth().store;
      expect(() => store.checkEndpoint('regionEndpoint', 'http://minio.svc.cluster.local:9000')).toThrow('is not the API of MinIO minio/minio; leave it out to use http://minio.minio.svc:9000');
      expect(() => store.checkEndpoint('regionEndpoint', 'http://minio.minio.svc:9001')).toThrow('is not the API of MinIO');
      expect(() => store.checkEndpoint('regionEndpoint', 'minio.minio.svc:9000')).toThrow('is not the API of MinIO');
    });
  });
});

test('the store never takes a namespace the cluster owns (it writes and owns its Namespace)', () => {
  for (const namespace of ['openshift-image-registry', 'openshift', 'kube-system', 'default']) {
    expect(() => new MinioObjectStore(Testing.chart(), 'Minio', { rootCredentials: SecretSource.existing(), namespace })).toThrow(
      `namespace: "${namespace}" belongs to the cluster`);
  }
});
