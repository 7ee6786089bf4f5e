import { join } from 'node:path';
import { synthesizeCluster } from '../../../app/charts/cluster';
import { loadConfigFile } from '../../../app/config/loader';
import { readObjects, repoRoot } from '../../helpers';

interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
}

const files = synthesizeCluster(loadConfigFile(join(repoRoot, 'config', 'minio-s3.yaml')));
const objects: ManifestObject[] = [...files].filter(([path]) => !path.endsWith('kustomization.yaml'))
  .flatMap(([, text]) => readObjects(text));
const annotation = (kind: string, key: string, name?: string) =>
  objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name)).map((o) => o.metadata.annotations?.[key]);
const wave = (o: ManifestObject) => Number(o.metadata.annotations!['argocd.argoproj.io/sync-wave']);

describe('GitOps annotations', () => {
  test('every object has an Argo CD sync wave', () => {
    expect(objects.every((o) => /^-?\d+$/.test(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? ''))).toBe(true);
  });

  test('waves order namespaces, credentials, object store, Jobs, registry Config (with the ImagePruner)', () => {
    const waveOf = (kind: string) => [...new Set(objects.filter((o) => o.kind === kind).map(wave))];
    expect(waveOf('Namespace')).toEqual([-2]);
    expect(waveOf('ExternalSecret')).toEqual([-1]);
    for (const kind of ['Deployment', 'Service', 'PersistentVolumeClaim', 'Route']) expect(waveOf(kind)).toEqual([0]);
    expect(waveOf('Job')).toEqual([1]);
    expect(waveOf('Config')).toEqual([2]);
    expect(waveOf('ImagePruner')).toEqual([2]);
    expect(Math.max(...objects.filter((o) => o.kind !== 'Config' && o.kind !== 'ImagePruner').map(wave))).toBeLessThan(wave(objects.find((o) => o.kind === 'Config')!));
  });

  test.each(['Config', 'ImagePruner'])('the registry %s: server-side apply as a partial object, never pruned or deleted', (kind) => {
    expect(annotation(kind, 'argocd.argoproj.io/sync-options')).toEqual(['ServerSideApply=true,Prune=false,Delete=false']);
    expect(annotation(kind, 'kustomize.toolkit.fluxcd.io/ssa')).toEqual(['merge']);
    expect(annotation(kind, 'kustomize.toolkit.fluxcd.io/prune')).toEqual(['disabled']);
  });

  test('the shared image config: server-side apply as a partial object, never pruned or deleted', () => {
    expect(annotation('Image', 'argocd.argoproj.io/sync-options')).toEqual(['ServerSideApply=true,Prune=false,Delete=false']);
    expect(annotation('Image', 'kustomize.toolkit.fluxcd.io/ssa')).toEqual(['merge']);
    expect(annotation('Image', 'kustomize.toolkit.fluxcd.io/prune')).toEqual(['disabled']);
  });

  test('the Jobs (bucket, storage switch) are recreated when their spec changes instead of wedging the sync', () => {
    expect(objects.filter((o) => o.kind === 'Job').map((o) => o.metadata.name)).toEqual(['minio-bucket-image-registry', 'image-registry-storage-switch']);
    expect(annotation('Job', 'argocd.argoproj.io/sync-options')).toEqual(['Force=true,Replace=true', 'Force=true,Replace=true']);
    expect(annotation('Job', 'kustomize.toolkit.fluxcd.io/force')).toEqual(['enabled', 'enabled']);
    for (const job of objects.filter((o) => o.kind === 'Job') as unknown as { spec: Record<string, unknown> }[]) {
      // A TTL would delete the finished Job and make the GitOps tool create it again, forever.
      expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    }
  });

  test('the storage switch Job runs before the Config (Argo CD wave, Flux stage)', () => {
    expect(wave(objects.find((o) => o.metadata.name === 'image-registry-storage-switch' && o.kind === 'Job')!)).toBeLessThan(wave(objects.find((o) => o.kind === 'Config')!));
    expect([...files.keys()].filter((path) => path.endsWith('.yaml') && !path.endsWith('kustomization.yaml'))).toEqual(['object-store/object-store.yaml', 'storage-switch/storage-switch.yaml', 'registry/registry.yaml', 'registry/image-config.yaml', 'registry/pruner.yaml']);
  });

  test('a claim (MinIO\'s data) is never pruned or deleted', () => {
    expect(annotation('PersistentVolumeClaim', 'argocd.argoproj.io/sync-options')).toEqual(['Prune=false,Delete=false']);
    expect(annotation('PersistentVolumeClaim', 'kustomize.toolkit.fluxcd.io/prune')).toEqual(['disabled']);
  });

  test("MinIO's namespace, which holds its claim, is never pruned or deleted either", () => {
    expect(annotation('Namespace', 'argocd.argoproj.io/sync-options')).toEqual(['Prune=false,Delete=false']);
    expect(annotation('Namespace', 'kustomize.toolkit.fluxcd.io/prune')).toEqual(['disabled']);
  });

  test('no other object is pruning-protected or force-replaced', () => {
    const others = objects.filter((o) => !['Config', 'Image', 'ImagePruner', 'Job', 'PersistentVolumeClaim', 'Namespace'].includes(o.kind));
    expect(others.some((o) => o.metadata.annotations?.['argocd.argoproj.io/sync-options'] !== undefined)).toBe(false);
    expect(others.some((o) => Object.keys(o.metadata.annotations ?? {}).some((k) => k.startsWith('kustomize.toolkit.fluxcd.io/')))).toBe(false);
  });
});
