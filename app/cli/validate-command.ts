import { existsSync } from 'node:fs';
import { command, TOOL, UsageError } from './command';
import { DEFAULT_OPENSHIFT_VERSION, isOpenShiftVersion, OPENSHIFT_VERSIONS } from '../../lib/rules/openshift-version';
import { escapeControl } from '../output/terminal-text';
import { SynthError } from '../config/config-error';
import { readTree } from '../output/read-tree';
import { unfinishedSwaps } from '../output/write-output-dir';
import { builtInSchemas } from '../validate/built-in-schemas';
import { CrdFolderError, CrdSchemas, SchemaSource } from '../validate/crd-schemas';
import { formatProblems, validateTree } from '../validate/validate-manifests';

/** `validate`: checks a folder of manifests offline, as the API server and the operator would. */
export const validateCommand = command({
  name: 'validate',
  summary: 'Checks every manifest in a folder offline: schemas, Pod Security, plain Secrets, the operator\'s rules.',
  synopsis: '[DIR] [--crds DIR] [--openshift-version 4.x] [--allow-plain-secrets]',
  details: [
    '  DIR                    folder of manifests (default: dist)',
    '  --crds DIR             more CRDs (*.yaml) to check custom resources against, on top of the ones',
    '                         built in (registry Config and ImagePruner, image config Image, Route,',
    '                         ExternalSecret, SealedSecret); also $CRD_DIR',
    '  --openshift-version V  the clusters\' OpenShift minor version, one of',
    `                         ${OPENSHIFT_VERSIONS.join(', ')}: registry Config and`,
    '                         ImagePruner fields its CRDs lack are errors. Default: each cluster\'s',
    `                         openshiftVersion as synth recorded it in its kustomization.yaml, else ${DEFAULT_OPENSHIFT_VERSION}`,
    '  --allow-plain-secrets  accept Secret objects (refused by default: no secret values in git)',
    'Exit 0 when there is no error (warnings are printed), 1 on any error, 2 on bad usage.',
  ],
  options: {
    'crds': { type: 'string' },
    'openshift-version': { type: 'string' },
    'allow-plain-secrets': { type: 'boolean', default: false },
  },
  allowPositionals: true,
  run({ values, positionals }) {
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
    let files: Map<string, string>;
    try {
      files = readTree(dir);
    } catch (e) {
      // Files that are not files of ours (a FIFO, a link out of the folder, too large): named, one line each.
      if (!(e instanceof SynthError)) throw e;
      console.error(e.message);
      return 2;
    }
    if (!files.size) throw new UsageError(`no files in ${dir}`);
    for (const work of unfinishedSwaps(dir)) console.error(`warning: ${dir}/${work} holds a killed synth's unfinished change: this output may mix old and new clusters; run synth to finish it`);
    const report = validateTree(files, { schemas, openshiftVersion, allowPlainSecrets: values['allow-plain-secrets'] });
    const errors = report.problems.filter((p) => p.severity === 'error').length;
    process.stdout.write(formatProblems(report.problems.map((p) => ({ ...p, manifest: { ...p.manifest, file: `${dir}/${p.manifest.file}` } }))));
    const warnings = report.problems.length - errors;
    console.error(`${report.objects} objects checked in ${dir}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
    return errors ? 1 : 0;
  },
});

/** A user's CRD folder first (it may define newer versions), then the built-in schemas. */
function validationSchemas(crdDir: string | undefined): SchemaSource[] {
  const builtIn = builtInSchemas();
  if (crdDir === undefined) return builtIn;
  if (!existsSync(crdDir)) throw new UsageError(`CRD folder ${crdDir} does not exist`);
  return [CrdSchemas.fromDirectory(crdDir), ...builtIn];
}
