import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigSpecAffinity } from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import { asConfigField, checkAffinity, configResources, configWarnings } from './config-fields';
import { secretSourceFromConfig, storageCredentials } from './secret-source-from-config';
import { RegistryConfig } from '../config/schema';
import { ImageRegistry, LogLevel, ManagementState, RolloutStrategy } from '../../lib/registry/image-registry';
import { RegistryCredentials } from '../../lib/registry/registry-credentials';
import { RegistryStorage } from '../../lib/registry/registry-storage';
import { OpenShiftVersion } from '../../lib/rules/openshift-version';
import { ValidationError } from '../../lib/rules/validation-error';

export interface RegistryChartProps {
  /** The `registry` section of a cluster config. */
  readonly registry: RegistryConfig;
  /** Storage chosen by the storage chart. */
  readonly storage: RegistryStorage;
  /** The cluster's OpenShift version (the config's `openshiftVersion`). */
  readonly openshiftVersion?: OpenShiftVersion;
}

/** The registry operator's Config `cluster`, and the storage credentials it reads. */
export class RegistryChart extends Chart {
  public readonly registry: ImageRegistry;
  /** What the operator's rules say without refusing: [config field, message]. */
  public readonly warnings: readonly [string, string][];

  constructor(scope: Construct, id: string, props: RegistryChartProps) {
    super(scope, id);
    const { storage, resources, ...config } = props.registry;
    const credentials = storageCredentials(storage);
    if (credentials) {
      const backend = `registry.storage.${credentials.backend}`;
      try {
        new RegistryCredentials(this, 'Credentials', { storage: props.storage, source: secretSourceFromConfig(credentials.credentials) });
      } catch (e) {
        // RegistryCredentials names the storage's fields `storage.<field>`, and the source's as they are.
        if (!(e instanceof ValidationError)) throw e;
        throw e.field.startsWith('storage.') ? new ValidationError(`${backend}.${e.field.slice('storage.'.length)}`, e.problem) : e.within(`${backend}.credentials`);
      }
    }
    if (config.affinity) checkAffinity('Config', 'registry', config.affinity);
    const inConfig = (field: string) => `registry.${configField(field, storage)}`;
    this.registry = asConfigField(inConfig, () => new ImageRegistry(this, 'Registry', {
      ...config,
      storage: props.storage,
      openshiftVersion: props.openshiftVersion,
      managementState: config.managementState as ManagementState | undefined,
      rolloutStrategy: config.rolloutStrategy as RolloutStrategy | undefined,
      logLevel: config.logLevel as LogLevel | undefined,
      affinity: config.affinity as ConfigSpecAffinity | undefined,
      resources: configResources(resources),
    }));
    this.warnings = configWarnings(this.registry.warnings, inConfig);
  }
}

/** A field of the Config's spec as a config file names it (the claim is `pvc.name` there). */
function configField(specField: string, storage: RegistryConfig['storage']): string {
  const chosen = Object.keys(storage).find((key) => storage[key as keyof typeof storage] !== undefined);
  if (specField === 'storage.pvc.claim') return `storage.${chosen}.name`;
  if (specField === 'storage.managementState') return `storage.${chosen}.managementState`;
  return specField;
}
