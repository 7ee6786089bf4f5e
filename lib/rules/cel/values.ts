// A JSON value as the API server hands it to CEL (k8s.io/apiserver/pkg/cel/common/values.go
// UnstructuredToVal, typed by the structural schema): `integer` fields are int, `number` fields
// double (also when the JSON has 3, not 3.0), int-or-string numbers int, `date-time` and
// `duration` strings timestamp and duration, `byte` strings bytes; where the schema says nothing
// (preserved unknown fields, or a part this reduced schema leaves out because it holds only
// strings, booleans, maps and lists) a whole JSON number is int, as the API server's JSON
// decoder makes it. Objects become maps: has() and field access behave as on the API server's
// object types at run time (an unset field is an error, has() is false).
import { parseGoDuration } from '../go-duration';
import { isMap } from '../shapes';
import { loadCel } from './library';
import { CelSchema } from './schema';

export function toCelValue(value: unknown, schema: CelSchema | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (schema?.type === 'number') return value;
    const integral = schema?.type === 'integer' || schema?.intOrString || schema === undefined || (schema.type === undefined && !schema.format);
    return integral && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (typeof value === 'string') return schema?.format ? formatted(value, schema.format) : value;
  if (Array.isArray(value)) return value.map((item) => toCelValue(item, schema?.items));
  if (isMap(value)) {
    const map = new Map<string, unknown>();
    const withDefault = withDefaults(value, schema);
    for (const [key, child] of Object.entries(withDefault as object)) {
      const sub = schema?.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : schema?.additionalProperties;
      map.set(key, toCelValue(child, sub));
    }
    return map;
  }
  return value;
}

function formatted(text: string, format: NonNullable<CelSchema['format']>): unknown {
  const { timestampFromMs, durationFromMs, Uint8ArrayFromBase64 } = wkt();
  if (format === 'date-time') {
    const ms = Date.parse(text);
    return /^\d{4}-\d\d-\d\dT/.test(text) && Number.isFinite(ms) ? timestampFromMs(ms) : text;
  }
  if (format === 'duration') {
    const parsed = parseGoDuration(text);
    return parsed.nanoseconds === undefined ? text : durationFromMs(Number(parsed.nanoseconds / 1_000_000n));
  }
  return Uint8ArrayFromBase64(text) ?? text;
}

function wkt() {
  loadCel();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { timestampFromMs, durationFromMs } = require('@bufbuild/protobuf/wkt') as typeof import('@bufbuild/protobuf/wkt');
  const Uint8ArrayFromBase64 = (text: string): Uint8Array | undefined => (/^[A-Za-z0-9+/]*={0,2}$/.test(text) ? new Uint8Array(Buffer.from(text, 'base64')) : undefined);
  return { timestampFromMs, durationFromMs, Uint8ArrayFromBase64 };
}

/**
 * `value` with the schema's defaults of absent fields filled in, one level: the API server
 * defaults an object before it validates it (structural defaulting, apiextensions-apiserver
 * pkg/apiserver/schema/defaulting). The input is not changed.
 */
export function withDefaults(value: unknown, schema: CelSchema | undefined): unknown {
  if (!isMap(value) || !schema?.properties) return value;
  let out: Record<string, unknown> | undefined;
  for (const [key, sub] of Object.entries(schema.properties)) {
    if (sub.default !== undefined && !Object.hasOwn(value, key)) {
      out ??= { ...value };
      out[key] = structuredClone(sub.default);
    }
  }
  return out ?? value;
}
