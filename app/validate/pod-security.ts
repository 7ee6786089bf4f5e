import { SchemaProblem } from './crd-schemas';

// The Kubernetes "restricted" Pod Security profile (v1.28 and later) and what OpenShift's
// restricted-v2 SCC adds: no fixed runAsUser, runAsGroup or fsGroup, which it assigns from the
// namespace's range (a fixed value outside the range is refused).

type Obj = Record<string, unknown>;
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

/** Problems of the pod template of `object`, if its kind has one. */
export function checkPodSecurity(object: { kind?: string } & Obj): SchemaProblem[] {
  const path = POD_SPEC_PATHS[object.kind ?? ''];
  if (!path) return [];
  const pod = path.reduce<unknown>((o, k) => (o as Obj | undefined)?.[k], object) as Obj | undefined;
  if (!pod) return [];
  const at = path.join('.');
  const problems: SchemaProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field: `${at}.${field}`, message });
  const podContext = (pod.securityContext ?? {}) as Obj;

  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (pod[key]) add(key, 'must not be set (restricted)');
  ((pod.volumes ?? []) as Obj[]).forEach((volume, i) => {
    const type = Object.keys(volume).find((k) => k !== 'name');
    if (type && !ALLOWED_VOLUMES.includes(type)) add(`volumes[${i}].${type}`, `volume type ${type} is not allowed (restricted allows ${ALLOWED_VOLUMES.join(', ')})`);
  });
  for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    if (podContext[key] !== undefined) add(`securityContext.${key}`, 'must not be set: OpenShift restricted-v2 assigns it from the namespace range');
  }
  if (podContext.runAsUser === 0) add('securityContext.runAsUser', 'must not be 0 (restricted)');
  const podSeccomp = (podContext.seccompProfile as Obj | undefined)?.type;

  const containers = [
    ...((pod.initContainers ?? []) as Obj[]).map((c, i) => [`initContainers[${i}]`, c] as const),
    ...((pod.containers ?? []) as Obj[]).map((c, i) => [`containers[${i}]`, c] as const),
  ];
  for (const [where, container] of containers) {
    const context = (container.securityContext ?? {}) as Obj;
    const capabilities = (context.capabilities ?? {}) as { drop?: string[]; add?: string[] };
    if (context.privileged) add(`${where}.securityContext.privileged`, 'must not be true (restricted)');
    if (context.allowPrivilegeEscalation !== false) add(`${where}.securityContext.allowPrivilegeEscalation`, 'must be false (restricted)');
    if (!(capabilities.drop ?? []).includes('ALL')) add(`${where}.securityContext.capabilities.drop`, 'must include ALL (restricted)');
    for (const cap of capabilities.add ?? []) if (cap !== 'NET_BIND_SERVICE') add(`${where}.securityContext.capabilities.add`, `${cap} may not be added (restricted allows only NET_BIND_SERVICE)`);
    if (context.runAsNonRoot !== true && podContext.runAsNonRoot !== true) add(`${where}.securityContext.runAsNonRoot`, 'must be true, on the pod or the container (restricted)');
    if (context.runAsNonRoot === false) add(`${where}.securityContext.runAsNonRoot`, 'must not be false (restricted)');
    for (const key of ['runAsUser', 'runAsGroup'] as const) {
      if (context[key] !== undefined) add(`${where}.securityContext.${key}`, 'must not be set: OpenShift restricted-v2 assigns it from the namespace range');
    }
    const seccomp = (context.seccompProfile as Obj | undefined)?.type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') add(`${where}.securityContext.seccompProfile.type`, 'must be RuntimeDefault or Localhost, on the pod or the container (restricted)');
    ((container.ports ?? []) as Obj[]).forEach((port, i) => {
      if (port.hostPort) add(`${where}.ports[${i}].hostPort`, 'must not be set (restricted)');
    });
  }
  return problems;
}
