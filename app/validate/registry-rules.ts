import type { Application } from './as-applied';
import { SchemaProblem } from './crd-schemas';
import { IMAGE_CONFIG_NAME, IMAGE_PRUNER_NAME, REGISTRY_CONFIG_NAME } from '../../lib/registry/constants';
import { checkImageConfig } from '../../lib/rules/image-config-rules';
import { checkImagePruner } from '../../lib/rules/image-pruner';
import { DEFAULT_OPENSHIFT_VERSION, OpenShiftVersion } from '../../lib/rules/openshift-version';
import { checkRegistryConfig, ObjectIndex, RuleFinding } from '../../lib/rules/registry-rules';
import { asMap, asString } from '../../lib/rules/shapes';

/** A manifest object with the file it came from. */
export interface Manifest {
  readonly file: string;
  readonly object: { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> }; [key: string]: unknown };
  /**
   * How the cluster takes it (as-applied.ts).
   * @default 'whole'
   */
  readonly application?: Application;
  /**
   * The fields whose values are templates (ACM `{{ ... }}`): only their type is known (a typed
   * template is left out of the object).
   */
  readonly templated?: ReadonlySet<string>;
  /**
   * The ACM policy that applies it (acm-policies.ts), and the path of its object template there
   * (`spec.policy-templates[0].objectDefinition.spec.object-templates[1]`).
   */
  readonly within?: { readonly policy: Manifest['object']; readonly template: string; readonly enforced: boolean };
  /**
   * `toYaml(object)`, which synth writes anyway: the key of the per-process schema memo (JSON
   * otherwise). Another text gives the object that text's verdict.
   */
  readonly yaml?: string;
}

/** A rule's finding about one object. Only errors fail validation; a note says what was not checked. */
export interface RuleProblem extends SchemaProblem {
  readonly manifest: Manifest;
  readonly severity: 'error' | 'warning' | 'note';
  /** A field the cluster's version lacks: nothing below it is said. */
  readonly versionBound?: boolean;
}

/** A kind whose rules live in lib/rules: the one object of it the cluster reads, and its rules. */
interface RuledKind {
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
  /** The error for an object of another name. */
  readonly misnamed: string;
  /** `merged`: the object is merged into the live one (as-applied.ts), so a field left out keeps its live value. */
  readonly check: (spec: unknown, cluster: Cluster, merged: boolean) => RuleFinding[];
}

/** What rules about one object may look at: the cluster's other objects and its version. */
interface Cluster {
  readonly objects: () => ObjectIndex;
  readonly openshiftVersion: OpenShiftVersion;
}

/** The kinds this project writes rules for, each checked as its construct checks it. */
const RULED_KINDS: readonly RuledKind[] = [
  { apiGroup: 'imageregistry.operator.openshift.io/', kind: 'Config', name: REGISTRY_CONFIG_NAME, misnamed: `the operator only reads the Config named ${REGISTRY_CONFIG_NAME}`,
    check: (spec, cluster, merged) => checkRegistryConfig(spec, cluster.objects(), { openshiftVersion: cluster.openshiftVersion, merged }) },
  { apiGroup: 'imageregistry.operator.openshift.io/', kind: 'ImagePruner', name: IMAGE_PRUNER_NAME, misnamed: `the operator only reads the ImagePruner named ${IMAGE_PRUNER_NAME} (it ignores others and creates its own)`,
    check: (spec, cluster) => checkImagePruner(spec, { openshiftVersion: cluster.openshiftVersion }) },
  { apiGroup: 'config.openshift.io/', kind: 'Image', name: IMAGE_CONFIG_NAME, misnamed: `the cluster only reads the Image config named ${IMAGE_CONFIG_NAME}`,
    check: (spec, cluster) => checkImageConfig(spec, cluster.openshiftVersion, { registryInUse: registryInUse(cluster.objects()) }) },
];

/** Whether the cluster runs its internal registry, when its registry Config is among the objects. */
function registryInUse(objects: ObjectIndex): boolean | undefined {
  const config = objects.find('Config', REGISTRY_CONFIG_NAME, undefined, 'imageregistry.operator.openshift.io');
  if (!config) return undefined;
  const state = asMap(config.spec).managementState;
  return state === 'Removed' ? false : state === 'Managed' || state === 'Unmanaged' ? true : undefined;
}

/**
 * The rules of lib/rules, the same the constructs run and in the same words, on the objects of one
 * cluster: the registry Config (with the other objects as its siblings), the ImagePruner and the
 * image config, each against OpenShift `openshiftVersion`'s fields where they differ by version.
 */
export function checkRegistryRules(manifests: readonly Manifest[], openshiftVersion: OpenShiftVersion = DEFAULT_OPENSHIFT_VERSION): RuleProblem[] {
  let index: ObjectIndex | undefined;
  const cluster: Cluster = { objects: () => (index ??= new ObjectIndex(manifests.map((m) => m.object))), openshiftVersion };
  return RULED_KINDS.flatMap((ruled) => manifests
    .filter((m) => m.object.kind === ruled.kind && asString(m.object.apiVersion)?.startsWith(ruled.apiGroup))
    .flatMap((manifest): RuleProblem[] => {
      const named = asMap(manifest.object.metadata).name === ruled.name ? []
        : [{ manifest, field: 'metadata.name', message: ruled.misnamed, severity: 'error' as const }];
      const findings = ruled.check(manifest.object.spec, cluster, manifest.application === 'merged')
        .map(({ field, message, severity, versionBound }) => ({ manifest, field: `spec.${field}`, message, severity, ...(versionBound ? { versionBound } : {}) }));
      return [...named, ...findings];
    }));
}
