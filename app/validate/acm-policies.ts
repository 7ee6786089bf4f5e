// Red Hat Advanced Cluster Management (open-cluster-management) policies: a `Policy` carries
// `ConfigurationPolicy` templates whose `object-templates` are the objects the managed clusters get.
// validate checks those objects as the config-policy-controller applies them
// (open-cluster-management-io/config-policy-controller, api/v1/configurationpolicy_types.go and
// controllers/configurationpolicy_controller.go):
// - `musthave` merges the template into the live object (keys the template leaves out are kept) or
//   creates the object from it;
// - `mustonlyhave` makes the live object's fields exactly the template's;
// - `mustnothave` deletes the object: nothing is applied;
// - string values holding `{{ ... }}` are templates, resolved on the hub or the managed cluster.
//   A template whose pipeline ends in toInt, toBool or toLiteral becomes a typed value; any other
//   stays a string (stolostron/go-template-utils templates.go processForDataTypes). So a field's
//   type is checked (a boolean field given a plain template gets a string), not its value, which is
//   known only once rendered.
import { applicationOf, isClusterSingleton, withoutNulls } from './as-applied';
import type { Manifest } from './registry-rules';
import { asList, asMap, asString, isMap, Obj } from '../../lib/rules/shapes';

const POLICY_API = 'policy.open-cluster-management.io/';

/** True for an ACM Policy or ConfigurationPolicy, whose objects validate checks instead. */
export function isPolicy(object: Obj): boolean {
  return (asString(object.apiVersion)?.startsWith(POLICY_API) ?? false) && (object.kind === 'Policy' || object.kind === 'ConfigurationPolicy');
}

/** A finding about a policy itself: what it does to the cluster, or what cannot be checked. */
export interface PolicyFinding {
  readonly field: string;
  readonly message: string;
  readonly severity: 'error' | 'warning' | 'note';
}

/**
 * The objects a Policy or ConfigurationPolicy applies, each as a manifest `within` the policy at
 * its path, and the findings about the policy itself.
 */
export function policyObjects(file: string, policy: Manifest['object']): { manifests: Manifest[]; findings: PolicyFinding[] } {
  const manifests: Manifest[] = [];
  const findings: PolicyFinding[] = [];
  const note = (field: string, message: string) => findings.push({ field, message, severity: 'note' });
  // A Policy's remediationAction overrides its templates' (governance-policy-propagator).
  const policyAction = asString(asMap(policy.spec).remediationAction)?.toLowerCase();
  const configurationPolicy = (object: unknown, at: string) => {
    const spec = asMap(asMap(object).spec);
    const enforced = (policyAction ?? asString(spec.remediationAction)?.toLowerCase()) === 'enforce';
    // What removing the policy deletes (configurationpolicy_types.go PruneObjectBehavior).
    const prune = asString(spec.pruneObjectBehavior);
    if (spec['object-templates-raw'] !== undefined) {
      note(`${at}spec.object-templates-raw`, 'not checked: object-templates-raw is a Go template, whose objects are known only when the policy controller renders it');
    }
    asList(spec['object-templates']).forEach((template, j) => {
      const path = `${at}spec.object-templates[${j}]`;
      const complianceType = asString(asMap(template).complianceType)?.toLowerCase();
      const definition = asMap(template).objectDefinition;
      if (!isMap(definition)) return;
      const claim = isClaim(definition) ? `PersistentVolumeClaim ${String(asMap(definition.metadata).namespace)}/${String(asMap(definition.metadata).name)}` : undefined;
      if (complianceType === 'mustnothave') {
        // handleSingleObj / enforceByDeleting: a named object is deleted whenever it exists.
        if (enforced && isClusterSingleton(definition)) {
          findings.push({ field: `${path}.complianceType`, severity: 'error', message: `mustnothave deletes ${String(definition.kind)} ${String(asMap(definition.metadata).name)} at every evaluation: the cluster recreates it and the policy deletes it again${definition.kind === 'Config' ? ' (the registry Config\'s finalizer removes the registry, and its storage when Managed)' : ''}; use musthave with the fields to set` });
        }
        if (enforced && claim) findings.push({ field: `${path}.complianceType`, severity: 'warning', message: `mustnothave deletes ${claim} wherever it exists, and with it the data on its volume (the registry's images, if the registry uses it)` });
        return;
      }
      if (claim && (prune === 'DeleteAll' || prune === 'DeleteIfCreated')) {
        findings.push({ field: `${at}spec.pruneObjectBehavior`, severity: 'warning', message: `${prune}: removing this policy deletes ${claim}${prune === 'DeleteIfCreated' ? ' where the policy created it' : ''}, and with it the data on its volume (the registry's images, if the registry uses it); use None to keep it` });
      }
      const applied = withoutNulls(definition);
      const templated = new Set<string>();
      const resolved = resolveTemplates(applied, '', templated) as Manifest['object'];
      if (templated.has('apiVersion') || templated.has('kind')) {
        note(`${path}.objectDefinition`, `not checked: its ${templated.has('apiVersion') ? 'apiVersion' : 'kind'} is a template, known only once the policy controller renders it`);
        return;
      }
      manifests.push({
        file, object: resolved, application: applicationOf(resolved, complianceType === 'mustonlyhave'),
        templated: templated.size ? templated : undefined, within: { policy, template: path, enforced },
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
  return { manifests, findings };
}

function isClaim(object: Obj): boolean {
  return object.kind === 'PersistentVolumeClaim' && object.apiVersion === 'v1';
}

/** A string that holds a template `{{ ... }}` (found in linear time: the text may be hostile). */
function isTemplate(text: string): boolean {
  const open = text.indexOf('{{');
  return open >= 0 && text.indexOf('}}', open + 2) >= 0;
}

/** A whole value that is one template whose pipeline ends in toInt, toBool or toLiteral. */
function isTypedTemplate(text: string): boolean {
  const value = text.trim();
  if (!value.startsWith('{{') || value.indexOf('}}') !== value.length - 2) return false;
  const pipeline = value.slice(2, -2).replace(/^hub\b/, '').replace(/\bhub$/, '');
  const last = pipeline.slice(pipeline.lastIndexOf('|') + 1).trim();
  return pipeline.includes('|') && ['toInt', 'toBool', 'toLiteral'].includes(last);
}

/**
 * `value` with every typed template left out (its value is not known) and every other template
 * kept as the string it renders to; the path of each template is added to `templated`.
 */
function resolveTemplates(value: unknown, path: string, templated: Set<string>): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const at = `${path}[${i}]`;
      if (typeof item === 'string' && isTemplate(item)) templated.add(at);
      const resolved = resolveTemplates(item, at, templated);
      if (resolved !== item) (copy ??= [...value])[i] = resolved;
    });
    return copy ?? value;
  }
  if (!isMap(value)) return value;
  let copy: Obj | undefined;
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (typeof child === 'string' && isTemplate(child)) {
      templated.add(at);
      if (isTypedTemplate(child)) {
        copy ??= { ...value };
        delete copy[key];
      }
      continue;
    }
    const resolved = resolveTemplates(child, at, templated);
    if (resolved !== child) (copy ??= { ...value })[key] = resolved;
  }
  return copy ?? value;
}

/** True when a problem at a templated value is about its type, which the template decides. */
export function isTypeProblem(message: string): boolean {
  return /^must be (boolean|integer|number|object|array|null)\b/.test(message);
}
