// What the cluster serves, for an object whose kind has no schema here: a Kubernetes API version
// that OpenShift no longer serves is refused by the API server; a custom resource or an OpenShift
// API without a schema is not checked, and validate says so without failing.
import type { OpenShiftVersion } from '../../lib/rules/openshift-version';
import type { CoreModels } from './core-schemas';

/**
 * Kubernetes API versions removed before or during the Kubernetes versions that OpenShift 4.12
 * (Kubernetes 1.25) to 4.23 (1.36) run, with the Kubernetes minor that removed them
 * (kubernetes.io/docs/reference/using-api/deprecation-guide). `kinds` when only some kinds of a
 * version went (the version serves others, or serves them again).
 */
const REMOVED: readonly { apiVersion: string; removedIn: number; kinds?: readonly string[] }[] = [
  { apiVersion: 'extensions/v1beta1', removedIn: 22 },
  { apiVersion: 'apps/v1beta1', removedIn: 16 },
  { apiVersion: 'apps/v1beta2', removedIn: 16 },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', removedIn: 22, kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'] },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', removedIn: 22 },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', removedIn: 22 },
  { apiVersion: 'authentication.k8s.io/v1beta1', removedIn: 22 },
  { apiVersion: 'authorization.k8s.io/v1beta1', removedIn: 22 },
  { apiVersion: 'certificates.k8s.io/v1beta1', removedIn: 22 },
  { apiVersion: 'coordination.k8s.io/v1beta1', removedIn: 22 },
  { apiVersion: 'networking.k8s.io/v1beta1', removedIn: 22, kinds: ['Ingress', 'IngressClass'] },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', removedIn: 22 },
  { apiVersion: 'scheduling.k8s.io/v1beta1', removedIn: 22 },
  { apiVersion: 'storage.k8s.io/v1beta1', removedIn: 22, kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'] },
  { apiVersion: 'batch/v1beta1', removedIn: 25 },
  { apiVersion: 'discovery.k8s.io/v1beta1', removedIn: 25 },
  { apiVersion: 'events.k8s.io/v1beta1', removedIn: 25 },
  { apiVersion: 'autoscaling/v2beta1', removedIn: 25 },
  { apiVersion: 'policy/v1beta1', removedIn: 25 },
  { apiVersion: 'node.k8s.io/v1beta1', removedIn: 25 },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', removedIn: 26 },
  { apiVersion: 'autoscaling/v2beta2', removedIn: 26 },
  { apiVersion: 'storage.k8s.io/v1beta1', removedIn: 27, kinds: ['CSIStorageCapacity'] },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', removedIn: 29 },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', removedIn: 32 },
];

/**
 * Generally available Kubernetes API versions (and kinds) newer than OpenShift 4.12's Kubernetes
 * 1.25, with the Kubernetes minor that first serves them (the Kubernetes release notes; an older
 * cluster refuses them).
 */
const SERVED_FROM: readonly { apiVersion: string; servedIn: number; kinds?: readonly string[] }[] = [
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', servedIn: 29 },
  { apiVersion: 'admissionregistration.k8s.io/v1', servedIn: 30, kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'] },
  { apiVersion: 'networking.k8s.io/v1', servedIn: 33, kinds: ['IPAddress', 'ServiceCIDR'] },
  { apiVersion: 'storage.k8s.io/v1', servedIn: 34, kinds: ['VolumeAttributesClass'] },
];

/** An error when OpenShift `version` does not serve `apiVersion` `kind` yet; undefined when it does. */
export function notYetServed(apiVersion: string, kind: string, version: OpenShiftVersion): string | undefined {
  const kubernetes = kubernetesMinor(version);
  const entry = SERVED_FROM.find((e) => e.apiVersion === apiVersion && (!e.kinds || e.kinds.includes(kind)) && e.servedIn > kubernetes);
  return entry && `${apiVersion} ${kind} is served from Kubernetes 1.${entry.servedIn} (OpenShift 4.${entry.servedIn - 13}) on: OpenShift ${version}'s API server refuses it`;
}

/** API groups of OpenShift's own API servers (not custom resources: no CRD to pass). */
const OPENSHIFT_API_GROUPS = new Set([
  'apps.openshift.io', 'authorization.openshift.io', 'build.openshift.io', 'image.openshift.io', 'oauth.openshift.io',
  'project.openshift.io', 'quota.openshift.io', 'security.openshift.io', 'template.openshift.io', 'user.openshift.io',
]);

/** The Kubernetes minor an OpenShift minor runs: 4.12 runs 1.25, and so on. */
function kubernetesMinor(version: OpenShiftVersion): number {
  return Number(version.split('.')[1]) + 13;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** What validate says of an object whose apiVersion and kind have no schema here. */
export interface UnknownKind {
  readonly severity: 'error' | 'note';
  readonly message: string;
}

export function unknownKind(apiVersion: string, kind: string, version: OpenShiftVersion, core: CoreModels): UnknownKind {
  if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion)) {
    return { severity: 'error', message: `apiVersion ${apiVersion} is not an API version: write group/version (apps/v1, imageregistry.operator.openshift.io/v1), or v1 for the core group` };
  }
  const group = groupOf(apiVersion);
  const builtIn = Object.keys(core).some((v) => groupOf(v) === group) || REMOVED.some((r) => groupOf(r.apiVersion) === group);
  if (builtIn) {
    const kubernetes = kubernetesMinor(version);
    const removed = REMOVED.find((r) => r.apiVersion === apiVersion && (!r.kinds || r.kinds.includes(kind)) && r.removedIn <= kubernetes);
    const served = Object.entries(core).filter(([, kinds]) => Object.hasOwn(kinds, kind)).map(([v]) => v);
    const instead = served.find((v) => groupOf(v) === group) ?? served.find((v) => v !== 'v1' || group === '');
    const use = instead ? `; use ${instead}` : '';
    if (removed) {
      return { severity: 'error', message: `${apiVersion} ${kind} is not served by OpenShift ${version} (Kubernetes 1.${removed.removedIn} removed it): the API server refuses it${use}` };
    }
    if (Object.hasOwn(core, apiVersion)) return { severity: 'error', message: `the API server has no kind ${kind} in ${apiVersion}${use}` };
    return { severity: 'note', message: `not checked: ${apiVersion} is not a generally available Kubernetes API version, and validate has no schema for it` };
  }
  if (OPENSHIFT_API_GROUPS.has(group)) return { severity: 'note', message: `not checked: validate has no schema for ${apiVersion} ${kind} (an OpenShift API)` };
  return { severity: 'note', message: `not checked: no schema for ${apiVersion} ${kind}, a custom resource; pass its CRD with --crds DIR to check it` };
}
