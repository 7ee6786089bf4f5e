// Annotations that make an Argo CD or Flux sync of the output correct. They are added to the
// synthesized objects by kind; other tools ignore them.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** What the annotations depend on: an object's type. */
export interface TypedObject {
  readonly apiVersion: string;
  readonly kind: string;
}

const ARGO_WAVE = 'argocd.argoproj.io/sync-wave';
const ARGO_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/**
 * Argo CD sync waves: namespaces, then credentials, then the object store and storage, then
 * the bucket Job, then the registry Config. Argo CD waits for each wave to be healthy.
 */
export const SYNC_WAVES: Readonly<Record<string, string>> = {
  Namespace: '-2',
  Secret: '-1',
  ExternalSecret: '-1',
  SealedSecret: '-1',
  Job: '1',
  Config: '2',
};
const DEFAULT_WAVE = '0';

/** Annotations for one object, by its kind. */
export function gitOpsAnnotations(object: TypedObject): Record<string, string> {
  const annotations: Record<string, string> = { [ARGO_WAVE]: SYNC_WAVES[object.kind] ?? DEFAULT_WAVE };
  if (object.kind === 'Config' && object.apiVersion.startsWith('imageregistry.operator.openshift.io/')) {
    // The operator writes into this object's spec: apply it as a partial object with server-side
    // apply, and never prune or delete it (deleting `cluster` is not how to remove the registry).
    annotations[ARGO_SYNC_OPTIONS] = 'ServerSideApply=true,Prune=false,Delete=false';
    annotations['kustomize.toolkit.fluxcd.io/ssa'] = 'merge';
    annotations['kustomize.toolkit.fluxcd.io/prune'] = 'disabled';
  }
  if (object.kind === 'Job') {
    // A Job's pod template is immutable: recreate the Job when it changes instead of failing the sync.
    annotations[ARGO_SYNC_OPTIONS] = 'Force=true,Replace=true';
    annotations['kustomize.toolkit.fluxcd.io/force'] = 'enabled';
  }
  return annotations;
}

/**
 * Adds the GitOps annotations to every API object in `scope` (a chart, or a whole app). Call it
 * once, after the constructs are made: `addGitOpsAnnotations(app)` before `app.synth()`.
 */
export function addGitOpsAnnotations(scope: IConstruct): void {
  for (const object of scope.node.findAll().filter(ApiObject.isApiObject)) {
    for (const [key, value] of Object.entries(gitOpsAnnotations(object))) object.metadata.addAnnotation(key, value);
  }
}
