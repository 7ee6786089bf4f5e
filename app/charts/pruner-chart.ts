import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigSpecAffinity } from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import { asConfigField, checkAffinity, configResources, configWarnings } from './config-fields';
import { PrunerConfig } from '../config/schema';
import { ImagePruner } from '../../lib/registry/image-pruner';
import { OpenShiftVersion } from '../../lib/rules/openshift-version';
import { LogLevel } from '../../lib/registry/image-registry';

export interface PrunerChartProps {
  /** The `pruner` section of a cluster config. */
  readonly pruner: PrunerConfig;
  /** The cluster's OpenShift version (the config's `openshiftVersion`). */
  readonly openshiftVersion?: OpenShiftVersion;
}

/** The operator's ImagePruner `cluster`, from the config's `pruner` section (only when there is one). */
export class PrunerChart extends Chart {
  public readonly pruner: ImagePruner;
  /** What the pruner's rules say without refusing: [config field, message]. */
  public readonly warnings: readonly [string, string][];

  constructor(scope: Construct, id: string, props: PrunerChartProps) {
    super(scope, id);
    // keepYoungerThan never gets here: the schema refuses it.
    const { resources, affinity, logLevel, keepYoungerThan: _deprecated, ...config } = props.pruner;
    if (affinity) checkAffinity('ImagePruner', 'pruner', affinity);
    // The construct's fields are the spec's, and the config's the same names under `pruner.`.
    const inConfig = (prop: string) => `pruner.${prop}`;
    this.pruner = asConfigField(inConfig, () => new ImagePruner(this, 'ImagePruner', {
      ...config,
      openshiftVersion: props.openshiftVersion,
      logLevel: logLevel as LogLevel | undefined,
      affinity: affinity as ConfigSpecAffinity | undefined,
      resources: configResources(resources),
    }));
    this.warnings = configWarnings(this.pruner.warnings, inConfig);
  }
}
