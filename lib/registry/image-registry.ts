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
import { DEFAULT_ROUTE_NAME, REGISTRY_CONFIG_NAME } from './constants';
import { RegistryStorage, STORAGE_BACKENDS } from './registry-storage';
import { checkDnsSubdomain, checkOneOf, checkQuantity, checkWholeNumber } from '../rules/kubernetes';
import { ValidationError } from '../rules/validation-error';

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
}

/**
 * The image registry operator's Config `cluster` (`imageregistry.operator.openshift.io/v1`),
 * with the operator's runtime rules checked at synth time.
 */
export class ImageRegistry extends Construct {
  /** The typed Config object, for escape hatches. */
  public readonly apiObject: Config;
  /** Replicas written to the Config. */
  public readonly replicas: number;
  /** Rollout strategy written to the Config, if any. */
  public readonly rolloutStrategy?: RolloutStrategy;

  constructor(scope: Construct, id: string, props: ImageRegistryProps) {
    super(scope, id);
    const storage = props.storage;
    const managementState = props.managementState ?? ManagementState.MANAGED;
    checkOneOf('managementState', managementState, Object.values(ManagementState));

    this.replicas = props.replicas ?? 1;
    checkWholeNumber('replicas', this.replicas);
    if (props.rolloutStrategy !== undefined) {
      checkOneOf('rolloutStrategy', props.rolloutStrategy, Object.values(RolloutStrategy));
    }
    this.rolloutStrategy = props.rolloutStrategy;

    if (storage.isReadWriteOnce) {
      // The operator refuses RWO with more than one replica, and with any strategy but
      // Recreate, including an empty one (the Deployment would default to RollingUpdate).
      if (this.replicas > 1) {
        throw new ValidationError('replicas', `ReadWriteOnce storage (claim "${storage.spec.pvc?.claim}") allows at most one registry replica, got ${this.replicas}; set replicas to 1, or use a ReadWriteMany claim`);
      }
      if (this.rolloutStrategy !== undefined && this.rolloutStrategy !== RolloutStrategy.RECREATE) {
        throw new ValidationError('rolloutStrategy', `ReadWriteOnce storage (claim "${storage.spec.pvc?.claim}") needs rolloutStrategy Recreate, got ${this.rolloutStrategy} (a rolling update would start a second pod on the volume); remove rolloutStrategy or set it to Recreate`);
      }
      this.rolloutStrategy = RolloutStrategy.RECREATE;
    }

    checkSingleBackend(storage);
    checkRoutes(props.routes ?? []);
    if (props.logLevel !== undefined) checkOneOf('logLevel', props.logLevel, Object.values(ConfigSpecLogLevel));
    for (const [kind, quantities] of Object.entries({ requests: props.resources?.requests, limits: props.resources?.limits })) {
      for (const [resource, quantity] of Object.entries(quantities ?? {})) {
        checkQuantity(`resources.${kind}.${resource}`, String(quantity.value));
      }
    }

    this.apiObject = new Config(this, 'Resource', {
      metadata: { name: REGISTRY_CONFIG_NAME },
      spec: {
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
      },
    });
  }
}

function checkSingleBackend(storage: RegistryStorage): void {
  const backends = STORAGE_BACKENDS.filter((key) => storage.spec[key] !== undefined);
  if (backends.length !== 1) {
    throw new ValidationError('storage', `exactly one storage back end must be configured (one of ${STORAGE_BACKENDS.join(', ')}), got ${backends.length ? backends.join(' and ') : 'none'}; the operator degrades otherwise`);
  }
}

function checkRoutes(routes: RegistryRoute[]): void {
  const seen = new Set<string>();
  routes.forEach((route, i) => {
    checkDnsSubdomain(`routes[${i}].name`, route.name);
    if (route.name === DEFAULT_ROUTE_NAME) {
      throw new ValidationError(`routes[${i}].name`, `"${DEFAULT_ROUTE_NAME}" is the route the operator creates for defaultRoute: true; set defaultRoute instead, or choose another name`);
    }
    if (seen.has(route.name)) {
      throw new ValidationError(`routes[${i}].name`, `route name "${route.name}" is used twice; route names must be unique`);
    }
    seen.add(route.name);
    if (route.hostname !== undefined) checkDnsSubdomain(`routes[${i}].hostname`, route.hostname);
    if (route.secretName !== undefined) checkDnsSubdomain(`routes[${i}].secretName`, route.secretName);
  });
}
