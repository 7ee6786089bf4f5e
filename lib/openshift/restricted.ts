import { k8s } from 'cdk8s-plus-28';

// Pod and container security contexts that pass the Kubernetes "restricted" Pod Security profile
// and OpenShift's restricted-v2 SCC. No runAsUser, runAsGroup or fsGroup: restricted-v2 assigns
// them from the namespace's range, and a fixed value outside that range is refused.

export const RESTRICTED_POD_SECURITY_CONTEXT: k8s.PodSecurityContext = {
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

export const RESTRICTED_CONTAINER_SECURITY_CONTEXT: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
};

/** Labels that make the namespace enforce the "restricted" Pod Security profile. */
export const RESTRICTED_NAMESPACE_LABELS = {
  'pod-security.kubernetes.io/enforce': 'restricted',
};
