import { SchemaProblem } from './crd-schemas';
import { IMAGE_PRUNER_NAME, REGISTRY_CONFIG_NAME } from '../../lib/registry/constants';
import { IMAGE_CONFIG_NAME } from '../../lib/openshift/image-config';
import { checkImageConfig } from '../../lib/rules/image-config-rules';
import { checkImagePruner } from '../../lib/rules/image-pruner';
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

/**
 * The registry operator's rules (lib/rules/registry-rules.ts, the same the constructs run) on
 * each registry Config among the objects of one cluster, with those objects as its siblings, and
 * the pruner's on each ImagePruner.
 */
export function checkRegistryRules(manifests: readonly Manifest[]): RuleProblem[] {
  const ofKind = (kind: string) => manifests.filter((m) => m.object.kind === kind && asString(m.object.apiVersion)?.startsWith('imageregistry.operator.openshift.io/'));
  const configs = ofKind('Config');
  const objects = new ObjectIndex(manifests.map((m) => m.object));
  return configs.flatMap((manifest): RuleProblem[] => {
    const named = asMap(manifest.object.metadata).name === REGISTRY_CONFIG_NAME ? []
      : [{ manifest, field: 'metadata.name', message: `the operator only reads the Config named ${REGISTRY_CONFIG_NAME}`, severity: 'error' as const }];
    const findings = checkRegistryConfig(manifest.object.spec, objects)
      .map(({ field, message, severity }) => ({ manifest, field: `spec.${field}`, message, severity }));
    return [...named, ...findings];
  }).concat(checkImageConfigRules(manifests), ofKind('ImagePruner').flatMap(checkPrunerManifest));
}

/** The image config rules (lib/rules/image-config-rules.ts, as the ImageConfig construct runs them) on each images.config.openshift.io Image. */
function checkImageConfigRules(manifests: readonly Manifest[]): RuleProblem[] {
  const images = manifests.filter((m) => m.object.kind === 'Image' && asString(m.object.apiVersion)?.startsWith('config.openshift.io/'));
  return images.flatMap((manifest): RuleProblem[] => {
    const named = asMap(manifest.object.metadata).name === IMAGE_CONFIG_NAME ? []
      : [{ manifest, field: 'metadata.name', message: `the cluster only reads the Image config named ${IMAGE_CONFIG_NAME}`, severity: 'error' as const }];
    return [...named, ...checkImageConfig(manifest.object.spec).map(({ field, message, severity }) => ({ manifest, field: `spec.${field}`, message, severity }))];
  });
}

/** The pruner's rules (lib/rules/image-pruner.ts, the same the ImagePruner construct runs) on one ImagePruner. */
function checkPrunerManifest(manifest: Manifest): RuleProblem[] {
  const named = asMap(manifest.object.metadata).name === IMAGE_PRUNER_NAME ? []
    : [{ manifest, field: 'metadata.name', message: `the operator only reads the ImagePruner named ${IMAGE_PRUNER_NAME} (it ignores others and creates its own)`, severity: 'error' as const }];
  const findings = checkImagePruner(manifest.object.spec)
    .map(({ field, message, severity }) => ({ manifest, field: `spec.${field}`, message, severity }));
  return [...named, ...findings];
}
