// A stand-in for `oc` in the storage switch tests: the calls the Job's script makes, as oc and
// the API server answer them, on a registry Config kept in $FAKE_OC_DIR/config.json. Anything
// else is refused, so the script cannot come to rely on a call this stand-in does not model.
//
//   oc get configs.imageregistry.operator.openshift.io/cluster -o jsonpath=TEMPLATE
//   oc patch configs.imageregistry.operator.openshift.io/cluster --type=json [--dry-run=server] -p PATCH
//
// What each step copies, and from where:
// - `oc patch -p` turns the patch into JSON with yaml.ToJSON before sending it (kubectl
//   pkg/cmd/patch/patch.go RunPatch): Go's encoding/json output, keys sorted, `<`, `>`, `&`
//   escaped. Here: JSON input only (the script sends JSON), re-encoded as Go would.
// - The API server (k8s.io/apiserver pkg/endpoints/handlers/patch.go applyJSPatch): at most
//   10000 operations, then gopkg.in/evanphx/json-patch.v4 (v4.12.0) DecodePatch and Apply on the
//   current object encoded by encoding/json (unstructured.UnstructuredJSONScheme). The port below
//   keeps v4's rules: `add` needs the parent to exist and replaces an existing member, `remove`
//   of a missing member fails, `test` compares objects member by member and scalars by their
//   encoded bytes, a missing member tests equal only to a `value` of null, the first failing
//   operation fails the whole patch and nothing is written.
// - The custom resource handler then prunes unknown fields, applies the CRD's defaults (on
//   every read too) and validates against the CRD's schema: here the compiled validator of the
//   Config CRD that synth uses (app/validate/generated), refusing with 422 what it refuses. CEL
//   rules (x-kubernetes-validations) are not modelled; the Job's patches never touch a field
//   that has one.
// - A dry run (--dry-run=server) does all of that and writes nothing; a patch that changes
//   nothing writes nothing either (kubectl prints "patched (no change)").
// - `oc get -o jsonpath` (k8s.io/client-go util/jsonpath, allowMissingKeys as kubectl sets it):
//   `{"text"}` and `{.field.path}` only; a missing field prints nothing, a string as it is, a
//   map or list as json.Marshal prints it (compact, keys sorted, HTML characters escaped).
//
// $FAKE_OC_RACE models the operator's full-spec update racing a patch (cluster-image-registry-
// operator pkg/operator/controller.go sync(): it sets `Spec` to the copy it read before the patch,
// keeping only managementState, and updates): with `once`, the first `get` after the first written
// patch finds the spec as it was before that patch; with `always`, after every written patch.
'use strict';
const fs = require('fs');
const path = require('path');

const RESOURCE = 'configs.imageregistry.operator.openshift.io/cluster';

/** Ends the command as oc does on an error. */
function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(1);
}

// ---- Go's encoding/json (Marshal of decoded JSON: map keys sorted, HTML escaping on) ----

function goString(s) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function goJson(value) {
  if (value === null) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`fake oc: ${value}: only whole numbers are modelled`);
    return String(value);
  }
  if (Array.isArray(value)) return '[' + value.map(goJson).join(',') + ']';
  return '{' + Object.keys(value).sort().map((k) => goString(k) + ':' + goJson(value[k])).join(',') + '}';
}

// ---- JSON text kept raw, as json.RawMessage keeps it ----

/** Index after the JSON value starting at or after `i` (whitespace skipped); throws on bad JSON. */
function skipValue(text, i) {
  i = skipSpace(text, i);
  const c = text[i];
  if (c === '{' || c === '[') {
    const close = c === '{' ? '}' : ']';
    i = skipSpace(text, i + 1);
    if (text[i] === close) return i + 1;
    for (;;) {
      if (c === '{') {
        if (text[i] !== '"') throw new Error('invalid character in object key');
        i = skipSpace(text, skipValue(text, i));
        if (text[i] !== ':') throw new Error("expected ':'");
        i += 1;
      }
      i = skipSpace(text, skipValue(text, i));
      if (text[i] === ',') { i = skipSpace(text, i + 1); continue; }
      if (text[i] === close) return i + 1;
      throw new Error('invalid character after value');
    }
  }
  const m = /^(?:"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null)/.exec(text.slice(i));
  if (!m) throw new Error('invalid character looking for beginning of value');
  return i + m[0].length;
}
function skipSpace(text, i) {
  while (i < text.length && ' \t\n\r'.includes(text[i])) i += 1;
  return i;
}
/** Members of a JSON object text: [key, raw value or null]; throws unless it is an object or null. */
function wellFormed(text) {
  if (skipSpace(text, skipValue(text, 0)) !== text.length) throw new Error('invalid character after top-level value');
}
function members(raw) {
  const text = raw.trim();
  wellFormed(text);
  if (text === 'null') return null;
  if (text[0] !== '{') throw new Error('json: cannot unmarshal into Go value of type jsonpatch.partialDoc');
  const out = new Map();
  let i = skipSpace(text, 1);
  if (text[i] === '}') return out;
  for (;;) {
    const keyEnd = skipValue(text, i);
    const key = JSON.parse(text.slice(i, keyEnd));
    i = skipSpace(text, keyEnd) + 1;
    const start = skipSpace(text, i);
    const end = skipValue(text, start);
    const value = text.slice(start, end);
    out.set(key, value === 'null' ? null : node(value)); // a null member decodes to a nil *lazyNode
    i = skipSpace(text, end);
    if (text[i] === '}') return out;
    i = skipSpace(text, i + 1);
  }
}
/** Elements of a JSON array text, as `members` does for objects. */
function elements(raw) {
  const text = raw.trim();
  wellFormed(text);
  if (text === 'null') return null;
  if (text[0] !== '[') throw new Error('json: cannot unmarshal into Go value of type jsonpatch.partialArray');
  const out = [];
  let i = skipSpace(text, 1);
  if (text[i] === ']') return out;
  for (;;) {
    const end = skipValue(text, i);
    const value = text.slice(i, end);
    out.push(value === 'null' ? null : node(value));
    i = skipSpace(text, end);
    if (text[i] === ']') return out;
    i = skipSpace(text, i + 1);
  }
}

// ---- gopkg.in/evanphx/json-patch.v4 v4.12.0, patch.go ----

const node = (raw) => ({ raw, which: 'raw', doc: null, ary: null });
/** encoding/json Compact: whitespace outside strings removed, nothing else changed. */
function compact(raw) {
  if (raw === null) return null;
  let out = '';
  for (let i = 0, inString = false; i < raw.length; i += 1) {
    const c = raw[i];
    if (inString) {
      out += c;
      if (c === '\\') out += raw[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') { inString = true; out += c; } else if (!' \t\n\r'.includes(c)) out += c;
  }
  return out;
}
function tryDoc(n) {
  if (n.raw === null) return false;
  try { n.doc = members(n.raw) ?? new Map(); } catch { return false; }
  n.which = 'doc';
  return true;
}
function tryAry(n) {
  if (n.raw === null) return false;
  try { n.ary = elements(n.raw) ?? []; } catch { return false; }
  n.which = 'ary';
  return true;
}
const intoDoc = (n) => { if (n.which === 'doc') return n.doc; if (n.raw === null || !tryDoc(n)) throw new Error('invalid state detected'); return n.doc; };
const intoAry = (n) => { if (n.which === 'ary') return n.ary; if (n.raw === null || !tryAry(n)) throw new Error('invalid state detected'); return n.ary; };
function equal(n, o) {
  if (n.which === 'raw' && !tryDoc(n) && !tryAry(n)) {
    if (o.which !== 'raw') return false;
    return compact(n.raw) === compact(o.raw);
  }
  if (n.which === 'doc') {
    if (o.which === 'raw' && !tryDoc(o)) return false;
    if (o.which !== 'doc' || n.doc.size !== o.doc.size) return false;
    for (const [k, v] of n.doc) {
      if (!o.doc.has(k)) return false;
      const ov = o.doc.get(k);
      if ((v === null) !== (ov === null)) return false;
      if (v !== null && !equal(v, ov)) return false;
    }
    return true;
  }
  if (o.which !== 'ary' && !tryAry(o)) return false;
  return n.ary.length === o.ary.length && n.ary.every((v, i) => equal(v, o.ary[i]));
}
const isArray = (raw) => /^[ \n\t]*\[/.test(raw ?? '');
const decodeKey = (k) => k.replace(/~1/g, '/').replace(/~0/g, '~');

/** A container: a doc (Map) or an array, with get/add/remove as v4 defines them. */
function container(kind, value) {
  if (kind === 'doc') {
    return {
      kind,
      has: (key) => value.has(key),
      get: (key) => value.get(key) ?? null,
      add: (key, val) => { value.set(key, val); },
      set: (key, val) => { value.set(key, val); },
      remove: (key) => { if (!value.has(key)) throw new Error(`Unable to remove nonexistent key: ${key}: missing value`); value.delete(key); },
    };
  }
  const index = (key, size) => {
    if (!/^[-+]?[0-9]+$/.test(key)) throw new Error(`strconv.Atoi: parsing "${key}": invalid syntax`);
    let idx = Number(key);
    if (idx < 0) { if (idx < -size) throw new Error(`Unable to access invalid index: ${idx}: invalid index referenced`); idx += size; }
    return idx;
  };
  return {
    kind,
    get: (key) => { const idx = index(key, value.length); if (idx >= value.length) throw new Error(`Unable to access invalid index: ${idx}: invalid index referenced`); return value[idx]; },
    add: (key, val) => {
      if (key === '-') { value.push(val); return; }
      if (!/^[-+]?[0-9]+$/.test(key)) throw new Error(`value was not a proper array index: '${key}': strconv.Atoi: parsing "${key}": invalid syntax`);
      if (Number(key) >= value.length + 1) throw new Error(`Unable to access invalid index: ${key}: invalid index referenced`);
      value.splice(index(key, value.length + 1), 0, val);
    },
    set: (key, val) => { value[index(key, value.length)] = val; },
    remove: (key) => {
      if (!/^[-+]?[0-9]+$/.test(key)) throw new Error(`strconv.Atoi: parsing "${key}": invalid syntax`);
      if (Number(key) >= value.length) throw new Error(`Unable to access invalid index: ${key}: invalid index referenced`);
      value.splice(index(key, value.length), 1);
    },
  };
}
function findObject(root, pointer) {
  const split = pointer.split('/');
  if (split.length < 2) return null;
  let doc = root;
  for (const part of split.slice(1, -1)) {
    let next;
    try { next = doc.get(decodeKey(part)); } catch { return null; }
    if (next === null || next === undefined) return null;
    try { doc = isArray(next.raw) ? container('ary', intoAry(next)) : container('doc', intoDoc(next)); } catch { return null; }
  }
  return { con: doc, key: decodeKey(split[split.length - 1]) };
}
function opField(op, name) {
  if (!op.has(name) || op.get(name) === null) return undefined;
  return JSON.parse(op.get(name).raw);
}
/** op["value"] as v4's Operation.value(): absent -> undefined, JSON null -> a node with no raw. */
const opValue = (op) => (op.has('value') ? (op.get('value') ?? node(null)) : undefined);
function applyPatch(docText, patchText) {
  const ops = elements(patchText);
  if (ops === null) throw new Error('patch is null');
  const patch = ops.map((o) => (o === null ? new Map() : intoDoc(o)));
  if (patch.length > 10000) throw new Error(`The allowed maximum operations in a JSON patch is 10000, got ${patch.length}`);
  const rootNode = node(docText);
  const root = container('doc', intoDoc(rootNode));
  for (const op of patch) {
    const kind = typeof opField(op, 'op') === 'string' ? opField(op, 'op') : 'unknown';
    if (!['add', 'remove', 'replace', 'move', 'test', 'copy'].includes(kind)) throw new Error(`Unexpected kind: ${kind}`);
    const pointer = opField(op, 'path');
    if (pointer === undefined) {
      throw new Error(kind === 'add' || kind === 'remove' ? `${kind} operation failed to decode path: missing value` : `${kind} operation failed to decode path: operation missing path field: missing value`);
    }
    const found = kind === 'move' || kind === 'copy' ? null : findObject(root, pointer);
    const within = (what, run) => { try { return run(); } catch (e) { throw new Error(`error in ${what} for path: '${pointer}': ${e.message}`); } };
    if (kind === 'add') {
      if (!found) throw new Error(`add operation does not apply: doc is missing path: "${pointer}": missing value`);
      within('add', () => found.con.add(found.key, opValue(op) ?? null));
    } else if (kind === 'remove') {
      if (!found) throw new Error(`remove operation does not apply: doc is missing path: "${pointer}": missing value`);
      within('remove', () => found.con.remove(found.key));
    } else if (kind === 'replace') {
      if (!found) throw new Error(`replace operation does not apply: doc is missing path: ${pointer}: missing value`);
      let current;
      try { current = found.con.get(found.key); } catch { throw new Error(`replace operation does not apply: doc is missing key: ${pointer}: missing value`); }
      if (current === null && found.con.kind === 'doc' && !found.con.has(found.key)) throw new Error(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
      within('remove', () => found.con.set(found.key, opValue(op) ?? null));
    } else if (kind === 'move' || kind === 'copy') {
      const from = opField(op, 'from');
      if (from === undefined) throw new Error(`${kind} operation failed to decode from: operation, missing from field: missing value`);
      const source = findObject(root, from);
      if (!source) throw new Error(`${kind} operation does not apply: doc is missing from path: ${from}: missing value`);
      const key = kind === 'move' ? source.key : from;
      let val;
      try { val = source.con.get(source.key); } catch (e) { throw new Error(`error in ${kind} for ${kind === 'move' ? 'path' : 'from'}: '${key}': ${e.message}`); }
      if (kind === 'move') {
        try { source.con.remove(source.key); } catch (e) { throw new Error(`error in move for path: '${key}': ${e.message}`); }
      }
      const target = findObject(root, pointer);
      if (!target) throw new Error(`${kind} operation does not apply: doc is missing destination path: ${pointer}: missing value`);
      const copy = kind === 'copy' && val !== null ? node(serialize(val)) : val; // deepCopy: marshalled again
      try { target.con.add(target.key, copy); } catch (e) { throw new Error(kind === 'move' ? `error in move for path: '${pointer}': ${e.message}` : `error while adding value during copy: ${e.message}`); }
    } else {
      if (!found) throw new Error(`test operation does not apply: is missing path: ${pointer}: missing value`);
      const val = within('test', () => found.con.get(found.key));
      const expected = opValue(op);
      const passes = val === null ? expected !== undefined && expected.raw === null : expected !== undefined && equal(val, expected);
      if (!passes) throw new Error(`testing value ${pointer} failed: test failed`);
    }
  }
  return serialize(rootNode);
}
function serialize(n) {
  if (n === null) return 'null';
  if (n.which === 'doc') return '{' + [...n.doc.keys()].sort().map((k) => goString(k) + ':' + serialize(n.doc.get(k))).join(',') + '}';
  if (n.which === 'ary') return '[' + n.ary.map(serialize).join(',') + ']';
  return n.raw === null ? 'null' : goJson(JSON.parse(n.raw));
}

// ---- the custom resource handler: defaults, pruning, schema ----

// The `default`s in the Config CRD (imageregistry.operator.openshift.io_configs.yaml); a test
// compares this list with the CRD when the CRDs are at hand.
const DEFAULTS = [
  [['spec', 'logLevel'], 'Normal'],
  [['spec', 'operatorLogLevel'], 'Normal'],
  [['spec', 'storage', 'azure', 'networkAccess'], { type: 'External' }],
  [['spec', 'storage', 'azure', 'networkAccess', 'type'], 'External'],
  [['spec', 'storage', 'oss', 'encryption', 'method'], 'AES256'],
  [['spec', 'storage', 'oss', 'endpointAccessibility'], 'Internal'],
  [['spec', 'storage', 's3', 'cloudFront', 'privateKey', 'name'], ''],
];
const isMap = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
function withDefaults(object) {
  const dropNulls = (v) => (Array.isArray(v) ? v.map(dropNulls) : isMap(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)])) : v);
  const out = dropNulls(object);
  for (const [at, value] of DEFAULTS) {
    let parent = out;
    for (const key of at.slice(0, -1)) parent = isMap(parent) ? parent[key] : undefined;
    if (isMap(parent) && parent[at[at.length - 1]] === undefined) parent[at[at.length - 1]] = JSON.parse(JSON.stringify(value));
  }
  return out;
}
const { byKind } = require(path.join(__dirname, '..', '..', '..', 'app', 'validate', 'generated', 'crd-validators.js'));
const validateConfig = byKind['imageregistry.operator.openshift.io/v1 Config'];
/** The object as the API server would store it, or an error message. */
function admit(object) {
  const out = withDefaults(object);
  for (let round = 0; round < 100; round += 1) {
    if (validateConfig(out)) return { object: out };
    const errors = validateConfig.errors;
    const unknown = errors.filter((e) => e.keyword === 'additionalProperties');
    if (unknown.length === 0) {
      return { error: `Config.imageregistry.operator.openshift.io "cluster" is invalid: ${errors.map((e) => `${e.instancePath.replace(/^\//, '').replace(/\//g, '.')}: ${e.message}`).join(', ')}` };
    }
    for (const e of unknown) { // pruned, as the API server prunes unknown fields
      let parent = out;
      for (const key of e.instancePath.split('/').slice(1)) parent = parent[key];
      delete parent[e.params.additionalProperty];
    }
  }
  return { error: 'fake oc: pruning did not converge' };
}

// ---- the commands ----

function flags(list, allowed) {
  const out = {};
  for (let i = 0; i < list.length; i += 1) {
    const m = /^(--?[a-z-]+)(?:=(.*))?$/s.exec(list[i]);
    if (!m || !(m[1] in allowed)) fail(`fake oc: unexpected argument ${JSON.stringify(list[i])}`);
    const name = allowed[m[1]];
    out[name] = m[2] !== undefined ? m[2] : list[++i];
    if (out[name] === undefined) fail(`error: flag needs an argument: ${m[1]}`);
  }
  return out;
}

function jsonpath(template, object) {
  let out = '';
  let i = 0;
  while (i < template.length) {
    if (template[i] !== '{') { out += template[i]; i += 1; continue; }
    const end = template.indexOf('}', i);
    const inner = template.slice(i + 1, end);
    if (/^"(?:[^"\\]|\\[n"\\])*"$/.test(inner)) out += JSON.parse(inner);
    else if (/^(\.[A-Za-z0-9_-]+)+$/.test(inner)) {
      let value = object;
      for (const key of inner.slice(1).split('.')) value = isMap(value) ? value[key] : undefined;
      if (value === undefined) out += '';
      else if (typeof value === 'object' && value !== null) out += goJson(value);
      else out += value === null ? 'null' : String(value);
    } else throw new Error(`fake oc: jsonpath {${inner}} is not modelled`);
    i = end + 1;
  }
  return out;
}

function main(args) {
  const dir = process.env.FAKE_OC_DIR;
  const configFile = path.join(dir, 'config.json');
  fs.appendFileSync(path.join(dir, 'calls.log'), JSON.stringify(['oc', ...args]) + '\n');
  function readConfig() {
    let config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    const raceFile = path.join(dir, 'race.json');
    if (fs.existsSync(raceFile)) {
      const { before } = JSON.parse(fs.readFileSync(raceFile, 'utf8'));
      fs.rmSync(raceFile);
      config = { ...config, spec: { ...before, managementState: config.spec.managementState } };
      fs.writeFileSync(configFile, JSON.stringify(config));
    }
    return withDefaults(config);
  }

  const [verb, resource, ...rest] = args;
  if (resource !== RESOURCE) fail(`fake oc: unexpected call ${JSON.stringify(args)}`);
  if (verb === 'get') {
    const { output } = flags(rest, { '-o': 'output', '--output': 'output' });
    if (!output || !output.startsWith('jsonpath=')) fail('fake oc: only -o jsonpath= is modelled');
    let text;
    try { text = jsonpath(output.slice('jsonpath='.length), readConfig()); } catch (e) { fail(e.message); }
    process.stdout.write(text);
  } else if (verb === 'patch') {
    const options = flags(rest, { '--type': 'type', '-p': 'patch', '--patch': 'patch', '--dry-run': 'dryRun' });
    if (options.type !== 'json') fail('fake oc: only --type=json is modelled');
    if (options.dryRun !== undefined && options.dryRun !== 'server') fail('fake oc: only --dry-run=server is modelled');
    let sent;
    try { sent = goJson(JSON.parse(options.patch)); } catch (e) { fail(`error: unable to parse "${options.patch}": ${e.message}`); }
    const current = readConfig();
    let patched;
    try { patched = JSON.parse(applyPatch(goJson(current), sent)); } catch (e) { fail(`Error from server (UnprocessableEntity): ${e.message}`); }
    const { object, error } = admit(patched);
    if (error) fail(`The ${error}`);
    const changed = goJson(object) !== goJson(current);
    if (options.dryRun) {
      process.stdout.write(`${RESOURCE} patched (server dry run)\n`);
    } else {
      if (changed) {
        fs.writeFileSync(configFile, JSON.stringify(object));
        const race = process.env.FAKE_OC_RACE;
        if (race === 'always' || (race === 'once' && !fs.existsSync(path.join(dir, 'raced')))) {
          fs.writeFileSync(path.join(dir, 'raced'), '');
          fs.writeFileSync(path.join(dir, 'race.json'), JSON.stringify({ before: current.spec }));
        }
      }
      process.stdout.write(`${RESOURCE} patched${changed ? '' : ' (no change)'}\n`);
    }
  } else {
    fail(`fake oc: unexpected call ${JSON.stringify(args)}`);
  }
}

if (require.main === module) main(process.argv.slice(2));
module.exports = { applyPatch, goJson, jsonpath, DEFAULTS };
