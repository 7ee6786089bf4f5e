import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { RegistryConfig } from '../config/schema';
import { AccessMode, RegistryPvc } from '../registry/registry-pvc';
import { RegistryStorage } from '../registry/registry-storage';
import { withinField } from '../validation/validation-error';

export interface RegistryStorageChartProps {
  /** The `registry.storage` section of a cluster config. */
  readonly storage: RegistryConfig['storage'];
}

/** What the registry stores images in: the objects to create (a PVC) and the storage choice. */
export class RegistryStorageChart extends Chart {
  /** The storage to hand to the registry Config. */
  public readonly storage: RegistryStorage;

  constructor(scope: Construct, id: string, props: RegistryStorageChartProps) {
    super(scope, id);
    const { pvc, existingClaim } = props.storage;
    if (pvc) {
      const claim = withinField('registry.storage.pvc', () => new RegistryPvc(this, 'Pvc', {
        ...pvc,
        accessMode: pvc.accessMode as AccessMode | undefined,
      }));
      this.storage = RegistryStorage.fromPvc(claim);
    } else if (existingClaim) {
      this.storage = withinField('registry.storage.existingClaim', () => RegistryStorage.fromExistingClaim({
        ...existingClaim,
        accessMode: existingClaim.accessMode as AccessMode | undefined,
      }));
    } else {
      this.storage = RegistryStorage.emptyDir();
    }
  }
}
