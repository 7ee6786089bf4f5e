import { Construct } from 'constructs';
import {
  Config,
  ConfigSpec,
  ConfigSpecAffinity,
  ConfigSpecLogLevel,
  ConfigSpecProxy,
  ConfigSpecResources,
  ConfigSpecRoutes,
  ConfigSpecTolerations,
} from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import { REGISTRY_CONFIG_NAME } from './constants';
import { RegistryStorage } from './registry-storage';
import { checkBuiltInSpecRules } from '../rules/cel/crd-rules';
import { checkDnsSubdomain, checkQuantity } from '../rules/kubernetes';
import { checkOpenShiftVersion, DEFAULT_OPENSHIFT_VERSION, OPENSHIFT_VERSIONS, OpenShiftVersion } from '../rules/openshift-version';
import { checkProps, is, propTypes } from '../rules/prop-types';
import { checkRegistryConfig, ObjectIndex, RuleFinding } from '../rules/registry-rules';
import { ValidationError } from '../rules/validation-error';
import { checkFirstInCluster, clusterObjects } from './cluster-scope';
import { NODE_SELECTOR, RESOURCES, ROUTE, TOLERATIONS } from './shared-props';

/** The management states the operator acts on (it only logs others, such as `Force`). */
export enum ManagementState {
  /** The operator deploys and updates the registry. */
  MANAGED = 'Managed',
  /** The operator leaves the registry as it is. */
  UNMANAGED = 'Unmanaged',
  /** The operator deletes the registry, and its storage when that storage is operator-managed. */
  REMOVED = 'Removed',
}

/** How the registry Deployment replaces its pods. */
export enum RolloutStrategy {
  /** Stop the old pod before starting the new one (required with ReadWriteOnce storage). */
  RECREATE = 'Recreate',
  /** Start new pods before stopping old ones (the Deployment default). */
  ROLLING_UPDATE = 'RollingUpdate',
}

/** Registry log verbosity (`spec.logLevel`). */
export { ConfigSpecLogLevel as LogLevel };

/** A route to the registry besides `default-route`. */
export type RegistryRoute = ConfigSpecRoutes;

/** Spec fields that `ImageRegistry` sets from its own props. */
type ManagedSpecField =
  | 'managementState' | 'replicas' | 'rolloutStrategy' | 'storage' | 'defaultRoute' | 'routes'
  | 'disableRedirect' | 'nodeSelector' | 'tolerations' | 'affinity' | 'resources' | 'logLevel' | 'proxy';

export interface ImageRegistryProps {
  /** Where the registry keeps its images. */
  readonly storage: RegistryStorage;

  /**
   * What the operator does with the registry.
   * @default ManagementState.MANAGED
   */
  readonly managementState?: ManagementState;

  /**
   * Number of registry pods: a whole number >= 0; at most 1 with ReadWriteOnce storage.
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Rollout strategy of the registry Deployment. ReadWriteOnce storage requires `Recreate`.
   * @default - `Recreate` with ReadWriteOnce storage; otherwise not set (the operator uses RollingUpdate)
   */
  readonly rolloutStrategy?: RolloutStrategy;

  /**
   * Whether the operator creates Route `default-route` (reencrypt) to the registry.
   * @default - not set (the operator's current value is kept)
   */
  readonly defaultRoute?: boolean;

  /**
   * Extra routes; names unique and never `default-route`.
   * @default - none
   */
  readonly routes?: RegistryRoute[];

  /**
   * Whether the registry serves blobs itself instead of redirecting clients to the storage.
   * @default - true for a store only reachable in the cluster (MinIO); otherwise not set (the operator redirects)
   */
  readonly disableRedirect?: boolean;

  /**
   * Node selector for registry pods.
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Tolerations of registry pods.
   * @default - none
   */
  readonly tolerations?: ConfigSpecTolerations[];

  /**
   * Affinity of registry pods.
   * @default - none
   */
  readonly affinity?: ConfigSpecAffinity;

  /**
   * Compute resources of registry pods.
   * @default - none (the operator's defaults)
   */
  readonly resources?: ConfigSpecResources;

  /**
   * Registry log level.
   * @default - not set (the operator uses Normal)
   */
  readonly logLevel?: ConfigSpecLogLevel;

  /**
   * Proxy for the registry's outgoing connections (to its storage, for example).
   * @default - none
   */
  readonly proxy?: ConfigSpecProxy;

  /**
   * Any other field of the Config's spec, as the typed import defines it (readOnly, requests,
   * topologySpreadConstraints, ...). Fields set from the props above cannot be given here.
   * @default - none
   */
  readonly additionalSpec?: Omit<ConfigSpec, ManagedSpecField>;

  /**
   * The OpenShift minor version of the cluster (`"4.16"`): a spec field its Config CRD lacks (such
   * as `storage.s3.chunkSizeMiB` before 4.17) is an error, and so is `oss` storage from 4.17 on.
   * @default DEFAULT_OPENSHIFT_VERSION - the newest known ("4.23"), the version the typed imports come from
   */
  readonly openshiftVersion?: OpenShiftVersion;
}

/** The props' types, for callers without TypeScript (lib/rules/prop-types.ts). */
const PROP_TYPES = propTypes<ImageRegistryProps>('ImageRegistry', {
  storage: is.instanceOf(RegistryStorage, 'a RegistryStorage (RegistryStorage.fromPvc, .s3, .fromMinio, ...)').isRequired,
  managementState: is.oneOf(Object.values(ManagementState)),
  replicas: is.number,
  rolloutStrategy: is.oneOf(Object.values(RolloutStrategy)),
  defaultRoute: is.boolean,
  routes: is.listOf(ROUTE),
  disableRedirect: is.boolean,
  nodeSelector: NODE_SELECTOR,
  tolerations: TOLERATIONS,
  affinity: is.map<ConfigSpecAffinity>(),
  resources: RESOURCES,
  logLevel: is.oneOf(Object.values(ConfigSpecLogLevel)),
  proxy: is.shape<ConfigSpecProxy>({ http: is.string, https: is.string, noProxy: is.string }),
  additionalSpec: is.map<Omit<ConfigSpec, ManagedSpecField>>(),
  openshiftVersion: is.oneOf(OPENSHIFT_VERSIONS, 'a known OpenShift version'),
});

/**
 * The image registry operator's Config `cluster` (`imageregistry.operator.openshift.io/v1`),
 * with the operator's rules (rules/registry-rules.ts) checked when it is made, against the other
 * objects of its cluster made so far: its claim, the S3 store's Service, the credentials. Make the
 * registry after them. A cluster is the App's child that holds the registry (see clusterScope):
 * with several clusters in one App, give each a chart of its own, or a construct that holds its
 * charts; one Config per cluster.
 */
export class ImageRegistry extends Construct {
  /** The typed Config object, for escape hatches. */
  public readonly apiObject: Config;
  /** Replicas written to the Config. */
  public readonly replicas: number;
  /** The cluster's OpenShift version the Config was checked against. */
  public readonly openshiftVersion: OpenShiftVersion;
  /** Rollout strategy written to the Config, if any. */
  public readonly rolloutStrategy?: RolloutStrategy;
  /**
   * What the operator's rules say without refusing, such as what `managementState: Removed`
   * would delete: `field: message`, for an app to show. (Objects that are not made here, a claim
   * or Secret that must exist in the cluster, are `validate`'s to report.)
   */
  public readonly warnings: readonly string[];

  constructor(scope: Construct, id: string, props: ImageRegistryProps) {
    super(scope, id);
    checkProps(PROP_TYPES, props);
    const storage = props.storage;
    this.openshiftVersion = checkOpenShiftVersion('openshiftVersion', props.openshiftVersion ?? DEFAULT_OPENSHIFT_VERSION);
    const managementState = props.managementState ?? ManagementState.MANAGED;
    this.replicas = props.replicas ?? 1;
    // The operator needs Recreate with ReadWriteOnce storage: the default there, a rule below.
    this.rolloutStrategy = props.rolloutStrategy ?? (storage.isReadWriteOnce ? RolloutStrategy.RECREATE : undefined);
    checkRouteNames(props.routes ?? []);
    for (const [kind, quantities] of Object.entries({ requests: props.resources?.requests, limits: props.resources?.limits })) {
      for (const [resource, quantity] of Object.entries(quantities ?? {})) {
        checkQuantity(`resources.${kind}.${resource}`, String(quantity.value));
      }
    }

    const spec: ConfigSpec = {
      ...props.additionalSpec,
      managementState,
      replicas: this.replicas,
      rolloutStrategy: this.rolloutStrategy,
      storage: storage.spec,
      defaultRoute: props.defaultRoute,
      routes: props.routes?.length ? props.routes : undefined,
      disableRedirect: props.disableRedirect ?? (storage.inCluster ? true : undefined),
      nodeSelector: props.nodeSelector,
      tolerations: props.tolerations,
      affinity: props.affinity,
      resources: props.resources,
      logLevel: props.logLevel,
      proxy: props.proxy,
    };
    // The operator's rules, as `validate` runs them on manifests, over this cluster's objects made so far.
    const json = Config.manifest({ metadata: { name: REGISTRY_CONFIG_NAME }, spec }).spec;
    // Only the kinds the rules read are rendered: each cdk8s toJson costs, and a fleet renders thousands.
    const others = clusterObjects(this).filter((o) => ObjectIndex.reads(o.kind)).map((o) => o.toJson());
    const findings: RuleFinding[] = [
      ...checkRegistryConfig(json, others, { claimAccessModes: storage.accessMode && [storage.accessMode], openshiftVersion: this.openshiftVersion }),
      // The CRD's CEL rules, as this version's CRD has them (validate runs them with the schema).
      ...checkBuiltInSpecRules(`${Config.GVK.apiVersion} ${Config.GVK.kind}`, json, this.openshiftVersion),
    ];
    const error = findings.find((f) => f.severity === 'error');
    if (error) throw new ValidationError(error.field, error.message, error.versionBound);
    this.warnings = findings.filter((f) => !f.unverified).map((f) => `${f.field}: ${f.message}`);

    checkFirstInCluster(this, Config.GVK.apiVersion, Config.GVK.kind, REGISTRY_CONFIG_NAME);
    this.apiObject = new Config(this, 'Resource', { metadata: { name: REGISTRY_CONFIG_NAME }, spec });
  }
}

/** Route names and hostnames as the API server takes them; the operator's route rules are in rules/. */
function checkRouteNames(routes: RegistryRoute[]): void {
  routes.forEach((route, i) => {
    checkDnsSubdomain(`routes[${i}].name`, route.name);
    if (route.hostname !== undefined) checkDnsSubdomain(`routes[${i}].hostname`, route.hostname);
    if (route.secretName !== undefined) checkDnsSubdomain(`routes[${i}].secretName`, route.secretName);
  });
}
