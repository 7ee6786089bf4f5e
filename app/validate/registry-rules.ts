import { SchemaProblem } from './crd-schemas';
import { DEFAULT_ROUTE_NAME, OPERATOR_CLAIM_NAME, REGISTRY_NAMESPACE } from '../../lib/registry/constants';
import { REGISTRY_S3_SECRET_KEYS, REGISTRY_S3_SECRET_NAME } from '../../lib/registry/registry-s3-credentials';
import { STORAGE_BACKENDS } from '../../lib/registry/registry-storage';

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

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const find = (manifests: readonly Manifest[], kind: string, name: string, namespace?: string) =>
  manifests.find((m) => m.object.kind === kind && m.object.metadata?.name === name && (namespace === undefined || m.object.metadata?.namespace === namespace));

/**
 * The registry operator's runtime rules (DESIGN.md section 3), checked across the objects of one
 * output: the Config, the claim it names, the S3 endpoint's Service, the credentials.
 */
export function checkRegistryRules(manifests: readonly Manifest[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const manifest of manifests.filter((m) => m.object.kind === 'Config' && m.object.apiVersion?.startsWith('imageregistry.operator.openshift.io/'))) {
    const add = (field: string, message: string, severity: RuleProblem['severity'] = 'error') => problems.push({ manifest, field, message, severity });
    const spec = (manifest.object.spec ?? {}) as Obj;
    if (manifest.object.metadata?.name !== 'cluster') add('metadata.name', 'the operator only reads the Config named cluster');
    if (spec.managementState !== undefined && !['Managed', 'Unmanaged', 'Removed'].includes(spec.managementState)) {
      add('spec.managementState', `${JSON.stringify(spec.managementState)} is not acted on by the operator; use Managed, Unmanaged or Removed`);
    }
    const storage = (spec.storage ?? {}) as Obj;
    const backends = STORAGE_BACKENDS.filter((b) => storage[b] !== undefined);
    if (backends.length !== 1) add('spec.storage', `exactly one storage back end must be configured, got ${backends.length ? backends.join(' and ') : 'none'}`);

    const routes = (spec.routes ?? []) as Obj[];
    routes.forEach((route, i) => {
      if (route.name === DEFAULT_ROUTE_NAME) add(`spec.routes[${i}].name`, `"${DEFAULT_ROUTE_NAME}" is reserved for defaultRoute: true`);
      if (routes.findIndex((r) => r.name === route.name) !== i) add(`spec.routes[${i}].name`, `route name "${route.name}" is used twice`);
    });

    const claimName = storage.pvc?.claim as string | undefined;
    if (claimName !== undefined) {
      const claim = find(manifests, 'PersistentVolumeClaim', claimName, REGISTRY_NAMESPACE);
      if (claimName === OPERATOR_CLAIM_NAME && claim) add('spec.storage.pvc.claim', `"${OPERATOR_CLAIM_NAME}" is the operator's own claim; the operator fails on one it did not create`);
      if (!claim) {
        add('spec.storage.pvc.claim', `claim ${REGISTRY_NAMESPACE}/${claimName} is not among these manifests, so its access mode is unknown; it must exist in the cluster, and if it is ReadWriteOnce the registry needs one replica and Recreate`, 'warning');
      }
      const modes = ((claim?.object.spec as Obj | undefined)?.accessModes ?? []) as string[];
      if (modes.includes('ReadWriteOnce') && !modes.includes('ReadWriteMany')) {
        if ((spec.replicas ?? 1) > 1) add('spec.replicas', `${spec.replicas} replicas cannot share the ReadWriteOnce claim ${claimName}; use 1`);
        if (spec.rolloutStrategy !== 'Recreate') add('spec.rolloutStrategy', `must be Recreate with the ReadWriteOnce claim ${claimName} (an empty strategy means RollingUpdate), got ${spec.rolloutStrategy ?? 'none'}`);
      }
    }

    const s3 = storage.s3 as Obj | undefined;
    if (s3) {
      if (s3.region !== undefined && !String(s3.region).trim()) add('spec.storage.s3.region', 'must not be empty (MissingRegion); MinIO accepts us-east-1');
      if (s3.regionEndpoint !== undefined) checkEndpoint(manifests, String(s3.regionEndpoint), (message) => add('spec.storage.s3.regionEndpoint', message));
      checkCredentials(manifests, (field, message, severity) => add(field, message, severity));
    }
  }
  return problems;
}

/** An in-cluster endpoint must match a Service port, with https only when the Service has TLS. */
function checkEndpoint(manifests: readonly Manifest[], endpoint: string, fail: (message: string) => void): void {
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/:]+)(?::(\d+))?\/?$/i.exec(endpoint);
  if (!url) {
    fail(`"${endpoint}" is not scheme://host[:port]; without a scheme the registry assumes https`);
    return;
  }
  const [, scheme, host, port] = url;
  const service = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?$/.exec(host);
  if (!service) return; // outside the cluster: nothing here to compare with
  const target = find(manifests, 'Service', service[1], service[2]);
  if (!target) return;
  const ports = (((target.object.spec as Obj)?.ports ?? []) as Obj[]).map((p) => Number(p.port));
  const wanted = Number(port ?? (scheme === 'https' ? 443 : 80));
  if (!ports.includes(wanted)) fail(`Service ${service[2]}/${service[1]} has no port ${wanted} (ports: ${ports.join(', ')})`);
  const tls = Boolean(target.object.metadata?.annotations?.['service.beta.openshift.io/serving-cert-secret-name']);
  if (tls && scheme !== 'https') fail(`Service ${service[2]}/${service[1]} serves TLS; use https://`);
  if (!tls && scheme !== 'http') fail(`Service ${service[2]}/${service[1]} serves plain HTTP; use http://`);
}

/** The S3 credentials: a Secret, ExternalSecret or SealedSecret with both keys. */
function checkCredentials(manifests: readonly Manifest[], add: (field: string, message: string, severity: RuleProblem['severity']) => void): void {
  const candidates = ['Secret', 'ExternalSecret', 'SealedSecret'].map((kind) => find(manifests, kind, REGISTRY_S3_SECRET_NAME, REGISTRY_NAMESPACE)).filter(Boolean) as Manifest[];
  if (!candidates.length) {
    add('spec.storage.s3', `no Secret, ExternalSecret or SealedSecret ${REGISTRY_NAMESPACE}/${REGISTRY_S3_SECRET_NAME} among these manifests; it must exist in the cluster with ${REGISTRY_S3_SECRET_KEYS.join(' and ')}`, 'warning');
    return;
  }
  for (const { object } of candidates) {
    const spec = (object.spec ?? {}) as Obj;
    const keys: string[] = object.kind === 'Secret' ? [...Object.keys((object.data ?? {}) as Obj), ...Object.keys((object.stringData ?? {}) as Obj)]
      : object.kind === 'ExternalSecret' ? ((spec.data ?? []) as Obj[]).map((d) => d.secretKey)
        : Object.keys((spec.encryptedData ?? {}) as Obj);
    const missing = REGISTRY_S3_SECRET_KEYS.filter((k) => !keys.includes(k));
    if (missing.length) add('spec.storage.s3', `${object.kind} ${REGISTRY_NAMESPACE}/${REGISTRY_S3_SECRET_NAME} lacks ${missing.join(' and ')}; the operator needs both keys`, 'error');
  }
}
