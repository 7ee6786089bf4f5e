// Kubernetes core kinds, checked with kubernetes-models' validators (generated from the
// Kubernetes OpenAPI schemas, compiled ahead of time). Only the kinds this project writes are
// loaded here, so that synth stays fast; core-models-all.ts has the rest for `validate`.
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { unknownFields } from './core-fields';
import { SchemaProblem, SchemaSource } from './crd-schemas';

type Model = { prototype: { validate(this: object): void } };
/** Model classes by apiVersion, then kind. */
export type CoreModels = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** The core kinds this project writes. */
export const EMITTED_CORE_MODELS: CoreModels = {
  'v1': { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service, ServiceAccount },
  'apps/v1': { Deployment },
  'batch/v1': { Job },
  'networking.k8s.io/v1': { NetworkPolicy },
  'rbac.authorization.k8s.io/v1': { ClusterRole, ClusterRoleBinding, Role, RoleBinding },
};

/** Core kinds as a SchemaSource. */
export class CoreSchemas implements SchemaSource {
  constructor(public readonly models: CoreModels = EMITTED_CORE_MODELS) {}

  public validate(object: { apiVersion?: string; kind?: string }): SchemaProblem[] | undefined {
    return validateCoreObject(object, this.models);
  }
}

/**
 * Problems of a core object (its model's, then its unknown fields: see core-fields.ts); undefined
 * when its kind is not in `models`.
 */
export function validateCoreObject(object: { apiVersion?: string; kind?: string }, models: CoreModels = EMITTED_CORE_MODELS): SchemaProblem[] | undefined {
  const problems = modelProblems(object, models);
  return problems && [...problems, ...(unknownFields(object) ?? [])];
}

function modelProblems(object: { apiVersion?: string; kind?: string }, models: CoreModels): SchemaProblem[] | undefined {
  // Own keys only: `kind: __proto__` or `apiVersion: constructor` must not reach Object.prototype.
  const { apiVersion, kind } = object;
  const versions = typeof apiVersion === 'string' && Object.hasOwn(models, apiVersion) ? models[apiVersion] : undefined;
  const model = versions && typeof kind === 'string' && Object.hasOwn(versions, kind) ? versions[kind] : undefined;
  if (typeof model !== 'function') return undefined;
  try {
    // The model's validate() checks `this`; our objects already carry apiVersion and kind, so
    // they are checked as they are, without copying them into a model instance.
    (model as Model).prototype.validate.call(object);
    return [];
  } catch (e) {
    // "data/spec/x must be integer, data/spec/y must have required property z"
    const problems = String((e as Error)?.message ?? e).split(/, (?=data[/ ])/).map((part): SchemaProblem => {
      const match = /^data(\S*) (.*)$/.exec(part.trim());
      if (!match) return { field: '', message: part.trim() };
      const field = match[1].slice(1).replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
      const missing = /^must have required property '?([^']*)'?$/.exec(match[2]);
      if (missing) return { field: field ? `${field}.${missing[1]}` : missing[1], message: 'is required', missing: true };
      return { field, message: match[2] };
    });
    // int-or-string and quantity fields report each branch: keep the format, drop the rest.
    const formats = new Set(problems.filter((q) => /must match format/.test(q.message)).map((q) => q.field));
    return problems.filter((p) => !(/must match exactly one schema in "oneOf"|must be (number|integer|string)$/.test(p.message) && formats.has(p.field)));
  }
}
