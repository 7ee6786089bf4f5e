#!/usr/bin/env node
// Writes lib/rules/generated/openshift-versions.ts: for the registry Config and ImagePruner and the
// image config Image, the spec field paths that some OpenShift minor's CRD lacks, with the first
// (and, if it went away, the last) minor that has each. Read from the per-version CRDs listed under
// "versions" in crd-sources.json (each checked against its sha256), in CRD_DIR/versions/<4.x>/.
// Usage: npm run versions [-- --crds DIR] [--out FILE] [--present-only]   (or CRD_DIR=DIR; default
// .crds/, see npm run fetch-crds). Paths present in every version are left out, and so is a path
// whose versions are those of its parent: the check never looks below a field the cluster lacks.
// --present-only leaves out a kind whose CRDs are not all there (the image config's, in a folder
// that has only the registry's), and says so.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_SCHEMA, load } from 'js-yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const option = (name) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
const crdDir = resolve(option('--crds') ?? process.env.CRD_DIR ?? join(root, '.crds'));
const out = resolve(option('--out') ?? join(root, 'lib', 'rules', 'generated', 'openshift-versions.ts'));
const fail = (message) => { console.error(`versions: ${message}`); process.exit(1); };

const presentOnly = process.argv.includes('--present-only');
/** The CRDs' group for each kind the table holds. */
const GROUPS = { Config: 'imageregistry.operator.openshift.io', ImagePruner: 'imageregistry.operator.openshift.io', Image: 'config.openshift.io' };
const allSources = JSON.parse(readFileSync(join(root, 'crd-sources.json'), 'utf8')).versions;
// A file whose copies are not all here is left out with --present-only.
const absentFiles = new Set(allSources.filter((s) => !existsSync(join(crdDir, 'versions', s.version, s.file))).map((s) => s.file));
if (presentOnly && absentFiles.size) console.warn(`versions: left out, their CRDs are not all here: ${[...absentFiles].join(', ')}`);
const sources = allSources.filter((s) => !presentOnly || !absentFiles.has(s.file));
const minor = (version) => Number(version.split('.')[1]);
const versions = [...new Set(sources.map((s) => s.version))].sort((a, b) => minor(a) - minor(b));
if (!existsSync(join(crdDir, 'versions'))) fail(`${join(crdDir, 'versions')} does not exist: run npm run fetch-crds (downloads the pinned CRDs into .crds/), or pass --crds DIR or set CRD_DIR`);

/** Every property path below `schema`, `prefix` first; list items are `[]`. */
function paths(schema, prefix, into) {
  into.add(prefix);
  for (const [key, child] of Object.entries(schema.properties ?? {})) paths(child, `${prefix}.${key}`, into);
  if (schema.items) paths(schema.items, `${prefix}[]`, into);
  // A map whose values have fields would need a wildcard segment; none of these CRDs has one.
  if (schema.additionalProperties?.properties) fail(`${prefix} is a map of objects, which this generator does not handle`);
  return into;
}

const kinds = {};
for (const source of sources) {
  const file = join(crdDir, 'versions', source.version, source.file);
  if (!existsSync(file)) fail(`${file} is missing (expected a copy of ${source.url})`);
  const text = readFileSync(file);
  const sha = createHash('sha256').update(text).digest('hex');
  if (sha !== source.sha256) fail(`${file} has sha256 ${sha}, crd-sources.json expects ${source.sha256} (${source.url})`);
  const crd = load(text.toString('utf8'), { schema: CORE_SCHEMA });
  const served = crd.spec.versions.find((v) => v.name === 'v1');
  const kind = crd.spec.names.kind;
  if (!Object.hasOwn(GROUPS, kind) || crd.spec.group !== GROUPS[kind] || !served) fail(`${file} is not the v1 CRD of one of ${Object.keys(GROUPS).join(', ')}`);
  (kinds[kind] ??= new Map()).set(source.version, paths(served.schema.openAPIV3Schema.properties.spec, 'spec', new Set()));
}

const table = {};
for (const [kind, byVersion] of Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b))) {
  const missing = versions.filter((v) => !byVersion.has(v));
  if (missing.length) fail(`no ${kind} CRD for ${missing.join(', ')}`);
  const all = [...new Set(versions.flatMap((v) => [...byVersion.get(v)]))].sort();
  const ranges = new Map();
  for (const path of all) {
    const present = versions.map((v) => byVersion.get(v).has(path));
    if (present.every(Boolean)) continue;
    const first = present.indexOf(true);
    const last = present.lastIndexOf(true);
    if (present.slice(first, last + 1).some((p) => !p)) fail(`${kind} ${path} leaves and comes back; the table holds one range per field`);
    ranges.set(path, { first: versions[first], ...(last < versions.length - 1 ? { last: versions[last] } : {}) });
  }
  const entries = {};
  for (const [path, range] of ranges) {
    const parent = path.replace(/(\[\]|\.[^.[\]]+)$/, '');
    const inherited = ranges.get(parent);
    if (inherited && inherited.first === range.first && inherited.last === range.last) continue;
    entries[path] = range;
  }
  table[kind] = entries;
}

const lines = [
  '// Generated by `npm run versions` (scripts/openshift-versions.mjs) from the registry Config and',
  '// ImagePruner CRDs and the image config Image CRD of each OpenShift minor (crd-sources.json',
  '// "versions"). Do not edit.',
  '',
  '/** The OpenShift minor versions whose CRDs this table is made from, oldest first. */',
  `export const OPENSHIFT_VERSIONS = [${versions.map((v) => `'${v}'`).join(', ')}] as const;`,
  '',
  '/**',
  ' * Per kind, the spec fields (`[]`: any list item) that some of those versions lack: the first',
  ' * version with the field and, when a later one dropped it, the last. Fields of every version,',
  " * and fields with their parent's versions, are not listed.",
  ' */',
  'export const VERSIONED_FIELDS: Readonly<Record<string, Readonly<Record<string, { readonly first: string; readonly last?: string }>>>> = {',
  ...Object.entries(table).flatMap(([kind, entries]) => [
    `  ${kind}: {`,
    ...Object.entries(entries).map(([path, range]) => `    '${path}': { ${Object.entries(range).map(([k, v]) => `${k}: '${v}'`).join(', ')} },`),
    '  },',
  ]),
  '};',
  '',
];
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.part`, lines.join('\n'));
renameSync(`${out}.part`, out);
console.log(`${out}: ${Object.entries(table).map(([kind, e]) => `${kind} ${Object.keys(e).length} fields`).join(', ')}, versions ${versions[0]} to ${versions.at(-1)}`);
