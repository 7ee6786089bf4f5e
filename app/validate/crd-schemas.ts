import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import { quote } from '../config/config-error';
import { countNodes, describeTreeError, TreeError } from '../config/yaml-bounds';
import { InputFileError, MANIFEST_FILE_LIMIT, readInputFile } from '../output/read-tree';
import { escapeControl } from '../output/terminal-text';
import { safeRegExpEngine } from './safe-regexp';
import { asMap, isMap } from '../../lib/rules/shapes';
import { checkBuiltInCelRules, celOptions } from '../../lib/rules/cel/crd-rules';
import { checkCelSchema } from '../../lib/rules/cel/evaluate';
import { celSchemaOf, CelSchema } from '../../lib/rules/cel/schema';
import { DEFAULT_OPENSHIFT_VERSION, OpenShiftVersion } from '../../lib/rules/openshift-version';

type Schema = Record<string, unknown>;

/**
 * A CRD's OpenAPI v3 schema as JSON Schema with the API server's strictness
 * (`kubectl apply --validate=strict`): unknown fields are errors unless the schema preserves
 * them, `nullable` allows null, and `x-kubernetes-int-or-string` allows both.
 */
export function toStrictJsonSchema(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    // uniqueItems: the API server refuses a CRD that sets it true (quadratic, apiextensions
    // validation.go), and Ajv's check is quadratic too: a hostile --crds would run for minutes.
    if (key.startsWith('x-kubernetes-') || key === 'nullable' || key === 'uniqueItems') continue;
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

/** A problem found by a schema: the field path and what is wrong (an error unless said). */
export interface SchemaProblem {
  readonly field: string;
  readonly message: string;
  readonly severity?: 'error' | 'warning' | 'note';
  /** A required field that is missing (`field` names it). */
  readonly missing?: boolean;
}

/** Most values (maps, lists and scalars) a CRD file may hold with its aliases expanded. */
export const CRD_NODE_LIMIT = 1_000_000;

/** A CRD folder that cannot be used: one line per bad file or document, naming it. */
export class CrdFolderError extends Error {
  constructor(problems: readonly string[]) {
    super(problems.map(escapeControl).join('\n'));
    this.name = 'CrdFolderError';
  }
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
  /**
   * Problems of `object` against its schema and its CRD's CEL rules (as the cluster's OpenShift
   * version has them, DEFAULT_OPENSHIFT_VERSION if not given); undefined when its kind is unknown here.
   */
  validate(object: { apiVersion?: string; kind?: string }, openshiftVersion?: OpenShiftVersion): SchemaProblem[] | undefined;
}

/**
 * The API server runs a CRD's CEL rules only when the schema found no wrong type (a "blocking"
 * error: apiextensions-apiserver registry/customresource strategy.go hasBlockingErr), and then
 * says that some rules were not checked.
 */
const RULES_NOT_CHECKED: SchemaProblem = { field: '', message: 'not checked: some validation rules were not run because the object was invalid; correct the existing errors to complete validation (the CRD\'s CEL rules run once every field has its type)', severity: 'note' };

/** Validators compiled ahead of time (app/validate/generated), by `apiVersion Kind`, and the CRDs' CEL rules (lib/rules/generated/cel-rules.ts). */
export class CompiledSchemas implements SchemaSource {
  constructor(private readonly byKind: Readonly<Record<string, ValidateFunction>>) {}

  /** Every `apiVersion Kind` built in, sorted. */
  public keys(): string[] {
    return Object.keys(this.byKind).sort();
  }

  public validate(object: { apiVersion?: string; kind?: string }, openshiftVersion?: OpenShiftVersion): SchemaProblem[] | undefined {
    const key = `${object.apiVersion} ${object.kind}`;
    const validate = Object.hasOwn(this.byKind, key) ? this.byKind[key] : undefined;
    if (!validate) return undefined;
    if (validate(object)) return checkBuiltInCelRules(object, openshiftVersion);
    const errors = validate.errors ?? [];
    return [...describeErrors(errors), ...(errors.some(isBlocking) ? [RULES_NOT_CHECKED] : checkBuiltInCelRules(object, openshiftVersion))];
  }
}

function isBlocking(error: ErrorObject): boolean {
  return error.keyword === 'type';
}

/** The JSON Schemas of every version of every CRD in a folder, by `apiVersion` and `kind`. */
export class CrdSchemas implements SchemaSource {
  /**
   * Reads every `*.yaml` CRD in `dir`, or only the named files. The folder may be the user's
   * (`validate --crds`): each file must be a regular file of at most 4 MiB (links only within
   * the folder), valid YAML within CRD_NODE_LIMIT; each CustomResourceDefinition needs
   * spec.group, spec.names.kind and spec.versions; documents of other kinds are ignored. Throws
   * a CrdFolderError naming every bad file and document.
   */
  public static fromDirectory(dir: string, only?: readonly string[]): CrdSchemas {
    const schemas = new Map<string, Schema>();
    const problems: string[] = [];
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      throw new CrdFolderError([`${dir}: cannot read the CRD folder: ${(e as Error).message}`]);
    }
    for (const name of names.filter((f) => /\.ya?ml$/.test(f) && (!only || only.includes(f))).sort()) {
      for (const problem of readCrdFile(join(dir, name), dir, (key, schema) => schemas.set(key, schema))) problems.push(problem);
    }
    if (problems.length) throw new CrdFolderError(problems);
    return new CrdSchemas(schemas);
  }

  /** Patterns not checked on a value (see safe-regexp.ts) since the last validate. */
  private readonly slowPatterns = new Set<string>();
  // ownProperties: a field the object does not set is absent, even where its name is one of
  // every JavaScript object's (`constructor`, `toString`): Ajv otherwise reads it through the prototype.
  private readonly ajv = new Ajv({ allErrors: true, strict: false, strictNumbers: true, validateFormats: false, ownProperties: true, code: { regExp: safeRegExpEngine((pattern) => this.slowPatterns.add(pattern)) } });
  /** Validators by `apiVersion Kind`, or why the schema cannot be used. */
  private readonly compiled = new Map<string, ValidateFunction | SchemaProblem>();
  /** Properties of the schemas compiled so far (see COMPILE_PROPERTY_BUDGET). */
  private compiledProperties = 0;

  /** The CEL rules of each kind, read from its schema when the folder is loaded (undefined: none). */
  private readonly celSchemas = new Map<string, CelSchema | undefined>();

  private constructor(private readonly schemas: Map<string, Schema>) {
    for (const [key, schema] of schemas) this.celSchemas.set(key, celSchemaOf(schema));
  }

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

  /** Problems of `object` against its CRD and the CRD's CEL rules; undefined when no CRD defines its kind. */
  public validate(object: { apiVersion?: string; kind?: string }, openshiftVersion: OpenShiftVersion = DEFAULT_OPENSHIFT_VERSION): SchemaProblem[] | undefined {
    const key = `${object.apiVersion} ${object.kind}`;
    const schema = this.schemas.get(key);
    if (!schema) return undefined;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.compile(key, schema);
      this.compiled.set(key, validate);
    }
    if (typeof validate !== 'function') return [validate];
    let problems: SchemaProblem[];
    try {
      problems = this.run(validate, object);
    } catch (e) {
      // A schema Ajv compiled but cannot run (a function too large for V8's stack): not checked.
      if (!(e instanceof RangeError)) throw e;
      return [{ field: '', message: `not checked against the CRD's schema for ${key}: it is too large for this validator (${e.message})`, severity: 'warning' }];
    }
    const rules = this.celSchemas.get(key);
    if (!rules) return problems;
    if ((validate.errors ?? []).some(isBlocking) && problems.length) return [...problems, RULES_NOT_CHECKED];
    return [...problems, ...checkCelSchema(rules, object, celOptions(openshiftVersion))];
  }

  /**
   * Ajv's validator for a CRD's schema, or why there is none. Compiling takes time and memory by
   * the number of properties (some 0.3 ms and 40 KB each): past COMPILE_PROPERTY_BUDGET in all,
   * the kinds of a hostile --crds folder are not checked (a warning), not compiled for minutes.
   */
  private compile(key: string, schema: Schema): ValidateFunction | SchemaProblem {
    const properties = countProperties(schema);
    if (this.compiledProperties + properties > COMPILE_PROPERTY_BUDGET) {
      return { field: '', message: `not checked against the CRD's schema for ${key}: it has ${properties} properties, and the CRD schemas compiled in one run may have ${COMPILE_PROPERTY_BUDGET} in all (the largest common CRDs have about 8000)`, severity: 'warning' };
    }
    this.compiledProperties += properties;
    try {
      return this.ajv.compile(strictResourceSchema(schema));
    } catch (e) {
      return { field: '', message: `the CRD's schema for ${key} cannot be used: ${String((e as Error).message).split('\n')[0]}` };
    }
  }

  /** Problems of `value` against a sub-schema (e.g. an Application's `spec`). */
  public validateAgainst(schema: Schema, value: unknown): SchemaProblem[] {
    return this.run(this.ajv.compile(toStrictJsonSchema(schema)), value);
  }

  private run(validate: ValidateFunction, value: unknown): SchemaProblem[] {
    this.slowPatterns.clear();
    const problems = validate(value) ? [] : describeErrors(validate.errors ?? []);
    for (const pattern of this.slowPatterns) {
      problems.push({ field: '', message: `not checked against the CRD pattern ${quote(pattern, 80)}: it ran longer than the time limit (a pattern that backtracks; see docs/validate.md)`, severity: 'warning' });
    }
    return problems;
  }
}

/**
 * Properties compiled into validators per run, over every --crds kind among the objects: five
 * times Argo CD's ApplicationSet (about 8000), the largest CRD we know; some 13 s and 1.6 GB.
 */
export const COMPILE_PROPERTY_BUDGET = 40_000;

/** The properties a schema names, at every depth (shared nodes counted as often as they are reached: as Ajv compiles them). */
function countProperties(schema: unknown): number {
  const seen = new Map<object, number>();
  const walk = (node: unknown): number => {
    if (node === null || typeof node !== 'object') return 0;
    const known = seen.get(node);
    if (known !== undefined) return known;
    seen.set(node, 0);
    let here = 0;
    const properties = (node as Schema).properties;
    if (properties && typeof properties === 'object') here += Object.keys(properties).length;
    for (const child of Object.values(node)) here += walk(child);
    seen.set(node, here);
    return here;
  };
  return walk(schema);
}

/** Reads the CRDs of one file into `add`; returns its problems, one line each. */
function readCrdFile(file: string, dir: string, add: (key: string, schema: Schema) => void): string[] {
  let text: string;
  try {
    text = readInputFile(file, MANIFEST_FILE_LIMIT, dir);
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    return [`${file}: ${e.message}`];
  }
  // js-yaml: its duplicate-key check is linear (the `yaml` package's is quadratic in a map's size).
  let documents: unknown[];
  try {
    documents = loadAll(text, { schema: CORE_SCHEMA, maxDepth: 100 });
  } catch (e) {
    if (!(e instanceof YAMLException)) throw e;
    return [`${file}${e.mark ? `:${e.mark.line + 1}:${e.mark.column + 1}` : ''}: invalid YAML: ${e.reason}`];
  }
  const problems: string[] = [];
  let budget = CRD_NODE_LIMIT;
  for (const [i, crd] of documents.entries()) {
    const at = `${file}: document ${i + 1}`;
    if (crd === null || crd === undefined) continue;
    try {
      budget -= countNodes(crd, budget);
    } catch (e) {
      if (!(e instanceof TreeError)) throw e;
      problems.push(`${at}: ${describeTreeError(e, e.reason === 'size' ? 'the file' : 'the document')}`);
      if (e.reason === 'size') break;
      continue;
    }
    if (!isMap(crd) || typeof crd.kind !== 'string') {
      problems.push(`${at}: not a Kubernetes object (a map with apiVersion and kind)`);
      continue;
    }
    if (crd.kind !== 'CustomResourceDefinition') continue;
    const spec = asMap(crd.spec);
    const names = asMap(spec.names);
    if (typeof spec.group !== 'string' || typeof names.kind !== 'string' || !Array.isArray(spec.versions)) {
      problems.push(`${at}: a CustomResourceDefinition needs spec.group, spec.names.kind (strings) and spec.versions (a list)`);
      continue;
    }
    spec.versions.forEach((version, j) => {
      const name = asMap(version).name;
      const schema = asMap(asMap(version).schema).openAPIV3Schema;
      if (typeof name !== 'string' || (schema !== undefined && !isMap(schema))) {
        problems.push(`${at}: spec.versions[${j}]: needs a name (a string) and, if any, a schema.openAPIV3Schema map`);
      } else if (schema) add(`${spec.group}/${name} ${names.kind}`, schema);
    });
  }
  return problems;
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
      return { field: field ? `${field}.${missing}` : missing, message: 'is required', missing: true };
    }
    if (e.keyword === 'enum') return { field, message: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => (v === '' ? '""' : typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}` };
    return { field, message: e.message ?? e.keyword };
  });
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(`${p.field}\0${p.message}`) && seen.add(`${p.field}\0${p.message}`));
}
