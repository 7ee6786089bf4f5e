import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { REGISTRY_CONFIG_NAME, REGISTRY_NAMESPACE, STORAGE_BACKENDS } from './constants';
import { RegistryStorage, StorageManagementState } from './registry-storage';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT } from '../openshift/restricted';
import { checkImageReference } from '../rules/image-reference';
import { checkOneOf, escapeKubeletExpansion } from '../rules/kubernetes';
import { isMap, Obj } from '../rules/shapes';
import { storageAsWritten } from '../rules/storage-as-written';
import { checkProps, is, propTypes } from '../rules/prop-types';
import { ValidationError, withinField } from '../rules/validation-error';

/**
 * OpenShift CLI image of the switch Job: the community (OKD) build, fixed at one minor. The Job
 * only runs `oc get` and `oc patch` on the registry Config, which every supported release serves
 * alike. Disconnected clusters mirror it, or name their mirror in `image`.
 */
export const OC_IMAGE = 'quay.io/openshift/origin-cli:4.20';

/** Name of the Job, its ServiceAccount, NetworkPolicy, ClusterRole and ClusterRoleBinding. */
export const STORAGE_SWITCH_NAME = 'image-registry-storage-switch';

/**
 * How long the Job may run, image pull included: then it fails (reason DeadlineExceeded), which
 * Argo CD reports as Degraded, ending the sync instead of holding the wave open for ever (an
 * image that cannot be pulled never fails a pod by itself).
 */
export const STORAGE_SWITCH_DEADLINE_SECONDS = 600;

export interface StorageSwitchProps {
  /** The storage the registry Config is given: exactly one back end. */
  readonly storage: RegistryStorage;
  /**
   * OpenShift CLI image, by tag or digest (`mirror.example.com/openshift/origin-cli@sha256:...`).
   * @default OC_IMAGE
   */
  readonly image?: string;
}

/** The props' types, for callers without TypeScript (lib/rules/prop-types.ts). */
const PROP_TYPES = propTypes<StorageSwitchProps>('StorageSwitch', {
  storage: is.instanceOf(RegistryStorage, 'a RegistryStorage (RegistryStorage.fromPvc, .s3, .fromMinio, ...)').isRequired,
  image: is.string,
});

/**
 * Makes a GitOps sync switch the registry's storage back end by itself. The operator writes a
 * back end into `spec.storage` when a cluster is installed (S3 on AWS, Swift or a claim on
 * OpenStack, ...), owned by its own field manager; a server-side apply of a Config that names
 * another back end leaves that one in place, and with two back ends the operator keeps the old
 * registry running and reports Progressing with an error. This Job runs before the Config is
 * applied and makes `spec.storage` hold the configured back end and nothing else, in one JSON
 * patch, so that the operator never sees an empty or a double storage:
 *
 * - no `spec.storage` at all: it is set whole;
 * - other back ends are removed;
 * - the configured one is set whole, dropping stale fields a server-side apply cannot (say the
 *   `encrypt: true` the operator wrote for its own AWS bucket, when `s3` now names a MinIO
 *   bucket), unless the API server finds it already holds the configured value as the operator
 *   writes it back (see rules/storage-as-written.ts);
 * - `managementState` is set as configured, or dropped with the old storage when not configured.
 *
 * Then it reads the Config again, and patches again (at most 5 times) should the operator's
 * write of its whole spec have undone the patch. It touches no other field, changes nothing when
 * nothing differs, and says in its log what it switched from and to. The old storage itself (a
 * claim, a bucket) is left as it is.
 */
export class StorageSwitch extends Construct {
  constructor(scope: Construct, id: string, props: StorageSwitchProps) {
    super(scope, id);
    checkProps(PROP_TYPES, props);
    const image = props.image ?? OC_IMAGE;
    checkImageReference('image', image);
    const env = storageSwitchEnv(props.storage);
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
        activeDeadlineSeconds: STORAGE_SWITCH_DEADLINE_SECONDS,
        backoffLimit: 6,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: STORAGE_SWITCH_NAME,
            restartPolicy: 'OnFailure',
            securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
            containers: [{
              name: 'switch',
              image,
              // The script has no `$$` and no `$(NAME)` of a variable: the kubelet passes it as it is.
              command: ['/bin/sh', '-c', STORAGE_SWITCH_SCRIPT],
              env: Object.entries({ HOME: '/tmp', ...env }).map(([name, value]) => ({ name, value: escapeKubeletExpansion(value) })),
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

/** The inputs of the switch script, as the script must see them (before the kubelet's escaping). */
export interface StorageSwitchEnv {
  /** The configured back-end key. */
  readonly BACKEND: string;
  /** The whole `spec.storage` to set when the Config has none. */
  readonly STORAGE: string;
  /** JSON patch operation that sets the configured back end whole. */
  readonly SET: string;
  /** JSON patch operations whose server dry run passes when the back end holds the configured value. */
  readonly CHECK: string;
  /** The configured `managementState`, or empty. */
  readonly STATE: string;
  /** The configured claim (PVC storage), or empty. */
  readonly CLAIM: string;
  /** The configured storage, for the log. */
  readonly CONFIGURED: string;
}

/**
 * The switch script's inputs for `storage` (StorageSwitch has checked that it is a
 * RegistryStorage). Throws a ValidationError naming `storage` unless it holds exactly one known
 * back end (anything else would make the Job remove the live back end and set nothing the API
 * server keeps).
 */
export function storageSwitchEnv(storage: RegistryStorage): StorageSwitchEnv {
  const spec = storage.toJson();
  const unknown = Object.keys(spec).find((key) => key !== 'managementState' && !(STORAGE_BACKENDS as readonly string[]).includes(key));
  if (unknown !== undefined) {
    throw new ValidationError(`storage.${unknown}`, `is not a storage back end; use one of ${STORAGE_BACKENDS.join(', ')}`);
  }
  const backends = STORAGE_BACKENDS.filter((key) => spec[key] !== undefined);
  if (backends.length !== 1) {
    throw new ValidationError('storage', backends.length
      ? `sets ${backends.join(' and ')}: the operator accepts exactly one back end`
      : 'sets no back end: the Job would remove the live back end and set nothing; use one of RegistryStorage\'s factories');
  }
  const [backend] = backends;
  const state = spec.managementState as string | undefined;
  if (state !== undefined) checkOneOf('storage.managementState', state, Object.values(StorageManagementState));
  const value = spec[backend];
  if (!isMap(value)) throw new ValidationError(`storage.${backend}`, `must be a map of the back end's fields, not ${JSON.stringify(value)}`);

  const written = withinField('storage', () => storageAsWritten(backend, value, state));
  const at = (path: readonly string[]) => `/spec/storage/${[backend, ...path].join('/')}`;
  const configured = `${backend} ${JSON.stringify(written.value)}${state ? `, managementState ${state}` : ''}`;
  return {
    BACKEND: backend,
    STORAGE: JSON.stringify({ [backend]: written.value, ...(state ? { managementState: state } : {}) }),
    SET: JSON.stringify({ op: 'add', path: at([]), value: written.value }),
    // A field left out of the comparison is first given a value, then removed: two operations
    // that succeed whether or not the live Config has it.
    CHECK: [
      ...written.notCompared.flatMap((path) => [{ op: 'add', path: at(path), value: '' }, { op: 'remove', path: at(path) }]),
      { op: 'test', path: at([]), value: without(written.value, written.notCompared) },
    ].map((op) => JSON.stringify(op)).join(','),
    STATE: state ?? '',
    CLAIM: backend === 'pvc' ? String(written.value.claim ?? '') : '',
    CONFIGURED: configured,
  };
}

/** `value` without the fields at `paths`. */
function without(value: Obj, paths: readonly (readonly string[])[]): Obj {
  const copy = JSON.parse(JSON.stringify(value)) as Obj;
  for (const path of paths) {
    let node: unknown = copy;
    for (const key of path.slice(0, -1)) node = isMap(node) ? node[key] : undefined;
    if (isMap(node)) delete node[path[path.length - 1]];
  }
  return copy;
}

const keys = STORAGE_BACKENDS.join(' ');
// One line per field, `name=value`: oc's jsonpath prints objects as compact JSON, strings as they are.
const template = ['storage', ...STORAGE_BACKENDS, 'managementState'].map((key) => `{"${key}="}{.spec${key === 'storage' ? '' : '.storage'}.${key}}{"\\n"}`).join('')
  + '{"claim="}{.spec.storage.pvc.claim}{"\\n"}';

/**
 * POSIX sh; needs only `oc get` and `oc patch`. Reads spec.storage; sets it whole when there is
 * none; otherwise removes every other back end and, unless a server dry run of the CHECK
 * operations passes, sets the configured one whole; sets or drops managementState. Then reads
 * again, and patches again at most `attempts` times should another write (the operator's update
 * of its whole spec, from a copy read before the patch) have undone it.
 */
export const STORAGE_SWITCH_SCRIPT = `set -eu
config=configs.imageregistry.operator.openshift.io/${REGISTRY_CONFIG_NAME}
backends='${keys}'
template='${template}'
attempts=5
settle=10

field() { printf '%s\\n' "$live" | sed -n "s/^$1=//p"; }
# printf, not echo: values may hold backslashes.
say() { printf '%s\\n' "$*"; }

# What spec.storage holds, for the log.
describe() {
  if [ -z "$(field storage)" ]; then say 'nothing (the Config has no spec.storage)'; return; fi
  out=''
  for key in $backends managementState; do
    value=$(field "$key")
    if [ -n "$value" ]; then out="$out\${out:+, }$key $value"; fi
  done
  say "\${out:-an empty spec.storage}"
}

attempt=1
while :; do
  live=$(oc get "$config" -o "jsonpath=$template")
  ops=''
  if [ -z "$(field storage)" ]; then
    # No spec.storage to add a back end to (left by a remove of /spec/storage): set it whole.
    ops="{\\"op\\":\\"add\\",\\"path\\":\\"/spec/storage\\",\\"value\\":$STORAGE}"
  else
    for key in $backends; do
      if [ "$key" != "$BACKEND" ] && [ -n "$(field "$key")" ]; then
        ops="$ops{\\"op\\":\\"remove\\",\\"path\\":\\"/spec/storage/$key\\"},"
      fi
    done
    if ! oc patch "$config" --type=json --dry-run=server -p "[$CHECK]" >/dev/null 2>&1; then
      ops="$ops$SET,"
    fi
    state=$(field managementState)
    if [ -n "$STATE" ] && [ "$state" != "$STATE" ]; then
      ops="$ops{\\"op\\":\\"add\\",\\"path\\":\\"/spec/storage/managementState\\",\\"value\\":\\"$STATE\\"},"
    elif [ -z "$STATE" ] && [ -n "$state" ] && [ -n "$ops" ]; then
      # The old storage's state: the operator works out the new one's.
      ops="$ops{\\"op\\":\\"remove\\",\\"path\\":\\"/spec/storage/managementState\\"},"
    fi
    ops=\${ops%,}
  fi
  if [ -z "$ops" ]; then
    if [ "$attempt" -eq 1 ]; then
      say "spec.storage holds $CONFIGURED, as configured: nothing to change"
    else
      say "checked: spec.storage now holds $CONFIGURED"
    fi
    exit 0
  fi
  if [ "$attempt" -gt "$attempts" ]; then
    say "spec.storage still differs after $attempts patches: it holds $(describe); something else keeps writing it" >&2
    exit 1
  fi
  if [ "$attempt" -gt 1 ]; then
    say "spec.storage changed again after the patch (the operator writes its whole spec back); patch $attempt of $attempts"
  fi
  say "switching spec.storage from: $(describe)"
  say "to: $CONFIGURED"
  claim=$(field claim)
  if [ -n "$claim" ] && [ "$claim" != "$CLAIM" ]; then
    say "the registry's claim changes from $claim to \${CLAIM:-none}: $claim is left as it is, with its images"
  fi
  oc patch "$config" --type=json -p "[$ops]" || say "the patch failed; reading spec.storage again" >&2
  attempt=$((attempt + 1))
  sleep "$settle"
done
`;
