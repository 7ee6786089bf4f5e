import { SchemaProblem } from './crd-schemas';
import { asList, asMap, isMap, Obj, show } from '../../lib/rules/shapes';

// The Kubernetes "restricted" Pod Security profile (v1.28 and later) and what OpenShift's
// restricted-v2 SCC adds: no fixed runAsUser, runAsGroup or fsGroup, which it assigns from the
// namespace's range (a fixed value outside the range is refused).

const ALLOWED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** Where a kind keeps its pod template. */
const POD_SPEC_PATHS: Readonly<Record<string, string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/**
 * Problems of the pod template of `object`, if its kind has one. Any shape is read safely (a
 * wrong shape is the schema's to report): never a TypeError.
 */
export function checkPodSecurity(object: { kind?: string } & Obj): SchemaProblem[] {
  const kind = object.kind;
  const path = typeof kind === 'string' && Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined;
  if (!path) return [];
  const pod = path.reduce<unknown>((o, k) => asMap(o)[k], object);
  if (!isMap(pod)) return [];
  const at = path.join('.');
  const problems: SchemaProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field: `${at}.${field}`, message });
  const podContext = asMap(pod.securityContext);

  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (pod[key]) add(key, 'must not be set (restricted)');
  asList(pod.volumes).forEach((volume, i) => {
    const type = Object.keys(asMap(volume)).find((k) => k !== 'name');
    if (type && !ALLOWED_VOLUMES.includes(type)) add(`volumes[${i}].${type}`, `volume type ${type} is not allowed (restricted allows ${ALLOWED_VOLUMES.join(', ')})`);
  });
  for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    if (podContext[key] !== undefined) add(`securityContext.${key}`, 'must not be set: OpenShift restricted-v2 assigns it from the namespace range');
  }
  if (podContext.runAsUser === 0) add('securityContext.runAsUser', 'must not be 0 (restricted)');
  const podSeccomp = asMap(podContext.seccompProfile).type;

  const containers = [
    ...asList(pod.initContainers).map((c, i) => [`initContainers[${i}]`, asMap(c)] as const),
    ...asList(pod.containers).map((c, i) => [`containers[${i}]`, asMap(c)] as const),
  ];
  for (const [where, container] of containers) {
    const context = asMap(container.securityContext);
    const capabilities = asMap(context.capabilities);
    if (context.privileged) add(`${where}.securityContext.privileged`, 'must not be true (restricted)');
    if (context.allowPrivilegeEscalation !== false) add(`${where}.securityContext.allowPrivilegeEscalation`, 'must be false (restricted)');
    if (!asList(capabilities.drop).includes('ALL')) add(`${where}.securityContext.capabilities.drop`, 'must include ALL (restricted)');
    for (const cap of asList(capabilities.add)) if (cap !== 'NET_BIND_SERVICE') add(`${where}.securityContext.capabilities.add`, `${show(cap)} may not be added (restricted allows only NET_BIND_SERVICE)`);
    if (context.runAsNonRoot !== true && podContext.runAsNonRoot !== true) add(`${where}.securityContext.runAsNonRoot`, 'must be true, on the pod or the container (restricted)');
    if (context.runAsNonRoot === false) add(`${where}.securityContext.runAsNonRoot`, 'must not be false (restricted)');
    for (const key of ['runAsUser', 'runAsGroup'] as const) {
      if (context[key] !== undefined) add(`${where}.securityContext.${key}`, 'must not be set: OpenShift restricted-v2 assigns it from the namespace range');
    }
    const seccomp = asMap(context.seccompProfile).type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') add(`${where}.securityContext.seccompProfile.type`, 'must be RuntimeDefault or Localhost, on the pod or the container (restricted)');
    asList(container.ports).forEach((port, i) => {
      if (asMap(port).hostPort) add(`${where}.ports[${i}].hostPort`, 'must not be set (restricted)');
    });
  }
  return problems;
}
