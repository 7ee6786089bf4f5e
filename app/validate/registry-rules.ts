import { SchemaProblem } from './crd-schemas';
import { DEFAULT_ROUTE_NAME, OPERATOR_CLAIM_NAME, REGISTRY_NAMESPACE } from '../../lib/registry/constants';
import { REGISTRY_S3_SECRET_KEYS, REGISTRY_S3_SECRET_NAME } from '../../lib/registry/registry-s3-credentials';
import { STORAGE_BACKENDS } from '../../lib/registry/registry-storage';
import { asList, asMap, asString, show } from './shapes';

/** A manifest object with the file it came from. */
export interface Manifest {
  readonly file: string;
  readonly object: { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> }; [key: string]: unknown };
}

/** A rule's finding about one object. Warnings do not fail validation. */
export interface RuleProblem extends SchemaProblem {
  readonly manifest: Manifest;
  readonly severity: 'error' | 'warning';
}

type Find = (kind: string, name: string, namespace: string) => Manifest | undefined;

/** Finds the first manifest of a kind, name and namespace, in constant time however many there are. */
function indexManifests(manifests: readonly Manifest[]): Find {
  const key = (kind: unknown, name: unknown, namespace: unknown) => JSON.stringify([asString(kind), asString(name), asString(namespace)]);
  const index = new Map<string, Manifest>();
  for (const m of manifests) {
    const k = key(m.object.kind, asMap(m.object.metadata).name, asMap(m.object.metadata).namespace);
    if (!index.has(k)) index.set(k, m);
  }
  return (kind, name, namespace) => index.get(key(kind, name, namespace));
}

/**
 * The registry operator's runtime rules (DESIGN.md section 3), checked across the objects of one
 * output: the Config, the claim it names, the S3 endpoint's Service, the credentials. Objects of
 * any shape are read safely (the schemas report wrong shapes): never a TypeError.
 */
export function checkRegistryRules(manifests: readonly Manifest[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const find = indexManifests(manifests);
  for (const manifest of manifests.filter((m) => m.object.kind === 'Config' && asString(m.object.apiVersion)?.startsWith('imageregistry.operator.openshift.io/'))) {
    const add = (field: string, message: string, severity: RuleProblem['severity'] = 'error') => problems.push({ manifest, field, message, severity });
    const spec = asMap(manifest.object.spec);
    if (asMap(manifest.object.metadata).name !== 'cluster') add('metadata.name', 'the operator only reads the Config named cluster');
    if (spec.managementState !== undefined && !['Managed', 'Unmanaged', 'Removed'].includes(spec.managementState as string)) {
      add('spec.managementState', `${typeof spec.managementState === 'string' ? JSON.stringify(show(spec.managementState)) : show(spec.managementState)} is not acted on by the operator; use Managed, Unmanaged or Removed`);
    }
    const storage = asMap(spec.storage);
    const backends = STORAGE_BACKENDS.filter((b) => storage[b] !== undefined);
    if (backends.length !== 1) add('spec.storage', `exactly one storage back end must be configured, got ${backends.length ? backends.join(' and ') : 'none'}`);

    const seen = new Set<unknown>();
    asList(spec.routes).map(asMap).forEach((route, i) => {
      if (route.name === DEFAULT_ROUTE_NAME) add(`spec.routes[${i}].name`, `"${DEFAULT_ROUTE_NAME}" is reserved for defaultRoute: true`);
      if (seen.has(route.name)) add(`spec.routes[${i}].name`, `route name "${show(route.name)}" is used twice`);
      seen.add(route.name);
    });

    const claimName = asString(asMap(storage.pvc).claim);
    if (claimName !== undefined) {
      const claim = find('PersistentVolumeClaim', claimName, REGISTRY_NAMESPACE);
      if (claimName === OPERATOR_CLAIM_NAME && claim) add('spec.storage.pvc.claim', `"${OPERATOR_CLAIM_NAME}" is the operator's own claim; the operator fails on one it did not create`);
      if (!claim) {
        add('spec.storage.pvc.claim', `claim ${REGISTRY_NAMESPACE}/${show(claimName)} is not among these manifests, so its access mode is unknown; it must exist in the cluster, and if it is ReadWriteOnce the registry needs one replica and Recreate`, 'warning');
      }
      const modes = asList(asMap(claim?.object.spec).accessModes);
      if (modes.includes('ReadWriteOnce') && !modes.includes('ReadWriteMany')) {
        const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
        if (replicas > 1) add('spec.replicas', `${replicas} replicas cannot share the ReadWriteOnce claim ${show(claimName)}; use 1`);
        if (spec.rolloutStrategy !== 'Recreate') add('spec.rolloutStrategy', `must be Recreate with the ReadWriteOnce claim ${show(claimName)} (an empty strategy means RollingUpdate), got ${spec.rolloutStrategy === undefined ? 'none' : show(spec.rolloutStrategy)}`);
      }
    }

    if (storage.s3 !== undefined) {
      const s3 = asMap(storage.s3);
      if (typeof s3.region === 'string' && !s3.region.trim()) add('spec.storage.s3.region', 'must not be empty (MissingRegion); MinIO accepts us-east-1');
      if (typeof s3.regionEndpoint === 'string') checkEndpoint(find, s3.regionEndpoint, (message) => add('spec.storage.s3.regionEndpoint', message));
      checkCredentials(find, (field, message, severity) => add(field, message, severity));
    }
  }
  return problems;
}

/** An in-cluster endpoint must match a Service port, with https only when the Service has TLS. */
function checkEndpoint(find: Find, endpoint: string, fail: (message: string) => void): void {
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/:]+)(?::(\d+))?\/?$/i.exec(endpoint);
  if (!url) {
    fail(`"${show(endpoint)}" is not scheme://host[:port]; without a scheme the registry assumes https`);
    return;
  }
  const [, scheme, host, port] = url;
  const service = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?$/.exec(host);
  if (!service) return; // outside the cluster: nothing here to compare with
  const target = find('Service', service[1], service[2]);
  if (!target) return;
  const ports = asList(asMap(target.object.spec).ports).map((p) => asMap(p).port).filter((p) => typeof p === 'number' || typeof p === 'string').map(Number);
  const wanted = Number(port ?? (scheme === 'https' ? 443 : 80));
  if (!ports.includes(wanted)) fail(`Service ${service[2]}/${service[1]} has no port ${wanted} (ports: ${ports.join(', ')})`);
  const tls = Boolean(asMap(asMap(target.object.metadata).annotations)['service.beta.openshift.io/serving-cert-secret-name']);
  if (tls && scheme !== 'https') fail(`Service ${service[2]}/${service[1]} serves TLS; use https://`);
  if (!tls && scheme !== 'http') fail(`Service ${service[2]}/${service[1]} serves plain HTTP; use http://`);
}

/** The S3 credentials: a Secret, ExternalSecret or SealedSecret with both keys. */
function checkCredentials(find: Find, add: (field: string, message: string, severity: RuleProblem['severity']) => void): void {
  const candidates = ['Secret', 'ExternalSecret', 'SealedSecret'].map((kind) => find(kind, REGISTRY_S3_SECRET_NAME, REGISTRY_NAMESPACE)).filter(Boolean) as Manifest[];
  if (!candidates.length) {
    add('spec.storage.s3', `no Secret, ExternalSecret or SealedSecret ${REGISTRY_NAMESPACE}/${REGISTRY_S3_SECRET_NAME} among these manifests; it must exist in the cluster with ${REGISTRY_S3_SECRET_KEYS.join(' and ')}`, 'warning');
    return;
  }
  for (const { object } of candidates) {
    const spec = asMap(object.spec);
    const keys: unknown[] = object.kind === 'Secret' ? [...Object.keys(asMap(object.data)), ...Object.keys(asMap(object.stringData))]
      : object.kind === 'ExternalSecret' ? asList(spec.data).map((d) => asMap(d).secretKey)
        : Object.keys(asMap(spec.encryptedData));
    const missing = REGISTRY_S3_SECRET_KEYS.filter((k) => !keys.includes(k));
    if (missing.length) add('spec.storage.s3', `${object.kind} ${REGISTRY_NAMESPACE}/${REGISTRY_S3_SECRET_NAME} lacks ${missing.join(' and ')}; the operator needs both keys`, 'error');
  }
}
