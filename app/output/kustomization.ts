import { toYaml } from './to-yaml';

/**
 * Where a cluster's kustomization.yaml records the cluster's `openshiftVersion`, for `validate` to
 * check each cluster of a fleet against its own version. kustomize does not copy a
 * Kustomization's own metadata into what it builds, so nothing reaches the cluster.
 */
export const OPENSHIFT_VERSION_ANNOTATION = 'openshift-image-registry-cdk8s/openshift-version';

/**
 * A kustomization.yaml that lists `resources` (paths relative to its folder), in that order, and
 * the cluster's OpenShift version when the config sets one.
 */
export function kustomizationYaml(resources: readonly string[], openshiftVersion?: string): string {
  const metadata = openshiftVersion === undefined ? {} : { metadata: { annotations: { [OPENSHIFT_VERSION_ANNOTATION]: openshiftVersion } } };
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...metadata, resources: [...resources] });
}
