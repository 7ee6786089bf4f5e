import { z } from 'zod';
import { AzureCloudName, AzureNetworkAccessType } from '../../lib/registry/azure-storage';
import { StorageManagementState } from '../../lib/registry/registry-storage';
import { SwiftAuthVersion } from '../../lib/registry/swift-storage';
import { DEFAULT_OPENSHIFT_VERSION, OPENSHIFT_VERSIONS } from '../../lib/rules/openshift-version';
import { DNS_LABEL_MAX, DNS_LABEL_PATTERN, DNS_SUBDOMAIN_MAX, DNS_SUBDOMAIN_PATTERN, QUANTITY_PATTERN } from '../../lib/rules/kubernetes';
import { REGISTRY_SCOPE_MAX_ITEMS, REGISTRY_SCOPE_MAX_LENGTH } from '../../lib/rules/image-config-rules';
import { IMAGE_REFERENCE_PATTERN } from '../../lib/rules/image-reference';
import { OC_IMAGE, STORAGE_SWITCH_DEADLINE_SECONDS } from '../../lib/registry/storage-switch';
import { MC_IMAGE } from '../../lib/minio/minio-bucket';
import { MINIO_IMAGE } from '../../lib/minio/minio-object-store';
import { GitOpsTools } from '../../lib/gitops/gitops-annotations';

// The schema of a cluster config file. It checks shapes, types, names and sizes, and rejects
// unknown keys; rules that relate fields (ReadWriteOnce needs one replica, ...) live in the
// constructs, which report the same field paths. `npm run schema` writes it as JSON Schema.

const dnsSubdomain = z.string()
  .max(DNS_SUBDOMAIN_MAX)
  .regex(new RegExp(DNS_SUBDOMAIN_PATTERN), `a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`);
const dnsLabel = z.string()
  .max(DNS_LABEL_MAX)
  .regex(new RegExp(DNS_LABEL_PATTERN), `a DNS-1123 label: at most ${DNS_LABEL_MAX} lower-case letters, digits and '-', starting and ending with a letter or digit`);
const quantity = z.string()
  .regex(new RegExp(QUANTITY_PATTERN), 'a Kubernetes quantity such as 100Gi, 512Mi or 500m (binary suffixes Ki..Ei, decimal k..E; not GB)');
const accessMode = z.enum(['ReadWriteOnce', 'ReadWriteMany']);
// The path's length (at most 255) is checked by the constructs, which name the same field.
const image = z.string()
  .regex(new RegExp(IMAGE_REFERENCE_PATTERN), 'an image reference: [registry[:port]/]path[:tag][@sha256:<64 hex digits>], with a lower-case path');

/** A refinement: exactly one of `keys` is set on the object. */
function exactlyOne<K extends string>(keys: readonly K[], what: string) {
  return (value: Partial<Record<K, unknown>>, ctx: z.RefinementCtx) => {
    const chosen = keys.filter((key) => value[key] !== undefined);
    if (chosen.length !== 1) {
      ctx.addIssue({ code: 'custom', message: `exactly one ${what} must be set (one of ${keys.join(', ')}), got ${chosen.length ? chosen.join(' and ') : 'none'}` });
    }
  };
}

const secretKeyName = z.string().regex(/^[-._a-zA-Z0-9]+$/, 'a Secret key: letters, digits, -, _ and .');
/**
 * Environment variables a plainSecret may read: only these, so that a config (a pull request)
 * cannot copy other variables of the machine that runs synth, such as a CI token, into dist/.
 */
export const PLAIN_SECRET_ENV_PREFIX = 'PLAIN_SECRET_';
const plainSecretVariable = z.string().regex(new RegExp(`^${PLAIN_SECRET_ENV_PREFIX}[A-Za-z0-9_]+$`),
  `an environment variable named ${PLAIN_SECRET_ENV_PREFIX}<something> (letters, digits, _), e.g. ${PLAIN_SECRET_ENV_PREFIX}S3_ACCESS_KEY; `
  + 'plainSecret reads no other variable, so that a config cannot copy a CI token or cloud key into dist/');
const credentialKinds = ['existingSecret', 'externalSecret', 'sealedSecret', 'plainSecret'] as const;
const credentials = z.strictObject({
  existingSecret: z.strictObject({}).optional().describe('The Secret is created outside this project; nothing is rendered.'),
  externalSecret: z.strictObject({
    store: z.strictObject({
      name: dnsSubdomain.describe('Name of the SecretStore or ClusterSecretStore.'),
      kind: z.enum(['ClusterSecretStore', 'SecretStore']).optional().describe('Default ClusterSecretStore.'),
    }),
    refreshInterval: z.string().regex(/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/, 'a duration such as 1h or 15m').optional().describe('Default 1h.'),
    data: z.record(secretKeyName, z.strictObject({
      key: z.string().min(1).describe('Key in the external store.'),
      property: z.string().min(1).optional().describe('Property of that secret.'),
    })).describe('Secret key -> where its value lives in the store.'),
  }).optional().describe('An ExternalSecret (external-secrets.io/v1).'),
  sealedSecret: z.strictObject({
    scope: z.enum(['strict', 'namespace-wide', 'cluster-wide']).optional().describe('kubeseal --scope used (default strict).'),
    encryptedData: z.record(secretKeyName, z.string().min(1)).describe('Secret key -> value sealed with kubeseal.'),
  }).optional().describe('A SealedSecret (bitnami.com/v1alpha1).'),
  plainSecret: z.strictObject({
    fromEnv: z.record(secretKeyName, plainSecretVariable)
      .describe(`Secret key -> environment variable read at synth time; its name must start with ${PLAIN_SECRET_ENV_PREFIX}.`),
  }).optional().describe('A plain Secret in dist/ (plaintext): for labs only.'),
}).superRefine(exactlyOne(credentialKinds, 'way to provide credentials'))
  .meta({ minProperties: 1, maxProperties: 1 })
  .describe('Where credentials come from: exactly one way. No value is ever a default.');

const storageManagementState = z.enum(StorageManagementState).optional()
  .describe('Default Unmanaged: the operator never deletes the storage. Managed: managementState Removed (or deleting the Config) deletes it with every image.');

const pvc = z.strictObject({
  name: dnsSubdomain.optional().describe('Claim name in openshift-image-registry (default image-registry-pvc; not image-registry-storage, the operator\'s own claim).'),
  size: quantity.optional().describe('Requested size (default 100Gi).'),
  storageClassName: dnsSubdomain.optional().describe("Storage class (default: the cluster's default class)."),
  accessMode: accessMode.optional().describe('Access mode (default ReadWriteOnce: one replica, Recreate rollouts).'),
  managementState: storageManagementState,
}).describe('A PersistentVolumeClaim that this project creates.');

const existingClaim = z.strictObject({
  name: dnsSubdomain.describe('Name of a claim that already exists in openshift-image-registry.'),
  accessMode: accessMode.optional().describe('Access mode of that claim (default ReadWriteOnce).'),
  managementState: storageManagementState,
}).describe('A claim that already exists.');

const s3 = z.strictObject({
  bucket: z.string().optional().describe('Bucket name; with a minio section it comes from minio.bucket and must not be set.'),
  region: z.string().optional().describe('Region; required with regionEndpoint (MinIO: us-east-1); for AWS S3 leave it out to use the cluster\'s region. With a minio section default us-east-1.'),
  regionEndpoint: z.string().optional().describe('Endpoint URL with its scheme; with a minio section derived from it.'),
  virtualHostedStyle: z.boolean().optional(),
  encrypt: z.boolean().optional(),
  keyID: z.string().min(1).optional().describe('KMS key; requires encrypt: true.'),
  chunkSizeMiB: z.int().min(5).max(5120).optional(),
  trustedCA: dnsSubdomain.optional().describe('ConfigMap in openshift-config with key ca-bundle.crt.'),
  managementState: storageManagementState,
  credentials: credentials.describe('Secret image-registry-private-configuration-user (REGISTRY_STORAGE_S3_ACCESSKEY, REGISTRY_STORAGE_S3_SECRETKEY).'),
}).describe('S3 storage: the minio section of this file, or any S3-compatible endpoint.');

// Cloud back ends: field names as in the operator's spec; names and rules are checked by the constructs.
const name = z.string().min(1);
/** Credentials of a cloud back end: optional, as the operator falls back to the cluster's. */
const cloudCredentials = (keys: string) => credentials.optional()
  .describe(`Secret image-registry-private-configuration-user (${keys}). Default: none, and the operator uses the cluster's cloud credentials (installer-cloud-credentials).`);

const gcs = z.strictObject({
  bucket: name.describe('Bucket name; created by the operator when missing.'),
  region: name.optional().describe("Location of a bucket the operator creates; requires projectID (default: the cluster's region and project)."),
  projectID: name.optional().describe('Project of a bucket the operator creates; requires region.'),
  keyID: name.optional().describe('KMS key (projects/.../cryptoKeys/...) for a bucket the operator creates.'),
  managementState: storageManagementState,
  credentials: cloudCredentials('REGISTRY_STORAGE_GCS_KEYFILE: a service account key, JSON'),
}).describe('Google Cloud Storage.');

const azure = z.strictObject({
  accountName: name.describe('Storage account: 3 to 24 lower-case letters and digits.'),
  container: name.describe('Blob container in that account.'),
  cloudName: z.enum(AzureCloudName).optional().describe('Azure cloud (default AzurePublicCloud; set it on other clouds).'),
  networkAccess: z.strictObject({
    type: z.enum(AzureNetworkAccessType).describe('Internal: a private endpoint in the cluster\'s vnet, public access disabled.'),
    internal: z.strictObject({
      vnetName: name.optional(),
      subnetName: name.optional(),
      privateEndpointName: name.optional(),
      networkResourceGroupName: name.optional(),
    }).optional().describe('Only with type Internal; each name discovered or generated by the operator when unset.'),
  }).optional().describe('Not with credentials (an account key): the operator applies it with the cluster\'s credentials only.'),
  managementState: storageManagementState,
  credentials: cloudCredentials('REGISTRY_STORAGE_AZURE_ACCOUNTKEY: the account must then exist'),
}).describe('Azure Blob Storage.');

const swift = z.strictObject({
  container: name.describe('Container name; created by the operator when missing.'),
  authURL: name.optional().describe("Keystone URL with scheme (default: the cluster's); required with credentials."),
  authVersion: z.enum(SwiftAuthVersion).optional().describe("Keystone API version (default: the cluster's, else 3)."),
  domain: name.optional().describe('Domain name (Keystone v3).'),
  domainID: name.optional().describe('Domain id (Keystone v3).'),
  tenant: name.optional().describe('Project name.'),
  tenantID: name.optional().describe('Project id.'),
  regionName: name.optional().describe('Region.'),
  managementState: storageManagementState,
  credentials: cloudCredentials('one key set: REGISTRY_STORAGE_SWIFT_USERNAME and _PASSWORD; or _APPLICATIONCREDENTIALID, _APPLICATIONCREDENTIALNAME and _APPLICATIONCREDENTIALSECRET; or _TOKENID'),
}).describe('OpenStack Object Storage (Swift).');

const ibmcos = z.strictObject({
  bucket: name.describe('Bucket name; created by the operator when missing.'),
  serviceInstanceCRN: name.optional().describe('CRN of the Cloud Object Storage instance (default: found or created by the operator).'),
  resourceKeyCRN: name.optional().describe('CRN of an HMAC resource key of that instance; requires serviceInstanceCRN (default: created by the operator).'),
  managementState: storageManagementState,
  credentials: cloudCredentials('REGISTRY_STORAGE_IBMCOS_IAMAPIKEY'),
}).describe('IBM Cloud Object Storage (IBM Cloud and Power VS clusters).');

const storageKeys = ['pvc', 'existingClaim', 'emptyDir', 's3', 'gcs', 'azure', 'swift', 'ibmcos'] as const;
const storage = z.strictObject({
  pvc: pvc.optional(),
  existingClaim: existingClaim.optional(),
  emptyDir: z.strictObject({}).optional().describe('Pod-local storage, lost on restart (labs only).'),
  s3: s3.optional(),
  gcs: gcs.optional(),
  azure: azure.optional(),
  swift: swift.optional(),
  ibmcos: ibmcos.optional(),
}).superRefine(exactlyOne(storageKeys, 'storage back end'))
  .meta({ minProperties: 1, maxProperties: 1 }).describe('Where the registry keeps its images: exactly one back end.');

const route = z.strictObject({
  name: dnsSubdomain.describe('Route name: unique, never default-route.'),
  hostname: dnsSubdomain.optional().describe('Host name of the route (default: generated by the router).'),
  secretName: dnsSubdomain.optional().describe('Secret in openshift-image-registry with tls.crt, tls.key and tls.cacrt.'),
});

const toleration = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.int().optional(),
});

// Affinity terms are deep Kubernetes types: checked against the Config CRD by RegistryChart.
const affinity = z.strictObject({
  nodeAffinity: z.record(z.string(), z.unknown()).optional(),
  podAffinity: z.record(z.string(), z.unknown()).optional(),
  podAntiAffinity: z.record(z.string(), z.unknown()).optional(),
});

const resources = z.strictObject({
  requests: z.record(z.string(), quantity).optional(),
  limits: z.record(z.string(), quantity).optional(),
});

const proxy = z.strictObject({
  http: z.string().optional(),
  https: z.string().optional(),
  noProxy: z.string().optional(),
});

const minio = z.strictObject({
  namespace: dnsLabel.optional().describe('Namespace, created by this project (default minio).'),
  name: dnsLabel.optional().describe('Name of the Deployment, Service and API route (default minio).'),
  image: image.optional().describe(`MinIO server image, by tag or digest (default ${MINIO_IMAGE}); disconnected clusters name their mirror.`),
  mcImage: image.optional().describe(`MinIO client image of the bucket Job and the user-sync Deployment (default ${MC_IMAGE}).`),
  size: quantity.optional().describe('Data volume size (default 100Gi).'),
  storageClassName: dnsSubdomain.optional().describe("Data volume storage class (default: the cluster's default)."),
  bucket: z.string().optional().describe('Bucket created by a Job (default image-registry).'),
  tls: z.boolean().optional().describe('Serve TLS with a service CA certificate (default false).'),
  apiRoute: z.boolean().optional().describe('Expose the S3 API outside the cluster with a route (default false: the registry reaches MinIO through its Service).'),
  routeHost: dnsSubdomain.optional().describe('API route host; needs apiRoute: true (default <name>-<namespace>.<apps domain>).'),
  consoleRoute: z.boolean().optional().describe('Expose the console with a route (default false).'),
  consoleRouteHost: dnsSubdomain.optional(),
  resources: resources.optional(),
  rootCredentials: credentials.describe('MINIO_ROOT_USER and MINIO_ROOT_PASSWORD.'),
}).describe('A MinIO object store in its own namespace.');

const registry = z.strictObject({
  managementState: z.enum(['Managed', 'Unmanaged', 'Removed']).optional()
    .describe('What the operator does with the registry (default Managed). Removed deletes the registry.'),
  replicas: z.int().min(0).optional().describe('Registry pods (default 1; at most 1 with ReadWriteOnce storage).'),
  rolloutStrategy: z.enum(['Recreate', 'RollingUpdate']).optional()
    .describe('Default: Recreate with ReadWriteOnce storage (required there); otherwise not set.'),
  storage,
  defaultRoute: z.boolean().optional().describe('Create Route default-route to the registry.'),
  routes: z.array(route).optional().describe('Extra routes to the registry.'),
  disableRedirect: z.boolean().optional().describe('Serve blobs through the registry instead of redirecting to storage.'),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  tolerations: z.array(toleration).optional(),
  affinity: affinity.optional(),
  resources: resources.optional(),
  logLevel: z.enum(['Normal', 'Debug', 'Trace', 'TraceAll']).optional(),
  proxy: proxy.optional(),
});

// Entries are checked by the image config rules (lib/rules/image-config-rules.ts), which name
// the entry and what is allowed; the schema only checks shapes and sizes.
const scopes = z.array(z.string().min(1).max(REGISTRY_SCOPE_MAX_LENGTH)).min(1).max(REGISTRY_SCOPE_MAX_ITEMS);
const imageConfig = z.strictObject({
  publicRoute: dnsSubdomain.optional()
    .describe('Name of a registry.routes entry with a hostname: that hostname is listed first in externalRegistryHostnames, so image streams show it as their public repository. Default: none (image streams show the default route, which the registry operator publishes itself).'),
  externalRegistryHostnames: z.array(z.string().min(1)).min(1).optional()
    .describe('Other host[:port] names of the registry (a load balancer, say), listed after publicRoute. Default: none (only the hostnames of the registry\'s routes, which the operator publishes in status).'),
  allowedRegistriesForImport: z.array(z.strictObject({
    domainName: z.string().min(1).describe('domain[:port]; wildcards * and ? allowed.'),
    insecure: z.boolean().optional().describe('Plain HTTP or an untrusted certificate (default false).'),
  })).min(1).optional().describe('Registries users may import image streams from. Default: any registry.'),
  registrySources: z.strictObject({
    allowedRegistries: scopes.optional().describe('The only registries nodes may pull from (host[:port][/path] or *.domain); not with blockedRegistries. List quay.io and registry.redhat.io (or their mirrors). Default: all allowed.'),
    blockedRegistries: scopes.optional().describe('Registries nodes may not pull from; not with allowedRegistries. Default: none blocked.'),
    insecureRegistries: scopes.optional().describe('Registries reached over plain HTTP or an untrusted certificate. Default: none.'),
    containerRuntimeSearchRegistries: z.array(z.string().min(1)).min(1).optional().describe('host[:port] names CRI-O searches for short image names, in order. Default: none.'),
  }).optional().describe('How nodes treat registries. Default: any registry, over TLS.'),
  additionalTrustedCA: z.string().optional()
    .describe('ConfigMap in openshift-config: keys are registry hostnames (host..port with a port), values PEM CA bundles. Default: none.'),
}).describe('images.config.openshift.io/cluster, the cluster-wide image policy shared with other teams: only the fields set here are written, applied server-side, never pruned or deleted.');
// The ImagePruner: a top-level section, as it is an object of its own, applied beside the Config
// (registry: maps one to one onto the Config's spec). Field names as in the ImagePruner's spec.
const pruner = z.strictObject({
  // Checked by the ImagePruner construct (rules/cron.ts), whose message names this field.
  schedule: z.string().min(1).optional()
    .describe('When the pruner runs: a CronJob schedule (5 fields, or @daily, @every 6h, ...), in UTC; no TZ=. Default: the operator\'s "0 0 * * *".'),
  suspend: z.boolean().optional().describe('Stop pruning (default: the cluster\'s value; the operator\'s pruner has false).'),
  keepTagRevisions: z.int().min(0).optional().describe('Image revisions kept per tag (default 3).'),
  // Checked by the ImagePruner construct (rules/go-duration.ts), whose message names this field.
  keepYoungerThanDuration: z.string().min(1).optional().describe('Images younger than this are kept: a Go duration such as 60m or 168h, no days (default 60m).'),
  // Named only to say why it is refused (below); editors show it struck through.
  keepYoungerThan: z.unknown().optional()
    .meta({ deprecated: true, description: 'Deprecated by the operator (nanoseconds) and refused here: use keepYoungerThanDuration.' }),
  ignoreInvalidImageReferences: z.boolean().optional()
    .describe('Go on past image references that cannot be parsed (default: the cluster\'s value; the operator\'s pruner has true).'),
  resources: resources.optional().describe('Pruner pod resources; replace the operator\'s (requests cpu 100m, memory 256Mi) as a whole.'),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  tolerations: z.array(toleration).optional(),
  affinity: affinity.optional(),
  logLevel: z.enum(['Normal', 'Debug', 'Trace', 'TraceAll']).optional().describe('Default Normal.'),
  successfulJobsHistoryLimit: z.int().min(0).max(2 ** 31 - 1).optional().describe('Successful pruner Jobs kept (default 3).'),
  failedJobsHistoryLimit: z.int().min(0).max(2 ** 31 - 1).optional().describe('Failed pruner Jobs kept (default 3).'),
}).superRefine((value, ctx) => {
  if (value.keepYoungerThan !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['keepYoungerThan'], message: 'is deprecated (nanoseconds, and ignored by the operator beside keepYoungerThanDuration); write keepYoungerThanDuration as a Go duration instead, such as 60m or 168h' });
  }
}).describe('The image pruner (ImagePruner cluster): written only when this section is present; the operator keeps its own values for fields not set here.');

const storageSwitch = z.strictObject({
  enabled: z.boolean().optional()
    .describe('false: no storage switch Job; before the first sync and every change of back end, make spec.storage hold only the configured back end by hand (docs/gitops.md). Default true.'),
  image: image.optional().describe(`OpenShift CLI image of the Job, by tag or digest (default ${OC_IMAGE}); disconnected clusters name their mirror.`),
}).describe(`The Job that makes spec.storage hold the configured back end and nothing else before the Config is applied (fails after ${STORAGE_SWITCH_DEADLINE_SECONDS} s).`);

// Rights for the GitOps tool that applies dist/<name>/: written only when this section is present.
const applierRbac = z.strictObject({
  serviceAccount: z.strictObject({
    namespace: dnsLabel.describe('Namespace of the service account.'),
    name: dnsSubdomain.describe('Name of the service account.'),
  }).optional().describe('The service account that applies dist/ (default openshift-gitops/openshift-gitops-argocd-application-controller, OpenShift GitOps\' default instance).'),
}).describe('Writes dist/<name>/applier-rbac/: a ClusterRole and a Role per namespace with exactly the rights applying this cluster\'s output takes, bound to the service account. Default: none (the GitOps tool\'s rights are managed elsewhere; docs/gitops.md lists them).');

export const clusterConfigSchema = z.strictObject({
  $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
  name: dnsLabel.describe('Cluster name: the output folder dist/<name>/.'),
  openshiftVersion: z.enum(OPENSHIFT_VERSIONS).optional()
    .describe(`OpenShift minor version of the cluster, as a string ("4.16"; unquoted, YAML reads 4.20 as the number 4.2). A field its registry CRDs lack is an error. Default ${DEFAULT_OPENSHIFT_VERSION}, the newest known: the version whose CRDs the typed imports and validators come from, so a config without it is checked as before.`),
  minio: minio.optional(),
  registry,
  imageConfig: imageConfig.optional(),
  pruner: pruner.optional(),
  storageSwitch: storageSwitch.optional(),
  applierRbac: applierRbac.optional(),
  gitops: z.enum(GitOpsTools).optional()
    .describe('The GitOps tool that applies dist/<name>/: argocd or flux writes only that tool\'s annotations (sync waves and options; prune, ssa and force), each complete on its own; both (default) writes both tools\' annotations.'),
}).describe('One OpenShift cluster: its internal image registry.');

/** A validated cluster config. */
export type ClusterConfig = z.infer<typeof clusterConfigSchema>;
/** The registry part of a cluster config. */
export type RegistryConfig = ClusterConfig['registry'];
/** The pruner part of a cluster config. */
export type PrunerConfig = NonNullable<ClusterConfig['pruner']>;
/** The MinIO part of a cluster config. */
export type MinioConfig = NonNullable<ClusterConfig['minio']>;
/** The imageConfig part of a cluster config. */
export type ImageConfigConfig = NonNullable<ClusterConfig['imageConfig']>;
/** The storageSwitch part of a cluster config. */
export type StorageSwitchConfig = NonNullable<ClusterConfig['storageSwitch']>;
/** The applierRbac part of a cluster config. */
export type ApplierRbacConfig = NonNullable<ClusterConfig['applierRbac']>;
/** A credentials section. */
export type CredentialsConfig = z.infer<typeof credentials>;

/**
 * The config file schema as JSON Schema (draft-07), for editors. An editor sees one file, not the
 * fleet's `_defaults.yaml` merged under it (merge.ts): any field may come from the defaults, so
 * none is required, and any field may be null, which removes an inherited one (so a map's count
 * of keys, such as one storage back end, is not known either). The loader checks the merged
 * config against the full schema.
 */
export function configJsonSchema(): object {
  return asOneFileOfAFleet(z.toJSONSchema(clusterConfigSchema, { target: 'draft-7' })) as object;
}

function asOneFileOfAFleet(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(asOneFileOfAFleet);
  if (typeof node !== 'object' || node === null) return node;
  const orNull = (schema: unknown) => (typeof schema === 'object' && schema !== null ? { anyOf: [asOneFileOfAFleet(schema), { type: 'null' }] } : schema);
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'required' || key === 'minProperties' || key === 'maxProperties') continue;
    if (key === 'properties') copy[key] = Object.fromEntries(Object.entries(value as object).map(([name, schema]) => [name, orNull(schema)]));
    else if (key === 'additionalProperties') copy[key] = orNull(value);
    else copy[key] = asOneFileOfAFleet(value);
  }
  return copy;
}
