// The registry operator's rules, each written once, over the Config's spec and the other objects
// of the same cluster (claims, Services, credentials, route Secrets). The constructs run them on
// what they are about to write, `validate` on manifests from disk: the same verdict and the same
// message either way. Sources: openshift/cluster-image-registry-operator, pkg/storage/ (back ends,
// pvc.go checkPVC, s3.go), pkg/resource/ (routes, deployment), status.go.
import {
  DEFAULT_ROUTE_NAME, OPERATOR_CLAIM_ANNOTATION, OPERATOR_CLAIM_NAME, REGISTRY_CREDENTIALS_SECRET_NAME,
  REGISTRY_NAMESPACE, STORAGE_BACKENDS,
} from '../registry/constants';
import { CredentialedBackend, REGISTRY_CREDENTIAL_KEYS } from './credential-keys';
import { checkAzureAccountName, checkAzureContainerName, checkAzureNetworkAccess } from './azure';
import { checkGcsBucketName, checkGcsLocation, checkKmsKeyName } from './gcs';
import { checkIbmCosCrns } from './ibmcos';
import { checkPodPlacement } from './pod-placement';
import { asList, asMap, asString, goTrimSpace, hasUrlCredentials, hideCredentials, isMap, Obj, quote, show } from './shapes';
import { checkVersionFields, DEFAULT_OPENSHIFT_VERSION, OpenShiftVersion } from './openshift-version';
import { parseGoDuration } from './go-duration';
import { isDnsSubdomain } from './kubernetes';
import { checkSwiftAuthUrl, checkSwiftContainer } from './swift';
import { ValidationError } from './validation-error';

/** What a rule found, at a path in the Config's spec (`replicas`, `storage.s3.region`). */
export interface RuleFinding {
  readonly field: string;
  readonly message: string;
  /** Warnings do not fail: a consequence the Config chose, or what cannot be checked here. */
  readonly severity: 'error' | 'warning';
  /** True when it is about an object that is not among the objects checked (it must exist in the cluster). */
  readonly unverified?: boolean;
  /** True when it holds because of the cluster's OpenShift version (a field its CRD lacks). */
  readonly versionBound?: boolean;
}

const MAX_INT32 = 2 ** 31 - 1;
const MANAGEMENT_STATES = ['Managed', 'Unmanaged', 'Removed'];

/**
 * The kinds of object checkRegistryConfig's rules read: those they look up (`find`) and those that
 * make a Secret (`madeSecretName`). A caller whose objects cost something to render renders only these.
 */
const KINDS_READ = new Set(['PersistentVolumeClaim', 'Service', 'ConfigMap', 'Secret', 'ExternalSecret', 'SealedSecret', 'Certificate']);

/** The objects of a cluster by kind, namespace and name: built once, looked up by every rule. */
export class ObjectIndex {
  /** Whether checkRegistryConfig's rules read objects of `kind` (see KINDS_READ). */
  public static reads(kind: string): boolean {
    return KINDS_READ.has(kind);
  }

  private readonly byKey = new Map<string, Obj>();
  /** The objects that make a Secret, by the Secret's namespace and name. */
  private readonly makersBySecret = new Map<string, Obj[]>();
  /** The namespaces where something makes a Secret, by the Secret's name. */
  private readonly secretNamespaces = new Map<string, Set<string>>();

  constructor(objects: readonly unknown[]) {
    for (const object of objects.filter(isMap)) {
      const metadata = asMap(object.metadata);
      const key = ObjectIndex.key(groupOf(object.apiVersion), object.kind, metadata.namespace, metadata.name);
      if (!this.byKey.has(key)) this.byKey.set(key, object);
      const secret = madeSecretName(object);
      if (secret === undefined) continue;
      // A kind madeSecretName learns must be read too: the constructs give the rules only KINDS_READ.
      if (!KINDS_READ.has(object.kind as string)) throw new Error(`${String(object.kind)} makes Secrets, but is not among KINDS_READ`);
      const at = ObjectIndex.key('', 'Secret', metadata.namespace, secret);
      const makers = this.makersBySecret.get(at);
      if (makers) makers.push(object);
      else this.makersBySecret.set(at, [object]);
      const namespace = asString(metadata.namespace);
      if (namespace !== undefined) {
        const namespaces = this.secretNamespaces.get(secret) ?? new Set<string>();
        this.secretNamespaces.set(secret, namespaces.add(namespace));
      }
    }
  }

  /**
   * What makes the Secret `name` in `namespace` among the objects: the Secret, an ExternalSecret
   * or SealedSecret that writes it, a cert-manager Certificate that issues it.
   */
  public secretMakers(name: string, namespace: string): readonly Obj[] {
    return this.makersBySecret.get(ObjectIndex.key('', 'Secret', namespace, name)) ?? [];
  }

  /** The namespaces other than `namespace` where something makes a Secret called `name`. */
  public secretElsewhere(name: string, namespace: string): string[] {
    return [...this.secretNamespaces.get(name) ?? []].filter((ns) => ns !== namespace);
  }

  private static key(group: string | undefined, kind: unknown, namespace: unknown, name: unknown): string {
    return JSON.stringify([group ?? null, kind, namespace ?? null, name]);
  }

  /**
   * The first object of `kind` in API group `group` ('' for the core group: a Knative `Service`
   * is not a Service) named `name` in `namespace` (none for cluster-scoped objects).
   */
  public find(kind: string, name: string, namespace?: string, group = ''): Obj | undefined {
    return this.byKey.get(ObjectIndex.key(group, kind, namespace, name));
  }
}

/** The API group of an `apiVersion`: '' for the core group (`v1`). */
function groupOf(apiVersion: unknown): string | undefined {
  const text = asString(apiVersion);
  return text === undefined ? undefined : text.includes('/') ? text.split('/')[0] : '';
}

/** The name of the Secret an object makes, if it makes one. */
function madeSecretName(object: Obj): string | undefined {
  const spec = asMap(object.spec);
  const own = asString(asMap(object.metadata).name);
  const group = asString(object.apiVersion)?.split('/')[0];
  if (object.kind === 'Secret' && object.apiVersion === 'v1') return own;
  if (object.kind === 'ExternalSecret' && group === 'external-secrets.io') return asString(asMap(spec.target).name) ?? own;
  if (object.kind === 'SealedSecret' && group === 'bitnami.com') return asString(asMap(asMap(spec.template).metadata).name) ?? own;
  if (object.kind === 'Certificate' && group === 'cert-manager.io') return asString(spec.secretName);
  return undefined;
}

interface Context {
  readonly spec: Obj;
  readonly facts: KnownFacts;
  add(field: string, message: string, severity?: RuleFinding['severity']): void;
  /** A warning about an object that is not among these objects. */
  unverified(field: string, message: string): void;
  /**
   * A problem that holds because a field is left out: an error, or a warning when the spec is
   * merged into the live Config, whose value for it is not known here.
   */
  leftOut(field: string, message: string): void;
  /** The object of `kind` named `name` in `namespace` among the cluster's objects. */
  find(kind: string, name: string, namespace: string): Obj | undefined;
  /** The cluster's objects. */
  readonly index: ObjectIndex;
}

/** What a caller knows of objects that are not among the manifests. */
export interface KnownFacts {
  /** Access modes of the claim `storage.pvc.claim` names, as its owner describes an existing claim. */
  readonly claimAccessModes?: readonly string[];
  /**
   * The cluster's OpenShift version: fields its Config CRD lacks are errors.
   * @default DEFAULT_OPENSHIFT_VERSION (the newest known)
   */
  readonly openshiftVersion?: OpenShiftVersion;
  /**
   * The spec is merged into the live Config (an apply or merge patch of the Config every cluster
   * has): a field it leaves out keeps its live value, unknown here.
   * @default false (the spec is the whole Config's)
   */
  readonly merged?: boolean;
}

/**
 * Checks the registry Config's `spec` against the operator's rules; `objects` are the other
 * objects of the same cluster (any shape: nothing here throws on a malformed one).
 */
export function checkRegistryConfig(spec: unknown, objects: readonly unknown[] | ObjectIndex, facts: KnownFacts = {}): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const index = objects instanceof ObjectIndex ? objects : new ObjectIndex(objects);
  const ctx: Context = {
    spec: asMap(spec),
    facts,
    add: (field, message, severity = 'error') => findings.push({ field, message, severity }),
    unverified: (field, message) => findings.push({ field, message, severity: 'warning', unverified: true }),
    leftOut: (field, message) => findings.push(facts.merged
      ? { field, message: `${message} (not set here: the live Config keeps its value, which must allow this)`, severity: 'warning' }
      : { field, message, severity: 'error' }),
    find: (kind, name, namespace) => {
      // A rule that reads another kind adds it to KINDS_READ: the constructs give the rules only those.
      if (!KINDS_READ.has(kind)) throw new Error(`a rule reads ${kind}, which is not among KINDS_READ`);
      return index.find(kind, name, namespace);
    },
    index,
  };
  // Fields the cluster's CRD lacks first: the other rules assume the field exists.
  findings.push(...checkVersionFields('Config', spec, facts.openshiftVersion ?? DEFAULT_OPENSHIFT_VERSION));
  for (const rule of RULES) rule(ctx);
  return findings;
}

const RULES: ((ctx: Context) => void)[] = [
  managementState, replicas, oneBackend, claim, emptyDirReplicas, routes, requests, podPlacement,
  proxy, s3, credentials, cloudBackends, storageRemoval,
];

function managementState({ spec, add }: Context): void {
  if (spec.managementState !== undefined && !MANAGEMENT_STATES.includes(spec.managementState as string)) {
    add('managementState', `${quote(spec.managementState)} is not acted on by the operator (it only logs it); use Managed, Unmanaged or Removed`);
  }
}

function replicas({ spec, add }: Context): void {
  const value = spec.replicas;
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_INT32) {
    add('replicas', `${quote(value)} must be a whole number from 1 to ${MAX_INT32}`);
  } else if (value === 0 && spec.managementState !== 'Removed') {
    add('replicas', '0 does not stop the registry: the operator reports NoReplicasAvailable and degrades (or the Deployment is refused); set managementState: Removed to remove the registry');
  }
}

/** The back-end keys set in `spec.storage`. */
function backends(spec: Obj): string[] {
  const storage = asMap(spec.storage);
  return STORAGE_BACKENDS.filter((key) => storage[key] !== undefined);
}

function oneBackend({ spec, add, facts }: Context): void {
  // oss counts here as the operators up to 4.16 count it; from 4.17 on it is a version rule.
  const set = backends(spec);
  if (set.length > 1) {
    add('storage', `has ${set.join(' and ')}: exactly one back end may be set; with two the operator reports Progressing with an error, keeps the old registry running and does not use the new storage`);
  } else if (!set.length && !facts.merged) {
    add('storage', `names no back end (one of ${STORAGE_BACKENDS.filter((b) => b !== 'oss').join(', ')}); the operator would write the platform's default storage into the Config, or report StorageNotConfigured`);
  }
}

/**
 * pkg/storage/pvc/pvc.go: checkPVC, and the operator's own claim. CreateStorage checks the
 * ownership annotation (PVCOwnerAnnotation) only of the claim it names itself, when `claim` is
 * empty; a claim named explicitly is used as it is, whatever its name.
 */
function claim({ spec, add, unverified, find, facts }: Context): void {
  const pvc = asMap(asMap(spec.storage).pvc);
  const name = asString(pvc.claim);
  // Left out of a merged Config, the claim keeps its live value; left out of a whole one, it is empty.
  if (name === '' || (name === undefined && asMap(spec.storage).pvc !== undefined && !facts.merged)) {
    operatorClaim(add, find);
    return;
  }
  if (name === undefined) return;
  const object = find('PersistentVolumeClaim', name, REGISTRY_NAMESPACE);
  if (!object && !facts.claimAccessModes) {
    unverified('storage.pvc.claim', `claim ${REGISTRY_NAMESPACE}/${show(name)} is not among these objects, so its access modes are unknown; it must exist, with ReadWriteMany, or ReadWriteOnce with one replica and rolloutStrategy Recreate`);
    return;
  }
  if (object && name === OPERATOR_CLAIM_NAME && asMap(asMap(object.metadata).annotations)[OPERATOR_CLAIM_ANNOTATION] === undefined) {
    add('storage.pvc.claim', `"${OPERATOR_CLAIM_NAME}" is the name of the claim the operator creates for itself (annotated ${OPERATOR_CLAIM_ANNOTATION}). Named here, this claim is used as it is; but if storage.pvc.claim is ever left empty, the operator finds this claim without its annotation and refuses it ("could not create default PVC, it already exists and is not owned by the operator"), and on a cluster that already has the operator's claim this manifest is applied onto it. A claim of another name avoids both`, 'warning');
  }
  const modes = object ? asList(asMap(object.spec).accessModes) : [...facts.claimAccessModes!];
  if (!modes.includes('ReadWriteOnce') && !modes.includes('ReadWriteMany')) {
    add('storage.pvc.claim', `claim ${show(name)} has access modes ${modes.map(quote).join(', ') || 'none'}: the operator needs ReadWriteMany or ReadWriteOnce ("does not contain the necessary access modes")`);
    return;
  }
  if (modes.includes('ReadWriteMany')) return;
  if (typeof spec.replicas === 'number' && spec.replicas > 1) {
    add('replicas', `${spec.replicas} replicas cannot share the ReadWriteOnce claim ${show(name)}: the operator refuses it; use 1 replica, or a ReadWriteMany claim`);
  }
  if (spec.rolloutStrategy !== 'Recreate') {
    // pkg/operator/bootstrap.go: RollingUpdate unless the platform's own storage is a claim.
    const got = spec.rolloutStrategy !== undefined ? `got ${quote(spec.rolloutStrategy)}`
      : facts.merged ? 'got none here, so the live value stays: RollingUpdate as the operator starts the Config, on every platform but OpenStack without Swift and oVirt'
        : 'got none';
    add('rolloutStrategy', `must be Recreate with the ReadWriteOnce claim ${show(name)} (a rolling update would start a second pod on the volume; no strategy means RollingUpdate), ${got}`);
  }
}

/**
 * An empty claim: the operator uses its own `image-registry-storage`, creating it if missing, and
 * refuses one it did not create (one without its annotation).
 */
function operatorClaim(add: Context['add'], find: Context['find']): void {
  const object = find('PersistentVolumeClaim', OPERATOR_CLAIM_NAME, REGISTRY_NAMESPACE);
  if (object && asMap(asMap(object.metadata).annotations)[OPERATOR_CLAIM_ANNOTATION] === undefined) {
    add('storage.pvc.claim', `is empty, so the operator uses its own claim ${OPERATOR_CLAIM_NAME}; the one among these objects lacks the annotation ${OPERATOR_CLAIM_ANNOTATION} that marks the operator's claim, and the operator refuses it ("could not create default PVC, it already exists and is not owned by the operator"): name the claim in storage.pvc.claim, or leave its creation to the operator`);
  }
}

function emptyDirReplicas({ spec, add }: Context): void {
  if (asMap(spec.storage).emptyDir !== undefined && Number.isInteger(spec.replicas) && (spec.replicas as number) > 1) {
    add('replicas', `${spec.replicas} replicas on emptyDir storage would each keep their own images (a push to one pod is missing from the others); use 1 replica, or shared storage`);
  }
}

/** pkg/resource/route.go: names unique and not default-route; the router admits one route per host. */
function routes({ spec, add, unverified, index }: Context): void {
  const firstByName = new Map<unknown, number>();
  const firstByHost = new Map<unknown, number>();
  asList(spec.routes).map(asMap).forEach((route, i) => {
    if (route.name === DEFAULT_ROUTE_NAME) add(`routes[${i}].name`, `"${DEFAULT_ROUTE_NAME}" is the route the operator makes for defaultRoute: true; set defaultRoute instead, or choose another name`);
    const first = firstByName.get(route.name);
    if (first === undefined) firstByName.set(route.name, i);
    else add(`routes[${i}].name`, `route name ${quote(route.name)} is also routes[${first}]'s; route names must be unique`);
    if (typeof route.hostname === 'string' && route.hostname.split('.').some((label) => label.length > 63)) {
      add(`routes[${i}].hostname`, `${quote(route.hostname)} has a label longer than 63 characters, which DNS and the router refuse`);
    } else if (typeof route.hostname === 'string' && !isDnsSubdomain(route.hostname)) {
      // The operator makes a Route with this host, which the Route API refuses (library-go route validation).
      add(`routes[${i}].hostname`, `${quote(route.hostname)} is not a host name: the operator makes a Route with it as spec.host, which the API server refuses, and the route is never made; use lower-case letters, digits, '-' and '.', without a scheme, port or path`);
    }
    if (route.hostname !== undefined) {
      const sameHost = firstByHost.get(route.hostname);
      if (sameHost === undefined) firstByHost.set(route.hostname, i);
      else add(`routes[${i}].hostname`, `${quote(route.hostname)} is also routes[${sameHost}]'s hostname: the router admits only one of them and the operator degrades (RouteDegraded)`);
    }
    const secret = asString(route.secretName);
    if (secret === undefined || index.secretMakers(secret, REGISTRY_NAMESPACE).length) return;
    // pkg/resource/route.go reads the Secret through its lister of the registry's namespace only.
    const elsewhere = index.secretElsewhere(secret, REGISTRY_NAMESPACE);
    if (elsewhere.length) {
      add(`routes[${i}].secretName`, `Secret ${quote(secret)} is made in ${elsewhere.map((ns) => show(ns)).join(', ')}, but the operator reads it only from ${REGISTRY_NAMESPACE}: the route is never made; make the Secret in ${REGISTRY_NAMESPACE}`);
    } else {
      unverified(`routes[${i}].secretName`, `Secret ${REGISTRY_NAMESPACE}/${show(secret)} is not among these objects; it must exist in the cluster (keys tls.crt, tls.key, optional tls.cacrt) or the route is not made`);
    }
  });
}

/** nodeSelector, tolerations and resources: the same rules as the pruner's (rules/pod-placement.ts). */
function podPlacement({ spec, add }: Context): void {
  checkPodPlacement(spec, add);
}

function requests({ spec, add }: Context): void {
  for (const kind of ['read', 'write']) {
    const limits = asMap(asMap(spec.requests)[kind]);
    for (const key of ['maxRunning', 'maxInQueue']) {
      const value = limits[key];
      if (typeof value === 'number' && value < 0) add(`requests.${kind}.${key}`, `${value} must not be negative (0 means no limit)`);
    }
    // A metav1.Duration: the API server's format check takes more (1d) than Go's time.ParseDuration.
    const wait = limits.maxWaitInQueue;
    if (typeof wait !== 'string') continue;
    const parsed = parseGoDuration(wait);
    if (parsed.problem !== undefined) add(`requests.${kind}.maxWaitInQueue`, `${quote(wait)} ${parsed.problem}: the operator reads it with Go's time.ParseDuration and cannot read the Config at all; write hours, minutes and seconds such as 30s, 2m or 1h`);
    else if (parsed.nanoseconds < 0n) add(`requests.${kind}.maxWaitInQueue`, `${quote(wait)} must not be negative`);
  }
}

/** The store's host, when it is inside the cluster (a Service name). */
function inClusterStoreHost(spec: Obj): string | undefined {
  const endpoint = asString(asMap(asMap(spec.storage).s3).regionEndpoint);
  const host = endpoint && /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(endpoint)?.[1];
  return host && /\.svc(\.cluster\.local)?$|^[a-z0-9-]+\.[a-z0-9-]+$/.test(host) ? host : undefined;
}

/**
 * A proxy URL the registry can use, or why not. The operator passes spec.proxy to the registry as
 * HTTP_PROXY and HTTPS_PROXY; Go's net/http reads them per request (golang.org/x/net/http/httpproxy
 * parseProxy: `[scheme://][user@]host[:port]`, http:// assumed without a scheme) and speaks to a
 * proxy of scheme http, https, socks5 or socks5h only (http.Transport.Proxy).
 */
function proxyUrlProblem(value: string): string | undefined {
  if (/[\s\x00-\x1f\x7f]/.test(value)) return 'holds a space or a control character';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value)?.[1];
  if (scheme && !PROXY_SCHEMES.includes(scheme.toLowerCase())) return `has scheme ${quote(scheme)}; Go's net/http speaks to a proxy over ${PROXY_SCHEMES.join(', ')} only`;
  const authority = (scheme ? value.slice(scheme.length + 3) : value).split(/[/?#]/)[0];
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(:\d{1,5})?$/.test(hostPort)) return 'has no host[:port] after the scheme';
  return undefined;
}
const PROXY_SCHEMES = ['http', 'https', 'socks5', 'socks5h'];

/** spec.proxy values replace the cluster's, field by field: noProxy must still reach the store. */
function proxy({ spec, add }: Context): void {
  const { http, https, noProxy } = asMap(spec.proxy);
  for (const [field, value] of [['http', http], ['https', https]] as const) {
    const problem = typeof value === 'string' && value !== '' ? proxyUrlProblem(value) : undefined;
    // A proxy URL may carry a password: shown hidden.
    if (problem) add(`proxy.${field}`, `${quote(hideCredentials(value as string))} ${problem}: the registry could not use it, and every request through the proxy would fail ("invalid proxy address"); write [http://]host[:port], such as http://proxy.example.com:3128`);
  }
  const host = inClusterStoreHost(spec);
  if (!host || (!http && !https)) return;
  const entries = (asString(noProxy) ?? '').split(',').map(goTrimSpace).filter(Boolean);
  const covered = entries.some((entry) => entry === '*' || entry === host || (entry.startsWith('.') ? host.endsWith(entry) : host.endsWith(`.${entry}`)));
  if (!covered) {
    add('proxy.noProxy', `does not cover the in-cluster store ${host}: the registry would reach it through the proxy (proxy fields replace the cluster's, they are not merged); add .svc (or ${host}) to noProxy`);
  }
}

/** pkg/storage/s3/s3.go: endpoint verbatim (the registry assumes https without a scheme), region. */
function s3(ctx: Context): void {
  const { spec, add, leftOut, facts } = ctx;
  const storage = asMap(spec.storage);
  if (storage.s3 === undefined) return;
  const s3 = asMap(storage.s3);
  if (typeof s3.region === 'string' && !s3.region.trim()) {
    add('storage.s3.region', 'must not be empty (the S3 driver fails with MissingRegion); leave it out for AWS S3 to use the cluster\'s region, or set it (MinIO accepts us-east-1)');
  }
  const endpoint = asString(s3.regionEndpoint);
  if (endpoint !== undefined) {
    checkEndpoint(ctx, endpoint);
    // Left out of a merged Config, the live one has a region only if it already uses S3 with one.
    if (s3.region === undefined) add('storage.s3.region', `is required with a custom regionEndpoint (the registry refuses to start with "no region parameter provided"); MinIO and most S3-compatible stores accept us-east-1${facts.merged ? ' (left out here, it keeps its live value, which a Config that did not use S3 before has not)' : ''}`);
  }
  if (s3.keyID !== undefined && s3.encrypt === undefined) leftOut('storage.s3.keyID', 'is only used with encrypt: true (the registry ignores it otherwise); set encrypt: true or remove keyID');
  else if (s3.keyID !== undefined && s3.encrypt !== true) add('storage.s3.keyID', 'is only used with encrypt: true (the registry ignores it otherwise); set encrypt: true or remove keyID');
  trustedCA(ctx, asString(asMap(s3.trustedCA).name));
  redirect(ctx, endpoint);
  if (storage.managementState === 'Managed' && s3.encrypt === false) {
    add('storage.s3.encrypt', 'is false, but with managementState Managed the operator turns encryption on and writes encrypt: true back into the Config, and every sync would turn it off again; remove encrypt, or set managementState: Unmanaged');
  }
}

/**
 * s3.go CABundle: the ConfigMap in openshift-config must hold the key ca-bundle.crt, which the
 * Cluster Network Operator writes for the label config.openshift.io/inject-trusted-cabundle; the
 * service CA's injection (annotation service.beta.openshift.io/inject-cabundle) writes only
 * service-ca.crt.
 */
function trustedCA({ add, find }: Context, name: string | undefined): void {
  if (!name) return;
  const configMap = find('ConfigMap', name, 'openshift-config');
  if (!configMap) return;
  const metadata = asMap(configMap.metadata);
  if (asMap(metadata.labels)['config.openshift.io/inject-trusted-cabundle'] === 'true') return;
  if (Object.hasOwn(asMap(configMap.data), 'ca-bundle.crt')) return;
  const injected = asMap(metadata.annotations)['service.beta.openshift.io/inject-cabundle'] === 'true';
  add('storage.s3.trustedCA.name', `ConfigMap openshift-config/${show(name)} has no key ca-bundle.crt${injected ? ' (the service CA injects service-ca.crt, not ca-bundle.crt)' : ''}: the operator refuses it ("does not contain required key") and cannot reach the store; put the CA bundle under ca-bundle.crt`);
}

/**
 * The registry redirects a client's blob requests to the store's own URL unless disableRedirect
 * is true (pkg/resource/podtemplatespec.go: REGISTRY_STORAGE_REDIRECT_DISABLE): a store inside
 * the cluster (a .svc name) cannot be resolved by the nodes pulling images, nor by clients outside.
 */
function redirect({ spec, add, facts }: Context, endpoint: string | undefined): void {
  const host = endpoint && /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(endpoint)?.[1];
  if (!host || !/\.svc(\.cluster\.local)?\.?$/i.test(host) || spec.disableRedirect === true) return;
  // Left out of a merged Config, the live value stays: false, unless someone set it before.
  add('disableRedirect', `must be true with the in-cluster store ${host}: otherwise the registry redirects image pulls to ${host}, which the nodes and clients outside the cluster cannot resolve, and pulls fail${spec.disableRedirect === undefined && facts.merged ? ' (left out here, it keeps its live value: false as the operator starts the Config)' : ''}`);
}

/** An in-cluster endpoint must name a port of its Service, with https only when it serves TLS. */
function checkEndpoint({ add, find }: Context, endpoint: string): void {
  if (hasUrlCredentials(endpoint)) {
    // Not quoted: what is before the @ is a secret.
    add('storage.s3.regionEndpoint', 'carries credentials (user:password@); the registry reads them from the credentials Secret: remove them from the endpoint');
    return;
  }
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]+)(?::(\d+))?\/?$/i.exec(endpoint);
  if (!url || !['http', 'https'].includes(url[1].toLowerCase())) {
    const host = endpoint.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    add('storage.s3.regionEndpoint', /:\/\//.test(endpoint)
      ? `${quote(endpoint)} must be http:// or https:// followed by a host and an optional port, nothing else`
      : `${quote(endpoint)} has no scheme; write http://${show(host)} for a plain-HTTP endpoint such as MinIO or https://${show(host)} (without a scheme the registry assumes https)`);
    return;
  }
  const [, scheme, host, port] = url;
  const service = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?$/.exec(host);
  const target = service && find('Service', service[1], service[2]);
  if (!service || !target) return; // outside the cluster, or not among these objects
  const where = `Service ${service[2]}/${service[1]}`;
  const ports = asList(asMap(target.spec).ports).map((p) => asMap(p).port)
    .map((port) => (typeof port === 'number' ? port : typeof port === 'string' ? Number(port) : undefined)).filter((port) => port !== undefined);
  const wanted = Number(port ?? (scheme === 'https' ? 443 : 80));
  if (!ports.includes(wanted)) add('storage.s3.regionEndpoint', `${where} has no port ${wanted} (ports: ${ports.join(', ')})`);
  const tls = asMap(asMap(target.metadata).annotations)['service.beta.openshift.io/serving-cert-secret-name'] !== undefined;
  if (tls && scheme !== 'https') add('storage.s3.regionEndpoint', `${quote(endpoint)} uses http, but ${where} serves TLS; use https://`);
  if (!tls && scheme !== 'http') add('storage.s3.regionEndpoint', `${quote(endpoint)} uses https, but ${where} serves plain HTTP; use http://`);
}

/**
 * The credentials Secret (or what makes it) with one whole key set of the back end. Only S3 must
 * have it (a warning when it is not among the objects); the cloud back ends fall back to the
 * cluster's own credentials.
 */
function credentials({ spec, add, unverified, index }: Context): void {
  const storage = asMap(spec.storage);
  const backend = (Object.keys(REGISTRY_CREDENTIAL_KEYS) as CredentialedBackend[]).find((key) => storage[key] !== undefined);
  if (!backend) return;
  const sets: readonly (readonly string[])[] = REGISTRY_CREDENTIAL_KEYS[backend];
  const field = `storage.${backend}`;
  const makers = index.secretMakers(REGISTRY_CREDENTIALS_SECRET_NAME, REGISTRY_NAMESPACE);
  if (!makers.length) {
    // Without it the operator falls back to the cluster's own cloud credentials (s3.go
    // getCredentialsConfigData: installer-cloud-credentials), which serve AWS S3, not another store.
    if (backend === 's3' && asMap(storage.s3).regionEndpoint !== undefined) {
      unverified(field, `no Secret, ExternalSecret or SealedSecret ${REGISTRY_NAMESPACE}/${REGISTRY_CREDENTIALS_SECRET_NAME} among these objects; for a custom regionEndpoint it must exist in the cluster with ${sets[0].join(' and ')}`);
    }
    return;
  }
  for (const object of makers) {
    const present = secretKeys(object);
    if (!present || sets.some((set) => set.every((k) => present.includes(k)))) continue;
    const what = `${object.kind} ${REGISTRY_NAMESPACE}/${REGISTRY_CREDENTIALS_SECRET_NAME}`;
    add(field, sets.length === 1
      ? `${what} lacks ${sets[0].filter((k) => !present.includes(k)).join(' and ')}; the operator needs every key`
      : `${what} holds none of the key sets the operator reads: ${sets.map((set) => set.join(' and ')).join('; or ')}`);
  }
}

/**
 * The keys of the Secret an object makes, when they can be known: a Secret's data, an
 * ExternalSecret's data and target template, a SealedSecret's encrypted data and template, a
 * Certificate's TLS keys. An
 * ExternalSecret's `dataFrom` brings keys only its store knows: undefined.
 */
function secretKeys(object: Obj): unknown[] | undefined {
  const spec = asMap(object.spec);
  if (object.kind === 'Secret') return [...Object.keys(asMap(object.data)), ...Object.keys(asMap(object.stringData))];
  if (object.kind === 'ExternalSecret') {
    if (asList(spec.dataFrom).length) return undefined;
    return [...asList(spec.data).map((d) => asMap(d).secretKey), ...Object.keys(asMap(asMap(asMap(spec.target).template).data))];
  }
  if (object.kind === 'SealedSecret') return [...Object.keys(asMap(spec.encryptedData)), ...Object.keys(asMap(asMap(spec.template).data))];
  return ['tls.crt', 'tls.key', 'ca.crt']; // a cert-manager Certificate
}

/**
 * The gcs, azure, swift and ibmcos rules (rules/<back end>.ts, which the storage factories run
 * on their props), here on the Config's JSON: the same functions, so the same messages.
 */
function cloudBackends({ spec, add }: Context): void {
  const storage = asMap(spec.storage);
  const run = (backend: string, check: () => void) => {
    try {
      check();
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      add(`storage.${backend}.${e.field}`, e.problem);
    }
  };
  const text = (map: Obj, key: string) => asString(map[key]);
  if (storage.gcs !== undefined) {
    const gcs = asMap(storage.gcs);
    if (text(gcs, 'bucket') !== undefined) run('gcs', () => checkGcsBucketName('bucket', text(gcs, 'bucket')!));
    if (text(gcs, 'keyID') !== undefined) run('gcs', () => checkKmsKeyName('keyID', text(gcs, 'keyID')!));
    run('gcs', () => checkGcsLocation({ region: text(gcs, 'region'), projectId: text(gcs, 'projectID') }));
  }
  if (storage.azure !== undefined) {
    const azure = asMap(storage.azure);
    if (text(azure, 'accountName') !== undefined) run('azure', () => checkAzureAccountName('accountName', text(azure, 'accountName')!));
    if (text(azure, 'container') !== undefined) run('azure', () => checkAzureContainerName('container', text(azure, 'container')!));
    if (isMap(azure.networkAccess)) {
      const access = azure.networkAccess;
      run('azure', () => checkAzureNetworkAccess({ type: asString(access.type), internal: isMap(access.internal) ? asStrings(access.internal) : undefined }));
    }
  }
  if (storage.swift !== undefined) {
    const swift = asMap(storage.swift);
    if (text(swift, 'container') !== undefined) run('swift', () => checkSwiftContainer('container', text(swift, 'container')!));
    if (text(swift, 'authURL') !== undefined) run('swift', () => checkSwiftAuthUrl('authURL', text(swift, 'authURL')!, text(swift, 'authVersion')));
  }
  if (storage.ibmcos !== undefined) {
    const cos = asMap(storage.ibmcos);
    run('ibmcos', () => checkIbmCosCrns({ serviceInstanceCrn: text(cos, 'serviceInstanceCRN'), resourceKeyCrn: text(cos, 'resourceKeyCRN') }));
  }
}

/** The string values of a map (others left out): what the string-typed rules may read. */
function asStrings(map: Obj): Record<string, string> {
  return Object.fromEntries(Object.entries(map).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** What `managementState: Removed` (or deleting the Config) would delete: said, never refused. */
function storageRemoval({ spec, add }: Context): void {
  const storage = asMap(spec.storage);
  if (storage.managementState !== 'Managed') return;
  const claimName = asString(asMap(storage.pvc).claim);
  const bucket = ['s3', 'gcs', 'ibmcos'].find((key) => storage[key] !== undefined);
  const container = ['azure', 'swift'].find((key) => storage[key] !== undefined);
  const what = claimName ? `deletes the claim ${REGISTRY_NAMESPACE}/${show(claimName)} and every image in it`
    : bucket ? `empties and deletes the bucket ${quote(asMap(storage[bucket]).bucket ?? '(named by the operator)')} with every image in it`
      : container ? `empties and deletes the container ${quote(asMap(storage[container]).container ?? '(named by the operator)')} with every image in it`
        : 'deletes the storage and every image in it';
  add('storage.managementState', `is Managed: setting managementState: Removed, or deleting the Config, ${what}; use Unmanaged to keep it`, 'warning');
}
