import { Chart, Testing } from 'cdk8s';
import { ApplierRbac, OPENSHIFT_GITOPS_APPLICATION_CONTROLLER } from '../../../lib/gitops/applier-rbac';
import { addGitOpsAnnotations, ImageRegistry, RegistryPvc, RegistryStorage } from '../../../lib';

describe('ApplierRbac', () => {
  // A cdk8s app's own output: a claim and the Config, annotated as the app writes them.
  const output = () => {
    const app = Testing.app();
    const chart = new Chart(app, 'registry');
    new ImageRegistry(chart, 'Registry', { storage: RegistryStorage.fromPvc(new RegistryPvc(chart, 'Storage')) });
    addGitOpsAnnotations(app);
    return { app, objects: chart.toJson() };
  };

  test('binds rights for the objects to OpenShift GitOps\' default application controller by default', () => {
    const { app, objects } = output();
    const rbac = new Chart(app, 'rbac');
    new ApplierRbac(rbac, 'Rbac', { objects });
    const written = Testing.synth(rbac);
    expect(written.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}`)).toEqual(['ClusterRole ', 'ClusterRoleBinding ', 'Role openshift-image-registry', 'RoleBinding openshift-image-registry']);
    expect(written[1].subjects).toEqual([{ kind: 'ServiceAccount', ...OPENSHIFT_GITOPS_APPLICATION_CONTROLLER }]);
    expect(OPENSHIFT_GITOPS_APPLICATION_CONTROLLER).toEqual({ namespace: 'openshift-gitops', name: 'openshift-gitops-argocd-application-controller' });
    // The claim: created and patched, never deleted (it is never pruned).
    expect(written[2].rules).toEqual([
      { apiGroups: [''], resources: ['persistentvolumeclaims'], resourceNames: ['image-registry-pvc'], verbs: ['patch'] },
      { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['create', 'get', 'list', 'watch'] },
    ]);
    // Its own objects go first, in a wave of their own, when annotated.
    addGitOpsAnnotations(rbac);
    expect(Testing.synth(rbac).every((o) => o.metadata.annotations['argocd.argoproj.io/sync-wave'] === '-3')).toBe(true);
  });

  test('a bad service account is an error naming the prop', () => {
    const { app, objects } = output();
    expect(() => new ApplierRbac(new Chart(app, 'rbac'), 'Rbac', { objects, serviceAccount: { namespace: 'Argo', name: 'x' } })).toThrow('serviceAccount.namespace: ');
  });
});
