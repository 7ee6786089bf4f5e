// The construct library: what a cdk8s app needs to configure the OpenShift image registry.
// Constructs, their props and enums, and the operator's rules; nothing of this project's app.

// The registry operator's Config `cluster` and its storage.
export * from './registry/constants';
export * from './registry/image-registry';
export * from './registry/registry-pvc';
export * from './registry/registry-storage';
export { GcsStorageProps } from './registry/gcs-storage';
export { AzureCloudName, AzureInternalNetworkProps, AzureNetworkAccessProps, AzureNetworkAccessType, AzureStorageProps } from './registry/azure-storage';
export { SwiftAuthVersion, SwiftStorageProps } from './registry/swift-storage';
export { IbmCosStorageProps } from './registry/ibmcos-storage';
export * from './registry/registry-credentials';
export * from './registry/registry-s3-credentials';
// The operator's ImagePruner `cluster`.
export { ImagePruner, ImagePrunerProps } from './registry/image-pruner';
// Other back ends out of the Config before it is applied (first adoption, switching back ends).
export { OC_IMAGE, STORAGE_SWITCH_DEADLINE_SECONDS, STORAGE_SWITCH_NAME, StorageSwitch, StorageSwitchProps } from './registry/storage-switch';
// An S3 object store in the cluster.
export * from './minio/minio-object-store';
export * from './minio/minio-bucket';
// Credentials and routes.
export * from './secrets/secret-source';
export * from './secrets/credentials-secret';
export { OpenShiftRoute, OpenShiftRouteProps, RouteTermination } from './openshift/openshift-route';
// The cluster-wide image policy (images.config.openshift.io/cluster): external hostnames, registry policy.
export { IMAGE_CONFIG_NAME, ImageConfig, ImageConfigProps, RegistryLocation, RegistrySources } from './openshift/image-config';
// The rules the constructs check, for callers that check values of their own.
export * from './rules/kubernetes';
export { checkImageReference } from './rules/image-reference';
export * from './rules/s3';
export * from './rules/gcs';
export * from './rules/azure';
export * from './rules/swift';
export * from './rules/ibmcos';
export { checkRegistryConfig, KnownFacts, ObjectIndex, RuleFinding } from './rules/registry-rules';
export { checkImageConfig, REQUIRED_PLATFORM_REGISTRIES } from './rules/image-config-rules';
export { checkImagePruner } from './rules/image-pruner';
export { cronScheduleProblem } from './rules/cron';
export { GoDuration, parseGoDuration } from './rules/go-duration';
export {
  checkOpenShiftVersion, checkVersionFields, DEFAULT_OPENSHIFT_VERSION, isOpenShiftVersion, OPENSHIFT_VERSIONS, OpenShiftVersion,
} from './rules/openshift-version';
export * from './rules/validation-error';
// Argo CD and Flux annotations that make a GitOps sync of the output safe.
export { addGitOpsAnnotations, GitOpsAnnotationOptions, gitOpsAnnotations, GitOpsTools, SYNC_WAVES } from './gitops/gitops-annotations';
// The least rights the GitOps tool's service account needs to apply the output (OpenShift GitOps).
export {
  APPLIER_RBAC_PREFIX, ApplierRbac, ApplierRbacProps, OPENSHIFT_GITOPS_APPLICATION_CONTROLLER, ServiceAccountReference,
} from './gitops/applier-rbac';
export { APPLIED_RESOURCES, ApplierPermissions, applierPermissions, applierVerbs, ObjectVerbs, OutputObject, PolicyRule } from './gitops/applier-permissions';
