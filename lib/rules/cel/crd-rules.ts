// The CEL rules of the CRDs this project knows (generated/cel-rules.ts), per OpenShift minor,
// run on an object of their kind: what the API server checks besides the schema.
import { CEL_RULES } from '../generated/cel-rules';
import { DEFAULT_OPENSHIFT_VERSION, OPENSHIFT_VERSIONS, OpenShiftVersion } from '../openshift-version';
import { CelFinding, CelCheckOptions, checkCelSchema } from './evaluate';
import { CelSchema } from './schema';

export type { CelFinding } from './evaluate';

/** The Kubernetes minor an OpenShift minor runs: OpenShift 4.x is Kubernetes 1.(x+13) (4.12 is 1.25). */
export function kubernetesMinorOf(version: OpenShiftVersion): number {
  return Number(version.split('.')[1]) + 13;
}

const order = (version: string) => OPENSHIFT_VERSIONS.indexOf(version as OpenShiftVersion);

/** The rules of `group/version Kind` on an OpenShift minor; undefined when its CRD there has none. */
export function builtInCelSchema(key: string, version: OpenShiftVersion = DEFAULT_OPENSHIFT_VERSION): CelSchema | undefined {
  const sets = Object.hasOwn(CEL_RULES, key) ? CEL_RULES[key] : undefined;
  return sets?.find((s) => (s.first === undefined || order(s.first) <= order(version)) && (s.last === undefined || order(version) <= order(s.last)))?.schema;
}

/**
 * The CRD rules of a whole object of a built-in kind (`apiVersion`, `kind`) on an OpenShift
 * minor, with fields relative to the object (`spec.registrySources`). Nothing is loaded, and
 * nothing runs, unless the object has a value where its CRD holds a rule.
 */
export function checkBuiltInCelRules(object: { readonly apiVersion?: unknown; readonly kind?: unknown; readonly [field: string]: unknown }, version: OpenShiftVersion = DEFAULT_OPENSHIFT_VERSION): CelFinding[] {
  const schema = builtInCelSchema(`${String(object.apiVersion)} ${String(object.kind)}`, version);
  return schema ? checkCelSchema(schema, object, celOptions(version)) : [];
}

/**
 * The rules below `spec` of a built-in kind on `spec` alone, with fields relative to it
 * (`registrySources`): what a construct checks on the spec it is about to write.
 */
export function checkBuiltInSpecRules(key: string, spec: unknown, version: OpenShiftVersion = DEFAULT_OPENSHIFT_VERSION): CelFinding[] {
  const specSchema = builtInCelSchema(key, version)?.properties?.spec;
  return specSchema ? checkCelSchema(specSchema, spec, celOptions(version)) : [];
}

export function celOptions(version: OpenShiftVersion): CelCheckOptions {
  return { kubernetesMinor: kubernetesMinorOf(version) };
}
