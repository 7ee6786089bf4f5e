// Where and how big the operator's pods are: nodeSelector, tolerations, affinity and resources,
// as the API server checks them in the pod the operator makes. The registry Config and the
// ImagePruner carry the same fields, so one set of rules serves both (registry-rules.ts,
// image-pruner.ts). The CRDs take what the pod does not: a weight of 0 passes the Config, and the
// registry's Deployment is then refused.
import { isDnsSubdomain, labelKeyProblem, labelValueProblem, namespaceNameProblem, quantityValue } from './kubernetes';
import { asList, asMap, isMap, Obj, quote } from './shapes';

const TOLERATION_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Reports each problem of `spec`'s nodeSelector, tolerations, affinity and resources through `add`. */
export function checkPodPlacement(spec: Obj, add: (field: string, message: string) => void): void {
  nodeSelector(spec, add);
  tolerations(spec, add);
  affinity(spec, add);
  resources(spec, add);
}

type Add = (field: string, message: string) => void;

function nodeSelector(spec: Obj, add: Add): void {
  for (const [key, value] of Object.entries(asMap(spec.nodeSelector))) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) add(`nodeSelector.${key}`, `the key ${quote(key)} is not a label key: it ${keyProblem}`);
    const valueProblem = typeof value === 'string' ? labelValueProblem(value) : 'must be a string';
    if (valueProblem) add(`nodeSelector.${key}`, `the value ${quote(value)} is not a label value: it ${valueProblem}`);
  }
}

/** The API server's toleration checks (k8s.io/kubernetes pkg/apis/core/validation). */
function tolerations(spec: Obj, add: Add): void {
  asList(spec.tolerations).map(asMap).forEach((t, i) => {
    const at = `tolerations[${i}]`;
    const operator = t.operator ?? 'Equal';
    if (operator !== 'Equal' && operator !== 'Exists') add(`${at}.operator`, `${quote(operator)} is not allowed; use Equal or Exists`);
    if (operator === 'Exists' && t.value !== undefined && t.value !== '') add(`${at}.value`, 'must be empty when operator is Exists');
    if (operator === 'Equal' && typeof t.value === 'string' && labelValueProblem(t.value)) add(`${at}.value`, `${quote(t.value)} is not a valid taint value: it ${labelValueProblem(t.value)}`);
    if ((t.key === undefined || t.key === '') && operator !== 'Exists') add(`${at}.operator`, 'must be Exists when key is empty (a toleration of every taint)');
    if (typeof t.key === 'string' && t.key !== '' && labelKeyProblem(t.key)) add(`${at}.key`, `${quote(t.key)} is not a valid taint key: it ${labelKeyProblem(t.key)}`);
    if (t.effect !== undefined && t.effect !== '' && !TOLERATION_EFFECTS.includes(t.effect as string)) add(`${at}.effect`, `${quote(t.effect)} is not allowed; use ${TOLERATION_EFFECTS.join(', ')} or leave it out (every effect)`);
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') add(`${at}.tolerationSeconds`, 'is only allowed with effect NoExecute');
  });
}

/** A label selector's operators; a node selector also takes Gt and Lt (with one value). */
const LABEL_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const NODE_OPERATORS = [...LABEL_OPERATORS, 'Gt', 'Lt'];

/**
 * The API server's affinity checks (k8s.io/kubernetes pkg/apis/core/validation/validation.go:
 * validateAffinity, validateNodeSelector, validateNodeSelectorRequirement,
 * validateNodeFieldSelectorRequirement, validatePreferredSchedulingTerms,
 * validateWeightedPodAffinityTerms, validatePodAffinityTerm; apimachinery's ValidateLabelSelector),
 * the same in every Kubernetes minor OpenShift 4.12 to 4.23 runs. Fields of the wrong type are
 * the schema's to report.
 */
function affinity(spec: Obj, add: Add): void {
  const at = 'affinity';
  const { nodeAffinity, podAffinity, podAntiAffinity } = asMap(spec.affinity);
  const node = asMap(nodeAffinity);
  if (isMap(node.requiredDuringSchedulingIgnoredDuringExecution)) {
    const terms = node.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    const field = `${at}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
    // Left out or empty; another type is the schema's to report.
    if (terms === undefined || terms === null || (Array.isArray(terms) && !terms.length)) add(field, 'must have at least one node selector term: the API server refuses an empty list');
    asList(terms).forEach((term, i) => nodeSelectorTerm(term, `${field}[${i}]`, add));
  }
  asList(node.preferredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
    if (!isMap(term)) return;
    const field = `${at}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    weight(term.weight, `${field}.weight`, add);
    nodeSelectorTerm(term.preference, `${field}.preference`, add);
  });
  for (const [name, value] of Object.entries({ podAffinity, podAntiAffinity })) {
    const pod = asMap(value);
    asList(pod.requiredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => podAffinityTerm(term, `${at}.${name}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`, add));
    asList(pod.preferredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
      if (!isMap(term)) return;
      const field = `${at}.${name}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      weight(term.weight, `${field}.weight`, add);
      podAffinityTerm(term.podAffinityTerm, `${field}.podAffinityTerm`, add);
    });
  }
}

function weight(value: unknown, field: string, add: Add): void {
  if (typeof value === 'number' && (value <= 0 || value > 100)) add(field, `${value} is not allowed: the API server takes weights from 1 to 100`);
}

/** A term that is not a map (or is missing) is the schema's to report, not these rules'. */
function nodeSelectorTerm(value: unknown, field: string, add: Add): void {
  if (!isMap(value)) return;
  const term = value;
  asList(term.matchExpressions).forEach((requirement, j) => selectorRequirement(requirement, `${field}.matchExpressions[${j}]`, NODE_OPERATORS, add));
  asList(term.matchFields).map(asMap).forEach((requirement, j) => {
    const at = `${field}.matchFields[${j}]`;
    const { operator, key } = requirement;
    if (operator === 'In' || operator === 'NotIn') {
      if (asList(requirement.values).length !== 1) add(`${at}.values`, `must be one value when operator is ${operator} (a node's name)`);
    } else if (typeof operator === 'string') {
      add(`${at}.operator`, `${quote(operator)} is not allowed; use In or NotIn`);
    }
    if (typeof key === 'string' && key !== 'metadata.name') add(`${at}.key`, `${quote(key)} is not allowed; the only node field is metadata.name`);
    // ValidateNodeName: a node's name is a DNS subdomain.
    else asList(requirement.values).forEach((name, k) => {
      if (typeof name === 'string' && !isDnsSubdomain(name)) add(`${at}.values[${k}]`, `${quote(name)} is not a node name: a DNS subdomain (lower-case letters, digits, - and .)`);
    });
  });
}

function podAffinityTerm(value: unknown, field: string, add: Add): void {
  if (!isMap(value)) return;
  const term = value;
  labelSelector(term.labelSelector, `${field}.labelSelector`, add);
  labelSelector(term.namespaceSelector, `${field}.namespaceSelector`, add);
  asList(term.namespaces).forEach((namespace, i) => {
    const problem = typeof namespace === 'string' ? namespaceNameProblem(namespace) : undefined;
    if (problem) add(`${field}.namespaces[${i}]`, `${quote(namespace)} ${problem}`);
  });
  if (term.topologyKey === undefined || term.topologyKey === '') add(`${field}.topologyKey`, 'must not be empty: it names the node label that groups nodes (kubernetes.io/hostname, topology.kubernetes.io/zone)');
  else labelKey(term.topologyKey, `${field}.topologyKey`, add);
}

function labelSelector(value: unknown, field: string, add: Add): void {
  const selector = asMap(value);
  for (const [key, label] of Object.entries(asMap(selector.matchLabels))) {
    labelKey(key, `${field}.matchLabels.${key}`, add);
    if (typeof label === 'string' && labelValueProblem(label)) add(`${field}.matchLabels.${key}`, `${quote(label)} is not a label value: it ${labelValueProblem(label)}`);
  }
  asList(selector.matchExpressions).forEach((requirement, j) => selectorRequirement(requirement, `${field}.matchExpressions[${j}]`, LABEL_OPERATORS, add));
}

/** A requirement of a label or node selector: values as its operator needs them, and a label key. */
function selectorRequirement(value: unknown, at: string, operators: readonly string[], add: Add): void {
  const { operator, key, values } = asMap(value);
  const count = asList(values).length;
  if (operator === 'In' || operator === 'NotIn') {
    if (!count) add(`${at}.values`, `must be given when operator is ${operator}`);
  } else if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (count) add(`${at}.values`, `must be left out when operator is ${operator}`);
  } else if (typeof operator === 'string' && operators.includes(operator)) {
    if (count !== 1) add(`${at}.values`, `must be one value when operator is ${operator}`);
  } else if (typeof operator === 'string') {
    add(`${at}.operator`, `${quote(operator)} is not allowed; use ${operators.slice(0, -1).join(', ')} or ${operators.at(-1)}`);
  }
  labelKey(key, `${at}.key`, add);
}

function labelKey(key: unknown, field: string, add: Add): void {
  const problem = typeof key === 'string' ? labelKeyProblem(key) : undefined;
  if (problem) add(field, `${quote(key)} is not a label key: it ${problem}`);
}

function resources(spec: Obj, add: Add): void {
  const { requests: asked, limits } = asMap(spec.resources);
  for (const [resource, limit] of Object.entries(asMap(limits))) {
    const request = quantityValue(asMap(asked)[resource]);
    const max = quantityValue(limit);
    if (request !== undefined && max !== undefined && request > max) {
      add(`resources.requests.${resource}`, `${quote(asMap(asked)[resource])} is more than the limit ${quote(limit)}; the API server refuses requests above limits`);
    }
  }
}
