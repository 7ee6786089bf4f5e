import { ValidationError } from './validation-error';

// Azure's naming rules for storage accounts and blob containers (the container pattern is the CRD's).
const ACCOUNT_PATTERN = /^[a-z0-9]{3,24}$/;
const CONTAINER_PATTERN = /^[0-9a-z]+(-[0-9a-z]+)*$/;

// The CRD's limits on the names of `networkAccess.internal` (openshift/api imageregistry/v1).
const INTERNAL_NAMES: Readonly<Record<string, { pattern: RegExp; min: number; max: number }>> = {
  vnetName: { pattern: /^[0-9A-Za-z][0-9A-Za-z_.-]*[0-9A-Za-z_]$/, min: 2, max: 64 },
  subnetName: { pattern: /^[0-9A-Za-z](?:[0-9A-Za-z_.-]*[0-9A-Za-z_])?$/, min: 1, max: 80 },
  privateEndpointName: { pattern: /^[0-9A-Za-z][0-9A-Za-z_.-]*[0-9A-Za-z_]$/, min: 2, max: 64 },
  networkResourceGroupName: { pattern: /^[0-9A-Za-z_.-](?:[0-9A-Za-z_.-]*[0-9A-Za-z_-])?$/, min: 1, max: 90 },
};

/** Throws unless `name` is a valid Azure storage account name. */
export function checkAzureAccountName(field: string, name: string): void {
  if (typeof name !== 'string' || !ACCOUNT_PATTERN.test(name)) {
    throw new ValidationError(field, `${JSON.stringify(name)} is not a valid storage account name: use 3 to 24 lower-case letters and digits`);
  }
}

/** Throws unless `name` is a valid blob container name. */
export function checkAzureContainerName(field: string, name: string): void {
  if (typeof name !== 'string' || name.length < 3 || name.length > 63 || !CONTAINER_PATTERN.test(name)) {
    throw new ValidationError(field, `${JSON.stringify(name)} is not a valid container name: use 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit`);
  }
}

/**
 * Throws unless the names under `networkAccess.internal` fit the CRD's patterns. That `internal`
 * comes only with type Internal is the CRD's CEL rule, evaluated from the CRD (cel/crd-rules.ts)
 * by ImageRegistry and validate.
 */
export function checkAzureNetworkAccess(networkAccess: { readonly type?: string; readonly internal?: object }): void {
  if (networkAccess.internal === undefined) return;
  for (const [key, value] of Object.entries(networkAccess.internal) as [string, string | undefined][]) {
    const rule = INTERNAL_NAMES[key];
    if (value === undefined || !rule) continue;
    if (value.length < rule.min || value.length > rule.max || !rule.pattern.test(value)) {
      throw new ValidationError(`networkAccess.internal.${key}`, `${JSON.stringify(value)} is not valid: use ${rule.min} to ${rule.max} letters, digits, '_', '.' and '-' matching ${rule.pattern.source}`);
    }
  }
}

/**
 * With an account key in the user's Secret the operator only checks that `accountName` and
 * `container` are set (`pkg/storage/azure/azure.go` processUPI): it creates nothing and never
 * sets up the private endpoint that `networkAccess` asks for.
 */
export function checkAzureCredentials(spec: { readonly networkAccess?: object }): void {
  if (spec.networkAccess !== undefined) {
    throw new ValidationError('networkAccess', 'is ignored with an account key in Secret image-registry-private-configuration-user (the operator then sets up no private endpoint); remove networkAccess and make the account private yourself, or leave out credentials so that the operator uses the cluster\'s Azure credentials');
  }
}
