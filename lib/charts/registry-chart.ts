import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigSpecAffinity, ConfigSpecResourcesLimits, ConfigSpecResourcesRequests } from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import { RegistryConfig } from '../config/schema';
import { ImageRegistry, LogLevel, ManagementState, RolloutStrategy } from '../registry/image-registry';
import { RegistryStorage } from '../registry/registry-storage';
import { withinField } from '../validation/validation-error';

export interface RegistryChartProps {
  /** The `registry` section of a cluster config. */
  readonly registry: RegistryConfig;
  /** Storage chosen by the storage chart. */
  readonly storage: RegistryStorage;
}

/** The registry operator's Config `cluster`. */
export class RegistryChart extends Chart {
  public readonly registry: ImageRegistry;

  constructor(scope: Construct, id: string, props: RegistryChartProps) {
    super(scope, id);
    const { storage: _storage, resources, ...config } = props.registry;
    const quantities = <T>(from: (v: string) => T, values?: Record<string, string>) =>
      values && Object.fromEntries(Object.entries(values).map(([k, v]) => [k, from(v)]));
    this.registry = withinField('registry', () => new ImageRegistry(this, 'Registry', {
      ...config,
      storage: props.storage,
      managementState: config.managementState as ManagementState | undefined,
      rolloutStrategy: config.rolloutStrategy as RolloutStrategy | undefined,
      logLevel: config.logLevel as LogLevel | undefined,
      affinity: config.affinity as ConfigSpecAffinity | undefined,
      resources: resources && {
        requests: quantities(ConfigSpecResourcesRequests.fromString, resources.requests),
        limits: quantities(ConfigSpecResourcesLimits.fromString, resources.limits),
      },
    }));
  }
}
