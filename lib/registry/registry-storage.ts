import { ConfigSpecStorage } from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import { OPERATOR_CLAIM_NAME } from './constants';
import { AccessMode, RegistryPvc } from './registry-pvc';
import { checkDnsSubdomain, checkOneOf } from '../validation/kubernetes';
import { ValidationError } from '../validation/validation-error';

/** The storage back-end keys of `spec.storage`: the operator accepts exactly one of them. */
export const STORAGE_BACKENDS = ['s3', 'gcs', 'swift', 'azure', 'pvc', 'emptyDir', 'ibmcos', 'oss'] as const;

export interface ExistingClaimProps {
  /** Name of a claim that already exists in `openshift-image-registry`. */
  readonly name: string;

  /**
   * Access mode of that claim. ReadWriteOnce (the default) is safe for either kind of claim:
   * it pins the registry to one replica and `Recreate` rollouts.
   * @default AccessMode.READ_WRITE_ONCE
   */
  readonly accessMode?: AccessMode;
}

/**
 * Where the registry keeps its images: one back end, chosen with a static factory.
 * The operator fails with "exactly one storage type should be configured" otherwise.
 */
export class RegistryStorage {
  /** A claim created by this project (see `RegistryPvc`). */
  public static fromPvc(pvc: RegistryPvc): RegistryStorage {
    return new RegistryStorage({ pvc: { claim: pvc.name } }, pvc.accessMode);
  }

  /** A claim that already exists in `openshift-image-registry`. */
  public static fromExistingClaim(props: ExistingClaimProps): RegistryStorage {
    const accessMode = props.accessMode ?? AccessMode.READ_WRITE_ONCE;
    checkDnsSubdomain('name', props.name);
    if (props.name === OPERATOR_CLAIM_NAME) {
      throw new ValidationError('name', `"${OPERATOR_CLAIM_NAME}" is the claim the operator manages itself; to let the operator create it, use another storage choice, or name a claim you created`);
    }
    checkOneOf('accessMode', accessMode, Object.values(AccessMode));
    return new RegistryStorage({ pvc: { claim: props.name } }, accessMode);
  }

  /** Pod-local storage: images are lost whenever a registry pod restarts. For labs only. */
  public static emptyDir(): RegistryStorage {
    return new RegistryStorage({ emptyDir: {} });
  }

  /**
   * Any back end as the typed import spells it (gcs, azure, swift, ibmcos, oss, ...), for what
   * has no factory of its own. `ImageRegistry` checks that exactly one back end is set.
   */
  public static fromStorageSpec(spec: ConfigSpecStorage): RegistryStorage {
    if (spec.pvc) {
      throw new ValidationError('pvc', 'a claim needs its access mode: use RegistryStorage.fromPvc or fromExistingClaim');
    }
    return new RegistryStorage(spec);
  }

  private constructor(
    /** The `spec.storage` value of the registry Config. */
    public readonly spec: ConfigSpecStorage,
    /** Access mode of the claim, for PVC storage. */
    public readonly accessMode?: AccessMode,
  ) {}

  /** True when the registry's volume can be mounted by one node only. */
  public get isReadWriteOnce(): boolean {
    return this.accessMode === AccessMode.READ_WRITE_ONCE;
  }
}
