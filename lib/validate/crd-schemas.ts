import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

type Schema = Record<string, unknown>;

/**
 * A CRD's OpenAPI v3 schema as JSON Schema with the API server's strictness
 * (`kubectl apply --validate=strict`): unknown fields are errors unless the schema preserves
 * them, `nullable` allows null, and `x-kubernetes-int-or-string` allows both.
 */
export function toStrictJsonSchema(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-') || key === 'nullable') continue;
    if (value === null || typeof value !== 'object') {
      out[key] = value;
      continue;
    }
    if (key === 'properties') out.properties = mapValues(value as Record<string, Schema>, toStrictJsonSchema);
    else if (key === 'items' || key === 'not') out[key] = toStrictJsonSchema(value as Schema);
    else if (key === 'additionalProperties') out[key] = typeof value === 'object' ? toStrictJsonSchema(value as Schema) : value;
    else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') out[key] = (value as Schema[]).map(toStrictJsonSchema);
    else out[key] = value;
  }
  if (schema['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [...((out.anyOf as Schema[]) ?? []), { type: 'integer' }, { type: 'string' }];
  }
  if (out.properties && out.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  if (schema.nullable) return { anyOf: [out, { type: 'null' }] };
  return out;
}

function mapValues<T, U>(record: Record<string, T>, fn: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

/** A problem found by a schema: the field path and what is wrong. */
export interface SchemaProblem {
  readonly field: string;
  readonly message: string;
}

/** The JSON Schemas of every version of every CRD in a folder, by `apiVersion` and `kind`. */
export class CrdSchemas {
  /** Reads every `*.yaml` CRD in `dir`. */
  public static fromDirectory(dir: string): CrdSchemas {
    const schemas = new Map<string, Schema>();
    for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
        const crd = doc.toJS();
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions ?? []) {
          const schema = version.schema?.openAPIV3Schema;
          if (schema) schemas.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, schema);
        }
      }
    }
    return new CrdSchemas(schemas);
  }

  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  private constructor(private readonly schemas: Map<string, Schema>) {}

  /** The raw OpenAPI schema for `apiVersion` `kind`, if a CRD defines it. */
  public openApiSchema(apiVersion: string, kind: string): Schema | undefined {
    return this.schemas.get(`${apiVersion} ${kind}`);
  }

  /** Problems of `object` against its CRD; undefined when no CRD defines its kind. */
  public validate(object: { apiVersion?: string; kind?: string }): SchemaProblem[] | undefined {
    const key = `${object.apiVersion} ${object.kind}`;
    const schema = this.schemas.get(key);
    if (!schema) return undefined;
    let validate = this.compiled.get(key);
    if (!validate) {
      // metadata is checked by the API server itself, not by the CRD schema.
      const strict = toStrictJsonSchema({ ...schema, properties: { ...(schema.properties as object), metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } });
      validate = this.ajv.compile(strict);
      this.compiled.set(key, validate);
    }
    return validate(object) ? [] : describeErrors(validate.errors ?? []);
  }

  /** Problems of `value` against a sub-schema (e.g. an Application's `spec`). */
  public validateAgainst(schema: Schema, value: unknown): SchemaProblem[] {
    const validate = this.ajv.compile(toStrictJsonSchema(schema));
    return validate(value) ? [] : describeErrors(validate.errors ?? []);
  }
}

function describeErrors(errors: ErrorObject[]): SchemaProblem[] {
  // anyOf branches (int-or-string, nullable) report each branch; keep the most useful line.
  const problems = errors.filter((e) => e.keyword !== 'anyOf').map((e): SchemaProblem => {
    const field = e.instancePath.slice(1).replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      return { field: field ? `${field}.${extra}` : extra, message: 'unknown field' };
    }
    if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { field: field ? `${field}.${missing}` : missing, message: 'is required' };
    }
    if (e.keyword === 'enum') return { field, message: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => (v === '' ? '""' : String(v))).join(', ')}` };
    return { field, message: e.message ?? e.keyword };
  });
  return problems.filter((p, i) => problems.findIndex((q) => q.field === p.field && q.message === p.message) === i);
}
