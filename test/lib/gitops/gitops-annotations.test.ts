import { App, Chart, Testing } from 'cdk8s';
import { pruneProtection } from '../../../lib/gitops/gitops-annotations';
import {
  addGitOpsAnnotations, ApplierRbac, gitOpsAnnotations, GitOpsTools, ImagePruner, ImageRegistry, MinioObjectStore, RegistryPvc, RegistryStorage, SecretSource, ValidationError,
} from '../../../lib';

describe('addGitOpsAnnotations', () => {
  const synth = () => {
    const app = new App();
    const chart = new Chart(app, 'lab');
    const claim = new RegistryPvc(chart, 'Storage');
    new ImageRegistry(chart, 'Registry', { storage: RegistryStorage.fromPvc(claim) });
    addGitOpsAnnotations(app);
    return Testing.synth(chart);
  };

  test('the Config is applied server-side and never pruned or deleted, by Argo CD and by Flux', () => {
    const config = synth().find((o) => o.kind === 'Config')!;
    expect(config.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '2',
      'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false',
      'kustomize.toolkit.fluxcd.io/ssa': 'merge',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
  });

  test('every object gets a sync wave; the registry\'s claim is in the Config\'s wave, never earlier', () => {
    const objects = synth();
    expect(objects.map((o) => `${o.kind} ${o.metadata.annotations['argocd.argoproj.io/sync-wave']}`)).toEqual(['PersistentVolumeClaim 2', 'Config 2']);
  });

  test('a claim is never pruned or deleted by Argo CD or Flux', () => {
    const claim = synth().find((o) => o.kind === 'PersistentVolumeClaim')!;
    expect(claim.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
  });

  test("MinIO's namespace is never pruned or deleted either: deleting it would delete its claim, whatever the claim says", () => {
    const app = new App();
    const chart = new Chart(app, 'store');
    new MinioObjectStore(chart, 'Minio', { rootCredentials: SecretSource.existing() });
    addGitOpsAnnotations(app);
    const namespace = Testing.synth(chart).find((o) => o.kind === 'Namespace')!;
    expect(namespace.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '-2',
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
    expect(pruneProtection(namespace.metadata)).toEqual({ argocd: true, flux: true });
  });

  test('pruneProtection reads the options as Argo CD and Flux do', () => {
    expect(pruneProtection({ annotations: { 'argocd.argoproj.io/sync-options': ' Delete=false , Prune=false ' } })).toEqual({ argocd: true, flux: false });
    expect(pruneProtection({ annotations: { 'argocd.argoproj.io/sync-options': 'Prune=False' } }).argocd).toBe(false);
    expect(pruneProtection({ labels: { 'kustomize.toolkit.fluxcd.io/prune': 'DISABLED' } })).toEqual({ argocd: false, flux: true });
    expect(pruneProtection(undefined)).toEqual({ argocd: false, flux: false });
  });

  test('a MinIO claim takes the wave of the MinIO Deployment that mounts it', () => {
    const app = new App();
    const chart = new Chart(app, 'store');
    new MinioObjectStore(chart, 'Minio', { rootCredentials: SecretSource.existing() });
    addGitOpsAnnotations(app);
    const waves = Object.fromEntries(Testing.synth(chart).map((o) => [o.kind, o.metadata.annotations['argocd.argoproj.io/sync-wave']]));
    expect(waves.PersistentVolumeClaim).toBe(waves.Deployment);
  });

  test('the shared image config is applied server-side and never pruned or deleted; another kind named Image is not', () => {
    expect(gitOpsAnnotations({ apiVersion: 'config.openshift.io/v1', kind: 'Image' })).toMatchObject({
      'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false',
      'kustomize.toolkit.fluxcd.io/ssa': 'merge',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
    expect(gitOpsAnnotations({ apiVersion: 'image.openshift.io/v1', kind: 'Image' })).toEqual({ 'argocd.argoproj.io/sync-wave': '0' });
  });

  test('the ImagePruner is applied like the Config: server-side, never pruned or deleted, in the Config\'s wave', () => {
    const app = new App();
    const chart = new Chart(app, 'pruner');
    new ImagePruner(chart, 'Pruner', { schedule: '@daily' });
    addGitOpsAnnotations(app);
    const [pruner] = Testing.synth(chart);
    expect(pruner.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '2',
      'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false',
      'kustomize.toolkit.fluxcd.io/ssa': 'merge',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
  });

  test('only the registry operator\'s ImagePruner gets those options, not a kind of that name in another group', () => {
    expect(gitOpsAnnotations({ apiVersion: 'example.com/v1', kind: 'ImagePruner' })['argocd.argoproj.io/sync-options']).toBeUndefined();
  });
});

describe('addGitOpsAnnotations for one tool', () => {
  const synth = (tools?: GitOpsTools) => {
    const app = new App();
    const chart = new Chart(app, 'lab');
    new ImageRegistry(chart, 'Registry', { storage: RegistryStorage.fromPvc(new RegistryPvc(chart, 'Storage')) });
    addGitOpsAnnotations(app, { tools });
    return Object.fromEntries(Testing.synth(chart).map((o) => [o.kind, o.metadata.annotations]));
  };

  test('Argo CD only: its waves and sync options, no Flux annotation; the claim and Config stay protected', () => {
    expect(synth(GitOpsTools.ARGO_CD)).toEqual({
      PersistentVolumeClaim: { 'argocd.argoproj.io/sync-wave': '2', 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' },
      Config: { 'argocd.argoproj.io/sync-wave': '2', 'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false' },
    });
  });

  test('Flux only: prune disabled and ssa merge, no Argo CD annotation', () => {
    expect(synth(GitOpsTools.FLUX)).toEqual({
      PersistentVolumeClaim: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
      Config: { 'kustomize.toolkit.fluxcd.io/ssa': 'merge', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
    });
  });

  test('both by default', () => {
    expect(synth()).toEqual(synth(GitOpsTools.BOTH));
    expect(Object.keys(synth().Config).sort()).toEqual(['argocd.argoproj.io/sync-options', 'argocd.argoproj.io/sync-wave', 'kustomize.toolkit.fluxcd.io/prune', 'kustomize.toolkit.fluxcd.io/ssa']);
  });

  test('a Job is re-created by the tool chosen', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job' };
    expect(gitOpsAnnotations(job, GitOpsTools.ARGO_CD)).toEqual({ 'argocd.argoproj.io/sync-wave': '1', 'argocd.argoproj.io/sync-options': 'Force=true,Replace=true' });
    expect(gitOpsAnnotations(job, GitOpsTools.FLUX)).toEqual({ 'kustomize.toolkit.fluxcd.io/force': 'enabled' });
  });

  test('a value that is not a GitOpsTools (JavaScript callers) is a ValidationError naming the prop', () => {
    expect(() => gitOpsAnnotations({ apiVersion: 'v1', kind: 'Secret' }, 'argo' as GitOpsTools)).toThrow(new ValidationError('tools', 'must be one of both, argocd, flux (GitOpsTools), got "argo"'));
    expect(() => new ApplierRbac(new Chart(new App(), 'rbac'), 'Rbac', { objects: [], gitOpsTools: 'Flux' as GitOpsTools })).toThrow(ValidationError);
    expect(() => new ApplierRbac(new Chart(new App(), 'rbac'), 'Rbac', { objects: [], gitOpsTools: 'Flux' as GitOpsTools })).toThrow('gitOpsTools: "Flux" is not GitOpsTools; use one of both, argocd, flux');
  });
});
