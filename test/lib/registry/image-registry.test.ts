import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { ConfigSpecResourcesLimits } from '../../../imports/imageregistry-imageregistry.operator.openshift.io';
import { ImageRegistry, ImageRegistryProps, LogLevel, ManagementState, RolloutStrategy } from '../../../lib/registry/image-registry';
import { MinioBucket } from '../../../lib/minio/minio-bucket';
import { MinioObjectStore } from '../../../lib/minio/minio-object-store';
import { AccessMode } from '../../../lib/registry/registry-pvc';
import { SecretSource } from '../../../lib/secrets/secret-source';
import { RegistryStorage, StorageManagementState } from '../../../lib/registry/registry-storage';
import { DEFAULT_OPENSHIFT_VERSION, OpenShiftVersion } from '../../../lib/rules/openshift-version';
import { ValidationError } from '../../../lib/rules/validation-error';

const rwo = RegistryStorage.fromExistingClaim({ name: 'image-registry-pvc' });
const rwx = RegistryStorage.fromExistingClaim({ name: 'shared', accessMode: AccessMode.READ_WRITE_MANY });

function synth(props: ImageRegistryProps) {
  const chart = Testing.chart();
  new ImageRegistry(chart, 'Registry', props);
  const [config] = Testing.synth(chart);
  return config;
}

describe('ImageRegistry', () => {
  test('is the Config named cluster, cluster-scoped', () => {
    const config = synth({ storage: rwx });
    expect(config.apiVersion).toBe('imageregistry.operator.openshift.io/v1');
    expect(config.kind).toBe('Config');
    expect(config.metadata).toEqual({ name: 'cluster' });
  });

  test('defaults write only managementState Managed, replicas 1 and the storage (Unmanaged: never deleted by the operator)', () => {
    expect(synth({ storage: rwx }).spec).toEqual({ managementState: 'Managed', replicas: 1, storage: { pvc: { claim: 'shared' }, managementState: 'Unmanaged' } });
  });

  describe('ReadWriteOnce storage', () => {
    test('writes replicas 1 and rolloutStrategy Recreate explicitly by default', () => {
      const spec = synth({ storage: rwo }).spec;
      expect(spec.replicas).toBe(1);
      expect(spec.rolloutStrategy).toBe('Recreate');
    });

    test('accepts the same values given explicitly', () => {
      expect(synth({ storage: rwo, replicas: 1, rolloutStrategy: RolloutStrategy.RECREATE }).spec.rolloutStrategy).toBe('Recreate');
    });

    test('rejects more than one replica (the operator\'s rule, from rules/registry-rules.ts)', () => {
      expect(() => synth({ storage: rwo, replicas: 2 })).toThrow(
        'replicas: 2 replicas cannot share the ReadWriteOnce claim image-registry-pvc: the operator refuses it; use 1 replica, or a ReadWriteMany claim');
    });

    test('rejects RollingUpdate', () => {
      expect(() => synth({ storage: rwo, rolloutStrategy: RolloutStrategy.ROLLING_UPDATE })).toThrow(
        'rolloutStrategy: must be Recreate with the ReadWriteOnce claim image-registry-pvc (a rolling update would start a second pod on the volume; no strategy means RollingUpdate), got "RollingUpdate"');
    });
  });

  test('ReadWriteMany allows several replicas and leaves the strategy unset', () => {
    const spec = synth({ storage: rwx, replicas: 3 }).spec;
    expect(spec.replicas).toBe(3);
    expect(spec.rolloutStrategy).toBeUndefined();
  });

  test('replicas: a whole number from 1; 0 points at managementState Removed', () => {
    expect(() => synth({ storage: rwx, replicas: -1 })).toThrow('replicas: -1 must be a whole number from 1 to 2147483647');
    expect(() => synth({ storage: rwx, replicas: 1.5 })).toThrow('replicas: 1.5 must be a whole number from 1 to 2147483647');
    expect(() => synth({ storage: rwx, replicas: 0 })).toThrow('replicas: 0 does not stop the registry');
  });

  test('managementState is one the operator acts on', () => {
    expect(synth({ storage: rwx, managementState: ManagementState.REMOVED }).spec.managementState).toBe('Removed');
    expect(() => synth({ storage: rwx, managementState: 'Force' as ManagementState })).toThrow(
      'managementState: "Force" is not allowed; use one of Managed, Unmanaged, Removed');
  });

  test('exactly one storage back end', () => {
    const two = RegistryStorage.fromStorageSpec({ emptyDir: {}, s3: { bucket: 'b' } });
    expect(() => synth({ storage: two })).toThrow('storage: has s3 and emptyDir: exactly one back end may be set; with two the operator reports Progressing with an error, keeps the old registry running');
    expect(() => synth({ storage: RegistryStorage.fromStorageSpec({}) })).toThrow('storage: names no back end');
    expect(() => synth({ storage: RegistryStorage.fromStorageSpec({ oss: { bucket: 'b' } }) })).toThrow('storage.oss: is ignored by the operator of OpenShift 4.23');
    expect(synth({ storage: RegistryStorage.fromStorageSpec({ gcs: { bucket: 'registry-b' } }) }).spec.storage).toEqual({ gcs: { bucket: 'registry-b' } });
  });

  describe('openshiftVersion', () => {
    const chunked = RegistryStorage.s3({ bucket: 'registry', chunkSizeMiB: 10 });

    test('a field the version\'s Config CRD lacks is a ValidationError naming the field, the version and the first version with it', () => {
      let error: unknown;
      try {
        synth({ storage: chunked, openshiftVersion: '4.16' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'storage.s3.chunkSizeMiB', problem: "is not in OpenShift 4.16's Config CRD; it first appears in 4.17", versionBound: true });
      expect(synth({ storage: chunked, openshiftVersion: '4.17' }).spec.storage.s3.chunkSizeMiB).toBe(10);
    });

    test('defaults to the newest known version, and is kept on the construct', () => {
      const chart = Testing.chart();
      expect(new ImageRegistry(chart, 'Registry', { storage: chunked }).openshiftVersion).toBe(DEFAULT_OPENSHIFT_VERSION);
    });

    test('oss storage is written for 4.16 and refused for 4.17', () => {
      const oss = RegistryStorage.fromStorageSpec({ oss: { bucket: 'b' } });
      expect(synth({ storage: oss, openshiftVersion: '4.16' }).spec.storage).toEqual({ oss: { bucket: 'b' } });
      expect(() => synth({ storage: oss, openshiftVersion: '4.17' })).toThrow('storage.oss: is ignored by the operator of OpenShift 4.17 (its Alibaba Cloud OSS driver was removed in 4.17)');
    });

    test('additionalSpec fields are checked too (resources.claims before 4.13)', () => {
      expect(() => synth({ storage: rwx, openshiftVersion: '4.12', resources: { claims: [{ name: 'gpu' }] } }))
        .toThrow("resources.claims: is not in OpenShift 4.12's Config CRD; it first appears in 4.13");
    });

    test('an unknown version is refused, naming the known ones', () => {
      expect(() => synth({ storage: rwx, openshiftVersion: '4.11' as OpenShiftVersion })).toThrow('openshiftVersion: "4.11" is not a known OpenShift version; use one of 4.12, 4.13');
    });
  });

  describe('routes', () => {
    test('are written with the default route flag', () => {
      const spec = synth({ storage: rwx, defaultRoute: true, routes: [{ name: 'public', hostname: 'registry.apps.example.com', secretName: 'public-tls' }] }).spec;
      expect(spec.defaultRoute).toBe(true);
      expect(spec.routes).toEqual([{ name: 'public', hostname: 'registry.apps.example.com', secretName: 'public-tls' }]);
    });

    test('may not be named default-route', () => {
      expect(() => synth({ storage: rwx, routes: [{ name: 'default-route' }] })).toThrow(
        'routes[0].name: "default-route" is the route the operator makes for defaultRoute: true');
    });

    test('names are unique', () => {
      expect(() => synth({ storage: rwx, routes: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] })).toThrow(
        'routes[2].name: route name "a" is also routes[0]\'s; route names must be unique');
    });

    test('names, hosts and secrets are DNS names', () => {
      expect(() => synth({ storage: rwx, routes: [{ name: 'Public' }] })).toThrow('routes[0].name: "Public" is not a valid name');
      expect(() => synth({ storage: rwx, routes: [{ name: 'a', hostname: 'bad_host' }] })).toThrow('routes[0].hostname: "bad_host" is not a valid name');
      expect(() => synth({ storage: rwx, routes: [{ name: 'a', secretName: 'Tls' }] })).toThrow('routes[0].secretName: "Tls" is not a valid name');
    });
  });

  test('disableRedirect defaults to true only for a store inside the cluster', () => {
    const chart = Testing.chart();
    const objectStore = new MinioObjectStore(chart, 'Minio', { rootCredentials: SecretSource.existing() });
    const minio = RegistryStorage.fromMinio({ bucket: new MinioBucket(chart, 'Bucket', { objectStore, bucket: 'image-registry' }) });
    expect(synth({ storage: minio }).spec.disableRedirect).toBe(true);
    // Redirects to a .svc name reach no node and no outside client.
    expect(() => synth({ storage: minio, disableRedirect: false })).toThrow('disableRedirect: must be true with the in-cluster store minio.minio.svc');
    expect(synth({ storage: RegistryStorage.s3({ bucket: 'registry' }) }).spec.disableRedirect).toBeUndefined();
  });

  test('pod placement, resources, logging and proxy are passed through', () => {
    const spec = synth({
      storage: rwx,
      disableRedirect: true,
      nodeSelector: { 'node-role.kubernetes.io/infra': '' },
      tolerations: [{ key: 'infra', operator: 'Exists', effect: 'NoSchedule' }],
      resources: { limits: { memory: ConfigSpecResourcesLimits.fromString('2Gi') } },
      logLevel: LogLevel.DEBUG,
      proxy: { https: 'http://proxy:3128', noProxy: '.svc' },
    }).spec;
    expect(spec).toMatchObject({
      disableRedirect: true,
      nodeSelector: { 'node-role.kubernetes.io/infra': '' },
      tolerations: [{ key: 'infra', operator: 'Exists', effect: 'NoSchedule' }],
      resources: { limits: { memory: '2Gi' } },
      logLevel: 'Debug',
      proxy: { https: 'http://proxy:3128', noProxy: '.svc' },
    });
  });

  test('resource quantities are checked', () => {
    expect(() => synth({ storage: rwx, resources: { requests: { memory: ConfigSpecResourcesLimits.fromString('2GB') } } })).toThrow(
      'resources.requests.memory: "2GB" is not a Kubernetes quantity');
  });

  test('the operator\'s rules see the other objects of the app: a MinIO endpoint against its Service\'s TLS', () => {
    const chart = Testing.chart();
    const objectStore = new MinioObjectStore(chart, 'Minio', { rootCredentials: SecretSource.existing() });
    const bucket = new MinioBucket(chart, 'Bucket', { objectStore, bucket: 'image-registry' });
    const storage = RegistryStorage.fromMinio({ bucket, regionEndpoint: 'https://minio.minio.svc:9000' });
    expect(() => new ImageRegistry(chart, 'Registry', { storage })).toThrow(
      'storage.s3.regionEndpoint: "https://minio.minio.svc:9000" uses https, but Service minio/minio serves plain HTTP; use http://');
  });

  test('warnings say what Removed would delete (objects not made here are validate\'s to report)', () => {
    const chart = Testing.chart();
    const registry = new ImageRegistry(chart, 'Registry', { storage: RegistryStorage.s3({ bucket: 'registry', managementState: StorageManagementState.MANAGED }) });
    expect(registry.warnings).toEqual([
      'storage.managementState: is Managed: setting managementState: Removed, or deleting the Config, empties and deletes the bucket "registry" with every image in it; use Unmanaged to keep it',
    ]);
  });

  test('S3: a custom endpoint without a region is refused where the Config is made', () => {
    expect(() => synth({ storage: RegistryStorage.s3({ bucket: 'registry', regionEndpoint: 'https://s3.example.com' }) })).toThrow(
      'storage.s3.region: is required with a custom regionEndpoint');
  });

  test('every other spec field is reachable through additionalSpec', () => {
    const spec = synth({ storage: rwx, additionalSpec: { readOnly: true, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] } }).spec;
    expect(spec.readOnly).toBe(true);
    expect(spec.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }]);
  });
});

test('a cluster holds one registry Config: a second is refused', () => {
  const chart = Testing.chart();
  new ImageRegistry(chart, 'Registry', { storage: rwo });
  expect(() => new ImageRegistry(chart, 'Again', { storage: rwo })).toThrow('Again: cluster test already has');
  expect(() => new ImageRegistry(chart, 'Again2', { storage: rwo })).toThrow('already has the Config cluster: a cluster has one');
});

describe('the operator\'s rules over the cluster\'s other objects', () => {
  const claim = (chart: ReturnType<typeof Testing.chart>, namespace: string, accessModes: string[]) =>
    new ApiObject(chart, `claim-${namespace}`, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'shared', namespace }, spec: { accessModes } });
  const registry = (chart: ReturnType<typeof Testing.chart>) =>
    new ImageRegistry(chart, 'Registry', { storage: RegistryStorage.fromExistingClaim({ name: 'shared', accessMode: AccessMode.READ_WRITE_ONCE }), replicas: 2, rolloutStrategy: RolloutStrategy.RECREATE });

  test('see each object as it is written: a JSON patch that moves a claim counts', () => {
    // A ReadWriteMany claim patched into the registry's namespace: two replicas may share it.
    const into = Testing.chart();
    claim(into, 'elsewhere', ['ReadWriteMany']).addJsonPatch(JsonPatch.replace('/metadata/namespace', 'openshift-image-registry'));
    expect(() => registry(into)).not.toThrow();
    // A ReadWriteOnce claim patched out of it: the registry's claim is the one it names, ReadWriteOnce.
    const out = Testing.chart();
    claim(out, 'openshift-image-registry', ['ReadWriteMany']).addJsonPatch(JsonPatch.replace('/metadata/namespace', 'elsewhere'));
    expect(() => registry(out)).toThrow('2 replicas cannot share the ReadWriteOnce claim shared');
  });

  test('render only the kinds the rules read (each render is a cdk8s toJson: a fleet renders thousands)', () => {
    const chart = Testing.chart();
    claim(chart, 'openshift-image-registry', ['ReadWriteMany']);
    new ApiObject(chart, 'app', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: 'x' } });
    const rendered: string[] = [];
    const original = ApiObject.prototype.toJson;
    const toJson = jest.spyOn(ApiObject.prototype, 'toJson').mockImplementation(function (this: ApiObject) {
      rendered.push(this.kind);
      return original.call(this);
    });
    try {
      registry(chart);
    } finally {
      toJson.mockRestore();
    }
    expect(rendered).toEqual(['PersistentVolumeClaim']);
  });
});
