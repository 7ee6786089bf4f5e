import { SchemaProblem } from './crd-schemas';
import { asList, asMap, asString, isMap, Obj, show } from '../../lib/rules/shapes';

// Pod Security admission, as OpenShift runs it: a pod is refused only in a namespace whose
// `pod-security.kubernetes.io/enforce` label says baseline or restricted; `openshift-*` namespaces
// and namespaces without the label enforce privileged (the cluster's PodSecurity defaults). Before
// Pod Security sees a pod, the SCC admission fills in what the pod left unset
// (openshift/apiserver-library-go, pkg/securitycontextconstraints/sccmatching/provider.go): under
// restricted-v2 a UID from the namespace's range with runAsNonRoot true, seccomp RuntimeDefault,
// capabilities drop ALL, allowPrivilegeEscalation false. So what is refused is what a pod sets
// itself: the checks below look only at values written (kubernetes/pod-security-admission,
// policy/check_*.go, for the values each level allows).

/** The levels of Pod Security admission that refuse pods. */
export type PodSecurityLevel = 'baseline' | 'restricted';

/** The label that sets a namespace's enforced level. */
export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

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

/** The labels a kind's pods get: a Pod's own, else its template's. */
export function podTemplateLabels(object: Obj): Obj {
  const path = hasPodTemplate(object.kind) ? POD_SPEC_PATHS[object.kind as string].slice(0, -1) : [];
  return asMap(asMap(path.reduce<unknown>((o, k) => asMap(o)[k], object)).metadata).labels as Obj ?? {};
}

/** True for pods on the node's network (NetworkPolicies do not apply to them). */
export function usesHostNetwork(object: Obj): boolean {
  const path = hasPodTemplate(object.kind) ? POD_SPEC_PATHS[object.kind as string] : [];
  return asMap(path.reduce<unknown>((o, k) => asMap(o)[k], object)).hostNetwork === true;
}

/** True for a kind with a pod template. */
export function hasPodTemplate(kind: unknown): boolean {
  return typeof kind === 'string' && Object.hasOwn(POD_SPEC_PATHS, kind);
}

/**
 * The level a namespace enforces, when it is known: from its Namespace object's label, if one is
 * among the manifests; else undefined (privileged, or not known offline: nothing is refused).
 */
export function enforcedLevel(namespace: Obj | undefined): PodSecurityLevel | undefined {
  const level = asString(asMap(asMap(namespace?.metadata).labels)[ENFORCE_LABEL]);
  return level === 'baseline' || level === 'restricted' ? level : undefined;
}

/**
 * SCCs OpenShift tries before restricted-v2 (a higher priority), which leave what a pod left
 * unset as it is: a pod admitted under one of them reaches Pod Security unfilled. The default SCCs'
 * priorities: anyuid 10, the others none.
 */
const UNFILLING_SCCS = ['anyuid'];

/**
 * The service accounts the manifests grant such an SCC: a RoleBinding or ClusterRoleBinding of
 * the ClusterRole `system:openshift:scc:<name>` (what `oc adm policy add-scc-to-user` makes) to a
 * ServiceAccount, or to the group of a namespace's or of all service accounts.
 */
export class SccGrants {
  /** Grants by SCC: `namespace/account`, `namespace/*` (a namespace's accounts) or `*` (all). */
  private readonly granted = new Map<string, Set<string>>();

  constructor(objects: readonly Obj[]) {
    for (const binding of objects) {
      if (binding.kind !== 'RoleBinding' && binding.kind !== 'ClusterRoleBinding') continue;
      const role = asMap(binding.roleRef);
      const scc = /^system:openshift:scc:(.+)$/.exec(asString(role.name) ?? '')?.[1];
      if (role.kind !== 'ClusterRole' || !scc) continue;
      const accounts = this.granted.get(scc) ?? new Set<string>();
      this.granted.set(scc, accounts);
      const bindingNamespace = asString(asMap(binding.metadata).namespace);
      for (const subject of asList(binding.subjects).map(asMap)) {
        const name = asString(subject.name);
        if (subject.kind === 'ServiceAccount' && name) accounts.add(`${asString(subject.namespace) ?? bindingNamespace}/${name}`);
        else if (subject.kind === 'Group' && name === 'system:serviceaccounts') accounts.add('*');
        else if (subject.kind === 'Group' && name?.startsWith('system:serviceaccounts:')) accounts.add(`${name.slice('system:serviceaccounts:'.length)}/*`);
      }
    }
  }

  /** True when the pod's service account may use one of `sccs`. */
  public allows(sccs: readonly string[], namespace: unknown, pod: Obj): boolean {
    const account = asString(pod.serviceAccountName) ?? asString(pod.serviceAccount) ?? 'default';
    return sccs.some((scc) => {
      const accounts = this.granted.get(scc);
      return !!accounts && (accounts.has('*') || accounts.has(`${namespace}/*`) || accounts.has(`${namespace}/${account}`));
    });
  }
}

/**
 * SCCs that admit a pod with any UID but root (MustRunAsNonRoot or RunAsAny), tried when
 * restricted-v2 refuses a fixed UID outside the namespace's range; nonroot-v2 still fills in
 * seccomp, drop ALL and allowPrivilegeEscalation.
 */
const ANY_UID_SCCS = ['anyuid', 'nonroot-v2', 'nonroot'];

/** The UIDs a namespace's annotation gives restricted-v2 (`openshift.io/sa.scc.uid-range: 1000680000/10000`). */
function uidRange(namespace: Obj | undefined): [number, number] | undefined {
  const range = /^(\d+)\/(\d+)$/.exec(asString(asMap(asMap(namespace?.metadata).annotations)['openshift.io/sa.scc.uid-range']) ?? '');
  return range ? [Number(range[1]), Number(range[1]) + Number(range[2]) - 1] : undefined;
}

/** Volume types restricted allows (check_restrictedVolumes.go). */
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
/** Capabilities baseline lets a container add (check_capabilities_baseline.go). */
const BASELINE_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
/** Sysctls baseline allows (check_sysctls.go, newest policy version). */
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem', 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat',
];
/** SELinux types baseline allows (check_seLinuxOptions.go). */
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

/**
 * Problems of the pod template of `object` under `level`, for what the pod sets itself (see
 * above). Any shape is read safely (a wrong shape is the schema's to report): never a TypeError.
 */
export function checkPodSecurity(object: { kind?: string } & Obj, level: PodSecurityLevel, grants?: SccGrants, namespace?: Obj): SchemaProblem[] {
  const path = hasPodTemplate(object.kind) ? POD_SPEC_PATHS[object.kind as string] : undefined;
  if (!path) return [];
  const pod = path.reduce<unknown>((o, k) => asMap(o)[k], object);
  if (!isMap(pod)) return [];
  // Under restricted-v2 the SCC fills in what is unset; under anyuid nothing is, and any UID goes.
  const unfilled = grants?.allows(UNFILLING_SCCS, asMap(object.metadata).namespace, pod) ?? false;
  // A fixed ID is refused by restricted-v2 unless it is in the namespace's range, or another SCC takes any.
  const range = uidRange(namespace);
  const anyId = grants?.allows(ANY_UID_SCCS, asMap(object.metadata).namespace, pod) ?? false;
  const fixedRefused = (value: unknown) => typeof value === 'number' && value !== 0 && !anyId && !(range && value >= range[0] && value <= range[1]);
  const at = path.join('.');
  const problems: SchemaProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field: `${at}.${field}`, message: `${message} (${level})` });
  const restricted = level === 'restricted';
  const podContext = asMap(pod.securityContext);

  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (pod[key] === true) add(key, 'must not be true');
  asList(pod.volumes).forEach((volume, i) => {
    const type = Object.keys(asMap(volume)).find((k) => k !== 'name');
    if (type === 'hostPath') add(`volumes[${i}].hostPath`, 'volume type hostPath is not allowed');
    else if (restricted && type && !RESTRICTED_VOLUMES.includes(type)) add(`volumes[${i}].${type}`, `volume type ${type} is not allowed (restricted allows ${RESTRICTED_VOLUMES.join(', ')})`);
  });
  checkSeccomp(podContext, 'securityContext', add);
  checkSeLinux(podContext, 'securityContext', add);
  if (asMap(podContext.appArmorProfile).type === 'Unconfined') add('securityContext.appArmorProfile.type', 'must not be Unconfined');
  asList(podContext.sysctls).forEach((sysctl, i) => {
    const name = asMap(sysctl).name;
    if (typeof name === 'string' && !SAFE_SYSCTLS.includes(name)) add(`securityContext.sysctls[${i}].name`, `${show(name)} is not a safe sysctl`);
  });
  if (restricted) {
    if (podContext.runAsNonRoot === false) add('securityContext.runAsNonRoot', 'must not be false');
    if (podContext.runAsUser === 0) add('securityContext.runAsUser', 'must not be 0');
    // restricted-v2 refuses a value outside the namespace's range, which is known only on the cluster.
    for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
      if (fixedRefused(podContext[key])) add(`securityContext.${key}`, 'must not be set: OpenShift\'s restricted-v2 SCC assigns it from the namespace\'s range and refuses other values (unless the service account may use nonroot-v2 or anyuid)');
    }
  }

  const containers = [
    ...asList(pod.initContainers).map((c, i) => [`initContainers[${i}]`, asMap(c)] as const),
    ...asList(pod.containers).map((c, i) => [`containers[${i}]`, asMap(c)] as const),
    ...asList(pod.ephemeralContainers).map((c, i) => [`ephemeralContainers[${i}]`, asMap(c)] as const),
  ];
  for (const [where, container] of containers) {
    const context = asMap(container.securityContext);
    const sc = `${where}.securityContext`;
    const capabilities = asMap(context.capabilities);
    if (context.privileged === true) add(`${sc}.privileged`, 'must not be true');
    for (const cap of asList(capabilities.add)) {
      const allowed = restricted ? cap === 'NET_BIND_SERVICE' : BASELINE_CAPABILITIES.includes(cap as string);
      if (!allowed) add(`${sc}.capabilities.add`, `${show(cap)} may not be added (${restricted ? 'restricted allows only NET_BIND_SERVICE' : `baseline allows ${BASELINE_CAPABILITIES.join(', ')}`})`);
    }
    if (context.procMount !== undefined && context.procMount !== 'Default') add(`${sc}.procMount`, 'must be Default');
    checkSeccomp(context, sc, add);
    checkSeLinux(context, sc, add);
    if (asMap(context.appArmorProfile).type === 'Unconfined') add(`${sc}.appArmorProfile.type`, 'must not be Unconfined');
    asList(container.ports).forEach((port, i) => {
      const hostPort = asMap(port).hostPort;
      if (hostPort !== undefined && hostPort !== 0) add(`${where}.ports[${i}].hostPort`, 'must not be set');
    });
    if (!restricted) continue;
    if (context.allowPrivilegeEscalation === true) add(`${sc}.allowPrivilegeEscalation`, 'must not be true');
    if (context.runAsNonRoot === false) add(`${sc}.runAsNonRoot`, 'must not be false');
    if (context.runAsUser === 0) add(`${sc}.runAsUser`, 'must not be 0');
    for (const key of ['runAsUser', 'runAsGroup'] as const) {
      if (fixedRefused(context[key])) add(`${sc}.${key}`, 'must not be set: OpenShift\'s restricted-v2 SCC assigns it from the namespace\'s range and refuses other values (unless the service account may use nonroot-v2 or anyuid)');
    }
    if (!unfilled) continue;
    const why = 'its service account may use the anyuid SCC, which OpenShift tries before restricted-v2 and which fills in nothing';
    if (context.allowPrivilegeEscalation !== false && context.allowPrivilegeEscalation !== true) add(`${sc}.allowPrivilegeEscalation`, `must be false: ${why}`);
    if (!asList(capabilities.drop).includes('ALL')) add(`${sc}.capabilities.drop`, `must include ALL: ${why}`);
    if (context.runAsNonRoot !== true && podContext.runAsNonRoot !== true && context.runAsNonRoot !== false) add(`${sc}.runAsNonRoot`, `must be true, on the pod or the container: ${why}`);
    const seccomp = asMap(context.seccompProfile).type ?? asMap(podContext.seccompProfile).type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost' && seccomp !== 'Unconfined') add(`${sc}.seccompProfile.type`, `must be RuntimeDefault or Localhost, on the pod or the container: ${why}`);
  }
  return problems;
}

/** Both levels refuse an explicit Unconfined seccomp profile; restricted only allows RuntimeDefault or Localhost. */
function checkSeccomp(context: Obj, where: string, add: (field: string, message: string) => void): void {
  const type = asMap(context.seccompProfile).type;
  if (type === 'Unconfined') add(`${where}.seccompProfile.type`, 'must not be Unconfined; use RuntimeDefault or Localhost');
}

function checkSeLinux(context: Obj, where: string, add: (field: string, message: string) => void): void {
  const options = asMap(context.seLinuxOptions);
  if (typeof options.type === 'string' && !SELINUX_TYPES.includes(options.type)) add(`${where}.seLinuxOptions.type`, `${show(options.type)} is not allowed (${SELINUX_TYPES.filter(Boolean).join(', ')})`);
  for (const key of ['user', 'role'] as const) if (typeof options[key] === 'string' && options[key] !== '') add(`${where}.seLinuxOptions.${key}`, 'must not be set');
}
