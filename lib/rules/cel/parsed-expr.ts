// A parsed CEL expression kept as JSON, so that a rule known in advance is never parsed again:
// the rules of the CRDs this project knows are parsed when their table is generated
// (lib/rules/generated/cel-parsed.ts). @bufbuild/cel's parser took about 0.75 ms a rule even
// when warm, most of what checking a Route's rules costs a synth. JSON alone loses three things
// of a parsed expression, which are tagged: 64-bit ids (bigint), bytes literals (Uint8Array), and
// fields that are there but undefined.
import type * as Cel from '@bufbuild/cel';
import { CEL_RULES } from '../generated/cel-rules';
import { celExpressionsOf } from './schema';

/** What @bufbuild/cel's parse returns. */
export type ParsedExpr = ReturnType<typeof Cel.parse>;

const BIGINT = '$bigint';
const BYTES = '$bytes';
const UNDEFINED = '$undefined';

/** `parsed` as JSON, from which decodeParsedExpr makes it again, field for field. */
export function encodeParsedExpr(parsed: ParsedExpr): string {
  return JSON.stringify(parsed, (key, value: unknown) => {
    if (typeof value === 'bigint') return { [BIGINT]: value.toString() };
    if (value instanceof Uint8Array) return { [BYTES]: Buffer.from(value).toString('base64') };
    if (value === undefined && key !== '') return { [UNDEFINED]: true };
    return value;
  });
}

/** Every CEL expression of the known CRDs' rules (CEL_RULES), sorted: what that table is made of. */
export function knownExpressions(): string[] {
  return [...new Set(Object.values(CEL_RULES).flatMap((sets) => sets.flatMap((set) => celExpressionsOf(set.schema))))].sort();
}

/**
 * The entries of that table for `expressions`: each that `parse` accepts, with its JSON. One it
 * refuses (optional syntax, say) is left out: it fails when checked, as it would without the table.
 */
export function parsedTable(expressions: readonly string[], parse: (expression: string) => ParsedExpr): [string, string][] {
  return expressions.flatMap((expression): [string, string][] => {
    try {
      return [[expression, encodeParsedExpr(parse(expression))]];
    } catch {
      return [];
    }
  });
}

/** The parsed expression encodeParsedExpr wrote: a new object each time (compile() rewrites it). */
export function decodeParsedExpr(json: string): ParsedExpr {
  return revive(JSON.parse(json)) as ParsedExpr;
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1) {
    if (keys[0] === BIGINT) return BigInt(object[BIGINT] as string);
    if (keys[0] === BYTES) return new Uint8Array(Buffer.from(object[BYTES] as string, 'base64'));
    if (keys[0] === UNDEFINED) return undefined;
  }
  for (const key of keys) object[key] = revive(object[key]);
  return object;
}
