// What evaluating a CRD's CEL rules needs of its schema: the rules (`x-kubernetes-validations`)
// where they sit, and below them what decides how the API server types a value
// (k8s.io/apiserver/pkg/cel/common/values.go UnstructuredToVal): integer or number, string formats
// that become timestamps, durations or bytes, int-or-string, list types, defaults. Everything
// else is left out, so that the generated table of the built-in CRDs stays small.
import { isMap, Obj } from '../shapes';

/** One `x-kubernetes-validations` entry, as the CRD has it. */
export interface CelRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  /** FieldValueInvalid (default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate. */
  readonly reason?: string;
  /** A JSON path below the rule's node where the API server reports a failure. */
  readonly fieldPath?: string;
}

/** A structural schema node reduced to what the evaluation reads. */
export interface CelSchema {
  readonly type?: 'integer' | 'number';
  readonly format?: 'date-time' | 'duration' | 'byte';
  readonly intOrString?: true;
  readonly listType?: 'set' | 'map';
  readonly listMapKeys?: readonly string[];
  readonly default?: unknown;
  readonly rules?: readonly CelRule[];
  readonly properties?: Readonly<Record<string, CelSchema>>;
  readonly items?: CelSchema;
  readonly additionalProperties?: CelSchema;
}

/**
 * Rules that compare with `oldSelf` run only on update, with the stored object
 * (apiextensions-apiserver schema/cel/validation.go: "transition rules are evaluated only if
 * there is a comparable existing value"): offline there is none, so they are left out.
 */
export function isTransitionRule(rule: string): boolean {
  return /\boldSelf\b/.test(rule);
}

/**
 * The CEL schema of a CRD version's `openAPIV3Schema`: nodes with rules and the paths to them,
 * and below a rule what types its `self`; undefined when the CRD has no rule that runs offline.
 * Transition rules are left out (see isTransitionRule).
 */
export function celSchemaOf(openApiSchema: unknown): CelSchema | undefined {
  return prune(openApiSchema, false, 0);
}

/** True when some node of `schema` holds a rule. */
export function hasRules(schema: CelSchema | undefined): boolean {
  if (!schema) return false;
  return !!schema.rules?.length || Object.values(schema.properties ?? {}).some(hasRules) || hasRules(schema.items) || hasRules(schema.additionalProperties);
}

/** Every CEL expression of `schema`: its rules and their message expressions, at every node. */
export function celExpressionsOf(schema: CelSchema | undefined): string[] {
  if (!schema) return [];
  return [
    ...(schema.rules ?? []).flatMap((r) => (r.messageExpression === undefined ? [r.rule] : [r.rule, r.messageExpression])),
    ...Object.values(schema.properties ?? {}).flatMap(celExpressionsOf),
    ...celExpressionsOf(schema.items),
    ...celExpressionsOf(schema.additionalProperties),
  ];
}

// CRD schemas are nested at most a few dozen levels; a hostile one is cut off here.
const MAX_DEPTH = 100;

function prune(node: unknown, insideRule: boolean, depth: number): CelSchema | undefined {
  if (!isMap(node) || depth > MAX_DEPTH) return undefined;
  const rules = Array.isArray(node['x-kubernetes-validations'])
    ? node['x-kubernetes-validations'].filter(isMap).filter((r) => typeof r.rule === 'string' && !isTransitionRule(r.rule as string)).map(toRule)
    : [];
  const inside = insideRule || rules.length > 0;
  const out: Record<string, unknown> = {};
  if (inside) {
    if (node.type === 'integer' || node.type === 'number') out.type = node.type;
    if (node.type === 'string' && (node.format === 'date-time' || node.format === 'duration' || node.format === 'byte')) out.format = node.format;
    if (node['x-kubernetes-int-or-string'] === true) out.intOrString = true;
    if (node['x-kubernetes-list-type'] === 'set' || node['x-kubernetes-list-type'] === 'map') out.listType = node['x-kubernetes-list-type'];
    if (out.listType === 'map' && Array.isArray(node['x-kubernetes-list-map-keys'])) out.listMapKeys = node['x-kubernetes-list-map-keys'].filter((k) => typeof k === 'string');
  }
  if (rules.length) out.rules = rules;
  const properties: Record<string, CelSchema> = {};
  if (isMap(node.properties)) {
    for (const [key, child] of Object.entries(node.properties)) {
      const pruned = prune(child, inside, depth + 1);
      if (pruned) properties[key] = pruned;
    }
  }
  if (Object.keys(properties).length) out.properties = properties;
  const items = prune(node.items, inside, depth + 1);
  if (items) out.items = items;
  const additional = prune(node.additionalProperties, inside, depth + 1);
  if (additional) out.additionalProperties = additional;
  // A default matters where a rule sees it, or where it makes an object that a rule runs on.
  if (node.default !== undefined && (inside || Object.keys(out).length)) out.default = node.default;
  return Object.keys(out).length ? out as CelSchema : undefined;
}

function toRule(entry: Obj): CelRule {
  const rule: Record<string, string> = { rule: entry.rule as string };
  for (const key of ['message', 'messageExpression', 'reason', 'fieldPath'] as const) {
    if (typeof entry[key] === 'string' && entry[key] !== '') rule[key] = entry[key] as string;
  }
  return rule as unknown as CelRule;
}
