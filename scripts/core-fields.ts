// Writes app/validate/generated/core-fields.json: the field names of every type reachable from the
// built-in kinds `validate` knows (ALL_CORE_MODELS), as the Kubernetes API defines them. The types
// come from @kubernetes/client-node's models, which are generated from the Kubernetes OpenAPI spec
// (release-1.36, OpenShift 4.23): each model class lists its fields in a static attributeTypeMap.
// Generated; never edit the table by hand. Usage: npm run core-fields [-- --out FILE]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as models from '@kubernetes/client-node/dist/gen/models/all.js';
import { ALL_CORE_MODELS } from '../app/validate/core-models-all';
import type { CoreFields } from '../app/validate/core-fields';

interface Attribute { readonly baseName: string; readonly type: string }
type ModelClass = { readonly attributeTypeMap?: readonly Attribute[] };

const byName = models as unknown as Readonly<Record<string, ModelClass>>;
const attributesOf = (name: string) => (Object.hasOwn(byName, name) ? byName[name].attributeTypeMap : undefined);

/**
 * The client-node model of `apiVersion` `kind`. client-node names a model by version and kind
 * (V1Deployment, V2HorizontalPodAutoscaler), prefixed by its Go package only where two packages
 * have a type of that name (CoreV1Event, EventsV1Event). The package is the group's first label,
 * `core` for the core group. Exactly one of the two names must be a kind's model.
 */
function modelOf(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const capital = (s: string) => s[0].toUpperCase() + s.slice(1);
  const pkg = capital(group === '' ? 'core' : group.split('.')[0]);
  const names = [`${capital(version)}${kind}`, `${pkg}${capital(version)}${kind}`];
  const found = names.filter((name) => {
    const fields = attributesOf(name)?.map((a) => a.baseName);
    return fields?.includes('apiVersion') && fields.includes('kind');
  });
  if (found.length !== 1) {
    throw new Error(`${apiVersion} ${kind}: ${found.length ? `two client-node models (${found.join(', ')})` : `no client-node model (looked for ${names.join(', ')})`}; map it by hand in scripts/core-fields.ts`);
  }
  return found[0];
}

/**
 * What validate follows into a field, from client-node's type: a model (`V1PodSpec`), a list of
 * one (`Array<V1Container>` as `V1Container[]`) or a map to one (`{ [key: string]: V1JSONSchemaProps; }`
 * as `{V1JSONSchemaProps}`); 0 for a value it does not look into: scalars, IntOrString, dates,
 * lists and maps of them, and free-form JSON (`any`: RawExtension, JSONSchemaProps' `items` and
 * `default`, managedFields' fieldsV1). An object's `status` is 0 too: the API server resets
 * what a manifest gives there, and copies of live objects carry one (strict decoding would still
 * refuse an unknown field in it: a miss we accept).
 */
function childOf(attribute: Attribute): string | 0 {
  if (attribute.baseName === 'status' && attributesOf(attribute.type)) return 0;
  const list = /^Array<(\w+)>$/.exec(attribute.type);
  const map = /^\{ \[key: string\]: (\w+); \}$/.exec(attribute.type);
  const model = list?.[1] ?? map?.[1] ?? attribute.type;
  if (!attributesOf(model)) {
    if (!/^(string|number|boolean|any|Date|IntOrString|V1MicroTime|Array<.*>|\{ \[key: string\]: .* \})$/.test(attribute.type)) {
      throw new Error(`a field type client-node does not define: ${attribute.type} (${attribute.baseName}); say in scripts/core-fields.ts how to read it`);
    }
    return 0;
  }
  return list ? `${model}[]` : map ? `{${model}}` : model;
}

const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : 1);

/** The table: each kind's model, and the fields of every model reachable from them. */
function coreFieldsTable(): CoreFields {
  const kinds: Record<string, string> = {};
  for (const [apiVersion, byKind] of Object.entries(ALL_CORE_MODELS).sort(byKey)) {
    for (const kind of Object.keys(byKind).sort()) kinds[`${apiVersion} ${kind}`] = modelOf(apiVersion, kind);
  }
  const types: Record<string, string> = {};
  const pending = [...new Set(Object.values(kinds))];
  while (pending.length) {
    const name = pending.pop()!;
    if (Object.hasOwn(types, name)) continue;
    const fields: string[] = [];
    for (const attribute of [...attributesOf(name)!].sort((a, b) => (a.baseName < b.baseName ? -1 : 1))) {
      if (!/^[^\s:]+$/.test(attribute.baseName)) throw new Error(`${name}.${attribute.baseName}: a field name the table cannot hold (a space or a colon)`);
      const child = childOf(attribute);
      fields.push(child === 0 ? attribute.baseName : `${attribute.baseName}:${child}`);
      if (child !== 0) pending.push(child.replace(/^\{|\}$|\[\]$/g, ''));
    }
    types[name] = fields.join(' ');
  }
  return { kinds, types: Object.fromEntries(Object.entries(types).sort(byKey)) };
}

const outFlag = process.argv.indexOf('--out');
const out = outFlag >= 0 ? process.argv[outFlag + 1] : join(process.cwd(), 'app', 'validate', 'generated', 'core-fields.json');
const table = coreFieldsTable();
// One kind or type a line, so that a new client-node version shows as a readable diff.
writeFileSync(out, `${JSON.stringify(table, null, 1)}\n`);
console.log(`${out}: ${Object.keys(table.kinds).length} kinds, ${Object.keys(table.types).length} types, ${Object.values(table.types).reduce((n, t) => n + t.split(' ').length, 0)} fields`);
