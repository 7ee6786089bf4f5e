// The registry Config and ImagePruner as the cluster-image-registry-operator leaves them on each
// of its code paths, with the reasons and messages it writes (pkg/operator/status.go syncStatus
// and syncPrunerStatus; pkg/operator/controller.go permanent errors; pkg/storage/storage.go for
// two back ends; the S3 and PVC drivers for storage conditions; the sub-controllers in
// pkg/operator/nodecadaemon.go, imageregistrycertificates.go, imageconfig.go, azurestackcloud.go,
// azurepathfixcontroller.go (4.14 to 4.16; later ones only remove its conditions) and library-go's
// config observer (4.22 on)), and the health each must get.

export interface Condition { type: string; status: 'True' | 'False' | 'Unknown'; reason?: string; message?: string }
export type ArgoHealth = { status: 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended'; message: string };
/** kstatus result of Flux's CEL evaluator; 'error' when an expression cannot be evaluated. */
export type FluxStatus = 'Current' | 'InProgress' | 'Failed' | 'error';
export interface OperatorState { name: string; object: Record<string, unknown>; argocd: ArgoHealth; flux: FluxStatus }

/** A condition as the operator serializes it: empty reason and message are omitted (omitempty). */
function c(type: string, status: Condition['status'], reason = '', message = ''): Condition {
  return { type, status, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

const REGISTRY_READY = 'The registry is ready';
const UNMANAGED = 'The registry configuration is set to unmanaged mode';
const TWO_BACKENDS = 'Unable to apply resources: unable to sync storage configuration: exactly one storage type should be configured at the same time, got 2: [S3 PVC]';
const NOT_OWNED = 'Unable to apply resources: unable to sync storage configuration: bucket registry-bucket exists but is owned by another account';

function config(conditions: Condition[] | undefined, spec: Record<string, unknown> = {}, generation = 2, observedGeneration = 2): Record<string, unknown> {
  return {
    apiVersion: 'imageregistry.operator.openshift.io/v1',
    kind: 'Config',
    metadata: { name: 'cluster', generation },
    spec: { managementState: 'Managed', ...spec },
    ...(conditions ? { status: { observedGeneration, readyReplicas: 2, conditions } } : {}),
  };
}

const ready = (extra: Condition[] = []) => [
  c('Progressing', 'False', 'Ready', REGISTRY_READY),
  c('Available', 'True', 'Ready', REGISTRY_READY),
  c('Degraded', 'False'),
  c('Removed', 'False'),
  c('StorageExists', 'True', 'S3 Bucket Exists', 'User supplied S3 bucket exists and is accessible'),
  ...extra,
];

/** The sub-controllers' conditions on a settled 4.23 cluster, each as its controller writes it. */
const subControllers: Record<string, Condition> = {
  NodeCADaemonAvailable: c('NodeCADaemonAvailable', 'True', 'AsExpected', 'The daemon set node-ca has available replicas'),
  NodeCADaemonProgressing: c('NodeCADaemonProgressing', 'False', 'AsExpected', 'The daemon set node-ca is deployed'),
  NodeCADaemonControllerDegraded: c('NodeCADaemonControllerDegraded', 'False', 'AsExpected'),
  ImageRegistryCertificatesControllerDegraded: c('ImageRegistryCertificatesControllerDegraded', 'False', 'AsExpected'),
  ImageConfigControllerDegraded: c('ImageConfigControllerDegraded', 'False', 'AsExpected'),
  AzureStackCloudControllerDegraded: c('AzureStackCloudControllerDegraded', 'False', 'AsExpected'),
  ConfigObservationDegraded: c('ConfigObservationDegraded', 'False'),
};

/** A ready registry whose sub-controllers report `changed` (by type) and the others settled. */
const readyWith = (...changed: Condition[]) => ready(Object.values({ ...subControllers, ...Object.fromEntries(changed.map((x) => [x.type, x])) }));

const CA_MISSING = 'failed to update object *v1.ConfigMap, Namespace=openshift-image-registry, Name=image-registry-certificates: image-registry-certificates: configmap "registry-cas" not found';
const NODE_CA_DENIED = 'failed to update object *v1.DaemonSet, Namespace=openshift-image-registry, Name=node-ca: admission webhook "validate.kyverno.svc-fail" denied the request: node-ca: image must come from the mirror';

export const configStates: OperatorState[] = [
  {
    name: 'available: deployment complete, all replicas available',
    object: config(ready()),
    argocd: { status: 'Healthy', message: REGISTRY_READY },
    flux: 'Current',
  },
  {
    name: 'rolling out: minimum availability, the new ReplicaSet not yet available',
    object: config([
      c('Progressing', 'True', 'DeploymentNotCompleted', 'The deployment has not completed'),
      c('Available', 'True', 'MinimumAvailability', 'The registry has minimum availability'),
      c('Degraded', 'False'),
    ]),
    argocd: { status: 'Progressing', message: 'The deployment has not completed' },
    flux: 'InProgress',
  },
  {
    name: 'first rollout: applied, the deployment not created yet',
    object: config([
      c('Progressing', 'True', 'WaitingForDeployment', 'All resources are successfully applied, but the deployment does not exist'),
      c('Available', 'False', 'DeploymentNotFound', 'The deployment does not exist'),
      c('Degraded', 'False'),
    ]),
    argocd: { status: 'Progressing', message: 'All resources are successfully applied, but the deployment does not exist' },
    flux: 'InProgress',
  },
  {
    name: 'two storage back ends: the old registry keeps serving, the apply fails on every sync',
    object: config([
      c('Progressing', 'True', 'Error', TWO_BACKENDS),
      c('Available', 'True', 'Ready', REGISTRY_READY),
      c('Degraded', 'False'),
    ], { storage: { s3: { bucket: 'registry-bucket' }, pvc: { claim: 'image-registry-storage' } } }),
    argocd: { status: 'Degraded', message: TWO_BACKENDS },
    flux: 'Failed',
  },
  {
    name: 'storage error: bucket owned by another account, before the operator marks it Degraded',
    object: config([
      c('Progressing', 'True', 'Error', NOT_OWNED),
      c('Available', 'False', 'DeploymentNotFound', 'The deployment does not exist'),
      c('Degraded', 'False'),
      c('StorageExists', 'False', 'Unable to Access Bucket', 'The bucket registry-bucket exists, but is owned by another account'),
    ]),
    argocd: { status: 'Degraded', message: NOT_OWNED },
    flux: 'Failed',
  },
  {
    name: 'storage error: unavailable long enough (1 minute; 5 from 4.23), Degraded and the apply error both said',
    object: config([
      c('Progressing', 'True', 'Error', NOT_OWNED),
      c('Available', 'False', 'DeploymentNotFound', 'The deployment does not exist'),
      c('Degraded', 'True', 'Unavailable', 'The deployment does not exist'),
      c('StorageExists', 'False', 'Unable to Access Bucket', 'The bucket registry-bucket exists, but is owned by another account'),
    ]),
    argocd: { status: 'Degraded', message: `The deployment does not exist; ${NOT_OWNED}` },
    flux: 'Failed',
  },
  {
    name: 'claim problem: the PVC driver reports it, the apply fails',
    object: config([
      c('Progressing', 'True', 'Error', 'Unable to apply resources: unable to sync storage configuration: could not create default PVC, it already exists and is not owned by the operator'),
      c('Available', 'True', 'Ready', REGISTRY_READY),
      c('Degraded', 'False'),
      c('StorageExists', 'False', 'PVC Already Exists', 'could not create default PVC, it already exists and is not owned by the operator'),
    ]),
    argocd: { status: 'Degraded', message: 'Unable to apply resources: unable to sync storage configuration: could not create default PVC, it already exists and is not owned by the operator' },
    flux: 'Failed',
  },
  {
    name: 'permanent error: no storage configured (Degraded at once, Progressing False)',
    object: config([
      c('Progressing', 'False', 'Error', 'Unable to apply resources: storage backend not configured'),
      c('Available', 'False', 'StorageNotConfigured', 'Error: storage backend not configured'),
      c('Degraded', 'True', 'StorageNotConfigured', 'Error: storage backend not configured'),
    ]),
    argocd: { status: 'Degraded', message: 'Error: storage backend not configured' },
    flux: 'Failed',
  },
  {
    name: 'permanent error: the spec fails the operator\'s verification',
    object: config([
      c('Progressing', 'False', 'Error', 'Unable to apply resources: unable to complete resource: duplication of names has been detected in the additional routes'),
      c('Available', 'True', 'Ready', REGISTRY_READY),
      c('Degraded', 'True', 'VerificationFailed', 'Error: unable to complete resource: duplication of names has been detected in the additional routes'),
    ]),
    argocd: { status: 'Degraded', message: 'Error: unable to complete resource: duplication of names has been detected in the additional routes' },
    flux: 'Failed',
  },
  {
    name: 'rollout past its deadline: Degraded wins over Progressing',
    object: config([
      c('Progressing', 'True', 'DeploymentNotCompleted', 'The deployment has not completed'),
      c('Available', 'True', 'MinimumAvailability', 'The registry has minimum availability'),
      c('Degraded', 'True', 'ProgressDeadlineExceeded', 'Registry deployment has timed out progressing: ReplicaSet "image-registry-5d4f" has timed out progressing.'),
    ]),
    argocd: { status: 'Degraded', message: 'Registry deployment has timed out progressing: ReplicaSet "image-registry-5d4f" has timed out progressing.' },
    flux: 'Failed',
  },
  {
    name: 'a route the router did not admit',
    object: config([
      c('Progressing', 'False', 'Ready', REGISTRY_READY),
      c('Available', 'True', 'Ready', REGISTRY_READY),
      c('Degraded', 'True', 'RouteDegraded', 'route public (host registry.apps.example.com, router default) not admitted: host already claimed'),
    ]),
    argocd: { status: 'Degraded', message: 'route public (host registry.apps.example.com, router default) not admitted: host already claimed' },
    flux: 'Failed',
  },
  {
    name: 'bucket hardening failed: still serving, said next to the Available message',
    object: config(ready([
      c('StorageEncrypted', 'False', 'AccessDenied', 'AccessDenied: Access Denied\n\tstatus code: 403, request id: "7Q9"'),
      c('StorageTagged', 'True', 'Tagging Successful', 'Tags were successfully applied to the S3 bucket'),
      c('StoragePublicAccessBlocked', 'False', 'Unknown Error Occurred', 'RequestError: send request failed'),
    ])),
    argocd: { status: 'Healthy', message: `${REGISTRY_READY}; StorageEncrypted: AccessDenied: Access Denied\n\tstatus code: 403, request id: "7Q9"; StoragePublicAccessBlocked: RequestError: send request failed` },
    flux: 'Current',
  },
  {
    name: 'removed: managementState Removed and the deployment gone',
    object: config([
      c('Progressing', 'False', 'Removed', 'All registry resources are removed'),
      c('Available', 'True', 'Removed', 'The registry is removed'),
      c('Degraded', 'False', 'Removed', 'The registry is removed'),
      c('Removed', 'True', 'Removed', 'The registry is removed'),
      c('StorageExists', 'False', 'S3 Bucket Deleted', 'The S3 bucket has been removed.'),
      c('StorageEncrypted', 'False', 'AccessDenied', 'AccessDenied: Access Denied'),
    ], { managementState: 'Removed' }),
    argocd: { status: 'Healthy', message: 'The registry is removed' },
    flux: 'Current',
  },
  {
    name: 'removing: managementState Removed, the deployment still there',
    object: config([
      c('Progressing', 'True', 'DeletingDeployment', 'The deployment is being removed'),
      c('Available', 'True', 'Ready', REGISTRY_READY),
      c('Degraded', 'False', 'Removed', 'The registry is removed'),
      c('Removed', 'True', 'Removed', 'The registry is removed'),
    ], { managementState: 'Removed' }),
    argocd: { status: 'Progressing', message: 'The deployment is being removed' },
    flux: 'InProgress',
  },
  {
    name: 'unmanaged: the operator leaves the registry alone',
    object: config([
      c('Progressing', 'False', 'Unmanaged', UNMANAGED),
      c('Available', 'True', 'Unmanaged', UNMANAGED),
      c('Degraded', 'False', 'Unmanaged', UNMANAGED),
      c('Removed', 'False'),
    ], { managementState: 'Unmanaged' }),
    argocd: { status: 'Healthy', message: UNMANAGED },
    flux: 'Current',
  },
  {
    name: 'settled on 4.23: every sub-controller as expected',
    object: config(readyWith()),
    argocd: { status: 'Healthy', message: REGISTRY_READY },
    flux: 'Current',
  },
  {
    name: 'additionalTrustedCA names a ConfigMap that does not exist: the certificates controller is Degraded',
    object: config(readyWith(c('ImageRegistryCertificatesControllerDegraded', 'True', 'Error', CA_MISSING))),
    argocd: { status: 'Degraded', message: `ImageRegistryCertificatesControllerDegraded: ${CA_MISSING}` },
    flux: 'Failed',
  },
  {
    name: 'the node-ca daemon set cannot be applied (2 minutes from 4.23, at once before)',
    object: config(readyWith(c('NodeCADaemonControllerDegraded', 'True', 'Error', NODE_CA_DENIED))),
    argocd: { status: 'Degraded', message: `NodeCADaemonControllerDegraded: ${NODE_CA_DENIED}` },
    flux: 'Failed',
  },
  {
    name: 'the image config status cannot be written (2 minutes from 4.22, at once before)',
    object: config(readyWith(c('ImageConfigControllerDegraded', 'True', 'Error', 'the server is currently unable to handle the request (put images.config.openshift.io cluster)'))),
    argocd: { status: 'Degraded', message: 'ImageConfigControllerDegraded: the server is currently unable to handle the request (put images.config.openshift.io cluster)' },
    flux: 'Failed',
  },
  {
    name: 'Azure Stack Hub: the cloud environment cannot be written',
    object: config(readyWith(c('AzureStackCloudControllerDegraded', 'True', 'Error', 'AZURE_ENVIRONMENT_FILEPATH is not set'))),
    argocd: { status: 'Degraded', message: 'AzureStackCloudControllerDegraded: AZURE_ENVIRONMENT_FILEPATH is not set' },
    flux: 'Failed',
  },
  {
    name: 'the config observer failed (4.22 on)',
    object: config(readyWith(c('ConfigObservationDegraded', 'True', 'Error', 'non-deterministic config observation detected'))),
    argocd: { status: 'Degraded', message: 'ConfigObservationDegraded: non-deterministic config observation detected' },
    flux: 'Failed',
  },
  {
    name: 'Azure path fix job failed (4.14 to 4.16)',
    object: config(readyWith(
      c('AzurePathFixProgressing', 'False', 'Failed', 'Migration failed: panic: storage account not found'),
      c('AzurePathFixControllerDegraded', 'True', 'Failed', 'Migration failed: panic: storage account not found'),
    )),
    argocd: { status: 'Degraded', message: 'AzurePathFixControllerDegraded: Migration failed: panic: storage account not found' },
    flux: 'Failed',
  },
  {
    name: 'Azure path fix job running (4.14 to 4.16)',
    object: config(readyWith(
      c('AzurePathFixProgressing', 'True', 'Migrating', 'Azure path fix job is progressing: 1 pods active; 0 pods failed'),
      c('AzurePathFixControllerDegraded', 'False', 'AsExpected'),
    )),
    argocd: { status: 'Progressing', message: 'AzurePathFixProgressing: Azure path fix job is progressing: 1 pods active; 0 pods failed' },
    flux: 'InProgress',
  },
  {
    name: 'node-ca rolling out to new nodes',
    object: config(readyWith(c('NodeCADaemonProgressing', 'True', 'Progressing', 'The daemon set node-ca is updating node pods'))),
    argocd: { status: 'Progressing', message: 'NodeCADaemonProgressing: The daemon set node-ca is updating node pods' },
    flux: 'InProgress',
  },
  {
    name: 'node-ca daemon set not created yet',
    object: config(readyWith(
      c('NodeCADaemonAvailable', 'False', 'NotFound', 'The daemon set node-ca does not exist'),
      c('NodeCADaemonProgressing', 'True', 'NotFound', 'The daemon set node-ca does not exist'),
    )),
    argocd: { status: 'Progressing', message: 'NodeCADaemonProgressing: The daemon set node-ca does not exist' },
    flux: 'InProgress',
  },
  {
    name: 'node-ca has no available pod, not updating',
    object: config(readyWith(c('NodeCADaemonAvailable', 'False', 'NoAvailableReplicas', 'The daemon set node-ca does not have available replicas'))),
    argocd: { status: 'Progressing', message: 'NodeCADaemonAvailable: The daemon set node-ca does not have available replicas' },
    flux: 'InProgress',
  },
  {
    name: 'node-ca state unknown: the daemon set could not be read',
    object: config(readyWith(
      c('NodeCADaemonAvailable', 'Unknown', 'Unknown', 'Unable to check daemon set availability: the cache is not synced'),
      c('NodeCADaemonProgressing', 'Unknown', 'Unknown', 'Unable to check daemon set progress: the cache is not synced'),
    )),
    argocd: { status: 'Progressing', message: 'NodeCADaemonProgressing: Unable to check daemon set progress: the cache is not synced' },
    flux: 'InProgress',
  },
  {
    name: 'the registry Degraded and a sub-controller too: both said, the registry first',
    object: config([
      c('Progressing', 'False', 'Ready', REGISTRY_READY),
      c('Available', 'True', 'Ready', REGISTRY_READY),
      c('Degraded', 'True', 'RouteDegraded', 'route public (host registry.apps.example.com, router default) not admitted: host already claimed'),
      ...Object.values({ ...subControllers, ImageRegistryCertificatesControllerDegraded: c('ImageRegistryCertificatesControllerDegraded', 'True', 'Error', CA_MISSING) }),
    ]),
    argocd: { status: 'Degraded', message: `route public (host registry.apps.example.com, router default) not admitted: host already claimed; ImageRegistryCertificatesControllerDegraded: ${CA_MISSING}` },
    flux: 'Failed',
  },
  {
    name: 'a sub-controller Degraded before the main controller wrote Available',
    object: config([c('NodeCADaemonAvailable', 'False', 'NotFound', 'The daemon set node-ca does not exist'), c('NodeCADaemonControllerDegraded', 'True', 'Error', NODE_CA_DENIED)]),
    argocd: { status: 'Degraded', message: `NodeCADaemonControllerDegraded: ${NODE_CA_DENIED}` },
    flux: 'Failed',
  },
  {
    name: 'just applied: no status yet',
    object: config(undefined),
    argocd: { status: 'Progressing', message: 'Waiting for the image registry operator to report status' },
    flux: 'error',
  },
  {
    name: 'stale: the conditions are for an older generation',
    object: config(ready(), {}, 3, 2),
    argocd: { status: 'Progressing', message: 'Waiting for the image registry operator to observe generation 3 (status is for generation 2)' },
    flux: 'InProgress',
  },
];

function pruner(conditions: Condition[] | undefined, spec: Record<string, unknown> = {}, generation = 1, observedGeneration = 1): Record<string, unknown> {
  return {
    apiVersion: 'imageregistry.operator.openshift.io/v1',
    kind: 'ImagePruner',
    metadata: { name: 'cluster', generation },
    spec: { schedule: '0 0 * * *', suspend: false, ...spec },
    ...(conditions ? { status: { observedGeneration, conditions } } : {}),
  };
}

const cronJobCreated = c('Available', 'True', 'AsExpected', 'Pruner CronJob has been created');
const scheduled = c('Scheduled', 'True', 'Scheduled', 'The pruner job has been scheduled');
const lastJobOk = c('Failed', 'False', 'Complete', 'Pruner completed successfully');

export const prunerStates: OperatorState[] = [
  {
    name: 'scheduled, last job succeeded',
    object: pruner([cronJobCreated, lastJobOk, scheduled, c('Degraded', 'False', 'AsExpected')]),
    argocd: { status: 'Healthy', message: 'The pruner job has been scheduled' },
    flux: 'Current',
  },
  {
    name: 'suspended: spec.suspend true',
    object: pruner([cronJobCreated, lastJobOk, c('Scheduled', 'False', 'Suspended', 'The pruner job has been suspended'), c('Degraded', 'False', 'AsExpected')], { suspend: true }),
    argocd: { status: 'Healthy', message: 'The pruner job has been suspended' },
    flux: 'Current',
  },
  {
    name: 'the last pruner job failed',
    object: pruner([
      cronJobCreated,
      c('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
      scheduled,
      c('Degraded', 'True', 'JobFailed', 'Job has reached the specified backoff limit'),
    ]),
    argocd: { status: 'Degraded', message: 'Job has reached the specified backoff limit' },
    flux: 'Failed',
  },
  {
    name: 'the CronJob could not be applied',
    object: pruner([
      c('Available', 'False', 'Error', 'Pruner CronJob does not exist'),
      lastJobOk,
      scheduled,
      c('Degraded', 'True', 'SyncError', 'Error: unable to apply objects: failed to create object *v1.CronJob, Namespace=openshift-image-registry, Name=image-pruner: admission webhook denied the request'),
    ]),
    argocd: { status: 'Degraded', message: 'Error: unable to apply objects: failed to create object *v1.CronJob, Namespace=openshift-image-registry, Name=image-pruner: admission webhook denied the request' },
    flux: 'Failed',
  },
  {
    name: 'the CronJob not seen yet',
    object: pruner([c('Available', 'False', 'Error', 'Pruner CronJob does not exist'), lastJobOk, scheduled, c('Degraded', 'False', 'AsExpected')]),
    argocd: { status: 'Progressing', message: 'Pruner CronJob does not exist' },
    flux: 'InProgress',
  },
  {
    name: 'just applied: no status yet',
    object: pruner(undefined),
    argocd: { status: 'Progressing', message: 'Waiting for the image registry operator to report the pruner\'s status' },
    flux: 'error',
  },
  {
    name: 'stale: suspend changed, not yet observed',
    object: pruner([cronJobCreated, lastJobOk, scheduled, c('Degraded', 'False', 'AsExpected')], { suspend: true }, 2, 1),
    argocd: { status: 'Progressing', message: 'Waiting for the image registry operator to observe generation 2 (status is for generation 1)' },
    flux: 'InProgress',
  },
];
