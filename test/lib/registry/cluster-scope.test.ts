// Several clusters in one App: each cluster's rules see its own objects, never another cluster's.
import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ImageConfig } from '../../../lib/openshift/image-config';
import { MinioBucket } from '../../../lib/minio/minio-bucket';
import { MinioObjectStore } from '../../../lib/minio/minio-object-store';
import { checkFirstInCluster, clusterScope } from '../../../lib/registry/cluster-scope';
import { ImagePruner } from '../../../lib/registry/image-pruner';
import { ImageRegistry } from '../../../lib/registry/image-registry';
import { RegistryCredentials } from '../../../lib/registry/registry-credentials';
import { AccessMode, RegistryPvc } from '../../../lib/registry/registry-pvc';
import { RegistryStorage } from '../../../lib/registry/registry-storage';
import { SecretSource } from '../../../lib/secrets/secret-source';

const existingSecret = SecretSource.existing();

describe('the cluster of a construct', () => {
  test('is the App\'s child on its path: the cluster\'s chart, or the construct that holds its charts', () => {
    const app = new App();
    const lab = new Chart(app, 'lab');
    const registry = new Construct(lab, 'Registry');
    expect(clusterScope(registry)).toBe(lab);
    const prod = new Construct(app, 'prod');
    const stage = new Chart(prod, 'registry');
    expect(clusterScope(new Construct(stage, 'Registry'))).toBe(prod);
    expect(clusterScope(new Construct(new Chart(new Chart(app, 'outer'), 'inner'), 'X')).node.path).toBe('outer');
  });

  test('is the chart itself when a chart is the root', () => {
    const root = new Chart(undefined as never, 'root');
    expect(clusterScope(new Construct(root, 'X'))).toBe(root);
  });
});

describe('several clusters in one App, a chart each', () => {
  test('cluster A\'s ReadWriteOnce claim does not decide cluster B\'s claim of the same name', () => {
    const app = new App();
    const a = new Chart(app, 'a');
    new ImageRegistry(a, 'Registry', { storage: RegistryStorage.fromPvc(new RegistryPvc(a, 'Claim', { name: 'image-registry-pvc' })) });
    const b = new Chart(app, 'b');
    const shared = RegistryStorage.fromExistingClaim({ name: 'image-registry-pvc', accessMode: AccessMode.READ_WRITE_MANY });
    const registry = new ImageRegistry(b, 'Registry', { storage: shared, replicas: 3 });
    expect(registry.replicas).toBe(3);
    expect(Testing.synth(b).find((o) => o.kind === 'Config').spec.replicas).toBe(3);
  });

  test('cluster A\'s MinIO Service (TLS) does not decide the scheme of cluster B\'s endpoint of the same host', () => {
    const app = new App();
    const a = new Chart(app, 'a');
    const store = new MinioObjectStore(a, 'Minio', { rootCredentials: existingSecret, tls: true });
    const bucket = new MinioBucket(a, 'Bucket', { objectStore: store, bucket: 'image-registry' });
    new ImageRegistry(a, 'Registry', { storage: RegistryStorage.fromMinio({ bucket, trustedCa: 'service-ca' }) });
    const b = new Chart(app, 'b');
    const storage = RegistryStorage.s3({ bucket: 'image-registry', region: 'us-east-1', regionEndpoint: 'http://minio.minio.svc:9000' });
    new RegistryCredentials(b, 'Credentials', { storage, source: existingSecret });
    expect(() => new ImageRegistry(b, 'Registry', { storage, disableRedirect: true })).not.toThrow();
    // Within cluster A (a chart nested in its chart) the rule still holds.
    expect(() => new ImageRegistry(new Chart(a, 'again'), 'Registry', { storage, disableRedirect: true })).toThrow('uses http, but Service minio/minio serves TLS; use https://');
  });

  test('each cluster holds its own Config, ImagePruner and image config', () => {
    const app = new App();
    for (const name of ['a', 'b']) {
      const chart = new Chart(app, name);
      new ImageRegistry(chart, 'Registry', { storage: RegistryStorage.emptyDir() });
      new ImagePruner(chart, 'Pruner');
      new ImageConfig(chart, 'Images');
    }
    expect(app.charts.map((c) => Testing.synth(c).map((o) => o.kind))).toEqual([['Config', 'ImagePruner', 'Image'], ['Config', 'ImagePruner', 'Image']]);
  });
});

describe('one cluster with a chart per stage, held by one construct', () => {
  test('the registry\'s rules see the claim in the storage stage\'s chart', () => {
    const app = new App();
    const prod = new Construct(app, 'prod');
    new RegistryPvc(new Chart(prod, 'storage'), 'Claim', { name: 'registry' });
    // Described as ReadWriteMany, but the claim this cluster creates is ReadWriteOnce.
    const storage = RegistryStorage.fromExistingClaim({ name: 'registry', accessMode: AccessMode.READ_WRITE_MANY });
    expect(() => new ImageRegistry(new Chart(prod, 'registry'), 'Registry', { storage, replicas: 3 }))
      .toThrow('replicas: 3 replicas cannot share the ReadWriteOnce claim registry');
  });

  test('a second Config in another stage chart of the same cluster is refused', () => {
    const app = new App();
    const prod = new Construct(app, 'prod');
    new ImageRegistry(new Chart(prod, 'registry'), 'Registry', { storage: RegistryStorage.emptyDir() });
    expect(() => new ImageRegistry(new Chart(prod, 'other'), 'Registry', { storage: RegistryStorage.emptyDir() }))
      .toThrow('Registry: cluster prod already has the Config cluster: a cluster has one');
  });

  test('checkFirstInCluster matches the kind in any version of its group', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new ImagePruner(chart, 'Pruner');
    expect(() => checkFirstInCluster(new Construct(chart, 'X'), 'imageregistry.operator.openshift.io/v2', 'ImagePruner', 'cluster')).toThrow('X: cluster c already has');
    expect(() => checkFirstInCluster(new Construct(chart, 'Y'), 'other.example.com/v1', 'ImagePruner', 'cluster')).not.toThrow();
  });
});
