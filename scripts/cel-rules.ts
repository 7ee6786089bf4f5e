// Writes lib/rules/generated/cel-rules.ts: the `x-kubernetes-validations` rules of the CRDs this
// project knows, with what their evaluation needs of the schema (lib/rules/cel/schema.ts), by
// `apiVersion Kind`; for the kinds whose CRD differs by OpenShift minor (crd-sources.json
// "versions": the registry Config and ImagePruner, the Image config), per range of minors, from
// each minor's CRD; for the others, from the pinned CRD ("crds"). Every input is checked against
// its sha256. Generated; never edit by hand.
// Usage: npm run cel-rules [-- --crds DIR] [--out FILE] [--present-only]   (or CRD_DIR; default
// .crds/, see npm run fetch-crds). --present-only leaves out the kinds whose inputs are not all
// in DIR instead of failing, and names them (the regeneration test uses it).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { celSchemaOf, CelSchema } from '../lib/rules/cel/schema';

interface Source { readonly file: string; readonly url: string; readonly sha256: string; readonly version?: string }

const root = process.cwd();
const option = (name: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
const crdDir = option('--crds') ?? process.env.CRD_DIR ?? join(root, '.crds');
const out = option('--out') ?? join(root, 'lib', 'rules', 'generated', 'cel-rules.ts');
const presentOnly = process.argv.includes('--present-only');
const fail = (message: string): never => {
  console.error(`cel-rules: ${message}`);
  process.exit(1);
};
const { crds, versions } = JSON.parse(readFileSync(join(root, 'crd-sources.json'), 'utf8')) as { crds: Source[]; versions: (Source & { version: string })[] };
const minor = (version: string) => Number(version.split('.')[1]);
const allVersions = [...new Set(versions.map((s) => s.version))].sort((a, b) => minor(a) - minor(b));

/** Each version of the CRD in `file` as [`group/version Kind`, its CEL schema]. */
function read(source: Source, file: string): [string, CelSchema | undefined][] {
  const text = readFileSync(file);
  const sha = createHash('sha256').update(text).digest('hex');
  if (sha !== source.sha256) fail(`${file} has sha256 ${sha}, crd-sources.json expects ${source.sha256} (${source.url})`);
  const crd = load(text.toString('utf8'), { schema: CORE_SCHEMA }) as { spec: { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema?: unknown } }[] } };
  return crd.spec.versions.map((v) => [`${crd.spec.group}/${v.name} ${crd.spec.names.kind}`, celSchemaOf(v.schema?.openAPIV3Schema)]);
}

const missing: string[] = [];
const present = (file: string) => existsSync(file) || (missing.push(file), false);

// Kinds per OpenShift minor: version -> key -> schema.
const byVersion = new Map<string, Map<string, CelSchema | undefined>>();
const versionedFiles = new Map<string, string[]>(); // key -> files read for it
const absentVersioned = new Set<string>(); // files named in "versions" that are not here
for (const source of versions) {
  const file = join(crdDir, 'versions', source.version, source.file);
  if (!present(file)) {
    absentVersioned.add(source.file);
    continue;
  }
  for (const [key, schema] of read(source, file)) {
    if (!byVersion.has(source.version)) byVersion.set(source.version, new Map());
    byVersion.get(source.version)!.set(key, schema);
    versionedFiles.set(key, [...versionedFiles.get(key) ?? [], source.file]);
  }
}

const table = new Map<string, string[]>(); // key -> entries (TS source)
const skipped: string[] = [];
const versionedKeys = new Set([...versionedFiles.keys()]);
for (const key of [...versionedKeys].sort()) {
  const file = versionedFiles.get(key)![0];
  const lacking = allVersions.filter((v) => !byVersion.get(v)?.has(key));
  if (lacking.length) {
    if (!presentOnly) fail(`no ${key} CRD (${file}) for ${lacking.join(', ')} in ${join(crdDir, 'versions')}`);
    skipped.push(`${key} (${lacking.map((v) => join('versions', v, file)).join(', ')} not in ${crdDir})`);
    continue;
  }
  const entries: string[] = [];
  let start = 0;
  for (let i = 1; i <= allVersions.length; i++) {
    const same = i < allVersions.length && JSON.stringify(byVersion.get(allVersions[i])!.get(key)) === JSON.stringify(byVersion.get(allVersions[start])!.get(key));
    if (same) continue;
    const schema = byVersion.get(allVersions[start])!.get(key);
    if (schema) entries.push(`{ first: '${allVersions[start]}', ${i < allVersions.length ? `last: '${allVersions[i - 1]}', ` : ''}schema: ${JSON.stringify(schema)} }`);
    start = i;
  }
  table.set(key, entries);
}
for (const file of absentVersioned) {
  if (!presentOnly) fail(`${file} of some OpenShift versions is not in ${join(crdDir, 'versions')}: run npm run fetch-crds, or pass --crds DIR or set CRD_DIR`);
  if (![...versionedFiles.values()].some((files) => files.includes(file))) skipped.push(`the kind of ${file} (not in ${join(crdDir, 'versions')} for any version)`);
}
for (const source of crds) {
  const file = join(crdDir, source.file);
  const versionedKind = versions.some((v) => v.file === source.file);
  if (versionedKind) continue; // per minor above
  if (!present(file)) {
    if (!presentOnly) fail(`${file} is missing (expected a copy of ${source.url})`);
    skipped.push(`${source.file} (not in ${crdDir})`);
    continue;
  }
  for (const [key, schema] of read(source, file)) if (schema) table.set(key, [`{ schema: ${JSON.stringify(schema)} }`]);
}
if (presentOnly && skipped.length) console.warn(`cel-rules: left out, their CRDs are not all here: ${skipped.join('; ')}`);

const lines = [
  '// Generated by `npm run cel-rules` (scripts/cel-rules.ts) from the CRDs in crd-sources.json. Do not edit.',
  "import type { CelSchema } from '../cel/schema';",
  '',
  '/** The rules of one CRD version for a range of OpenShift minors (all when neither bound is given). */',
  'export interface CelRuleSet {',
  '  readonly first?: string;',
  '  readonly last?: string;',
  '  readonly schema: CelSchema;',
  '}',
  '',
  '/**',
  ' * By `group/version Kind`, the CEL rules (x-kubernetes-validations, without transition rules)',
  ' * of the CRDs this project knows: per range of OpenShift minors for the kinds whose CRD changes',
  ' * with the minor, else one set. A minor outside every range has no rule for that kind.',
  ' */',
  'export const CEL_RULES: Readonly<Record<string, readonly CelRuleSet[]>> = {',
  ...[...table].sort(([a], [b]) => a.localeCompare(b)).filter(([, entries]) => entries.length).flatMap(([key, entries]) => [
    `  ${JSON.stringify(key)}: [`,
    ...entries.map((e) => `    ${e},`),
    '  ],',
  ]),
  '};',
  '',
];
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.part`, lines.join('\n'));
renameSync(`${out}.part`, out);
console.log(`${out}: ${[...table].filter(([, e]) => e.length).map(([key, e]) => `${key} (${e.length})`).join(', ')}`);
