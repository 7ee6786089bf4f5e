// Kubernetes core kinds, checked with kubernetes-models' validators (generated from the
// Kubernetes OpenAPI schemas, compiled ahead of time).
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as v1 from 'kubernetes-models/v1';
import { SchemaProblem } from './crd-schemas';

const GROUPS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'v1': v1,
  'apps/v1': appsV1,
  'batch/v1': batchV1,
  'networking.k8s.io/v1': networkingV1,
  'policy/v1': policyV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
};

type Model = new (data: object) => { validate(): void };

/** Problems of a core object; undefined when its kind is not one of the known core kinds. */
export function validateCoreObject(object: { apiVersion?: string; kind?: string }): SchemaProblem[] | undefined {
  const model = GROUPS[object.apiVersion ?? '']?.[object.kind ?? ''];
  if (typeof model !== 'function') return undefined;
  try {
    new (model as Model)(object).validate();
    return [];
  } catch (e) {
    // "data/spec/x must be integer, data/spec/y must have required property z"
    return (e as Error).message.split(/, (?=data[/ ])/).map((part): SchemaProblem => {
      const match = /^data(\S*) (.*)$/.exec(part.trim());
      if (!match) return { field: '', message: part.trim() };
      const field = match[1].slice(1).replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
      return { field, message: match[2] };
    }).filter((p, _, all) =>
      // int-or-string and quantity fields report each branch: keep the format, drop the rest.
      !(/must match exactly one schema in "oneOf"|must be (number|integer|string)$/.test(p.message) && all.some((q) => q.field === p.field && /must match format/.test(q.message))));
  }
}
