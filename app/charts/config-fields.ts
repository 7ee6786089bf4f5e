// From a config section to a construct and back: the construct names its props, the config file
// names its fields; errors and warnings must point at the file's.
import { ConfigSpecResourcesLimits, ConfigSpecResourcesRequests } from '../../imports/imageregistry-imageregistry.operator.openshift.io';
import { CompiledSchemas } from '../validate/crd-schemas';
import { byKind } from '../validate/generated/crd-validators';
import { ValidationError } from '../../lib/rules/validation-error';

/** A construct prop (`storage.pvc.claim`) as the config field that set it (`registry.storage.pvc.name`). */
export type InConfig = (prop: string) => string;

/** Runs `build`, re-pointing a ValidationError from the construct's prop to its config field. */
export function asConfigField<T>(inConfig: InConfig, build: () => T): T {
  try {
    return build();
  } catch (e) {
    throw e instanceof ValidationError ? new ValidationError(inConfig(e.field), e.problem, e.versionBound) : e;
  }
}

/** A construct's warnings (`prop: message`) as [config field, message]. */
export function configWarnings(warnings: readonly string[], inConfig: InConfig): [string, string][] {
  return warnings.map((text) => {
    const [prop, ...message] = text.split(': ');
    return [inConfig(prop), message.join(': ')];
  });
}

/** A config's `resources` (quantities as strings) as the typed import's. */
export function configResources(resources?: { requests?: Record<string, string>; limits?: Record<string, string> }) {
  const quantities = <T>(from: (v: string) => T, values?: Record<string, string>) =>
    values && Object.fromEntries(Object.entries(values).map(([k, v]) => [k, from(v)]));
  return resources && {
    requests: quantities(ConfigSpecResourcesRequests.fromString, resources.requests),
    limits: quantities(ConfigSpecResourcesLimits.fromString, resources.limits),
  };
}

/**
 * The config passes affinity through as written, and the typed import would silently drop a
 * misspelt field: check it against the CRD's schema of `kind` first, at `section.affinity...`.
 */
export function checkAffinity(kind: 'Config' | 'ImagePruner', section: string, affinity: object): void {
  const object = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind, metadata: { name: 'cluster' }, spec: { ...(kind === 'Config' ? { replicas: 1 } : {}), affinity } };
  const [problem] = new CompiledSchemas(byKind).validate(object) ?? [];
  if (problem) throw new ValidationError(`${section}.${problem.field.replace(/^spec\./, '')}`, problem.message);
}
