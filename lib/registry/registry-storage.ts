import { ConfigSpecStorage, ConfigSpecStorageS3, toJson_ConfigSpecStorage } from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import { AzureCloudName, AzureInternalNetworkProps, AzureNetworkAccessProps, AzureNetworkAccessType, azureSpec, AzureStorageProps } from './azure-storage';
import { STORAGE_BACKENDS } from './constants';
import { gcsSpec, GcsStorageProps } from './gcs-storage';
import { ibmCosSpec, IbmCosStorageProps } from './ibmcos-storage';
import { AccessMode, RegistryPvc } from './registry-pvc';
import { SwiftAuthVersion, swiftSpec, SwiftStorageProps } from './swift-storage';
import { MinioBucket } from '../minio/minio-bucket';
import { checkDnsSubdomain, checkWholeNumber } from '../rules/kubernetes';
import { checkProps, is, propTypes } from '../rules/prop-types';
import { checkBucketName } from '../rules/s3';
import { ValidationError } from '../rules/validation-error';

export { STORAGE_BACKENDS } from './constants';
/** One of the back-end keys. */
export type StorageBackend = typeof STORAGE_BACKENDS[number];

export interface ExistingClaimProps extends ClaimStorageOptions {
  /** Name of a claim that already exists in `openshift-image-registry`. */
  readonly name: string;

  /**
   * Access mode of that claim. ReadWriteOnce (the default) is safe for either kind of claim:
   * it pins the registry to one replica and `Recreate` rollouts.
   * @default AccessMode.READ_WRITE_ONCE
   */
  readonly accessMode?: AccessMode;
}

/** Whether the operator manages the storage (creates the bucket, applies bucket policies). */
export enum StorageManagementState {
  /** The operator creates the bucket if missing and applies AWS bucket settings (which non-AWS stores may refuse). */
  MANAGED = 'Managed',
  /** The operator uses the bucket as it is. */
  UNMANAGED = 'Unmanaged',
}

/** S3 settings shared by any S3-compatible store. */
export interface S3OptionsProps {
  /**
   * Region. Required with a custom `regionEndpoint` (the registry refuses to start without one;
   * MinIO's default region is `us-east-1`).
   * @default - for AWS S3 (no endpoint): not set, and the operator takes the cluster's region;
   * `us-east-1` for a MinIO of this project
   */
  readonly region?: string;
  /**
   * Size of multipart upload chunks in MiB, 5 to 5120.
   * @default - the operator's default (10 MiB today)
   */
  readonly chunkSizeMiB?: number;
  /**
   * ConfigMap in `openshift-config` whose `ca-bundle.crt` holds the CA of the endpoint's certificate.
   * @default - the system trust store only
   */
  readonly trustedCa?: string;
  /**
   * Whether the operator manages the bucket. `Managed` makes the operator apply AWS bucket
   * settings (encryption, public access block, lifecycle) and write `encrypt: true` back into the
   * Config, and `managementState: Removed` (or deleting the Config) then empties and deletes the
   * bucket with every image in it.
   * @default StorageManagementState.UNMANAGED: the operator uses the bucket as it is and never deletes it
   */
  readonly managementState?: StorageManagementState;
}

/** Options of storage this project names: a claim. */
export interface ClaimStorageOptions {
  /**
   * Whether the operator manages the claim. With `Managed`, `managementState: Removed` (or
   * deleting the Config) deletes the claim and every image in it.
   * @default StorageManagementState.UNMANAGED: the operator never deletes the claim
   */
  readonly managementState?: StorageManagementState;
}

export interface S3StorageProps extends S3OptionsProps {
  /** Bucket name. */
  readonly bucket: string;
  /**
   * Endpoint of an S3-compatible store, with its scheme (`https://s3.example.com`, `http://minio.minio.svc:9000`).
   * @default - AWS S3 for the region
   */
  readonly regionEndpoint?: string;
  /**
   * Virtual-hosted-style requests (`bucket.host`) with a custom endpoint; MinIO needs path style.
   * @default false
   */
  readonly virtualHostedStyle?: boolean;
  /**
   * Server-side encryption of stored images. With `managementState: Managed` the operator turns
   * it on itself and writes `encrypt: true` back, so `false` is refused there.
   * @default - not set: off, or on once a `Managed` bucket's encryption is set up by the operator
   */
  readonly encrypt?: boolean;
  /**
   * KMS key for encryption; requires `encrypt: true`.
   * @default - none
   */
  readonly keyId?: string;
}

export interface MinioStorageProps extends S3OptionsProps {
  /** The bucket, in a MinIO of this project: endpoint, scheme and bucket name come from it. */
  readonly bucket: MinioBucket;
  /**
   * An explicit endpoint; it must be that MinIO's API with the scheme matching its TLS setting.
   * @default - derived from the MinIO: `http://<name>.<namespace>.svc:9000` (https with TLS)
   */
  readonly regionEndpoint?: string;
}

// The factories' props types, for callers without TypeScript (lib/rules/prop-types.ts). Defined
// here, not beside each back end's props: they need this module's enums.
const MANAGEMENT_STATE = is.oneOf(Object.values(StorageManagementState));
const S3_OPTIONS = { region: is.string, chunkSizeMiB: is.number, trustedCa: is.string, managementState: MANAGEMENT_STATE };
const PROP_TYPES = {
  fromPvc: propTypes<ClaimStorageOptions>('RegistryStorage.fromPvc', { managementState: MANAGEMENT_STATE }),
  fromExistingClaim: propTypes<ExistingClaimProps>('RegistryStorage.fromExistingClaim', {
    name: is.string.isRequired, accessMode: is.oneOf(Object.values(AccessMode)), managementState: MANAGEMENT_STATE,
  }),
  s3: propTypes<S3StorageProps>('RegistryStorage.s3', {
    ...S3_OPTIONS, bucket: is.string.isRequired, regionEndpoint: is.string, virtualHostedStyle: is.boolean, encrypt: is.boolean, keyId: is.string,
  }),
  fromMinio: propTypes<MinioStorageProps>('RegistryStorage.fromMinio', {
    ...S3_OPTIONS, bucket: is.instanceOf(MinioBucket, 'a MinioBucket').isRequired, regionEndpoint: is.string,
  }),
  gcs: propTypes<GcsStorageProps>('RegistryStorage.gcs', {
    bucket: is.string.isRequired, region: is.string, projectId: is.string, keyId: is.string, managementState: MANAGEMENT_STATE,
  }),
  azure: propTypes<AzureStorageProps>('RegistryStorage.azure', {
    accountName: is.string.isRequired,
    container: is.string.isRequired,
    cloudName: is.oneOf(Object.values(AzureCloudName)),
    networkAccess: is.shape<AzureNetworkAccessProps>({
      type: is.oneOf(Object.values(AzureNetworkAccessType)).isRequired,
      internal: is.shape<AzureInternalNetworkProps>({ vnetName: is.string, subnetName: is.string, privateEndpointName: is.string, networkResourceGroupName: is.string }),
    }),
    managementState: MANAGEMENT_STATE,
  }),
  swift: propTypes<SwiftStorageProps>('RegistryStorage.swift', {
    container: is.string.isRequired,
    authUrl: is.string,
    authVersion: is.oneOf(Object.values(SwiftAuthVersion)),
    domain: is.string,
    domainId: is.string,
    tenant: is.string,
    tenantId: is.string,
    regionName: is.string,
    managementState: MANAGEMENT_STATE,
  }),
  ibmcos: propTypes<IbmCosStorageProps>('RegistryStorage.ibmcos', {
    bucket: is.string.isRequired, serviceInstanceCrn: is.string, resourceKeyCrn: is.string, managementState: MANAGEMENT_STATE,
  }),
};

/**
 * Where the registry keeps its images: one back end, chosen with a static factory.
 * The operator fails with "exactly one storage type should be configured" otherwise.
 */
export class RegistryStorage {
  /** A claim created by this project (see `RegistryPvc`). */
  public static fromPvc(pvc: RegistryPvc, options: ClaimStorageOptions = {}): RegistryStorage {
    is.instanceOf(RegistryPvc, 'a RegistryPvc').isRequired.check(pvc, 'pvc');
    checkProps(PROP_TYPES.fromPvc, options);
    return new RegistryStorage({ pvc: { claim: pvc.name }, managementState: storageManagementState(options.managementState) }, pvc.accessMode);
  }

  /**
   * A claim that already exists in `openshift-image-registry` (also the operator's own
   * `image-registry-storage`, to keep using it).
   */
  public static fromExistingClaim(props: ExistingClaimProps): RegistryStorage {
    checkProps(PROP_TYPES.fromExistingClaim, props);
    const accessMode = props.accessMode ?? AccessMode.READ_WRITE_ONCE;
    checkDnsSubdomain('name', props.name);
    return new RegistryStorage({ pvc: { claim: props.name }, managementState: storageManagementState(props.managementState) }, accessMode);
  }

  /** An S3 bucket on AWS or any S3-compatible store (Ceph RGW, NooBaa, an external MinIO). */
  public static s3(props: S3StorageProps): RegistryStorage {
    checkProps(PROP_TYPES.s3, props);
    checkBucketName('bucket', props.bucket);
    // The operator's S3 rules (region with an endpoint, scheme, encrypt with Managed) are in
    // rules/registry-rules.ts: ImageRegistry runs them on the Config it writes.
    const managementState = storageManagementState(props.managementState);
    return new RegistryStorage({
      s3: {
        ...s3Options(props),
        bucket: props.bucket,
        regionEndpoint: props.regionEndpoint,
        virtualHostedStyle: props.virtualHostedStyle,
        encrypt: props.encrypt,
        keyId: props.keyId,
      },
      managementState,
    });
  }

  /**
   * A bucket in this project's MinIO, reached inside the cluster: the registry serves blobs
   * itself (clients outside cannot reach the store), and the operator leaves the bucket alone.
   */
  public static fromMinio(props: MinioStorageProps): RegistryStorage {
    checkProps(PROP_TYPES.fromMinio, props);
    const store = props.bucket.objectStore;
    if (props.regionEndpoint !== undefined) store.checkEndpoint('regionEndpoint', props.regionEndpoint);
    if (store.tls && props.trustedCa === undefined) {
      throw new ValidationError('trustedCA', `MinIO ${store.namespace}/${store.name} serves TLS with a certificate from OpenShift's service CA, which the registry does not trust by default; name a ConfigMap in openshift-config whose ca-bundle.crt holds the service CA`);
    }
    return new RegistryStorage({
      s3: { ...s3Options({ ...props, region: props.region ?? 'us-east-1' }), bucket: props.bucket.bucket, regionEndpoint: props.regionEndpoint ?? store.endpoint },
      managementState: storageManagementState(props.managementState),
    }, undefined, true);
  }

  /** A Google Cloud Storage bucket. */
  public static gcs(props: GcsStorageProps): RegistryStorage {
    checkProps(PROP_TYPES.gcs, props);
    return new RegistryStorage({ gcs: gcsSpec(props), managementState: storageManagementState(props.managementState) });
  }

  /** A blob container in an Azure storage account. */
  public static azure(props: AzureStorageProps): RegistryStorage {
    checkProps(PROP_TYPES.azure, props);
    return new RegistryStorage({ azure: azureSpec(props), managementState: storageManagementState(props.managementState) });
  }

  /** A container in OpenStack Object Storage (Swift). */
  public static swift(props: SwiftStorageProps): RegistryStorage {
    checkProps(PROP_TYPES.swift, props);
    return new RegistryStorage({ swift: swiftSpec(props), managementState: storageManagementState(props.managementState) });
  }

  /** A bucket in IBM Cloud Object Storage (IBM Cloud and Power VS clusters). */
  public static ibmcos(props: IbmCosStorageProps): RegistryStorage {
    checkProps(PROP_TYPES.ibmcos, props);
    return new RegistryStorage({ ibmcos: ibmCosSpec(props), managementState: storageManagementState(props.managementState) });
  }

  /** Pod-local storage: images are lost whenever a registry pod restarts. For labs only. */
  public static emptyDir(): RegistryStorage {
    return new RegistryStorage({ emptyDir: {} });
  }

  /**
   * Any back end as the typed import spells it, for a back end or field no factory offers (`oss`
   * before OpenShift 4.17, say). No rule but "exactly one back end" (checked by `ImageRegistry`) is applied.
   */
  public static fromStorageSpec(spec: ConfigSpecStorage): RegistryStorage {
    is.map<ConfigSpecStorage>().isRequired.check(spec, 'spec');
    if (spec.pvc) {
      throw new ValidationError('pvc', 'a claim needs its access mode: use RegistryStorage.fromPvc or fromExistingClaim');
    }
    return new RegistryStorage(spec);
  }

  private constructor(
    /** The `spec.storage` value of the registry Config. */
    public readonly spec: ConfigSpecStorage,
    /** Access mode of the claim, for PVC storage. */
    public readonly accessMode?: AccessMode,
    /** True when the store is only reachable inside the cluster. */
    public readonly inCluster = false,
  ) {}

  /** True when the registry's volume can be mounted by one node only. */
  public get isReadWriteOnce(): boolean {
    return this.accessMode === AccessMode.READ_WRITE_ONCE;
  }

  /** The back end that is set (the first one, should `fromStorageSpec` have been given several). */
  public get backend(): StorageBackend | undefined {
    return STORAGE_BACKENDS.find((key) => this.spec[key] !== undefined);
  }

  /**
   * `spec.storage` as the Config holds it: the CRD's field names (`keyID`, `authURL`, ...) in
   * place of the typed import's, keys in the order they were set.
   */
  public toJson(): Record<string, unknown> {
    // toJson_ConfigSpecStorage renames but also reorders; renaming one field at a time keeps the
    // order, and with it the output written so far.
    const json = (key: string, value: unknown) => toJson_ConfigSpecStorage({ [key]: value } as ConfigSpecStorage)![key];
    return Object.fromEntries(Object.entries(this.spec).filter(([, value]) => value !== undefined).map(([key, value]) => [key,
      typeof value === 'object' ? Object.assign({}, ...Object.entries(value).map(([field, v]) => json(key, { [field]: v }))) : value]));
  }
}

/** Storage this project names is Unmanaged unless asked: the operator then never deletes it. */
function storageManagementState(state: StorageManagementState | undefined): StorageManagementState {
  return state ?? StorageManagementState.UNMANAGED;
}

function s3Options(props: S3OptionsProps): ConfigSpecStorageS3 {
  const region = props.region;
  if (props.chunkSizeMiB !== undefined) {
    checkWholeNumber('chunkSizeMiB', props.chunkSizeMiB, 5);
    if (props.chunkSizeMiB > 5120) throw new ValidationError('chunkSizeMiB', `${props.chunkSizeMiB} is over the S3 limit of 5120 (5 GiB)`);
  }
  if (props.trustedCa !== undefined) checkDnsSubdomain('trustedCA', props.trustedCa);
  return { region, chunkSizeMiB: props.chunkSizeMiB, trustedCa: props.trustedCa === undefined ? undefined : { name: props.trustedCa } };
}
