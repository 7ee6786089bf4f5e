import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OPERATOR_CLAIM_NAME, REGISTRY_NAMESPACE } from './constants';
import { checkDnsSubdomain, checkQuantity } from '../rules/kubernetes';
import { checkProps, is, propTypes } from '../rules/prop-types';
import { ValidationError } from '../rules/validation-error';

/** Access modes the registry can use for its volume. */
export enum AccessMode {
  /** One node mounts the volume: one registry replica, `Recreate` rollouts. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Many nodes mount the volume: any number of replicas, rolling updates. */
  READ_WRITE_MANY = 'ReadWriteMany',
}

export interface RegistryPvcProps {
  /**
   * Name of the claim in `openshift-image-registry`. Never `image-registry-storage`, which the
   * operator reserves for the claim it creates itself.
   * @default 'image-registry-pvc'
   */
  readonly name?: string;

  /**
   * Requested size, a Kubernetes quantity.
   * @default '100Gi'
   */
  readonly size?: string;

  /**
   * Storage class of the claim.
   * @default - none set: the cluster's default storage class
   */
  readonly storageClassName?: string;

  /**
   * Access mode of the claim.
   * @default AccessMode.READ_WRITE_ONCE
   */
  readonly accessMode?: AccessMode;
}

/** The props' types, for callers without TypeScript (lib/rules/prop-types.ts). */
const PROP_TYPES = propTypes<RegistryPvcProps>('RegistryPvc', {
  name: is.string, size: is.string, storageClassName: is.string, accessMode: is.oneOf(Object.values(AccessMode)),
});

/** The PersistentVolumeClaim that holds the registry's images, in `openshift-image-registry`. */
export class RegistryPvc extends Construct {
  /** Claim name. */
  public readonly name: string;
  /** Access mode of the claim. */
  public readonly accessMode: AccessMode;
  /** The underlying PersistentVolumeClaim. */
  public readonly apiObject: k8s.KubePersistentVolumeClaim;

  constructor(scope: Construct, id: string, props: RegistryPvcProps = {}) {
    super(scope, id);
    checkProps(PROP_TYPES, props);
    this.name = props.name ?? 'image-registry-pvc';
    this.accessMode = props.accessMode ?? AccessMode.READ_WRITE_ONCE;
    const size = props.size ?? '100Gi';

    checkDnsSubdomain('name', this.name);
    if (this.name === OPERATOR_CLAIM_NAME) {
      // The operator accepts it when named (rules/registry-rules.ts warns why it is fragile); this
      // construct creates claims, and one of that name would be applied onto the operator's own.
      throw new ValidationError('name', `"${OPERATOR_CLAIM_NAME}" is the name of the claim the operator creates for itself: on a cluster that has it, this claim would be applied onto the operator's, and the operator refuses one it did not create whenever storage.pvc.claim is left empty; choose another name, or keep using the operator's claim with RegistryStorage.fromExistingClaim`);
    }
    checkQuantity('size', size, { positive: true });
    if (props.storageClassName !== undefined) checkDnsSubdomain('storageClassName', props.storageClassName);

    this.apiObject = new k8s.KubePersistentVolumeClaim(this, 'Resource', {
      metadata: { name: this.name, namespace: REGISTRY_NAMESPACE },
      spec: {
        accessModes: [this.accessMode],
        resources: { requests: { storage: k8s.Quantity.fromString(size) } },
        storageClassName: props.storageClassName,
      },
    });
  }
}
