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

/**
 * The strict schema of a whole resource: its CRD schema with metadata left to the API server's
 * own checks (a CRD's schema does not describe ObjectMeta), and apiVersion and kind allowed
 * where the CRD does not list them (the API server always does).
 */
export function strictResourceSchema(schema: Schema): Schema {
  const implicit = { apiVersion: { type: 'string' }, kind: { type: 'string' } };
  return toStrictJsonSchema({ ...schema, properties: { ...implicit, ...(schema.properties as object), metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } });
}

/** Something that knows the schemas of some kinds. */
export interface SchemaSource {
  /** Problems of `object` against its schema; undefined when its kind is unknown here. */
  validate(object: { apiVersion?: string; kind?: string }): SchemaProblem[] | undefined;
}

/** Validators compiled ahead of time (app/validate/generated), by `apiVersion Kind`. */
export class CompiledSchemas implements SchemaSource {
  constructor(private readonly byKind: Readonly<Record<string, ValidateFunction>>) {}

  public validate(object: { apiVersion?: string; kind?: string }): SchemaProblem[] | undefined {
    const validate = this.byKind[`${object.apiVersion} ${object.kind}`];
    if (!validate) return undefined;
    return validate(object) ? [] : describeErrors(validate.errors ?? []);
  }
}

/** The JSON Schemas of every version of every CRD in a folder, by `apiVersion` and `kind`. */
export class CrdSchemas implements SchemaSource {
  /** Reads every `*.yaml` CRD in `dir`, or only the named files. */
  public static fromDirectory(dir: string, only?: readonly string[]): CrdSchemas {
    const schemas = new Map<string, Schema>();
    for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && (!only || only.includes(f))).sort()) {
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

  /** Every `apiVersion Kind` known, sorted. */
  public keys(): string[] {
    return [...this.schemas.keys()].sort();
  }

  /** The raw OpenAPI schema for an `apiVersion Kind` key. */
  public openApiSchemaByKey(key: string): Schema | undefined {
    return this.schemas.get(key);
  }

  /** Problems of `object` against its CRD; undefined when no CRD defines its kind. */
  public validate(object: { apiVersion?: string; kind?: string }): SchemaProblem[] | undefined {
    const key = `${object.apiVersion} ${object.kind}`;
    const schema = this.schemas.get(key);
    if (!schema) return undefined;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(strictResourceSchema(schema));
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
