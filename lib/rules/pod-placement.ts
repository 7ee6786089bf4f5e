// Where and how big the operator's pods are: nodeSelector, tolerations and resources, as the
// API server checks them in the pod the operator makes. The registry Config and the ImagePruner
// carry the same fields, so one set of rules serves both (registry-rules.ts, image-pruner.ts).
import { labelKeyProblem, labelValueProblem, quantityValue } from './kubernetes';
import { asList, asMap, Obj, quote } from './shapes';

const TOLERATION_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Reports each problem of `spec`'s nodeSelector, tolerations and resources through `add`. */
export function checkPodPlacement(spec: Obj, add: (field: string, message: string) => void): void {
  nodeSelector(spec, add);
  tolerations(spec, add);
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
