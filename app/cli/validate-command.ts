import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { command, TOOL, UsageError } from './command';
import { DEFAULT_OPENSHIFT_VERSION, isOpenShiftVersion, OPENSHIFT_VERSIONS } from '../../lib/rules/openshift-version';
import { escapeControl } from '../output/terminal-text';
import { ConfigError, SynthError } from '../config/config-error';
import { PLAIN_SECRETS_ANNOTATION } from '../output/kustomization';
import { InputFileError, MANIFEST_FILE_LIMIT, readInputFile, readTree } from '../output/read-tree';
import { unfinishedSwaps } from '../output/write-output-dir';
import { builtInSchemas } from '../validate/built-in-schemas';
import { CompiledSchemas, CrdFolderError, CrdSchemas, SchemaSource } from '../validate/crd-schemas';
import { enclosingRecord, isValidateInput } from '../validate/kustomizations';
import { formatProblems, STREAM_BYTE_LIMIT, STREAM_NAME, validateStream, validateTree, ValidationReport } from '../validate/validate-manifests';
import { RuleProblem } from '../validate/registry-rules';
import { formatBytes } from '../output/read-tree';

/** `validate`: checks a folder of manifests offline, as the API server and the operator would. */
export const validateCommand = command({
  name: 'validate',
  synopsis: '[DIR | FILE | -] [--crds DIR] [--openshift-version 4.x] [--allow-plain-secrets] [--config DIR]',
  details: [
    '  DIR                    folder (or file) of manifests (default: dist); - reads one cluster\'s manifests from',
    '                         standard input (kubectl kustomize overlays/prod | ... validate -)',
    '  --crds DIR             more CRDs (a folder of *.yaml, or a file) to check custom resources against, on top of the ones',
    '                         built in (registry Config and ImagePruner, image config Image, Route,',
    '                         ExternalSecret, SealedSecret); also $CRD_DIR',
    '  --openshift-version V  the clusters\' OpenShift minor version, one of',
    `                         ${OPENSHIFT_VERSIONS.join(', ')}: registry Config and`,
    '                         ImagePruner fields its CRDs lack are errors. Default: each cluster\'s',
    `                         openshiftVersion as synth recorded it in its kustomization.yaml, else ${DEFAULT_OPENSHIFT_VERSION}`,
    '  --allow-plain-secrets  accept every plain Secret, in every cluster (refused by default: no secret',
    '                         values in git; a cluster folder lets through only the ones its config asked',
    '                         for, as synth recorded them in its kustomization.yaml)',
    '  --config DIR           the config folder the clusters were synthesized from: a cluster folder that',
    '                         lets plain Secrets through must come from a config with a plainSecret',
    'Exit 0 when there is no error (warnings and notes are printed), 1 on any error, 2 on bad usage.',
  ],
  options: {
    'crds': { type: 'string' },
    'openshift-version': { type: 'string' },
    'allow-plain-secrets': { type: 'boolean', default: false },
    'config': { type: 'string' },
  },
  allowPositionals: true,
  async run({ values, positionals }) {
    if (positionals.length > 1) throw new UsageError('validate takes one folder');
    const dir = positionals[0] ?? 'dist';
    // Not given: each cluster's recorded version (synth writes it), else the default.
    const openshiftVersion = values['openshift-version'];
    if (openshiftVersion !== undefined && !isOpenShiftVersion(openshiftVersion)) {
      // One line, as for a bad CRD folder: the allowed versions are the help.
      console.error(`${TOOL} validate: --openshift-version ${escapeControl(JSON.stringify(openshiftVersion))} is not a known OpenShift version; use one of ${OPENSHIFT_VERSIONS.join(', ')}`);
      return 2;
    }
    let schemas: SchemaSource[];
    try {
      schemas = validationSchemas(values.crds ?? process.env.CRD_DIR);
    } catch (e) {
      // Every bad CRD file, one line each (already escaped): not a usage problem.
      if (!(e instanceof CrdFolderError)) throw e;
      console.error(e.message);
      return 2;
    }
    let choices: Map<string, PlainSecretChoice> | undefined;
    try {
      choices = values.config === undefined ? undefined : await plainSecretChoices(values.config);
    } catch (e) {
      // Every bad config file, one line each: the same errors as synth.
      if (!(e instanceof SynthError)) throw e;
      console.error(e.message);
      return 2;
    }
    const options = { schemas, openshiftVersion, allowPlainSecrets: values['allow-plain-secrets'] };
    if (dir !== '-' && !existsSync(dir)) throw new UsageError(`${dir} does not exist`);
    // A single file is a folder of one file, named as given.
    const file = dir !== '-' && statSync(dir).isFile();
    const folder = file ? dirname(dir) : dir;
    const report = dir === '-' ? await validateStandardInput(options) : validateFolder(folder, options, file ? [basename(dir)] : undefined);
    if (typeof report === 'number') return report;
    const problems = [...versionNotes(report), ...report.problems, ...(choices && dir !== '-' ? unaskedPlainSecrets(report, dir, values.config!, choices) : [])];
    const errors = problems.filter((p) => p.severity === 'error').length;
    const notes = problems.filter((p) => p.severity === 'note').length;
    const where = dir === '-' ? 'standard input' : dir;
    // Files relative to the folder given; '' is the folder itself (its files outside every cluster folder).
    const named = dir === '-' ? problems : problems.map((p) => ({ ...p, manifest: { ...p.manifest, file: p.manifest.file ? `${folder}/${p.manifest.file}` : folder } }));
    const overrides = overriddenSchemas(schemas, values.crds ?? process.env.CRD_DIR, report.kinds);
    process.stdout.write(formatProblems([...overrides, ...named]));
    const warnings = problems.length - errors - notes;
    const allNotes = notes + overrides.length;
    console.error(`${count(report.objects, 'object')} checked in ${where}: ${count(errors, 'error')}, ${count(warnings, 'warning')}${allNotes ? `, ${count(allNotes, 'note')} (not checked)` : ''}`);
    return errors ? 1 : 0;
  },
});

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** What a cluster's config says of plain Secrets: its file, and whether it asks for one. */
interface PlainSecretChoice {
  readonly file: string;
  readonly asks: boolean;
}

/** Each cluster of a config folder (by name, as synth names its folder), and whether it asks for plain Secrets. */
async function plainSecretChoices(configDir: string): Promise<Map<string, PlainSecretChoice>> {
  // Only with --config: the config schema and the charts are synth's, and costly to load.
  const [{ loadConfigFile, loadDefaultsFile }, { asksForPlainSecrets }, { readConfigFolder }] = await Promise.all([
    import('../config/loader'), import('../charts/secret-source-from-config'), import('../synth'),
  ]);
  const folder = readConfigFolder(configDir);
  const errors: ConfigError[] = [];
  const choices = new Map<string, PlainSecretChoice>();
  try {
    const defaults = folder.defaults === undefined ? undefined : loadDefaultsFile(folder.defaults);
    for (const file of folder.clusters) {
      try {
        // Only what the config asks for matters here, not the values synth would read.
        const { config } = loadConfigFile(file, defaults, { needsEnvironment: false });
        choices.set(config.name, { file, asks: asksForPlainSecrets(config) });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        errors.push(e);
      }
    }
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    errors.push(e);
  }
  if (errors.length) throw new SynthError(errors);
  return choices;
}

/**
 * An error for each cluster folder that lets plain Secrets through although its config (the one
 * synth names the folder after) asks for none: synth did not write that, someone else did (a pull
 * request that hides a Secret's values in git behind the annotation, say).
 */
function unaskedPlainSecrets(report: ValidationReport, dir: string, configDir: string, choices: ReadonlyMap<string, PlainSecretChoice>): RuleProblem[] {
  const records = new Set(report.clusters.flatMap((c) => (c.plainSecrets ? [c.plainSecrets.recordedIn] : [])));
  return [...records].flatMap((recordedIn) => {
    const cluster = basename(resolve(realpathSync(dir), dirname(recordedIn)));
    const choice = choices.get(cluster);
    if (choice?.asks) return [];
    const why = choice ? `${choice.file} asks for none (no plainSecret)` : `no config in ${configDir} makes a cluster named ${cluster}`;
    return [{
      manifest: { file: recordedIn, object: {} }, field: `metadata.annotations.${PLAIN_SECRETS_ANNOTATION}`, severity: 'error' as const,
      message: `lets plain Secrets through, but ${why}: synth did not write this; remove the annotation and the plain Secrets, or ask for them in the config`,
    }];
  });
}

/** A note for each cluster checked against the newest version because nothing said which it runs. */
function versionNotes(report: ValidationReport): RuleProblem[] {
  return report.clusters.filter((c) => c.versionFrom === 'default').map((c) => ({
    manifest: { file: c.file, object: {} }, field: '', severity: 'note',
    message: `checked against OpenShift ${c.openshiftVersion}, the newest: nothing records the version this cluster runs (synth records a config's openshiftVersion in the cluster folder's kustomization.yaml); give --openshift-version`,
  }));
}

/** The manifests of a folder: a report, or the exit code after saying why the folder cannot be read. */
function validateFolder(dir: string, options: Parameters<typeof validateTree>[1], only?: readonly string[]): ValidationReport | number {
  let files: Map<string, string>;
  try {
    files = only ? new Map(only.map((name) => [name, readInputFile(join(dir, name), MANIFEST_FILE_LIMIT, dir)])) : readTree(dir, { wanted: isValidateInput });
  } catch (e) {
    // Files that are not files of ours (a FIFO, a link out of the folder, too large): named, one line each.
    if (e instanceof InputFileError) {
      console.error(`${join(dir, only![0])}: ${e.message}`);
      return 2;
    }
    if (!(e instanceof SynthError)) throw e;
    console.error(e.message);
    return 2;
  }
  for (const work of unfinishedSwaps(dir)) console.error(`warning: ${dir}/${work} holds a killed synth's unfinished change: this output may mix old and new clusters; run synth to finish it`);
  // A stage folder (dist/<cluster>/registry) records nothing itself: its cluster folder does.
  const report = validateTree(files, options, { root: dir, enclosing: enclosingRecord(dir) });
  // Nothing to judge is a mistake (a wrong path in CI), not a pass: also a folder of notes only
  // (an overlay whose patches reach outside it), which says what to check instead.
  if (!report.documents && report.problems.length && report.problems.every((p) => p.severity === 'note')) {
    process.stderr.write(formatProblems(report.problems));
    throw new UsageError(`nothing checked in ${dir}: it holds no object to judge on its own (see the note above)`);
  }
  if (!report.objects && !report.problems.length) throw new UsageError(only ? `no manifests in ${join(dir, only[0])}: ${isValidateInput(only[0]) ? 'it holds no object' : 'validate reads YAML files (.yaml, .yml)'}` : `no manifests in ${dir}: none of its YAML files (.yaml, .yml) holds an object`);
  return report;
}

/** A stream of manifests on standard input, read up to STREAM_BYTE_LIMIT. */
async function validateStandardInput(options: Parameters<typeof validateTree>[1]): Promise<ValidationReport | number> {
  if (process.stdin.isTTY) throw new UsageError('validate - reads manifests from standard input: pipe them in (kubectl kustomize overlays/prod | ... validate -)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > STREAM_BYTE_LIMIT) {
      console.error(`${TOOL} validate: standard input holds more than ${formatBytes(STREAM_BYTE_LIMIT)}, the most validate reads from a stream; validate the overlay's parts one at a time`);
      process.stdin.destroy();
      return 2;
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const report = text.trim() ? validateStream(text, options) : undefined;
  if (!report || (!report.objects && !report.problems.length)) throw new UsageError(`no manifests on standard input (${STREAM_NAME})`);
  return report;
}

/**
 * A note for each kind among the objects that the user's CRD folder defines and validate has built
 * in: the user's CRD is used instead, with its own rules (an older CRD checks less).
 */
function overriddenSchemas(schemas: readonly SchemaSource[], crdDir: string | undefined, kinds: ReadonlySet<string>): RuleProblem[] {
  const crds = schemas.find((s): s is CrdSchemas => s instanceof CrdSchemas);
  const builtIn = new Set(schemas.flatMap((s) => (s instanceof CompiledSchemas ? s.keys() : [])));
  return (crds?.keys() ?? []).filter((key) => builtIn.has(key) && kinds.has(key)).map((key) => ({
    manifest: { file: crdDir!, object: {} }, field: '', severity: 'note',
    message: `defines ${key}, which validate has built in: the objects of that kind are checked against this CRD and its rules, not the built-in ones`,
  }));
}

/** A user's CRD folder first (it may define newer versions), then the built-in schemas. */
function validationSchemas(crdDir: string | undefined): SchemaSource[] {
  const builtIn = builtInSchemas();
  if (crdDir === undefined) return builtIn;
  if (!existsSync(crdDir)) throw new UsageError(`CRD folder ${crdDir} does not exist`);
  // A single CRD file is a folder of one file.
  const crds = statSync(crdDir).isFile() ? CrdSchemas.fromDirectory(dirname(crdDir), [basename(crdDir)]) : CrdSchemas.fromDirectory(crdDir);
  return [crds, ...builtIn];
}
