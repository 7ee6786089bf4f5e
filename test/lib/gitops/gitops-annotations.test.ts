import { App, Chart, Testing } from 'cdk8s';
import { addGitOpsAnnotations, ImageRegistry, RegistryPvc, RegistryStorage } from '../../../lib';

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

  test('every object of the app gets a sync wave', () => {
    const objects = synth();
    expect(objects.map((o) => `${o.kind} ${o.metadata.annotations['argocd.argoproj.io/sync-wave']}`)).toEqual(['PersistentVolumeClaim 0', 'Config 2']);
  });
});
