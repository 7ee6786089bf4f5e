// Which folders validate takes as clusters, what each cluster's kustomization file records, and
// what a kustomization does to its files on their way to the cluster.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kustomizationYaml, OPENSHIFT_VERSION_ANNOTATION } from '../../../app/output/kustomization';
import { toYaml } from '../../../app/output/to-yaml';
import { builtInSchemas } from '../../../app/validate/built-in-schemas';
import { enclosingRecord, KUSTOMIZATION_FILE_NAMES } from '../../../app/validate/kustomizations';
import { formatProblems, TreeSource, validateTree, ValidateOptions } from '../../../app/validate/validate-manifests';
import { readTree } from '../../../app/output/read-tree';
import { repoRoot } from '../../helpers';

const schemas = builtInSchemas();

const claim = (accessMode: string) => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'image-registry-pvc', namespace: 'openshift-image-registry' },
  spec: { accessModes: [accessMode], resources: { requests: { storage: '100Gi' } } },
});
const config = (spec: object) => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { managementState: 'Managed', replicas: 1, ...spec } });
const threeReplicas = config({ replicas: 3, rolloutStrategy: 'Recreate', storage: { pvc: { claim: 'image-registry-pvc' } } });
const chunked = config({ storage: { s3: { bucket: 'b', region: 'us-east-1', chunkSizeMiB: 10 } } });
const kustomization = (resources: string[], openshiftVersion?: string) => kustomizationYaml(resources, { openshiftVersion });

/** `file: Kind name: field: message` for each problem, notes left out unless asked for. */
function lines(files: [string, string][], options: Partial<ValidateOptions> = {}, source: TreeSource = {}, severities = ['error', 'warning']): string[] {
  const report = validateTree(new Map(files), { schemas, ...options }, source);
  return formatProblems(report.problems.filter((p) => severities.includes(p.severity))).split('\n').filter(Boolean);
}

const tooManyReplicas = (file: string) => `${file}: Config cluster: spec.replicas: 3 replicas cannot share the ReadWriteOnce claim image-registry-pvc: the operator refuses it; use 1 replica, or a ReadWriteMany claim`;
const chunkSize416 = (file: string) => `${file}: Config cluster: spec.storage.s3.chunkSizeMiB: is not in OpenShift 4.16's Config CRD; it first appears in 4.17`;

describe('cluster folders, wherever they are below the folder given', () => {
  // PARENT/dist/<cluster>, as `validate PARENT` sees a project with its output: cluster a has a
  // ReadWriteMany claim for its 3 replicas, cluster b a ReadWriteOnce claim of the same name.
  const fleet: [string, string][] = [
    ['dist/a/kustomization.yaml', kustomization(['registry/registry.yaml'])],
    ['dist/a/registry/kustomization.yaml', kustomization(['registry.yaml'])],
    ['dist/a/registry/registry.yaml', toYaml(claim('ReadWriteMany'), threeReplicas)],
    ['dist/b/kustomization.yaml', kustomization(['registry/registry.yaml', 'storage/claim.yaml'])],
    ['dist/b/registry/kustomization.yaml', kustomization(['registry.yaml'])],
    ['dist/b/registry/registry.yaml', toYaml(threeReplicas)],
    ['dist/b/storage/kustomization.yaml', kustomization(['claim.yaml'])],
    ['dist/b/storage/claim.yaml', toYaml(claim('ReadWriteOnce'))],
    ['dist/old/kustomization.yaml', kustomization(['registry.yaml'], '4.16')],
    ['dist/old/registry.yaml', toYaml(chunked)],
  ];

  test('each cluster folder is its own cluster, with its own claims and its own recorded version', () => {
    expect(lines(fleet)).toEqual([tooManyReplicas('dist/b/registry/registry.yaml'), chunkSize416('dist/old/registry.yaml')]);
    const { clusters } = validateTree(new Map(fleet), { schemas });
    expect(clusters.map((c) => [c.file, c.openshiftVersion, c.versionFrom])).toEqual([
      ['dist/a/kustomization.yaml', '4.23', 'default'],
      ['dist/b/kustomization.yaml', '4.23', 'default'],
      ['dist/old/kustomization.yaml', '4.16', { recordedIn: 'dist/old/kustomization.yaml' }],
    ]);
  });

  test('a folder with a kustomization file inside a cluster folder (a stage) is part of that cluster', () => {
    // Were dist/b/storage a cluster of its own, b's claim would be "not among the manifests" (a warning).
    expect(lines(fleet.filter(([file]) => file.startsWith('dist/b/')))).toEqual([tooManyReplicas('dist/b/registry/registry.yaml')]);
  });

  test('files outside every cluster folder: one group per top folder, and one for the files at the top', () => {
    const files: [string, string][] = [
      ...fleet,
      ['dist/stray.yaml', toYaml(claim('ReadWriteOnce'))],
      ['loose/claim.yaml', toYaml(claim('ReadWriteOnce'))],
      ['loose/deeper/registry.yaml', toYaml(threeReplicas)],
      ['top.yaml', toYaml(threeReplicas)],
    ];
    const { clusters } = validateTree(new Map(files), { schemas });
    expect(clusters.map((c) => c.file)).toEqual(['dist/a/kustomization.yaml', 'dist/b/kustomization.yaml', 'dist/old/kustomization.yaml', 'dist', 'loose', '']);
    const errors = lines(files);
    // loose/ is one group: its claim and its Config meet; top.yaml's Config sees no claim (a warning).
    expect(errors).toContain(tooManyReplicas('loose/deeper/registry.yaml'));
    expect(errors.filter((line) => line.includes('top.yaml'))).toEqual([expect.stringMatching(/^warning: top\.yaml: Config cluster: spec\.storage\.pvc\.claim: .*not among/)]);
  });

  test.each(KUSTOMIZATION_FILE_NAMES)('a kustomization file named %s makes a cluster folder and records its version', (name) => {
    const files: [string, string][] = [[`lab/${name}`, kustomization(['registry.yaml'], '4.16')], ['lab/registry.yaml', toYaml(chunked)], ['edge/registry.yaml', toYaml(chunked)]];
    expect(lines(files)).toEqual([chunkSize416('lab/registry.yaml')]);
    expect(validateTree(new Map(files), { schemas }).clusters.map((c) => c.file)).toEqual([`lab/${name}`, 'edge']);
  });

  test('two kustomization files in one folder: kustomize refuses the folder', () => {
    expect(lines([['lab/Kustomization', kustomization(['a.yaml'])], ['lab/kustomization.yaml', kustomization(['a.yaml'])]])).toEqual([
      'lab/kustomization.yaml: Kustomization is in this folder too: kustomize refuses a folder with more than one kustomization file; keep one',
    ]);
  });
});

describe('a folder inside a cluster folder (a stage, which Flux applies on its own)', () => {
  const stage: [string, string][] = [['kustomization.yaml', kustomization(['registry.yaml'])], ['registry.yaml', toYaml(chunked)]];

  test('is checked against the version its cluster folder records', () => {
    const enclosing = { file: '../kustomization.yaml', openshiftVersion: '4.16' as const };
    expect(lines(stage, {}, { enclosing })).toEqual([chunkSize416('registry.yaml')]);
    expect(validateTree(new Map(stage), { schemas }, { enclosing }).clusters[0].versionFrom).toEqual({ recordedIn: '../kustomization.yaml' });
    // Its own record, or the option, wins.
    expect(lines([['kustomization.yaml', kustomization(['registry.yaml'], '4.23')], stage[1]], {}, { enclosing })).toEqual([]);
    expect(lines(stage, { openshiftVersion: '4.23' }, { enclosing })).toEqual([]);
  });

  describe('enclosingRecord: the walk up from the folder given', () => {
    const root = mkdtempSync(join(tmpdir(), 'enclosing-'));
    cpSync(join(repoRoot, 'dist'), join(root, 'dist'), { recursive: true });
    const write = (path: string, text: string) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    };

    test('a stage of a cluster that records its version gets it; one that records none gets nothing', () => {
      expect(enclosingRecord(join(root, 'dist', 'minio-s3', 'registry'))).toEqual({ file: '../kustomization.yaml', openshiftVersion: '4.16', plainSecrets: undefined });
      expect(enclosingRecord(join(root, 'dist', 'default', 'registry'))).toBeUndefined();
      expect(enclosingRecord(join(root, 'dist', 'minio-s3'))).toBeUndefined();
    });

    test('through a chain of folders that each hold a kustomization file, the nearest record wins', () => {
      write('fleet/kustomization.yaml', kustomization(['prod'], '4.14'));
      write('fleet/prod/Kustomization', kustomization(['registry'], '4.16'));
      write('fleet/prod/registry/kustomization.yml', kustomization(['registry.yaml']));
      write('fleet/prod/registry/extra/kustomization.yaml', kustomization([]));
      expect(enclosingRecord(join(root, 'fleet', 'prod', 'registry', 'extra'))).toMatchObject({ file: '../../Kustomization', openshiftVersion: '4.16' });
      expect(enclosingRecord(join(root, 'fleet', 'prod'))).toMatchObject({ file: '../kustomization.yaml', openshiftVersion: '4.14' });
    });

    test('the walk ends at a folder without a kustomization file, at a repository\'s top folder, and at a bad file', () => {
      write('gap/kustomization.yaml', kustomization(['a/b'], '4.16'));
      write('gap/a/b/x.yaml', '');
      expect(enclosingRecord(join(root, 'gap', 'a', 'b'))).toBeUndefined(); // gap/a holds none
      write('outer/kustomization.yaml', kustomization(['repo'], '4.16'));
      write('outer/repo/.git/HEAD', '');
      write('outer/repo/kustomization.yaml', kustomization(['stage']));
      write('outer/repo/stage/kustomization.yaml', kustomization([]));
      expect(enclosingRecord(join(root, 'outer', 'repo', 'stage'))).toBeUndefined();
      write('bad/kustomization.yaml', 'metadata: {annotations: [');
      write('bad/stage/kustomization.yaml', kustomization([]));
      expect(enclosingRecord(join(root, 'bad', 'stage'))).toBeUndefined();
      write('two/kustomization.yaml', kustomization([], '4.16'));
      write('two/kustomization.yml', kustomization([], '4.16'));
      expect(enclosingRecord(join(root, 'two', 'stage'))).toBeUndefined();
    });
  });
});

test('a recorded version that is not one is an error on the kustomization file, whatever its name', () => {
  expect(lines([['lab/Kustomization', kustomization(['registry.yaml'], '4.99')]])).toEqual([
    `lab/Kustomization: metadata.annotations.${OPENSHIFT_VERSION_ANNOTATION}: "4.99" is not a known OpenShift version; use one of 4.12, 4.13, 4.14, 4.15, 4.16, 4.17, 4.18, 4.19, 4.20, 4.21, 4.22, 4.23`,
  ]);
});

describe('kustomizations that change their files on the way to the cluster', () => {
  const partialDeployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'minio', namespace: 'minio' }, spec: { template: { spec: { containers: [{ name: 'minio', resources: { requests: { memory: '2Gi' } } }] } } } };
  const kustomizationOf = (fields: object) => toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...fields });
  const notes = (files: [string, string][], root?: string) => validateTree(new Map(files), { schemas, openshiftVersion: '4.23' }, { root }).problems
    .filter((p) => p.severity === 'note').map((p) => `${p.manifest.file}: ${p.message}`);

  test.each([
    ['namePrefix', 'lab-'], ['nameSuffix', '-x'], ['namespace', 'lab'], ['commonLabels', { a: 'b' }], ['labels', [{ pairs: { a: 'b' } }]],
    ['commonAnnotations', { a: 'b' }], ['patches', [{ patch: 'x' }]], ['patchesStrategicMerge', ['p.yaml']], ['patchesJson6902', [{ path: 'p.yaml' }]],
    ['replacements', [{ path: 'r.yaml' }]], ['images', [{ name: 'minio', newTag: 'x' }]], ['replicas', [{ name: 'minio', count: 2 }]],
    ['configMapGenerator', [{ name: 'c', literals: ['a=b'] }]], ['secretGenerator', [{ name: 's', literals: ['a=b'] }]],
    ['helmCharts', [{ name: 'minio' }]], ['generators', ['g.yaml']], ['transformers', ['t.yaml']], ['components', ['../c']],
  ])('%s: a note on the kustomization, pointing at the build', (field, value) => {
    expect(notes([['lab/kustomization.yaml', kustomizationOf({ resources: ['a.yaml'], [field]: value })], ['lab/a.yaml', toYaml(claim('ReadWriteMany'))]], 'clusters')).toEqual([
      expect.stringMatching(new RegExp(`^lab/kustomization\\.yaml: not checked as built: kustomize changes the objects on their way to the cluster \\(${field}\\); .* Validate what it builds: kubectl kustomize clusters/lab \\| openshift-image-registry-cdk8s validate -$`)),
    ]);
  });

  test('resources kustomize reads from outside the folder, or fetches: a note; plain resources, empty fields and what only orders or tunes: none', () => {
    const note = (resources: string[]) => notes([['kustomization.yaml', kustomizationOf({ resources })]]);
    expect(note(['../base', 'https://github.com/org/repo//registry?ref=v1', 'github.com/org/repo/registry', '/etc/x.yaml', 'a.yaml'])).toEqual([
      'kustomization.yaml: not checked as built: kustomize adds objects from outside this folder (../base, https://github.com/org/repo//registry?ref=v1, github.com/org/repo/registry and 1 more); the files here were checked as they are written. Validate what it builds: kubectl kustomize . | openshift-image-registry-cdk8s validate -',
    ]);
    expect(notes([['kustomization.yaml', kustomizationOf({ resources: ['a.yaml', 'stage'], patches: [], commonLabels: {}, namePrefix: '', sortOptions: { order: 'legacy' }, generatorOptions: { disableNameSuffixHash: true } })]])).toEqual([]);
    // What synth writes changes nothing.
    expect(validateTree(readTree(join(repoRoot, 'dist')), { schemas }).problems.filter((p) => p.severity === 'note')).toEqual([]);
  });

  test('a token in a remote resource\'s URL is not printed', () => {
    const report = validateTree(new Map([['kustomization.yaml', kustomizationOf({ resources: ['https://oauth2:glpat-SECRET1234@gitlab.example.com/team/base.git//deploy'] })]]), { schemas });
    const printed = formatProblems(report.problems);
    expect(printed).toContain('(https://***@gitlab.example.com/team/base.git//deploy)');
    expect(printed).not.toContain('glpat-SECRET1234');
  });

  test('the command names the folder as given, quoted for the shell when it must be', () => {
    const overlay: [string, string][] = [['prod/kustomization.yaml', kustomizationOf({ namePrefix: 'p-' })]];
    expect(notes(overlay, "it's here")[0]).toMatch(/kubectl kustomize 'it'\\''s here\/prod' \| openshift-image-registry-cdk8s validate -$/);
    expect(notes(overlay)[0]).toMatch(/kubectl kustomize prod \| /);
  });

  test('the files it reads as patches, replacements or generator input are not objects: not checked, not counted', () => {
    const files: [string, string][] = [
      ['kustomization.yaml', kustomizationOf({
        resources: ['minio.yaml'],
        patches: [{ path: 'patches/minio.yaml' }],
        patchesStrategicMerge: ['smp.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: inline}\n'],
        patchesJson6902: [{ target: { kind: 'Deployment', name: 'minio' }, path: 'json6902.yaml' }],
        replacements: [{ path: 'replacements.yaml' }],
        configMapGenerator: [{ name: 'settings', files: ['settings=settings.yaml'] }],
      })],
      ['minio.yaml', toYaml(partialDeployment)],
      ['patches/minio.yaml', toYaml(partialDeployment)],
      ['smp.yaml', toYaml(partialDeployment)],
      ['json6902.yaml', toYaml([{ op: 'replace', path: '/spec/replicas', value: 2 }])],
      ['replacements.yaml', toYaml([{ source: { kind: 'ConfigMap', name: 'x' }, targets: [] }])],
      ['settings.yaml', toYaml(['not', 'an', 'object'])],
    ];
    const report = validateTree(new Map(files), { schemas, openshiftVersion: '4.23' });
    // minio.yaml is a resource: applied whole, so refused without a selector; the patches are not reported.
    expect(report.problems.filter((p) => p.severity !== 'note').map((p) => `${p.manifest.file}: ${p.field}`)).toEqual(['minio.yaml: spec.selector']);
    expect(report.objects).toBe(1);
    expect(report.problems.find((p) => p.severity === 'note')?.message).toContain('what it reads as patches or generator input (patches/minio.yaml, json6902.yaml, replacements.yaml and 2 more) not at all');
  });

  test('a file that a kustomization also lists as a resource is an object', () => {
    const report = validateTree(new Map([
      ['kustomization.yaml', kustomizationOf({ resources: ['minio.yaml'], patches: [{ path: 'minio.yaml' }] })],
      ['minio.yaml', toYaml(partialDeployment)],
    ]), { schemas, openshiftVersion: '4.23' });
    expect(report.objects).toBe(1);
  });
});

describe('plain Secrets a cluster\'s config asked for, as synth recorded them', () => {
  const secret = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData: { KEY: 'value' } });
  const refused = (file: string, namespace: string, name: string) => `${file}: Secret ${namespace}/${name}: stringData: a plain Secret puts credentials in git; use an existing secret, an ExternalSecret or a SealedSecret (or --allow-plain-secrets; this tool's configs ask for one with plainSecret, for labs)`;
  const lab: [string, string][] = [
    ['lab/kustomization.yaml', kustomizationYaml(['secrets.yaml'], { plainSecrets: ['openshift-image-registry/registry-creds', 'minio/root'] })],
    ['lab/secrets.yaml', toYaml(secret('openshift-image-registry', 'registry-creds'), secret('minio', 'root'))],
  ];
  const allowedWarning = 'warning: lab/kustomization.yaml: metadata.annotations.openshift-image-registry-cdk8s/plain-secrets: lets these plain Secrets through, with their values in git: minio/root, openshift-image-registry/registry-creds';

  test('the recorded Secrets pass that cluster, with a warning that says so; any other plain Secret is refused, there and in the other clusters', () => {
    const files: [string, string][] = [
      ...lab,
      ['lab/more.yaml', toYaml(secret('minio', 'other'), secret('default', 'root'))],
      ['prod/kustomization.yaml', kustomization(['secrets.yaml'])],
      ['prod/secrets.yaml', toYaml(secret('minio', 'root'))],
    ];
    expect(lines(files)).toEqual([
      `${allowedWarning} (here: minio/root, openshift-image-registry/registry-creds). synth writes this for a config with a plainSecret (labs only): make sure this cluster's config asks for one (validate --config checks it)`,
      refused('lab/more.yaml', 'minio', 'other'),
      refused('lab/more.yaml', 'default', 'root'),
      refused('prod/secrets.yaml', 'minio', 'root'),
    ]);
    expect(validateTree(new Map(files), { schemas }).clusters.map((c) => c.plainSecrets)).toEqual([{ recordedIn: 'lab/kustomization.yaml', secrets: ['minio/root', 'openshift-image-registry/registry-creds'] }, undefined]);
  });

  test('--allow-plain-secrets lets every plain Secret through, in every cluster, and the record needs no warning', () => {
    expect(lines([...lab, ['prod/secrets.yaml', toYaml(secret('minio', 'root'))]], { allowPlainSecrets: true })).toEqual([]);
  });

  test('a stage folder gets the record of its cluster folder', () => {
    const stage: [string, string][] = [['kustomization.yaml', kustomization(['secrets.yaml'])], ['secrets.yaml', toYaml(secret('minio', 'root'))]];
    expect(lines(stage)).toEqual([refused('secrets.yaml', 'minio', 'root')]);
    expect(lines(stage, {}, { enclosing: { file: '../kustomization.yaml', plainSecrets: ['minio/root'] } })).toEqual([
      expect.stringMatching(/^warning: \.\.\/kustomization\.yaml: metadata\.annotations\.openshift-image-registry-cdk8s\/plain-secrets: lets these plain Secrets through, with their values in git: minio\/root \(here: minio\/root\)/),
    ]);
  });

  test('a record that is not a list of namespace/name lets nothing through, and is an error', () => {
    const bad = (value: string) => lines([
      ['kustomization.yaml', toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', metadata: { annotations: { 'openshift-image-registry-cdk8s/plain-secrets': value } } })],
      ['secrets.yaml', toYaml(secret('minio', 'root'))],
    ]);
    for (const value of ['*', 'minio/*', 'root', 'minio/root, ', 'Minio/root', 'minio/root/x']) {
      expect(bad(value)).toEqual([
        `kustomization.yaml: metadata.annotations.openshift-image-registry-cdk8s/plain-secrets: ${JSON.stringify(value)} is not a list of plain Secrets as synth writes it ("namespace/name, namespace/name"): no plain Secret is let through`,
        refused('secrets.yaml', 'minio', 'root'),
      ]);
    }
  });
});

describe('hostile kustomization files', () => {
  test('any shape of any field: read without failing, what kustomize would refuse is an error, and the folder stays a cluster folder', () => {
    const shapes = ['resources: 5', 'patches: "x"', 'patches: [5, null, {path: 7}]', 'patchesStrategicMerge: {a: 1}', 'configMapGenerator: [{files: [1, "a=c.yaml"], envs: 3}]',
      'helmCharts: [{valuesFile: [1]}]', 'openapi: [1]', 'resources: [null, 1, "../x", "https://x"]', 'metadata: {annotations: {openshift-image-registry-cdk8s/plain-secrets: 5}}',
      'metadata: {annotations: {openshift-image-registry-cdk8s/openshift-version: [4.16]}}', 'resources: [', '[1, 2]', '"just a string"'];
    for (const shape of shapes) {
      const report = validateTree(new Map([['lab/kustomization.yaml', `${shape}\n`], ['lab/a.yaml', toYaml(claim('ReadWriteMany'))], ['lab/b.yaml', toYaml(claim('ReadWriteMany'))]]), { schemas, openshiftVersion: '4.23' });
      expect(report.clusters.map((c) => c.file)).toEqual(['lab/kustomization.yaml']);
      // The same claim twice in one cluster folder: the two files are one cluster.
      expect([shape, report.problems.filter((p) => p.message.startsWith('the same object as in lab/a.yaml')).length]).toEqual([shape, 1]);
    }
    expect(lines([['lab/kustomization.yaml', 'resources: [\n']])).toEqual([expect.stringMatching(/^lab\/kustomization\.yaml: invalid YAML: /)]);
    expect(lines([['lab/kustomization.yaml', 'metadata: {annotations: {openshift-image-registry-cdk8s/plain-secrets: 5}}\n']])).toEqual([
      'lab/kustomization.yaml: metadata.annotations.openshift-image-registry-cdk8s/plain-secrets: 5 is not a list of plain Secrets as synth writes it ("namespace/name, namespace/name"): no plain Secret is let through',
    ]);
  });
});
