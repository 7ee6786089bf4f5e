// spec.storage as the live Config holds it once the operator and the API server have written it.
// A value this project sets comes back changed in three ways, and anything that compares the live
// Config with the configured one (the storage switch Job) must allow for each of them:
//
// 1. The operator writes the whole spec with its Go client (pkg/operator/controller.go sync():
//    Configs().Update with the Config it decoded), so every field whose json tag lacks
//    `omitempty` comes back even when nobody set it: s3 `virtualHostedStyle: false` and
//    `trustedCA: {name: ""}`, and inside `cloudFront` `baseURL`, `keypairID`, `privateKey.key`
//    and `duration: "0s"` (a struct, which omitempty never omits). openshift/api
//    imageregistry/v1/types.go; every other storage field has omitempty.
// 2. The API server fills in the CRD's defaults: `azure.networkAccess: {type: External}` (from
//    4.15), `oss.endpointAccessibility: Internal`, `oss.encryption.method: AES256`, and
//    `s3.cloudFront.privateKey.name: ""` (from 4.17).
// 3. The operator writes what it found or made into the fields left unset (pkg/storage/*/):
//    a generated bucket or container, the cluster's region, an Azure private endpoint's names.
//    The old value of a field the configuration leaves unset is therefore no sign of a stale
//    configuration.
import { STORAGE_BACKENDS } from '../registry/constants';
import { isMap, Obj } from './shapes';
import { ValidationError } from './validation-error';

type Backend = typeof STORAGE_BACKENDS[number];

/** A field of a storage struct: the value the Go client writes when unset (no omitempty), and sub-fields. */
interface Field {
  readonly zero?: unknown;
  readonly fields?: Readonly<Record<string, Field>>;
}

const plain: Field = {};
const struct = (fields: Record<string, Field>, zero?: unknown): Field => ({ fields, zero });

/** The fields of each back end, as openshift/api imageregistry/v1/types.go declares them. */
const BACKEND_FIELDS: Readonly<Record<Backend, Readonly<Record<string, Field>>>> = {
  s3: {
    bucket: plain, region: plain, regionEndpoint: plain, chunkSizeMiB: plain, encrypt: plain, keyID: plain,
    cloudFront: struct({
      baseURL: { zero: '' },
      privateKey: struct({ name: plain, key: { zero: '' }, optional: plain }, { key: '' }),
      keypairID: { zero: '' },
      duration: { zero: '0s' },
    }),
    virtualHostedStyle: { zero: false },
    trustedCA: struct({ name: { zero: '' } }, { name: '' }),
  },
  gcs: { bucket: plain, region: plain, projectID: plain, keyID: plain },
  swift: { authURL: plain, authVersion: plain, container: plain, domain: plain, domainID: plain, tenant: plain, tenantID: plain, regionName: plain },
  pvc: { claim: plain },
  azure: {
    accountName: plain, container: plain, cloudName: plain,
    networkAccess: struct({
      type: plain,
      internal: struct({ networkResourceGroupName: plain, vnetName: plain, subnetName: plain, privateEndpointName: plain }),
    }),
  },
  emptyDir: {},
  ibmcos: { bucket: plain, location: plain, resourceGroupName: plain, resourceKeyCRN: plain, serviceInstanceCRN: plain },
  oss: {
    bucket: plain, region: plain, endpointAccessibility: plain,
    encryption: struct({ method: plain, kms: struct({ keyID: { zero: '' } }) }),
  },
};

type Path = readonly string[];

const unset = (value: Obj, ...path: string[]) => {
  let node: unknown = value;
  for (const key of path) node = isMap(node) ? node[key] : undefined;
  return node === undefined;
};

/**
 * Fields, as paths below the back end, that the operator or the API server fill in when the
 * configuration leaves them unset (3 and 2 above). `managed` is false only for `Unmanaged` storage.
 */
const FILLED_WHEN_UNSET: Readonly<Record<Backend, (value: Obj, managed: boolean) => Path[]>> = {
  // pkg/storage/s3/s3.go: UpdateEffectiveConfig takes region, endpoint and virtual-hosted style
  // from the cluster when region and endpoint are both unset; CreateStorage writes them into spec
  // with a generated bucket, and `encrypt: true` once it has set up a bucket it manages.
  s3: (v, managed) => [
    ['bucket'],
    ...(unset(v, 'region') && unset(v, 'regionEndpoint') ? [['region'], ['regionEndpoint'], ['virtualHostedStyle']] : []),
    ...(managed ? [['encrypt']] : []),
    ...(unset(v, 'cloudFront') ? [] : [['cloudFront', 'privateKey', 'name']]),
  ],
  // pkg/storage/gcs/gcs.go: a generated bucket; the cluster's region and project when region is unset.
  gcs: (v) => [['bucket'], ...(unset(v, 'region') ? [['region'], ['projectID']] : [])],
  // pkg/storage/swift/swift.go: a generated container.
  swift: () => [['container']],
  // pkg/storage/pvc/pvc.go: image-registry-storage when the claim is unset.
  pvc: () => [['claim']],
  // pkg/storage/azure/azure.go CreateStorage: the account and container it made; the cloud from
  // the Infrastructure when neither cloud nor account is set; assurePrivateAccount: the vnet,
  // subnet and private endpoint names of an Internal account. networkAccess and its type are
  // CRD defaults.
  azure: (v) => [
    ['accountName'], ['container'],
    ...(unset(v, 'accountName') ? [['cloudName']] : []),
    ['networkAccess'],
    ...(unset(v, 'networkAccess') ? [] : [['networkAccess', 'type']]),
    ...(unset(v, 'networkAccess') ? [] : unset(v, 'networkAccess', 'internal') ? [['networkAccess', 'internal']]
      : [['networkAccess', 'internal', 'vnetName'], ['networkAccess', 'internal', 'subnetName'], ['networkAccess', 'internal', 'privateEndpointName']]),
  ],
  emptyDir: () => [],
  // pkg/storage/ibmcos/ibmcos.go: the service instance, resource key and bucket it made.
  ibmcos: () => [['bucket'], ['serviceInstanceCRN'], ['resourceKeyCRN']],
  // pkg/storage/oss/oss.go (up to 4.16): a generated bucket, the cluster's region; the rest are CRD defaults.
  oss: (v) => [['bucket'], ['region'], ['endpointAccessibility'], ...(unset(v, 'encryption') ? [] : [['encryption', 'method']])],
};

/** Fields the operator overwrites whatever they hold: ibmcos.go CreateStorage takes them from the Infrastructure. */
const ALWAYS_WRITTEN: Readonly<Partial<Record<Backend, Path[]>>> = {
  ibmcos: [['location'], ['resourceGroupName']],
};

/** A back end's value as the Config will hold it, and the fields to leave out of a comparison. */
export interface StorageAsWritten {
  /** The configured value as the Go client writes it: without omitempty zero values, with the zero values of fields that lack omitempty. */
  readonly value: Obj;
  /**
   * Paths below the back end (`['networkAccess', 'internal']`) whose live value says nothing
   * about whether the configuration is applied: left unset here and filled in by the operator
   * or the API server; always overwritten by the operator; or set here to an omitempty zero value
   * (`encrypt: false`), which the operator's next write drops and the Config's server-side apply
   * writes again.
   */
  readonly notCompared: readonly Path[];
}

/**
 * `value` (the `spec.storage.<backend>` this project writes) as the operator's Go client writes it
 * back, and the fields whose live value to leave out of a comparison. Throws a ValidationError
 * (field relative to `spec.storage`) for a field the back end does not have.
 */
export function storageAsWritten(backend: Backend, value: Obj, managementState: string | undefined): StorageAsWritten {
  const emptied: Path[] = [];
  const canonical = asGoWritesIt(BACKEND_FIELDS[backend], value, [backend], emptied);
  const filled = FILLED_WHEN_UNSET[backend](value, managementState !== 'Unmanaged').filter((path) => unset(value, ...path));
  return { value: canonical, notCompared: [...filled, ...(ALWAYS_WRITTEN[backend] ?? []), ...emptied] };
}

/** Go's encoding/json on the struct: omitempty drops "", false and 0; a field without it is always written. */
function asGoWritesIt(fields: Readonly<Record<string, Field>>, value: Obj, at: string[], emptied: Path[]): Obj {
  const out: Obj = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const field = fields[key];
    if (!field) {
      throw new ValidationError([...at, key].join('.'), `is not a field of spec.storage.${at.join('.')}; it has ${Object.keys(fields).join(', ') || 'no fields'}`);
    }
    if (field.zero === undefined && (v === '' || v === false || v === 0)) {
      emptied.push([...at.slice(1), key]);
      continue;
    }
    out[key] = field.fields && isMap(v) ? asGoWritesIt(field.fields, v, [...at, key], emptied) : v;
  }
  for (const [key, field] of Object.entries(fields)) {
    if (out[key] === undefined && field.zero !== undefined) out[key] = JSON.parse(JSON.stringify(field.zero));
  }
  return out;
}
