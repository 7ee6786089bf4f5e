// A stand-in for the Kubernetes RBAC authorizer and its escalation check, as strict as the real ones:
// - a request is allowed when one rule of a bound role matches its verb, group, resource and name
//   (kubernetes `plugin/pkg/auth/authorizer/rbac/rbac.go` RuleAllows, with VerbMatches,
//   APIGroupMatches, ResourceMatches and ResourceNameMatches of `pkg/apis/rbac/v1/evaluation_helpers.go`):
//   `*` matches any verb, group or resource; a rule with resourceNames matches only a request for
//   one of those names, so never a create or a list (their requests carry no name);
// - a Role or ClusterRole can be written only by someone who holds each of its rules broken down
//   to one verb, group, resource and name (k8s.io/component-helpers `auth/rbac/validation`
//   policy_comparator.go Covers and ruleCovers, used by ConfirmNoEscalation); a sub-rule without
//   names is covered only by an owner rule without names.
// Non-resource URLs and `*/subresource` rules are not modelled: nothing here writes them, and
// `allows` refuses rules that have them rather than guess.
import { PolicyRule } from '../lib/gitops/applier-permissions';

/** One API request, as the authorizer sees it. */
export interface Request {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  /** The object's name; '' for create and list (collection requests). */
  readonly name: string;
}

function checkModelled(rule: PolicyRule): void {
  if ((rule as { nonResourceURLs?: unknown }).nonResourceURLs !== undefined || rule.resources.some((r) => r.startsWith('*/'))) {
    throw new Error(`not modelled: ${JSON.stringify(rule)}`);
  }
}

/** Whether `rules` allow `request`. */
export function allows(rules: readonly PolicyRule[], request: Request): boolean {
  return rules.some((rule) => {
    checkModelled(rule);
    return (rule.verbs.includes('*') || rule.verbs.includes(request.verb))
      && (rule.apiGroups.includes('*') || rule.apiGroups.includes(request.group))
      && (rule.resources.includes('*') || rule.resources.includes(request.resource))
      && (!rule.resourceNames?.length || rule.resourceNames.includes(request.name));
  });
}

/** The sub-rules of `rules` that `owner` does not cover (empty: no escalation). */
export function uncovered(owner: readonly PolicyRule[], rules: readonly PolicyRule[]): string[] {
  const atoms = rules.flatMap((rule) => {
    checkModelled(rule);
    const names = rule.resourceNames?.length ? rule.resourceNames : [undefined];
    return rule.apiGroups.flatMap((group) => rule.resources.flatMap((resource) => rule.verbs.flatMap((verb) => names.map((name) => ({ group, resource, verb, name })))));
  });
  return atoms.filter(({ group, resource, verb, name }) => !owner.some((o) => {
    checkModelled(o);
    return (o.verbs.includes('*') || o.verbs.includes(verb))
      && (o.apiGroups.includes('*') || o.apiGroups.includes(group))
      && (o.resources.includes('*') || o.resources.includes(resource))
      && (name === undefined ? !o.resourceNames?.length : !o.resourceNames?.length || o.resourceNames.includes(name));
  })).map((a) => `${a.verb} ${a.group || 'core'}/${a.resource}${a.name === undefined ? '' : `/${a.name}`}`);
}
