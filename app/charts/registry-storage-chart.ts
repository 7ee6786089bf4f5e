import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { RegistryConfig } from '../config/schema';
import { MinioBucket } from '../../lib/minio/minio-bucket';
import { AccessMode, RegistryPvc } from '../../lib/registry/registry-pvc';
import { RegistryStorage, StorageManagementState } from '../../lib/registry/registry-storage';
import { ValidationError, withinField } from '../../lib/rules/validation-error';

export interface RegistryStorageChartProps {
  /** The `registry.storage` section of a cluster config. */
  readonly storage: RegistryConfig['storage'];
  /**
   * The bucket in this project's MinIO, when the config has a `minio` section.
   * @default - none
   */
  readonly minioBucket?: MinioBucket;
}

/** What the registry stores images in: the objects to create (a PVC) and the storage choice. */
export class RegistryStorageChart extends Chart {
  /** The storage to hand to the registry Config. */
  public readonly storage: RegistryStorage;

  constructor(scope: Construct, id: string, props: RegistryStorageChartProps) {
    super(scope, id);
    const { pvc, existingClaim, s3, gcs, azure, swift, ibmcos } = props.storage;
    if (pvc) {
      const { managementState, ...claimProps } = pvc;
      const claim = withinField('registry.storage.pvc', () => new RegistryPvc(this, 'Pvc', {
        ...claimProps,
        accessMode: pvc.accessMode as AccessMode | undefined,
      }));
      this.storage = RegistryStorage.fromPvc(claim, { managementState: managementState as StorageManagementState | undefined });
    } else if (existingClaim) {
      this.storage = withinField('registry.storage.existingClaim', () => RegistryStorage.fromExistingClaim({
        ...existingClaim,
        accessMode: existingClaim.accessMode as AccessMode | undefined,
        managementState: existingClaim.managementState as StorageManagementState | undefined,
      }));
    } else if (s3) {
      this.storage = withinField('registry.storage.s3', () => s3Storage(s3, props.minioBucket));
    } else if (gcs) {
      this.storage = withinField('registry.storage.gcs', () => RegistryStorage.gcs({
        bucket: gcs.bucket, region: gcs.region, projectId: gcs.projectID, keyId: gcs.keyID, managementState: gcs.managementState,
      }));
    } else if (azure) {
      this.storage = withinField('registry.storage.azure', () => RegistryStorage.azure({
        accountName: azure.accountName,
        container: azure.container,
        cloudName: azure.cloudName,
        networkAccess: azure.networkAccess,
        managementState: azure.managementState,
      }));
    } else if (swift) {
      this.storage = withinField('registry.storage.swift', () => RegistryStorage.swift({
        container: swift.container,
        authUrl: swift.authURL,
        authVersion: swift.authVersion,
        domain: swift.domain,
        domainId: swift.domainID,
        tenant: swift.tenant,
        tenantId: swift.tenantID,
        regionName: swift.regionName,
        managementState: swift.managementState,
      }));
    } else if (ibmcos) {
      this.storage = withinField('registry.storage.ibmcos', () => RegistryStorage.ibmcos({
        bucket: ibmcos.bucket, serviceInstanceCrn: ibmcos.serviceInstanceCRN, resourceKeyCrn: ibmcos.resourceKeyCRN, managementState: ibmcos.managementState,
      }));
    } else {
      this.storage = RegistryStorage.emptyDir();
    }
  }
}

function s3Storage(s3: NonNullable<RegistryConfig['storage']['s3']>, minioBucket?: MinioBucket): RegistryStorage {
  const { credentials: _credentials, keyID, trustedCA, managementState, ...options } = s3;
  const common = { trustedCa: trustedCA, managementState: managementState as StorageManagementState | undefined };
  if (!minioBucket) {
    if (options.bucket === undefined) {
      throw new ValidationError('bucket', 'is required for S3 storage: name the bucket, or add a minio section to this file to create one');
    }
    return RegistryStorage.s3({ ...options, ...common, bucket: options.bucket, keyId: keyID });
  }
  // The store is this file's MinIO: endpoint, scheme and bucket come from it, never typed twice.
  const typedTwice = (['bucket', 'virtualHostedStyle', 'encrypt'] as const).find((key) => options[key] !== undefined) ?? (keyID === undefined ? undefined : 'keyID');
  if (typedTwice) {
    throw new ValidationError(typedTwice, `comes from the minio section of this file (bucket ${minioBucket.bucket}, path-style, no server-side encryption); remove ${typedTwice}`);
  }
  return RegistryStorage.fromMinio({ ...common, bucket: minioBucket, region: options.region, chunkSizeMiB: options.chunkSizeMiB, regionEndpoint: options.regionEndpoint });
}
