import { Construct } from 'constructs';
import {
  ImagePruner as ImagePrunerObject,
  ImagePrunerSpec,
  ImagePrunerSpecLogLevel,
} from '../../imports/imagepruner-imageregistry.operator.openshift.io';
import { IMAGE_PRUNER_NAME } from './constants';
import { ImageRegistryProps, LogLevel } from './image-registry';
import { checkImagePruner } from '../rules/image-pruner';
import { checkOpenShiftVersion, DEFAULT_OPENSHIFT_VERSION, OPENSHIFT_VERSIONS, OpenShiftVersion } from '../rules/openshift-version';
import { checkQuantity } from '../rules/kubernetes';
import { checkProps, is, propTypes } from '../rules/prop-types';
import { ValidationError } from '../rules/validation-error';
import { checkFirstInCluster } from './cluster-scope';
import { NODE_SELECTOR, RESOURCES, TOLERATIONS } from './shared-props';

// What the operator does with an unset field is in pkg/resource/prunercronjob.go (the CronJob's
// values) and pkg/operator/controllerimagepruner.go (Bootstrap: the ImagePruner it creates at
// install). The object is applied as a partial object: an unset field keeps the cluster's value.

export interface ImagePrunerProps {
  /**
   * When the pruner runs: a CronJob schedule (five fields, or @daily, @hourly, @every 6h, ...),
   * in the time zone of kube-controller-manager (UTC on OpenShift). TZ= and CRON_TZ= are refused.
   * @default - not set: the operator's CronJob runs "0 0 * * *" (daily at midnight)
   */
  readonly schedule?: string;

  /**
   * Whether the CronJob is suspended: no image is pruned while it is true.
   * @default - not set: the operator's pruner has false, and the CronJob gets false when unset
   */
  readonly suspend?: boolean;

  /**
   * Image revisions kept per image stream tag (`oc adm prune images --keep-tag-revisions`): >= 0.
   * @default - not set: the operator's pruner has 3, and the CronJob uses 3 when unset
   */
  readonly keepTagRevisions?: number;

  /**
   * Images (and what refers to them) younger than this are never pruned: a Go duration such as
   * 60m, 1h30m or 168h (no days), >= 0. The deprecated nanosecond `keepYoungerThan` is not offered.
   * @default - not set: the CronJob uses 60m
   */
  readonly keepYoungerThanDuration?: string;

  /**
   * Whether the pruner goes on when an image reference cannot be parsed (`--ignore-invalid-refs`);
   * false stops the whole run at the first bad reference.
   * @default - not set: the operator's pruner has true; a pruner without the field runs with false
   */
  readonly ignoreInvalidImageReferences?: boolean;

  /**
   * Compute resources of the pruner pod; they replace the operator's as a whole.
   * @default - not set: requests cpu 100m and memory 256Mi, no limits
   */
  readonly resources?: ImageRegistryProps['resources'];

  /**
   * Node selector of the pruner pod.
   * @default - none
   */
  readonly nodeSelector?: ImageRegistryProps['nodeSelector'];

  /**
   * Tolerations of the pruner pod.
   * @default - none
   */
  readonly tolerations?: ImageRegistryProps['tolerations'];

  /**
   * Affinity of the pruner pod.
   * @default - none
   */
  readonly affinity?: ImageRegistryProps['affinity'];

  /**
   * Log level of the pruner job (Normal runs `oc` at -v=1, Debug 4, Trace 6, TraceAll 8).
   * @default - not set: Normal
   */
  readonly logLevel?: LogLevel;

  /**
   * Finished successful pruner Jobs kept: 0 to 2147483647.
   * @default - not set: the operator's pruner has 3, and the CronJob keeps 3 when unset
   */
  readonly successfulJobsHistoryLimit?: number;

  /**
   * Failed pruner Jobs kept: 0 to 2147483647.
   * @default - not set: the operator's pruner has 3, and the CronJob keeps 3 when unset
   */
  readonly failedJobsHistoryLimit?: number;

  /**
   * The OpenShift minor version of the cluster (`"4.15"`): a spec field its ImagePruner CRD lacks
   * (such as `resources.claims` before 4.13) is an error.
   * @default DEFAULT_OPENSHIFT_VERSION - the newest known ("4.23"), the version the typed imports come from
   */
  readonly openshiftVersion?: OpenShiftVersion;
}

/** The props' types, for callers without TypeScript (lib/rules/prop-types.ts). */
const PROP_TYPES = propTypes<ImagePrunerProps>('ImagePruner', {
  schedule: is.string,
  suspend: is.boolean,
  keepTagRevisions: is.number,
  keepYoungerThanDuration: is.string,
  ignoreInvalidImageReferences: is.boolean,
  resources: RESOURCES,
  nodeSelector: NODE_SELECTOR,
  tolerations: TOLERATIONS,
  affinity: is.map<NonNullable<ImageRegistryProps['affinity']>>(),
  logLevel: is.oneOf(Object.values(LogLevel)),
  successfulJobsHistoryLimit: is.number,
  failedJobsHistoryLimit: is.number,
  openshiftVersion: is.oneOf(OPENSHIFT_VERSIONS, 'a known OpenShift version'),
});

/**
 * The image registry operator's ImagePruner `cluster` (`imageregistry.operator.openshift.io/v1`),
 * with the pruner's rules (rules/image-pruner.ts) checked when it is made. Only the fields given
 * are written: the operator creates this object at install, so a GitOps tool adopts it, and a
 * server-side apply of the fields set here leaves the others as they are.
 */
export class ImagePruner extends Construct {
  /** The typed ImagePruner object, for escape hatches. */
  public readonly apiObject: ImagePrunerObject;
  /** What the pruner's rules say without refusing: `field: message`. */
  public readonly warnings: readonly string[];
  /** The cluster's OpenShift version the ImagePruner was checked against. */
  public readonly openshiftVersion: OpenShiftVersion;

  constructor(scope: Construct, id: string, props: ImagePrunerProps = {}) {
    super(scope, id);
    checkProps(PROP_TYPES, props);
    this.openshiftVersion = checkOpenShiftVersion('openshiftVersion', props.openshiftVersion ?? DEFAULT_OPENSHIFT_VERSION);
    for (const [kind, quantities] of Object.entries({ requests: props.resources?.requests, limits: props.resources?.limits })) {
      for (const [resource, quantity] of Object.entries(quantities ?? {})) {
        checkQuantity(`resources.${kind}.${resource}`, String(quantity.value));
      }
    }
    // The Config's pod types (the props') and the ImagePruner's are the same Kubernetes types, generated twice.
    const spec: ImagePrunerSpec = {
      schedule: props.schedule,
      suspend: props.suspend,
      keepTagRevisions: props.keepTagRevisions,
      keepYoungerThanDuration: props.keepYoungerThanDuration,
      ignoreInvalidImageReferences: props.ignoreInvalidImageReferences,
      resources: props.resources,
      nodeSelector: props.nodeSelector,
      tolerations: props.tolerations,
      affinity: props.affinity,
      // One LogLevel enum for both objects: the same four values.
      logLevel: props.logLevel as string | undefined as ImagePrunerSpecLogLevel | undefined,
      successfulJobsHistoryLimit: props.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: props.failedJobsHistoryLimit,
    };
    const json = ImagePrunerObject.manifest({ metadata: { name: IMAGE_PRUNER_NAME }, spec }).spec;
    const findings = checkImagePruner(json, { openshiftVersion: this.openshiftVersion });
    const error = findings.find((f) => f.severity === 'error');
    if (error) throw new ValidationError(error.field, error.message, error.versionBound);
    this.warnings = findings.map((f) => `${f.field}: ${f.message}`);

    checkFirstInCluster(this, ImagePrunerObject.GVK.apiVersion, ImagePrunerObject.GVK.kind, IMAGE_PRUNER_NAME);
    this.apiObject = new ImagePrunerObject(this, 'Resource', { metadata: { name: IMAGE_PRUNER_NAME }, spec });
  }
}
