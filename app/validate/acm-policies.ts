// Red Hat Advanced Cluster Management (open-cluster-management) policies: a `Policy` carries
// `ConfigurationPolicy` templates whose `object-templates` are the objects the managed clusters get.
// validate checks those objects as the config-policy-controller applies them
// (open-cluster-management-io/config-policy-controller, api/v1/configurationpolicy_types.go and
// controllers/configurationpolicy_controller.go):
// - `musthave` merges the template into the live object (keys the template leaves out are kept) or
//   creates the object from it;
// - `mustonlyhave` makes the live object's fields exactly the template's;
// - `mustnothave` deletes the object: nothing is applied;
// - string values holding `{{ ... }}` are templates, resolved on the hub or the managed cluster:
//   their type and value are not known here, so they are left out (and the object is read as merged).
import { applicationOf, withoutNulls } from './as-applied';
import type { Manifest } from './registry-rules';
import { asList, asMap, asString, isMap, Obj } from '../../lib/rules/shapes';

const POLICY_API = 'policy.open-cluster-management.io/';

/** True for an ACM Policy or ConfigurationPolicy, whose objects validate checks instead. */
export function isPolicy(object: Obj): boolean {
  return (asString(object.apiVersion)?.startsWith(POLICY_API) ?? false) && (object.kind === 'Policy' || object.kind === 'ConfigurationPolicy');
}

/** A problem of a policy itself (no template objects, or a raw template that cannot be read). */
export interface PolicyNote {
  readonly field: string;
  readonly message: string;
}

/**
 * The objects a Policy or ConfigurationPolicy applies, each as a manifest `within` the policy at
 * its path, and what validate cannot check of it.
 */
export function policyObjects(file: string, policy: Manifest['object']): { manifests: Manifest[]; notes: PolicyNote[] } {
  const manifests: Manifest[] = [];
  const notes: PolicyNote[] = [];
  const configurationPolicy = (object: unknown, at: string) => {
    const spec = asMap(asMap(object).spec);
    if (spec['object-templates-raw'] !== undefined) {
      notes.push({ field: `${at}spec.object-templates-raw`, message: 'not checked: object-templates-raw is a Go template, whose objects are known only when the policy controller renders it' });
    }
    asList(spec['object-templates']).forEach((template, j) => {
      const path = `${at}spec.object-templates[${j}]`;
      const complianceType = asString(asMap(template).complianceType)?.toLowerCase();
      const definition = asMap(template).objectDefinition;
      if (complianceType === 'mustnothave' || !isMap(definition)) return;
      const applied = withoutNulls(definition);
      const resolved = withoutTemplates(applied) as Manifest['object'];
      manifests.push({
        file, object: resolved, application: applicationOf(resolved, complianceType === 'mustonlyhave'), templated: resolved !== applied,
        within: { policy, template: path },
      });
    });
  };
  if (policy.kind === 'ConfigurationPolicy') configurationPolicy(policy, '');
  else {
    asList(asMap(policy.spec)['policy-templates']).forEach((template, i) => {
      const definition = asMap(template).objectDefinition;
      if (asMap(definition).kind === 'ConfigurationPolicy') configurationPolicy(definition, `spec.policy-templates[${i}].objectDefinition.`);
    });
  }
  return { manifests, notes };
}

const TEMPLATE = /\{\{.*\}\}/s;

/**
 * `value` with every map entry and list item that holds a template string left out; the value
 * itself when it holds none.
 */
function withoutTemplates(value: unknown): unknown {
  if (Array.isArray(value)) {
    const kept = value.filter((item) => !(typeof item === 'string' && TEMPLATE.test(item))).map(withoutTemplates);
    return kept.length === value.length && kept.every((item, i) => item === value[i]) ? value : kept;
  }
  if (!isMap(value)) return value;
  let copy: Obj | undefined;
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === 'string' && TEMPLATE.test(child)) {
      copy ??= { ...value };
      delete copy[key];
      continue;
    }
    const resolved = withoutTemplates(child);
    if (resolved !== child) (copy ??= { ...value })[key] = resolved;
  }
  return copy ?? value;
}
