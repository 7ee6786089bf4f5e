// The registry operator writing its Config back, for the storage switch tests: it decodes the
// Config into openshift/api's Go types and updates it with the whole spec
// (cluster-image-registry-operator pkg/operator/controller.go sync()), so spec.storage comes
// back as encoding/json writes those structs. The json tags below are copied from openshift/api
// imageregistry/v1/types.go (ImageRegistryConfigStorage and the structs it points to), field by
// field: a field without omitempty is always written, a struct field even with it.

type GoType = 'string' | 'bool' | 'int' | Struct | { pointer: Struct } | 'duration';
interface Struct { readonly [name: string]: readonly [GoType, 'omitempty' | ''] }

const secretKeySelector: Struct = { name: ['string', 'omitempty'], key: ['string', ''], optional: ['bool', 'omitempty'] };
const cloudFront: Struct = { baseURL: ['string', ''], privateKey: [secretKeySelector, ''], keypairID: ['string', ''], duration: ['duration', 'omitempty'] };
const s3: Struct = {
  bucket: ['string', 'omitempty'], region: ['string', 'omitempty'], regionEndpoint: ['string', 'omitempty'],
  chunkSizeMiB: ['int', 'omitempty'], encrypt: ['bool', 'omitempty'], keyID: ['string', 'omitempty'],
  cloudFront: [{ pointer: cloudFront }, 'omitempty'], virtualHostedStyle: ['bool', ''], trustedCA: [{ name: ['string', ''] }, ''],
};
const gcs: Struct = { bucket: ['string', 'omitempty'], region: ['string', 'omitempty'], projectID: ['string', 'omitempty'], keyID: ['string', 'omitempty'] };
const swift: Struct = Object.fromEntries(['authURL', 'authVersion', 'container', 'domain', 'domainID', 'tenant', 'tenantID', 'regionName'].map((k) => [k, ['string', 'omitempty']]));
const pvc: Struct = { claim: ['string', 'omitempty'] };
const internal: Struct = Object.fromEntries(['networkResourceGroupName', 'vnetName', 'subnetName', 'privateEndpointName'].map((k) => [k, ['string', 'omitempty']]));
const azure: Struct = {
  accountName: ['string', 'omitempty'], container: ['string', 'omitempty'], cloudName: ['string', 'omitempty'],
  networkAccess: [{ pointer: { type: ['string', 'omitempty'], internal: [{ pointer: internal }, 'omitempty'] } }, 'omitempty'],
};
const ibmcos: Struct = Object.fromEntries(['bucket', 'location', 'resourceGroupName', 'resourceKeyCRN', 'serviceInstanceCRN'].map((k) => [k, ['string', 'omitempty']]));
const oss: Struct = {
  bucket: ['string', 'omitempty'], region: ['string', 'omitempty'], endpointAccessibility: ['string', 'omitempty'],
  encryption: [{ pointer: { method: ['string', 'omitempty'], kms: [{ pointer: { keyID: ['string', ''] } }, 'omitempty'] } }, 'omitempty'],
};
const storage: Struct = {
  emptyDir: [{ pointer: {} }, 'omitempty'], s3: [{ pointer: s3 }, 'omitempty'], gcs: [{ pointer: gcs }, 'omitempty'],
  swift: [{ pointer: swift }, 'omitempty'], pvc: [{ pointer: pvc }, 'omitempty'], azure: [{ pointer: azure }, 'omitempty'],
  ibmcos: [{ pointer: ibmcos }, 'omitempty'], oss: [{ pointer: oss }, 'omitempty'], managementState: ['string', 'omitempty'],
};

const ZERO = { string: '', bool: false, int: 0 } as const;

function encode(type: GoType, omitempty: boolean, value: unknown): unknown {
  if (typeof type === 'string') {
    // metav1.Duration is a struct, which omitempty never omits; unset, it prints "0s". (A set
    // duration is kept as given: Go would print it normalized, "1h" as "1h0m0s".)
    if (type === 'duration') return value ?? '0s';
    const v = value ?? ZERO[type];
    return omitempty && v === ZERO[type] ? undefined : v;
  }
  if ('pointer' in type) return value === undefined || value === null ? undefined : encodeStruct(type.pointer as Struct, value);
  return encodeStruct(type as Struct, value ?? {});
}

function encodeStruct(struct: Struct, value: unknown): Record<string, unknown> {
  const v = (value ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, [type, tag]] of Object.entries(struct)) {
    const encoded = encode(type, tag === 'omitempty', v[name]);
    if (encoded !== undefined) out[name] = encoded;
  }
  return out;
}

/** `spec.storage` after the operator decoded and wrote it back (unknown fields dropped, as decoding drops them). */
export function operatorWritesBack(specStorage: unknown): Record<string, unknown> {
  return encodeStruct(storage, specStorage);
}
