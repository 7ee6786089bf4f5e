import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { REGISTRY_CONFIG_NAME, REGISTRY_NAMESPACE } from './constants';
import { STORAGE_BACKENDS } from './registry-storage';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT } from '../openshift/restricted';

/** OpenShift CLI image for the switch Job, pinned. */
export const OC_IMAGE = 'quay.io/openshift/origin-cli:4.20';

/** Name of the Job, its ServiceAccount, NetworkPolicy, ClusterRole and ClusterRoleBinding. */
export const STORAGE_SWITCH_NAME = 'image-registry-storage-switch';

export interface StorageSwitchProps {
  /**
   * The `spec.storage` the registry Config sets: its one back end and, if set, its
   * `managementState`.
   */
  readonly storage: Readonly<Record<string, unknown>>;
  /**
   * OpenShift CLI image.
   * @default OC_IMAGE
   */
  readonly image?: string;
}

/**
 * Makes a GitOps sync switch the registry's storage back end by itself. The operator writes a
 * back end into `spec.storage` when a cluster is installed (S3 on AWS, Swift or a claim on
 * OpenStack, ...), owned by its own field manager; a server-side apply of a Config that names
 * another back end leaves that one in place, and with two back ends the operator keeps the old
 * registry running and reports Progressing with an error. This Job runs before the Config is
 * applied: when `spec.storage` holds any other back end, one JSON patch removes them and sets the
 * configured back end (and its managementState) in the same step, so the operator never sees an
 * empty or a double storage. It touches no other field, patches nothing when the configured back
 * end is already the only one with the configured value, and may run any number of times. The old storage itself (a claim,
 * a bucket) is left as it is.
 */
export class StorageSwitch extends Construct {
  constructor(scope: Construct, id: string, props: StorageSwitchProps) {
    super(scope, id);
    const backend = STORAGE_BACKENDS.filter((key) => props.storage[key] !== undefined);
    const labels = { 'app.kubernetes.io/name': STORAGE_SWITCH_NAME, 'app.kubernetes.io/component': 'storage-switch' };
    const metadata = { name: STORAGE_SWITCH_NAME, labels };

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { ...metadata, namespace: REGISTRY_NAMESPACE } });
    // Read and patch the one Config `cluster`, nothing else.
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata,
      rules: [{ apiGroups: ['imageregistry.operator.openshift.io'], resources: ['configs'], resourceNames: [REGISTRY_CONFIG_NAME], verbs: ['get', 'patch'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: STORAGE_SWITCH_NAME },
      subjects: [{ kind: 'ServiceAccount', name: STORAGE_SWITCH_NAME, namespace: REGISTRY_NAMESPACE }],
    });
    // From OpenShift 4.22 the operator denies all traffic in its namespace to any pod but its own
    // (rules/registry-namespace.ts): let the Job out to the API server, as the operator lets itself
    // out (all egress: the API server's endpoints are on the host network).
    new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { ...metadata, namespace: REGISTRY_NAMESPACE },
      spec: { podSelector: { matchLabels: labels }, policyTypes: ['Egress'], egress: [{}] },
    });
    new k8s.KubeJob(this, 'Job', {
      metadata: { ...metadata, namespace: REGISTRY_NAMESPACE },
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: STORAGE_SWITCH_NAME,
            restartPolicy: 'OnFailure',
            securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
            containers: [{
              name: 'switch',
              image: props.image ?? OC_IMAGE,
              command: ['/bin/sh', '-c', STORAGE_SWITCH_SCRIPT],
              env: storageSwitchEnv(props.storage, backend),
              resources: {
                requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('64Mi') },
                limits: { memory: k8s.Quantity.fromString('256Mi') },
              },
              securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    });
  }
}

/** The switch script's inputs: the other back ends to look for, and the patch that sets ours. */
export function storageSwitchEnv(storage: Readonly<Record<string, unknown>>, backends: readonly string[]): k8s.EnvVar[] {
  const ops = (op: 'add' | 'test') => Object.entries(storage).filter(([, value]) => value !== undefined)
    .map(([key, value]) => JSON.stringify({ op, path: `/spec/storage/${key}`, value })).join(',');
  return [
    { name: 'HOME', value: '/tmp' },
    { name: 'CONFIGURED', value: backends.join(' ') },
    { name: 'OTHERS', value: STORAGE_BACKENDS.filter((key) => !backends.includes(key)).join(' ') },
    { name: 'TEST_OPS', value: ops('test') },
    { name: 'SET_OPS', value: ops('add') },
  ];
}

/**
 * POSIX sh; needs only `oc get` and `oc patch`. Looks for every other back-end key in
 * spec.storage, and asks the API server (a dry run of JSON patch `test` operations) whether the
 * configured back end already has exactly the configured value; when both hold it changes
 * nothing. Otherwise one patch removes the other keys and sets the configured ones whole, which
 * also drops fields a server-side apply cannot (say the `encrypt: true` the operator wrote into
 * an AWS bucket's settings, when the same key now names a MinIO bucket).
 */
export const STORAGE_SWITCH_SCRIPT = `set -eu
config=configs.imageregistry.operator.openshift.io/${REGISTRY_CONFIG_NAME}
ops=''
found=''
for key in $OTHERS; do
  value=$(oc get "$config" -o "jsonpath={.spec.storage.$key}")
  if [ -n "$value" ]; then
    ops="$ops{\\"op\\":\\"remove\\",\\"path\\":\\"/spec/storage/$key\\"},"
    found="$found $key"
  fi
done
if [ -z "$found" ] && oc patch "$config" --type=json --dry-run=server -p "[$TEST_OPS]" >/dev/null 2>&1; then
  echo "spec.storage already holds only $CONFIGURED, as configured: nothing to change"
  exit 0
fi
echo "spec.storage:\${found:+ removing$found;} setting $CONFIGURED as configured, in one patch"
oc patch "$config" --type=json -p "[$ops$SET_OPS]"
`;
