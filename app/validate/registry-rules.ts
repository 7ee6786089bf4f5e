import { SchemaProblem } from './crd-schemas';
import { REGISTRY_CONFIG_NAME } from '../../lib/registry/constants';
import { checkVersionFields, DEFAULT_OPENSHIFT_VERSION, OpenShiftVersion, VERSIONED_KINDS } from '../../lib/rules/openshift-version';
import { checkRegistryConfig, ObjectIndex } from '../../lib/rules/registry-rules';
import { asMap, asString } from '../../lib/rules/shapes';

/** A manifest object with the file it came from. */
export interface Manifest {
  readonly file: string;
  readonly object: { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> }; [key: string]: unknown };
}

/** A rule's finding about one object. Warnings do not fail validation. */
export interface RuleProblem extends SchemaProblem {
  readonly manifest: Manifest;
  readonly severity: 'error' | 'warning';
}

/** The API group of the registry operator's kinds. */
const GROUP = 'imageregistry.operator.openshift.io/';

/**
 * The registry operator's rules (lib/rules/registry-rules.ts, the same the constructs run) on
 * each registry Config among the objects of one cluster, with those objects as its siblings; and
 * on every kind of the operator's group whose fields differ by version (the ImagePruner), the
 * fields that OpenShift `openshiftVersion` lacks.
 */
export function checkRegistryRules(manifests: readonly Manifest[], openshiftVersion: OpenShiftVersion = DEFAULT_OPENSHIFT_VERSION): RuleProblem[] {
  const ours = manifests.filter((m) => asString(m.object.apiVersion)?.startsWith(GROUP));
  const configs = ours.filter((m) => m.object.kind === 'Config');
  const others = ours.filter((m) => m.object.kind !== 'Config' && VERSIONED_KINDS.includes(m.object.kind as string));
  const objects = configs.length ? new ObjectIndex(manifests.map((m) => m.object)) : undefined;
  const inSpec = (manifest: Manifest) => ({ field, message, severity }: { field: string; message: string; severity: 'error' | 'warning' }): RuleProblem =>
    ({ manifest, field: `spec.${field}`, message, severity });
  return [
    ...configs.flatMap((manifest): RuleProblem[] => {
      const named = asMap(manifest.object.metadata).name === REGISTRY_CONFIG_NAME ? []
        : [{ manifest, field: 'metadata.name', message: `the operator only reads the Config named ${REGISTRY_CONFIG_NAME}`, severity: 'error' as const }];
      return [...named, ...checkRegistryConfig(manifest.object.spec, objects!, { openshiftVersion }).map(inSpec(manifest))];
    }),
    ...others.flatMap((manifest) => checkVersionFields(asString(manifest.object.kind)!, manifest.object.spec, openshiftVersion).map(inSpec(manifest))),
  ];
}
