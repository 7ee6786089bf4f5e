// Unknown fields in built-in kinds. kubernetes-models' validators check types, formats and
// required fields but let any other field through; the API server does not when the client asks
// for strict field validation:
// - `kubectl apply` and `oc apply` default to `--validate=strict` (kubernetes/kubectl
//   pkg/cmd/util/helpers.go AddValidateFlags, GetValidationDirective), which apply.go passes to the
//   request helper (WithFieldValidation) and that sends as `?fieldValidation=Strict`
//   (kubernetes/cli-runtime pkg/resource/helper.go), release-1.36;
// - server-side apply (`kubectl apply --server-side`, Flux, Argo CD's `ServerSideApply=true`)
//   refuses them whatever the directive: the patch is made a typed object first ("field not
//   declared in schema"; k8s.io/apimachinery managedfields structuredmerge.go Apply);
// - Argo CD's default client-side apply does not ask: it gives kubectl's apply a Validator for
//   `Validate=true` (the default; `Validate=false` turns it off), which defers to the server, but
//   leaves ApplyOptions.ValidationDirective empty, so no directive is sent and the server's default,
//   Warn (kubernetes/apiserver pkg/endpoints/handlers/rest.go fieldValidation), drops the field
//   with a warning (argoproj/argo-cd gitops-engine/pkg/utils/kube/resource_ops.go newApplyOptions,
//   formerly argoproj/gitops-engine; argoproj/argo-cd#16817); only `Replace=true` on a new object
//   goes through `kubectl create --validate=true`, strict. The manifest does not do what it says
//   either way.
// The table (generated/core-fields.json, written by scripts/core-fields.ts from
// @kubernetes/client-node's models of the Kubernetes 1.36 OpenAPI spec) holds the field names of
// every type reachable from the kinds in core-models-all.ts.
import type { SchemaProblem } from './crd-schemas';
import { isMap } from '../../lib/rules/shapes';

/** The field names of the built-in kinds' types. */
export interface CoreFields {
  /** `apiVersion kind` -> the name of its type. */
  readonly kinds: Readonly<Record<string, string>>;
  /**
   * Type name -> its fields, space-separated: `name` for a field validate does not look into
   * (scalars, free-form JSON, `status`), `name:T` for one of type T, `name:T[]` for a list of T,
   * `name:{T}` for a map to T. Strings, so that loading the table is cheap; a type's fields are
   * split when an object first needs them.
   */
  readonly types: Readonly<Record<string, string>>;
}

/** Most unknown fields listed per object; one more line counts the rest. */
export const UNKNOWN_FIELDS_LISTED = 100;

/** Field name -> the type it holds (`T`, `T[]`, `{T}`), or '' when validate does not look into it. */
type Fields = ReadonlyMap<string, string>;

let generated: CoreFields | undefined;
const split = new WeakMap<CoreFields, Map<string, Fields>>();

/** The generated table, read when first needed. */
function coreFields(): CoreFields {
  return (generated ??= require('./generated/core-fields.json') as CoreFields);
}

function fieldsOf(table: CoreFields, type: string): Fields | undefined {
  let byType = split.get(table);
  if (!byType) split.set(table, (byType = new Map()));
  let fields = byType.get(type);
  if (!fields && Object.hasOwn(table.types, type)) {
    fields = new Map(table.types[type].split(' ').filter(Boolean).map((field) => {
      const colon = field.indexOf(':');
      return colon < 0 ? [field, ''] : [field.slice(0, colon), field.slice(colon + 1)];
    }));
    byType.set(type, fields);
  }
  return fields;
}

/**
 * The unknown fields of a built-in object, `{ field: 'spec.storageClass', message: 'unknown field' }`
 * (the words of the CRD schemas), at most UNKNOWN_FIELDS_LISTED and a line counting the rest;
 * undefined when the table does not know its kind. Lists and maps are followed into their items;
 * a value of the wrong shape (a string where a map belongs) is the model validation's to report,
 * and is not looked into. Linear in the size of the object.
 */
export function unknownFields(object: { apiVersion?: unknown; kind?: unknown }, table: CoreFields = coreFields()): SchemaProblem[] | undefined {
  const { apiVersion, kind } = object;
  const key = typeof apiVersion === 'string' && typeof kind === 'string' ? `${apiVersion} ${kind}` : undefined;
  if (key === undefined || !Object.hasOwn(table.kinds, key)) return undefined;
  const problems: SchemaProblem[] = [];
  let unlisted = 0;
  const walk = (value: unknown, type: string, path: string): void => {
    const fields = fieldsOf(table, type);
    if (!fields || !isMap(value)) return;
    for (const [name, child] of Object.entries(value)) {
      const field = path ? `${path}.${name}` : name;
      const holds = fields.get(name);
      if (holds === undefined) {
        if (problems.length < UNKNOWN_FIELDS_LISTED) problems.push({ field, message: 'unknown field' });
        else unlisted++;
      } else if (holds.endsWith('[]')) {
        if (Array.isArray(child)) child.forEach((item, i) => walk(item, holds.slice(0, -2), `${field}[${i}]`));
      } else if (holds.startsWith('{')) {
        if (isMap(child)) for (const [k, item] of Object.entries(child)) walk(item, holds.slice(1, -1), `${field}.${k}`);
      } else if (holds) {
        walk(child, holds, field);
      }
    }
  };
  walk(object, table.kinds[key], '');
  if (unlisted) problems.push({ field: '', message: `${unlisted} more unknown fields (only the first ${UNKNOWN_FIELDS_LISTED} are listed)` });
  return problems;
}
