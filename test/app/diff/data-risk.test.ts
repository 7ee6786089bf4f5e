import { synthesizeCluster } from '../../../app/charts/cluster';
import { parseConfigText } from '../../../app/config/loader';
import { diffOutputs, formatMarkdown, formatText, ObjectChange } from '../../../app/diff/object-diff';

// What diff says about data: an object that leaves dist/ is pruned by the next sync unless the
// object in the cluster (synced from the old dist/) carries the tools' prune protection.

const credentials = 'credentials: {existingSecret: {}}';
const minioConfig = `name: prod\nminio:\n  rootCredentials: {existingSecret: {}}\nregistry:\n  storage:\n    s3: {region: us-east-1, ${credentials}}\n`;
const claimConfig = (name = 'image-registry-pvc', extra = '') => `name: prod\nregistry:\n  storage:\n    pvc: {name: ${name}${extra}}\n`;

/** dist/ of one cluster, as the tree diff reads it. */
function dist(config: string): Map<string, string> {
  return new Map([...synthesizeCluster(parseConfigText(config, 'prod.yaml'))].map(([file, text]) => [`prod/${file}`, text]));
}

const byObject = (changes: ObjectChange[], object: string) => changes.find((c) => c.object === object);

describe('diff: what a change does to data', () => {
  test('switching from MinIO to a claim keeps the MinIO namespace and its claim, and says so (no data loss)', () => {
    const changes = diffOutputs(dist(minioConfig), dist(claimConfig()));
    expect(byObject(changes, 'v1 Namespace minio')).toMatchObject({ change: 'removed', data: { loss: false } });
    expect(byObject(changes, 'v1 Namespace minio')!.data!.message).toBe('leaves dist/ but stays in the cluster with its data (Prune=false; Flux prune: disabled), with minio/minio-data; '
      + 'nothing here uses it any more: delete it by hand (oc delete namespace minio) once its images are copied or no longer needed');
    expect(byObject(changes, 'v1 PersistentVolumeClaim minio/minio-data')).toMatchObject({ change: 'removed', data: { loss: false } });
    expect(changes.filter((c) => c.data?.loss)).toEqual([]);
    // The Deployment that served the data is pruned: that deletes no data, and says nothing.
    expect(byObject(changes, 'apps/v1 Deployment minio/minio')).toEqual({ change: 'removed', cluster: 'prod', object: 'apps/v1 Deployment minio/minio', fields: [] });
  });

  test('the same switch from a dist/ whose namespace has no protection (written before namespaces had it) is data loss, loudly', () => {
    const unprotected = new Map([...dist(minioConfig)].map(([file, text]) => [file, text.replace(
      'name: minio\n  annotations:\n    argocd.argoproj.io/sync-wave: "-2"\n    argocd.argoproj.io/sync-options: Prune=false,Delete=false\n    kustomize.toolkit.fluxcd.io/prune: disabled\n',
      'name: minio\n  annotations:\n    argocd.argoproj.io/sync-wave: "-2"\n')]));
    expect([...unprotected.values()].join()).not.toBe([...dist(minioConfig).values()].join());
    const changes = diffOutputs(unprotected, dist(claimConfig()));
    const namespace = byObject(changes, 'v1 Namespace minio')!;
    expect(namespace.data).toEqual({
      loss: true,
      message: 'leaves dist/ without prune protection: Argo CD (no Prune=false) and Flux (no kustomize.toolkit.fluxcd.io/prune: disabled) will delete the namespace and every object in it, '
        + 'including claim minio/minio-data and the images in it. To keep it, first sync a dist/ that still has it, written by this version (it marks claims, namespaces and the registry Config Prune=false), then remove it',
    });
    // The claim's own Prune=false does not save it from its namespace.
    expect(byObject(changes, 'v1 PersistentVolumeClaim minio/minio-data')!.data).toEqual({
      loss: true, message: "is deleted with its namespace minio, which leaves dist/ without prune protection, whatever the claim's own annotations say",
    });
    const text = formatText(changes);
    expect(text.split('\n')[0]).toBe(`!!! DATA LOSS: prod: v1 Namespace minio: ${namespace.data!.message}`);
    expect(text).toContain('- prod: v1 Namespace minio  !!! DATA LOSS (above)\n');
    const markdown = formatMarkdown(changes);
    expect(markdown).toContain('> [!CAUTION]\n> **Data loss**\n> - prod: `v1 Namespace minio`: leaves dist/ without prune protection');
  });

  test('a renamed claim: the old one stays with its images, named, with how to delete it', () => {
    const changes = diffOutputs(dist(claimConfig('registry-a')), dist(claimConfig('registry-b')));
    expect(byObject(changes, 'v1 PersistentVolumeClaim openshift-image-registry/registry-a')!.data).toEqual({
      loss: false,
      message: 'leaves dist/ but stays in the cluster with its data (Prune=false; Flux prune: disabled); nothing here uses it any more: '
        + 'delete it by hand (oc delete pvc -n openshift-image-registry registry-a) once its images are copied or no longer needed',
    });
    expect(byObject(changes, 'v1 PersistentVolumeClaim openshift-image-registry/registry-b')!.data).toBeUndefined();
    expect(formatMarkdown(changes)).toContain('> [!NOTE]\n> **Kept in the cluster**\n');
  });

  test('a claim without protection that leaves dist/ is data loss; one that loses its protection is too', () => {
    const claim = (annotations: string) => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  namespace: ns\n  annotations: {${annotations}}\n`;
    const argoOnly = new Map([['c/a.yaml', claim('argocd.argoproj.io/sync-options: "Delete=false, Prune=false"')]]);
    expect(diffOutputs(argoOnly, new Map())[0].data).toEqual({
      loss: true,
      message: 'leaves dist/ without prune protection: Flux (no kustomize.toolkit.fluxcd.io/prune: disabled) will delete the claim and every image in it. '
        + 'To keep it, first sync a dist/ that still has it, written by this version (it marks claims, namespaces and the registry Config Prune=false), then remove it',
    });
    // Flux matches "disabled" in any case, in a label too (fluxcd/pkg ssa/utils/meta.go AnyInMetadata).
    const both = claim('argocd.argoproj.io/sync-options: Prune=false, kustomize.toolkit.fluxcd.io/prune: Disabled');
    expect(diffOutputs(new Map([['c/a.yaml', both]]), new Map())[0].data!.loss).toBe(false);
    // Still written for Flux (an ssa annotation), but no longer protected from its prune.
    expect(diffOutputs(new Map([['c/a.yaml', both]]), new Map([['c/a.yaml', claim('argocd.argoproj.io/sync-options: Prune=false, kustomize.toolkit.fluxcd.io/ssa: merge')]]))[0].data).toEqual({
      loss: true, message: 'loses its prune protection for Flux: once it leaves dist/, a sync deletes the claim and every image in it',
    });
    expect(diffOutputs(new Map([['c/a.yaml', both]]), new Map([['c/a.yaml', claim('')]]))[0].data).toEqual({
      loss: true, message: 'loses its prune protection for Argo CD and Flux: once it leaves dist/, a sync deletes the claim and every image in it',
    });
    // Prune=confirm still deletes (after a confirmation): not protection.
    expect(diffOutputs(new Map([['c/a.yaml', claim('argocd.argoproj.io/sync-options: Prune=confirm, kustomize.toolkit.fluxcd.io/prune: disabled')]]), new Map())[0].data!.loss).toBe(true);
  });

  describe('gitops: argocd or flux: only the tool the output is written for counts', () => {
    const only = (tool: string) => claimConfig().replace('name: prod\n', `name: prod\ngitops: ${tool}\n`);

    test('switching to one tool is no data loss; the dropped protection is said', () => {
      const changes = diffOutputs(dist(claimConfig()), dist(only('argocd')));
      const claim = byObject(changes, 'v1 PersistentVolumeClaim openshift-image-registry/image-registry-pvc')!;
      expect(claim.fields).toEqual([{ path: 'metadata.annotations.kustomize.toolkit.fluxcd.io/prune', before: 'disabled', after: undefined }]);
      expect(claim.data).toEqual({
        loss: false,
        message: "keeps its prune protection for Argo CD only: this cluster's output is now written for Argo CD alone (gitops); if Flux applied it, a sync would delete the claim and every image in it once it leaves dist/",
      });
      expect(changes.filter((c) => c.data?.loss)).toEqual([]);
      expect(byObject(diffOutputs(dist(claimConfig()), dist(only('flux'))), 'v1 PersistentVolumeClaim openshift-image-registry/image-registry-pvc')!.data!.message)
        .toMatch(/^keeps its prune protection for Flux only: .*if Argo CD applied it/);
    });

    test('a claim that leaves an Argo CD-only (or Flux-only) output is kept, not a false data loss for the other tool', () => {
      for (const tool of ['argocd', 'flux']) {
        const changes = diffOutputs(dist(only(tool).replace('image-registry-pvc', 'registry-a')), dist(only(tool).replace('image-registry-pvc', 'registry-b')));
        expect(byObject(changes, 'v1 PersistentVolumeClaim openshift-image-registry/registry-a')!.data).toEqual({
          loss: false,
          message: `leaves dist/ but stays in the cluster with its data (${tool === 'argocd' ? 'Prune=false' : 'Flux prune: disabled'}); nothing here uses it any more: `
            + 'delete it by hand (oc delete pvc -n openshift-image-registry registry-a) once its images are copied or no longer needed',
        });
      }
    });

    test('a whole cluster that leaves dist/ is judged for both tools: nothing is left to say which applies it', () => {
      const unprotectedForFlux = new Map([...dist(only('argocd'))]);
      expect(diffOutputs(unprotectedForFlux, new Map()).find((c) => c.object.includes('PersistentVolumeClaim'))!.data)
        .toMatchObject({ loss: true, message: expect.stringMatching(/^leaves dist\/ without prune protection: Flux /) });
    });
  });

  test('managementState: Removed with Managed storage is data loss (the operator deletes the storage); with Unmanaged storage it is not', () => {
    const managed = diffOutputs(dist(claimConfig('data', ', managementState: Managed')), dist(claimConfig('data', ', managementState: Managed').replace('registry:\n', 'registry:\n  managementState: Removed\n')));
    expect(byObject(managed, 'imageregistry.operator.openshift.io/v1 Config cluster')!.data).toEqual({
      loss: true,
      message: 'managementState becomes Removed: the operator deletes the registry and then storage whose managementState is Managed: pvc claim data is Managed, '
        + 'and is deleted with every image (an S3 bucket is emptied first). Set registry.storage.<back end>.managementState: Unmanaged to keep it',
    });
    const unmanaged = diffOutputs(dist(claimConfig('data')), dist(claimConfig('data').replace('registry:\n', 'registry:\n  managementState: Removed\n')));
    expect(byObject(unmanaged, 'imageregistry.operator.openshift.io/v1 Config cluster')!.data).toEqual({
      loss: false, message: 'managementState becomes Removed: the operator deletes the registry; its storage (pvc claim data) is Unmanaged and kept',
    });
  });

  test('changes that touch no data carry no data note', () => {
    const changes = diffOutputs(dist(claimConfig()), dist(claimConfig().replace('registry:\n', 'registry:\n  replicas: 1\n  logLevel: Debug\n')));
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.data === undefined)).toBe(true);
    expect(formatText(changes)).not.toContain('DATA');
  });

  test('names from files cannot add Markdown to the pull-request comment', () => {
    const claim = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: "x[link](http://e.example)<img>"\n  namespace: ns\n'
      + '  annotations: {argocd.argoproj.io/sync-options: Prune=false, kustomize.toolkit.fluxcd.io/prune: disabled}\n';
    const markdown = formatMarkdown(diffOutputs(new Map([['c/a.yaml', claim]]), new Map()));
    expect(markdown).toContain('x\\[link\\](http\\://e.example)\\<img\\>');
    // Outside code spans, no link or HTML is left.
    expect(markdown.replace(/`[^`]*`/g, '')).not.toMatch(/[^\\]\[link\]\(|[^\\]<img/);
  });
});

describe('diff: the registry Config leaving dist/', () => {
  const config = 'imageregistry.operator.openshift.io/v1 Config cluster';
  const withoutConfig = (tree: Map<string, string>) => new Map([...tree].map(([file, text]) => [file, text.split(/^---\n/m).filter((doc) => !doc.includes('kind: Config\n')).join('---\n')]));

  test('protected (as synth writes it), it stays in the cluster and the registry keeps running: no data loss', () => {
    const before = dist(claimConfig());
    expect([...before.values()].join()).toContain('kind: Config\n');
    const removed = byObject(diffOutputs(before, withoutConfig(before)), config);
    expect(removed).toMatchObject({ change: 'removed', data: { loss: false } });
    expect(removed!.data!.message).toBe('leaves dist/ but stays in the cluster as last applied (Prune=false; Flux prune: disabled); the operator keeps running the registry from it');
  });

  test('without prune protection, a sync deletes it: its finalizer removes the registry and its Managed storage, which is data loss', () => {
    const before = new Map([...dist(claimConfig())].map(([file, text]) => [file, text.replace(/^    argocd\.argoproj\.io\/sync-options: ServerSideApply=true,Prune=false,Delete=false\n    kustomize\.toolkit\.fluxcd\.io\/ssa: merge\n    kustomize\.toolkit\.fluxcd\.io\/prune: disabled\n/m, '')]));
    expect([...before.values()].join()).not.toBe([...dist(claimConfig()).values()].join());
    const removed = byObject(diffOutputs(before, withoutConfig(before)), config);
    expect(removed?.data?.loss).toBe(true);
    expect(removed?.data?.message).toMatch(/^leaves dist\/ without prune protection: Argo CD \(no Prune=false\) and Flux \(no kustomize\.toolkit\.fluxcd\.io\/prune: disabled\) will delete the registry Config: its finalizer has the operator remove the registry and its storage when Managed/);
    // Losing the protection while it stays is said too.
    expect(byObject(diffOutputs(dist(claimConfig()), before), config)?.data).toMatchObject({ loss: true, message: expect.stringMatching(/^loses its prune protection for Argo CD and Flux: once it leaves dist\/, a sync deletes the registry Config/) });
  });
});
