import { toYaml } from './to-yaml';

// What synth records about a cluster in its kustomization.yaml, for `validate` to judge each
// cluster of a fleet by its own config. kustomize does not copy a Kustomization's own metadata
// into what it builds, so nothing of it reaches the cluster.

/** The cluster's `openshiftVersion`: validate checks the cluster against that version. */
export const OPENSHIFT_VERSION_ANNOTATION = 'openshift-image-registry-cdk8s/openshift-version';

/**
 * The plain Secrets the cluster's config asked for (a `plainSecret`), as `namespace/name, ...`:
 * validate lets exactly these through, and says so with a warning.
 */
export const PLAIN_SECRETS_ANNOTATION = 'openshift-image-registry-cdk8s/plain-secrets';

/** What synth records about a cluster. */
export interface ClusterRecordProps {
  /**
   * The config's `openshiftVersion`.
   * @default - none recorded: validate checks against the newest version, and says so
   */
  readonly openshiftVersion?: string;
  /**
   * The plain Secrets written on purpose, `namespace/name`.
   * @default - none: validate refuses every plain Secret of the cluster
   */
  readonly plainSecrets?: readonly string[];
}

/**
 * A kustomization.yaml that lists `resources` (paths relative to its folder), in that order, and
 * what synth records about the cluster (only what the config sets).
 */
export function kustomizationYaml(resources: readonly string[], record: ClusterRecordProps = {}): string {
  const annotations: Record<string, string> = {};
  if (record.openshiftVersion !== undefined) annotations[OPENSHIFT_VERSION_ANNOTATION] = record.openshiftVersion;
  if (record.plainSecrets?.length) annotations[PLAIN_SECRETS_ANNOTATION] = formatPlainSecrets(record.plainSecrets);
  const metadata = Object.keys(annotations).length ? { metadata: { annotations } } : {};
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...metadata, resources: [...resources] });
}

/** `["b/y", "a/x"]` -> `a/x, b/y`: sorted, so that the same Secrets give the same bytes. */
function formatPlainSecrets(ids: readonly string[]): string {
  return [...ids].sort().join(', ');
}

/**
 * The `namespace/name` entries of a PLAIN_SECRETS_ANNOTATION value, or undefined when it is not
 * such a list (each a DNS label, a slash and a DNS subdomain, as Kubernetes names them).
 */
export function parsePlainSecrets(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const ids = value.split(',').map((id) => id.trim());
  const valid = (id: string) => {
    const [namespace, name, extra] = id.split('/');
    return extra === undefined && name !== undefined && namespace.length <= 63 && name.length <= 253
      && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name);
  };
  return ids.every(valid) ? ids : undefined;
}
