import type { ConfigSpecStorageSwift } from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import type { StorageManagementState } from './registry-storage';
import { checkSwiftAuthUrl, checkSwiftContainer } from '../rules/swift';
import { ValidationError } from '../rules/validation-error';

/** OpenStack Identity (Keystone) API versions. */
export enum SwiftAuthVersion {
  V1 = '1',
  V2 = '2',
  V3 = '3',
}

/**
 * Swift settings. Without credentials of its own the operator takes every unset one from the
 * cluster's `clouds.yaml` (Secret `installer-cloud-credentials`); with credentials in Secret
 * `image-registry-private-configuration-user` only from here.
 */
export interface SwiftStorageProps {
  /** Container name. The operator creates the container when it does not exist. */
  readonly container: string;
  /**
   * Keystone URL with its scheme, ending at the host or at the API version (`https://keystone.example.com:5000/v3`).
   * Required with credentials of your own.
   * @default - the cluster's auth URL
   */
  readonly authUrl?: string;
  /**
   * Keystone API version.
   * @default - the cluster's, else 3
   */
  readonly authVersion?: SwiftAuthVersion;
  /**
   * Domain name (Keystone v3). A user name and password on v3 need exactly one of `domain` and `domainId`; a token, neither.
   * @default - the cluster's
   */
  readonly domain?: string;
  /**
   * Domain id (Keystone v3); see `domain`.
   * @default - the cluster's
   */
  readonly domainId?: string;
  /**
   * Project (tenant) name.
   * @default - the cluster's
   */
  readonly tenant?: string;
  /**
   * Project (tenant) id.
   * @default - the cluster's
   */
  readonly tenantId?: string;
  /**
   * Region of the object store.
   * @default - the cluster's
   */
  readonly regionName?: string;
  /**
   * Whether the operator manages the container. With `Managed`, `managementState: Removed` (or
   * deleting the Config) deletes every object in the container and the container.
   * @default StorageManagementState.UNMANAGED: the operator never deletes the container
   */
  readonly managementState?: StorageManagementState;
}

/** `spec.storage.swift` for `props`, after the rules. */
export function swiftSpec(props: SwiftStorageProps): ConfigSpecStorageSwift {
  checkSwiftContainer('container', props.container);
  if (props.authUrl !== undefined) checkSwiftAuthUrl('authURL', props.authUrl, props.authVersion);
  const optional = { domain: props.domain, domainID: props.domainId, tenant: props.tenant, tenantID: props.tenantId, regionName: props.regionName };
  for (const [field, value] of Object.entries(optional)) {
    if (value !== undefined && !value.trim()) throw new ValidationError(field, 'must not be empty; leave it out to use the cluster\'s value');
  }
  return {
    container: props.container,
    authUrl: props.authUrl,
    authVersion: props.authVersion,
    domain: props.domain,
    domainId: props.domainId,
    tenant: props.tenant,
    tenantId: props.tenantId,
    regionName: props.regionName,
  };
}
