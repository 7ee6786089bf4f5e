import { join } from 'node:path';
import { readTree } from '../../../app/output/read-tree';
import { toYaml } from '../../../app/output/to-yaml';
import { builtInSchemas } from '../../../app/validate/built-in-schemas';
import { validateTree } from '../../../app/validate/validate-manifests';
import { repoRoot } from '../../helpers';

const schemas = builtInSchemas();

/** The problems of one cluster's objects, as `Kind/name field: message`. */
function problems(objects: object[], options: { allowPlainSecrets?: boolean } = {}): string[] {
  const report = validateTree(new Map([['kustomization.yaml', ''], ['all.yaml', toYaml(...objects)]]), { schemas, ...options });
  return report.problems.map((p) => `${p.severity === 'warning' ? 'warning ' : ''}${p.manifest.object.kind}/${p.manifest.object.metadata?.name} ${p.field}: ${p.message}`);
}

const pvc = (accessMode = 'ReadWriteOnce', name = 'image-registry-pvc') => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'openshift-image-registry' },
  spec: { accessModes: [accessMode], resources: { requests: { storage: '100Gi' } } },
});
const config = (spec: object) => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { managementState: 'Managed', replicas: 1, ...spec } });
const rwo = { rolloutStrategy: 'Recreate', storage: { pvc: { claim: 'image-registry-pvc' } } };
const restrictedPod = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'app', image: 'example/app:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};
const deployment = (pod: object) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: 'minio' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: pod } } });

describe('validate', () => {
  test('the committed dist/ is valid: every object of every cluster', () => {
    const report = validateTree(readTree(join(repoRoot, 'dist')), { schemas });
    expect(report.problems).toEqual([]);
    expect(report.objects).toBeGreaterThan(10);
  });

  test('valid objects give no problem', () => {
    expect(problems([pvc(), config(rwo), deployment(restrictedPod)])).toEqual([]);
  });

  describe('schemas', () => {
    test('a custom resource: unknown fields, enums and types, strictly', () => {
      expect(problems([pvc(), config({ ...rwo, replicass: 2, logLevel: 'Verbose' })])).toEqual([
        'Config/cluster spec.replicass: unknown field',
        'Config/cluster spec.logLevel: must be one of "", Normal, Debug, Trace, TraceAll',
      ]);
      expect(problems([{ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'r', namespace: 'minio' }, spec: { to: { kind: 'Service', name: 's' }, tls: { termination: 'terminate' } } }]))
        .toEqual(['Route/r spec.tls.termination: must be one of edge, reencrypt, passthrough']);
    });

    test('a core kind: types, formats and required fields (kubernetes-models)', () => {
      const bad = pvc();
      bad.spec.resources.requests.storage = '100GB';
      expect(problems([bad, config(rwo)])).toEqual(['PersistentVolumeClaim/image-registry-pvc spec.resources.requests.storage: must match format "quantity"']);
      expect(problems([deployment({ ...restrictedPod, containers: [] }), deployment({ securityContext: restrictedPod.securityContext })]))
        .toContain('Deployment/app spec.template.spec: must have required property containers');
    });

    test('a kind with no schema, and an object without a name', () => {
      expect(problems([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])).toEqual([
        'Widget/w : no schema for example.com/v1 Widget: neither a core kind this validator knows nor a built-in custom resource; pass its CRD with --crds DIR',
      ]);
      expect(problems([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }])).toEqual(['ConfigMap/undefined : every object needs apiVersion, kind and metadata.name']);
    });
  });

  describe('pod security: restricted and restricted-v2', () => {
    test('each rule fails when it should', () => {
      const c = restrictedPod.containers[0];
      const bad = {
        hostNetwork: true,
        securityContext: { runAsUser: 1000, fsGroup: 2000 },
        volumes: [{ name: 'host', hostPath: { path: '/' } }],
        containers: [{ ...c, securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } }, ports: [{ containerPort: 80, hostPort: 80 }] }],
      };
      expect(problems([deployment(bad)])).toEqual([
        'Deployment/app spec.template.spec.hostNetwork: must not be set (restricted)',
        'Deployment/app spec.template.spec.volumes[0].hostPath: volume type hostPath is not allowed (restricted allows configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret)',
        'Deployment/app spec.template.spec.securityContext.runAsUser: must not be set: OpenShift restricted-v2 assigns it from the namespace range',
        'Deployment/app spec.template.spec.securityContext.fsGroup: must not be set: OpenShift restricted-v2 assigns it from the namespace range',
        'Deployment/app spec.template.spec.containers[0].securityContext.privileged: must not be true (restricted)',
        'Deployment/app spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation: must be false (restricted)',
        'Deployment/app spec.template.spec.containers[0].securityContext.capabilities.drop: must include ALL (restricted)',
        'Deployment/app spec.template.spec.containers[0].securityContext.capabilities.add: SYS_ADMIN may not be added (restricted allows only NET_BIND_SERVICE)',
        'Deployment/app spec.template.spec.containers[0].securityContext.runAsNonRoot: must be true, on the pod or the container (restricted)',
        'Deployment/app spec.template.spec.containers[0].securityContext.seccompProfile.type: must be RuntimeDefault or Localhost, on the pod or the container (restricted)',
        'Deployment/app spec.template.spec.containers[0].ports[0].hostPort: must not be set (restricted)',
      ]);
    });

    test('Jobs are checked too', () => {
      const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'minio' }, spec: { template: { spec: { ...restrictedPod, restartPolicy: 'Never', securityContext: { runAsNonRoot: true } } } } };
      expect(problems([job])).toEqual(['Job/j spec.template.spec.containers[0].securityContext.seccompProfile.type: must be RuntimeDefault or Localhost, on the pod or the container (restricted)']);
    });
  });

  test('no plaintext Secret unless the config asked for one', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'minio' }, stringData: { KEY: 'value' } };
    expect(problems([secret])).toEqual(['Secret/s stringData: a plain Secret puts credentials in git; use an existing secret, an ExternalSecret or a SealedSecret (plainSecret in the config is for labs)']);
    expect(problems([secret], { allowPlainSecrets: true })).toEqual([]);
  });

  describe("the operator's rules, across objects", () => {
    test('ReadWriteOnce claim: one replica and Recreate', () => {
      expect(problems([pvc(), config({ ...rwo, replicas: 2, rolloutStrategy: 'RollingUpdate' })])).toEqual([
        'Config/cluster spec.replicas: 2 replicas cannot share the ReadWriteOnce claim image-registry-pvc; use 1',
        'Config/cluster spec.rolloutStrategy: must be Recreate with the ReadWriteOnce claim image-registry-pvc (an empty strategy means RollingUpdate), got RollingUpdate',
      ]);
      expect(problems([pvc('ReadWriteMany'), config({ storage: { pvc: { claim: 'image-registry-pvc' } }, replicas: 3 })])).toEqual([]);
    });

    test('a claim that is not among the manifests is a warning; the operator-reserved claim is an error', () => {
      expect(problems([config({ ...rwo, replicas: 2 })])).toEqual(['warning Config/cluster spec.storage.pvc.claim: claim openshift-image-registry/image-registry-pvc is not among these manifests, so its access mode is unknown; it must exist in the cluster, and if it is ReadWriteOnce the registry needs one replica and Recreate']);
      expect(problems([pvc('ReadWriteOnce', 'image-registry-storage'), config({ ...rwo, storage: { pvc: { claim: 'image-registry-storage' } } })]))
        .toContain("Config/cluster spec.storage.pvc.claim: \"image-registry-storage\" is the operator's own claim; the operator fails on one it did not create");
    });

    test('exactly one back end, route names, management state', () => {
      expect(problems([pvc(), config({ ...rwo, storage: { pvc: { claim: 'image-registry-pvc' }, emptyDir: {} }, routes: [{ name: 'default-route' }, { name: 'a' }, { name: 'a' }], managementState: 'Force' })])).toEqual([
        'Config/cluster spec.managementState: "Force" is not acted on by the operator; use Managed, Unmanaged or Removed',
        'Config/cluster spec.storage: exactly one storage back end must be configured, got pvc and emptyDir',
        'Config/cluster spec.routes[0].name: "default-route" is reserved for defaultRoute: true',
        'Config/cluster spec.routes[2].name: route name "a" is used twice',
      ]);
    });

    describe('S3', () => {
      const service = (tls: boolean) => ({
        apiVersion: 'v1', kind: 'Service', metadata: { name: 'minio', namespace: 'minio', ...(tls ? { annotations: { 'service.beta.openshift.io/serving-cert-secret-name': 'minio-tls' } } : {}) },
        spec: { selector: { a: 'b' }, ports: [{ name: 'api', port: 9000 }] },
      });
      const credentials = (keys: string[]) => ({
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' },
        spec: { secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' }, data: keys.map((k) => ({ secretKey: k, remoteRef: { key: 'x' } })) },
      });
      const both = credentials(['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY']);
      const s3 = (s3: object) => config({ storage: { s3: { bucket: 'b', region: 'us-east-1', ...s3 } } });

      test('the endpoint matches a Service port and its TLS', () => {
        expect(problems([service(false), both, s3({ regionEndpoint: 'http://minio.minio.svc:9000' })])).toEqual([]);
        expect(problems([service(false), both, s3({ regionEndpoint: 'https://minio.minio.svc:9000' })])).toEqual(['Config/cluster spec.storage.s3.regionEndpoint: Service minio/minio serves plain HTTP; use http://']);
        expect(problems([service(true), both, s3({ regionEndpoint: 'http://minio.minio.svc.cluster.local:9000' })])).toEqual(['Config/cluster spec.storage.s3.regionEndpoint: Service minio/minio serves TLS; use https://']);
        expect(problems([service(false), both, s3({ regionEndpoint: 'http://minio.minio.svc:9001' })])).toEqual(['Config/cluster spec.storage.s3.regionEndpoint: Service minio/minio has no port 9001 (ports: 9000)']);
        expect(problems([both, s3({ regionEndpoint: 'minio.minio.svc:9000' })])).toEqual(['Config/cluster spec.storage.s3.regionEndpoint: "minio.minio.svc:9000" is not scheme://host[:port]; without a scheme the registry assumes https']);
      });

      test('an empty region', () => {
        expect(problems([both, s3({ region: '' })])).toEqual(['Config/cluster spec.storage.s3.region: must not be empty (MissingRegion); MinIO accepts us-east-1']);
      });

      test('the credentials exist with both keys', () => {
        expect(problems([credentials(['REGISTRY_STORAGE_S3_ACCESSKEY']), s3({})])).toEqual(['Config/cluster spec.storage.s3: ExternalSecret openshift-image-registry/image-registry-private-configuration-user lacks REGISTRY_STORAGE_S3_SECRETKEY; the operator needs both keys']);
        expect(problems([s3({})])).toEqual(['warning Config/cluster spec.storage.s3: no Secret, ExternalSecret or SealedSecret openshift-image-registry/image-registry-private-configuration-user among these manifests; it must exist in the cluster with REGISTRY_STORAGE_S3_ACCESSKEY and REGISTRY_STORAGE_S3_SECRETKEY']);
      });
    });
  });
});
