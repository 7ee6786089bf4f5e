/** Namespace the registry operator runs the registry in and reads its secrets from. */
export const REGISTRY_NAMESPACE = 'openshift-image-registry';

/** The operator only reads the Config with this name. */
export const REGISTRY_CONFIG_NAME = 'cluster';

/**
 * The claim the operator creates itself when `storage.pvc.claim` is empty; a claim of this
 * name that the operator did not create makes it fail.
 */
export const OPERATOR_CLAIM_NAME = 'image-registry-storage';

/** Route name the operator uses for `defaultRoute: true`. */
export const DEFAULT_ROUTE_NAME = 'default-route';

/** The storage back-end keys of `spec.storage`: the operator accepts exactly one of them. */
export const STORAGE_BACKENDS = ['s3', 'gcs', 'swift', 'azure', 'pvc', 'emptyDir', 'ibmcos', 'oss'] as const;

/** The Secret the operator reads storage credentials from, in `openshift-image-registry`. */
export const REGISTRY_CREDENTIALS_SECRET_NAME = 'image-registry-private-configuration-user';

/** Annotation on the claim the operator created itself (pkg/storage/pvc: PVCOwnerAnnotation). */
export const OPERATOR_CLAIM_ANNOTATION = 'imageregistry.openshift.io';

/** The cluster only reads the image config (config.openshift.io Image) with this name. */
export const IMAGE_CONFIG_NAME = 'cluster';

/** The operator only reads the ImagePruner with this name (pkg/defaults ImageRegistryImagePrunerResourceName). */
export const IMAGE_PRUNER_NAME = 'cluster';

/** The CronJob the operator makes from the ImagePruner, in openshift-image-registry. */
export const PRUNER_CRONJOB_NAME = 'image-pruner';

/**
 * The registry's host name inside the cluster, which image streams and builds pull through
 * (the Service image-registry on port 5000; the operator writes it into the image config's
 * status.internalRegistryHostname).
 */
export const INTERNAL_REGISTRY_HOSTNAME = `image-registry.${REGISTRY_NAMESPACE}.svc:5000`;
