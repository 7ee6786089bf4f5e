import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigSpecAffinity, ConfigSpecResourcesLimits, ConfigSpecResourcesRequests } from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import { PrunerConfig } from '../config/schema';
import { ImagePruner } from '../../lib/registry/image-pruner';
import { OpenShiftVersion } from '../../lib/rules/openshift-version';
import { LogLevel } from '../../lib/registry/image-registry';
import { CompiledSchemas } from '../validate/crd-schemas';
import { byKind } from '../validate/generated/crd-validators';
import { ValidationError, withinField } from '../../lib/rules/validation-error';

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
    if (affinity) checkAffinity(affinity);
    const quantities = <T>(from: (v: string) => T, values?: Record<string, string>) =>
      values && Object.fromEntries(Object.entries(values).map(([k, v]) => [k, from(v)]));
    // The construct's fields are the spec's, and the config's the same names under `pruner.`.
    this.pruner = withinField('pruner', () => new ImagePruner(this, 'ImagePruner', {
      ...config,
      openshiftVersion: props.openshiftVersion,
      logLevel: logLevel as LogLevel | undefined,
      affinity: affinity as ConfigSpecAffinity | undefined,
      resources: resources && {
        requests: quantities(ConfigSpecResourcesRequests.fromString, resources.requests),
        limits: quantities(ConfigSpecResourcesLimits.fromString, resources.limits),
      },
    }));
    this.warnings = this.pruner.warnings.map((text) => {
      const [field, ...message] = text.split(': ');
      return [`pruner.${field}`, message.join(': ')];
    });
  }
}

/**
 * The config passes affinity through as written, and the typed import would silently drop a
 * misspelt field: check it against the ImagePruner CRD's schema first, at its config path.
 */
function checkAffinity(affinity: object): void {
  const pruner = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', metadata: { name: 'cluster' }, spec: { affinity } };
  const [problem] = new CompiledSchemas(byKind).validate(pruner) ?? [];
  if (problem) throw new ValidationError(`pruner.${problem.field.replace(/^spec\./, '')}`, problem.message);
}
