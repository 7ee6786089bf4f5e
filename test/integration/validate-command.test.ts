import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readTree } from '../../app/output/read-tree';
import { toYaml } from '../../app/output/to-yaml';
import { repoRoot, runCli } from '../helpers';

// No CRD folder anywhere: the built-in validators are the default.
const env: NodeJS.ProcessEnv = { ...process.env };
delete env.CRD_DIR;
const run = (args: string[]) => runCli(['validate', ...args], { env });
/** What validate prints but the notes (which say, for one, which OpenShift version a folder without a record was checked against). */
const withoutNotes = (stdout: string) => stdout.replace(/^note: .*\n/gm, '');

const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'image-registry-pvc', namespace: 'openshift-image-registry' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } } };
const config = (spec: object) => ({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { managementState: 'Managed', replicas: 1, rolloutStrategy: 'Recreate', storage: { pvc: { claim: 'image-registry-pvc' } }, ...spec } });
const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
  },
};
const folder = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'validate-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
};

describe('the validate command', () => {
  test('with no CRD folder, dist/ validates against the built-in schemas: exit 0 and a count', () => {
    const result = run([join(repoRoot, 'dist')]);
    // Every object of dist/ (a user's own clusters included), kustomizations aside.
    const objects = [...readTree(join(repoRoot, 'dist')).entries()].filter(([file]) => !file.endsWith('kustomization.yaml'))
      .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS())).filter(Boolean).length;
    expect(result.stderr).toMatch(new RegExp(`^${objects} objects checked in .*dist: 0 errors, 0 warnings, \\d+ notes? \\(not checked\\)\n$`));
    // The default cluster's config sets no openshiftVersion: the note says which version was used.
    expect(result.stdout).toContain(`note: ${repoRoot}/dist/default/kustomization.yaml: checked against OpenShift 4.23, the newest: nothing records the version this cluster runs (synth records a config's openshiftVersion in the cluster folder's kustomization.yaml); give --openshift-version
`);
    expect(result.status).toBe(0);
  });

  test('the built-in schemas catch an unknown field of the registry Config', () => {
    const dir = folder({ 'registry.yaml': toYaml(pvc, config({ replica: 1 })) });
    const result = run([dir]);
    expect(result.status).toBe(1);
    expect(withoutNotes(result.stdout)).toBe(`${dir}/registry.yaml: Config cluster: spec.replica: unknown field\n`);
  });

  test('exit 1 with one line per problem naming file, object and field', () => {
    const dir = folder({ 'prod/registry.yaml': toYaml(pvc, config({ replicas: 2 })) });
    const result = run([dir]);
    expect(result.status).toBe(1);
    expect(withoutNotes(result.stdout)).toBe(`${dir}/prod/registry.yaml: Config cluster: spec.replicas: 2 replicas cannot share the ReadWriteOnce claim image-registry-pvc: the operator refuses it; use 1 replica, or a ReadWriteMany claim\n`);
  });

  test('--crds DIR adds a user\'s CRDs on top of the built-in ones', () => {
    const crds = folder({ 'widgets.yaml': toYaml(widgetCrd) });
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'lab' }, spec: { size: 'big' } };
    const dir = folder({ 'widget.yaml': toYaml(widget), 'registry.yaml': toYaml(pvc, config({ replica: 1 })) });
    const result = run([dir, '--crds', crds]);
    expect(withoutNotes(result.stdout)).toBe(`${dir}/registry.yaml: Config cluster: spec.replica: unknown field\n${dir}/widget.yaml: Widget lab/w: spec.size: must be integer\n`);
    expect(result.status).toBe(1);
  });

  test('a CRD of --crds for a kind validate has built in is used instead, and a note says so where such an object is checked', () => {
    // An old Config CRD that lacks a field: the field is unknown to it.
    const oldConfigCrd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'configs.imageregistry.operator.openshift.io' },
      spec: { group: 'imageregistry.operator.openshift.io', scope: 'Cluster', names: { kind: 'Config', plural: 'configs' }, versions: [{ name: 'v1', served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec: { type: 'object', properties: { managementState: { type: 'string' } } } } } } }] } };
    const crds = folder({ 'configs.yaml': toYaml(oldConfigCrd), 'widgets.yaml': toYaml(widgetCrd) });
    const dir = folder({ 'registry.yaml': toYaml({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { managementState: 'Managed', logLevel: 'Debug' } }) });
    const result = run([dir, '--crds', crds, '--openshift-version', '4.20']);
    expect(result.stdout.split('\n')).toEqual([
      `note: ${crds}: defines imageregistry.operator.openshift.io/v1 Config, which validate has built in: the objects of that kind are checked against this CRD and its rules, not the built-in ones`,
      `${dir}/registry.yaml: Config cluster: spec.logLevel: unknown field`,
      '',
    ]);
    // No Config among the objects: nothing to say.
    expect(run([folder({ 'ns.yaml': toYaml({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }) }), '--crds', crds, '--openshift-version', '4.20']).stdout).toBe('');
  });

  test('--allow-plain-secrets lets a plain Secret through', () => {
    const dir = folder({ 'secret.yaml': toYaml({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'lab' }, stringData: { KEY: 'v' } }) });
    expect(run([dir]).status).toBe(1);
    expect(run([dir, '--allow-plain-secrets']).status).toBe(0);
  });

  test('a missing CRD folder is a usage error: one line and the usage, exit 2', () => {
    const result = run([join(repoRoot, 'dist'), '--crds', join(tmpdir(), 'no-such-crds')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`openshift-image-registry-cdk8s validate: CRD folder ${join(tmpdir(), 'no-such-crds')} does not exist\nusage: openshift-image-registry-cdk8s validate [DIR | FILE | -] [--crds DIR] [--openshift-version 4.x] [--allow-plain-secrets] [--config DIR]\n`);
  });

  describe('--openshift-version', () => {
    const chunked = { ...config({}), spec: { managementState: 'Managed', replicas: 1, storage: { s3: { bucket: 'registry', region: 'us-east-1', chunkSizeMiB: 16 } } } };
    const pruner = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'ImagePruner', metadata: { name: 'cluster' }, spec: { schedule: '0 0 * * *', resources: { claims: [{ name: 'gpu' }] } } };

    test('fields the version\'s Config and ImagePruner CRDs lack are errors, in the same words as synth', () => {
      const dir = folder({ 'kustomization.yaml': '', 'registry.yaml': toYaml(chunked, pruner) });
      const result = run([dir, '--openshift-version', '4.12']);
      expect(result.status).toBe(1);
      expect(result.stdout.split('\n').filter((line) => !line.startsWith('warning')).join('\n')).toBe([
        `${dir}/registry.yaml: Config cluster: spec.storage.s3.chunkSizeMiB: is not in OpenShift 4.12's Config CRD; it first appears in 4.17`,
        `${dir}/registry.yaml: ImagePruner cluster: spec.resources.claims: is not in OpenShift 4.12's ImagePruner CRD; it first appears in 4.13`,
        '',
      ].join('\n'));
      // What synth says of the same field in a config for that version.
      const config = folder({ 'prod.yaml': 'name: prod\nopenshiftVersion: "4.12"\nregistry:\n  storage:\n    s3: {bucket: registry, chunkSizeMiB: 16, credentials: {existingSecret: {}}}\n' });
      const synth = runCli(['synth', '--config', config, '--outdir', join(config, 'out')], { env });
      expect(synth.status).toBe(1);
      expect(synth.stderr).toContain("registry.storage.s3.chunkSizeMiB: is not in OpenShift 4.12's Config CRD; it first appears in 4.17 (openshiftVersion: \"4.12\" at ");
      expect(run([dir, '--openshift-version', '4.17']).status).toBe(0);
      expect(run([dir]).status).toBe(0);
    });

    test('an unknown version: one line naming the known ones, exit 2', () => {
      const result = run([join(repoRoot, 'dist'), '--openshift-version', '4.11']);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('openshift-image-registry-cdk8s validate: --openshift-version "4.11" is not a known OpenShift version; use one of 4.12, 4.13, 4.14, 4.15, 4.16, 4.17, 4.18, 4.19, 4.20, 4.21, 4.22, 4.23\n');
    });

    test('--help lists the versions and the default', () => {
      const help = run(['--help']).stdout;
      expect(help).toContain('--openshift-version V  the clusters\' OpenShift minor version, one of\n                         4.12, 4.13, 4.14, 4.15, 4.16, 4.17, 4.18, 4.19, 4.20, 4.21, 4.22, 4.23: registry Config and');
      expect(help).toContain('Default: each cluster\'s\n                         openshiftVersion as synth recorded it in its kustomization.yaml, else 4.23');
    });
  });
});

describe('which folders are clusters, and which version each is checked against', () => {
  /** A copy of the committed dist/ under PARENT/dist, and PARENT. */
  const copyOfDist = () => {
    const parent = mkdtempSync(join(tmpdir(), 'validate-parent-'));
    cpSync(join(repoRoot, 'dist'), join(parent, 'dist'), { recursive: true });
    return parent;
  };
  const edit = (file: string, from: string | RegExp, to: string) => {
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(from);
    writeFileSync(file, text.replace(from, to));
  };

  test('validate PARENT finds the cluster folders in PARENT/dist: each is checked alone, against its own version', () => {
    const parent = copyOfDist();
    const dist = join(parent, 'dist');
    // minio-s3 runs 4.16 (synth recorded it), which has no chunkSizeMiB.
    edit(join(dist, 'minio-s3', 'registry', 'registry.yaml'), /^( {4}s3:\n)/m, '$1      chunkSizeMiB: 16\n');
    // Another cluster whose claim has the name of default's, ReadWriteMany, for 3 replicas: fine.
    cpSync(join(dist, 'default'), join(dist, 'shared'), { recursive: true });
    edit(join(dist, 'shared', 'registry', 'registry-storage.yaml'), '- ReadWriteOnce', '- ReadWriteMany');
    edit(join(dist, 'shared', 'registry', 'registry.yaml'), 'replicas: 1', 'replicas: 3');
    // default's own claim is ReadWriteOnce: 3 replicas there are refused by the operator.
    edit(join(dist, 'default', 'registry', 'registry.yaml'), 'replicas: 1', 'replicas: 3');
    const result = run([parent]);
    expect(withoutNotes(result.stdout).split('\n').filter(Boolean)).toEqual([
      `${dist}/default/registry/registry.yaml: Config cluster: spec.replicas: 3 replicas cannot share the ReadWriteOnce claim image-registry-pvc: the operator refuses it; use 1 replica, or a ReadWriteMany claim`,
      `${dist}/minio-s3/registry/registry.yaml: Config cluster: spec.storage.s3.chunkSizeMiB: is not in OpenShift 4.16's Config CRD; it first appears in 4.17`,
    ]);
    expect(result.status).toBe(1);
  });

  test('a stage folder (what a Flux Kustomization applies) is checked against its cluster folder\'s version', () => {
    const parent = copyOfDist();
    edit(join(parent, 'dist', 'minio-s3', 'registry', 'registry.yaml'), /^( {4}s3:\n)/m, '$1      chunkSizeMiB: 16\n');
    const stage = run([join(parent, 'dist', 'minio-s3', 'registry')]);
    expect(stage.stdout).toBe(`${parent}/dist/minio-s3/registry/registry.yaml: Config cluster: spec.storage.s3.chunkSizeMiB: is not in OpenShift 4.16's Config CRD; it first appears in 4.17\n`);
    expect(stage.status).toBe(1);
    // A cluster whose config sets no version: the note names the version used.
    const unrecorded = run([join(parent, 'dist', 'default', 'registry')]);
    expect(unrecorded.stdout).toBe(`note: ${parent}/dist/default/registry/kustomization.yaml: checked against OpenShift 4.23, the newest: nothing records the version this cluster runs (synth records a config's openshiftVersion in the cluster folder's kustomization.yaml); give --openshift-version\n`);
    expect(unrecorded.status).toBe(0);
  });
});

describe('a kustomization that changes its files on the way to the cluster (kubectl kustomize builds it here)', () => {
  // A base and two overlays, as GitOps repositories write them: prod patches the Config's replicas
  // (its ReadWriteOnce claim then refuses them) and MinIO's resources, lab prefixes every name (the
  // operator then reads no Config: it reads only the one named cluster).
  const minio = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'minio', namespace: 'minio' }, spec: { selector: { matchLabels: { app: 'minio' } }, template: { metadata: { labels: { app: 'minio' } }, spec: { containers: [{ name: 'minio', image: 'quay.io/minio/minio:latest' }] } } } };
  const kustomization = (fields: object) => toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...fields });
  const repo = folder({
    'base/kustomization.yaml': kustomization({ resources: ['registry.yaml', 'minio.yaml'] }),
    'base/registry.yaml': toYaml(pvc, config({})),
    'base/minio.yaml': toYaml(minio),
    'overlays/prod/kustomization.yaml': kustomization({ resources: ['../../base'], patches: [{ path: 'replicas.yaml' }, { path: 'minio-resources.yaml' }] }),
    'overlays/prod/replicas.yaml': toYaml({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { replicas: 2 } }),
    // A strategic merge patch: a partial Deployment, refused were it applied whole.
    'overlays/prod/minio-resources.yaml': toYaml({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'minio', namespace: 'minio' }, spec: { template: { spec: { containers: [{ name: 'minio', resources: { requests: { memory: '2Gi' } } }] } } } }),
    'overlays/lab/kustomization.yaml': kustomization({ resources: ['../../base'], namePrefix: 'lab-' }),
  });
  const build = (overlay: string) => {
    const built = spawnSync('kubectl', ['kustomize', join(repo, overlay)], { encoding: 'utf8' });
    expect(built.stderr).toBe('');
    return runCli(['validate', '-', '--openshift-version', '4.23'], { env, input: built.stdout });
  };

  test('what kustomize builds is what validate refuses', () => {
    const prod = build('overlays/prod');
    expect(prod.stdout).toContain('<stdin>: Config cluster: spec.replicas: 2 replicas cannot share the ReadWriteOnce claim image-registry-pvc');
    expect(prod.status).toBe(1);
    const lab = build('overlays/lab');
    expect(lab.stdout).toContain('<stdin>: Config lab-cluster: metadata.name: ');
    expect(lab.status).toBe(1);
  });

  test('validate on the folders says once per kustomization that it checked the files, not the build, and how to check the build; the patch files are not objects', () => {
    const result = run([repo, '--openshift-version', '4.23']);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      `note: ${repo}/overlays/lab/kustomization.yaml: not checked as built: kustomize changes the objects on their way to the cluster (namePrefix) and adds objects from outside this folder (../../base); the files here were checked as they are written. Validate what it builds: kubectl kustomize ${repo}/overlays/lab | openshift-image-registry-cdk8s validate -`,
      `note: ${repo}/overlays/prod/kustomization.yaml: not checked as built: kustomize changes the objects on their way to the cluster (patches) and adds objects from outside this folder (../../base); the files here were checked as they are written, and what it reads as patches or generator input (replicas.yaml, minio-resources.yaml) not at all. Validate what it builds: kubectl kustomize ${repo}/overlays/prod | openshift-image-registry-cdk8s validate -`,
    ]);
    expect(result.status).toBe(0);
  });
});

describe('plain Secrets written on purpose: the config\'s choice travels with the output', () => {
  // lab asks for a plain Secret (MinIO's root credentials, from the environment); prod does not.
  const project = mkdtempSync(join(tmpdir(), 'validate-plain-'));
  const config = join(project, 'config');
  const out = join(project, 'dist');
  mkdirSync(config);
  writeFileSync(join(config, 'lab.yaml'), 'name: lab\nminio:\n  rootCredentials:\n    plainSecret:\n      fromEnv: {MINIO_ROOT_USER: PLAIN_SECRET_USER, MINIO_ROOT_PASSWORD: PLAIN_SECRET_PASSWORD}\nregistry:\n  storage:\n    s3:\n      credentials: {existingSecret: {}}\n');
  const prod = 'name: prod\nregistry:\n  storage:\n    pvc: {name: image-registry-pvc, size: 100Gi, accessMode: ReadWriteMany}\n';
  writeFileSync(join(config, 'prod.yaml'), prod);
  const synth = runCli(['synth', '--config', config, '--outdir', out], { env: { ...env, PLAIN_SECRET_USER: 'admin', PLAIN_SECRET_PASSWORD: 'password-1234' } });
  const rootSecret = 'minio/minio-root-credentials';
  const plainSecret = toYaml({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'minio-root-credentials', namespace: 'minio' }, stringData: { MINIO_ROOT_PASSWORD: 'x' } });
  const refusal = 'Secret minio/minio-root-credentials: stringData: a plain Secret puts credentials in git';

  test('validate passes the cluster that asked for it, and its stage folders, saying loudly which Secrets it lets through', () => {
    expect(synth.status).toBe(0);
    expect(readFileSync(join(out, 'lab', 'kustomization.yaml'), 'utf8')).toContain(`openshift-image-registry-cdk8s/plain-secrets: ${rootSecret}\n`);
    const result = run([out]);
    expect(result.stdout).toContain(`warning: ${out}/lab/kustomization.yaml: metadata.annotations.openshift-image-registry-cdk8s/plain-secrets: lets these plain Secrets through, with their values in git: ${rootSecret} (here: ${rootSecret}).`);
    expect(result.stdout).not.toContain(refusal);
    expect(result.status).toBe(0);
    const stage = run([join(out, 'lab', 'object-store')]);
    expect(stage.stdout).toContain(`warning: ${out}/lab/object-store/../kustomization.yaml: metadata.annotations.openshift-image-registry-cdk8s/plain-secrets: lets these plain Secrets through`);
    expect(stage.status).toBe(0);
  });

  test('and still refuses a plain Secret in the other clusters', () => {
    const dist = mkdtempSync(join(tmpdir(), 'validate-plain-dist-'));
    cpSync(out, dist, { recursive: true });
    writeFileSync(join(dist, 'prod', 'registry', 'extra.yaml'), plainSecret);
    const result = run([dist]);
    expect(result.stdout).toContain(`${dist}/prod/registry/extra.yaml: ${refusal}`);
    expect(result.status).toBe(1);
  });

  test('a cluster folder whose config never asked for plain Secrets but whose kustomization.yaml says so: a warning, and with --config an error naming the config', () => {
    const dist = mkdtempSync(join(tmpdir(), 'validate-plain-dist-'));
    cpSync(out, dist, { recursive: true });
    // What a pull request could do: the Secret, and the annotation that lets it through.
    writeFileSync(join(dist, 'prod', 'registry', 'extra.yaml'), plainSecret);
    const kustomization = join(dist, 'prod', 'kustomization.yaml');
    writeFileSync(kustomization, readFileSync(kustomization, 'utf8').replace('kind: Kustomization\n', `kind: Kustomization\nmetadata:\n  annotations:\n    openshift-image-registry-cdk8s/plain-secrets: ${rootSecret}\n`));
    const unchecked = run([dist]);
    expect(unchecked.stdout).toContain(`warning: ${dist}/prod/kustomization.yaml: metadata.annotations.openshift-image-registry-cdk8s/plain-secrets: lets these plain Secrets through, with their values in git: ${rootSecret}`);
    const checked = run([dist, '--config', config]);
    expect(checked.stdout).toContain(`${dist}/prod/kustomization.yaml: metadata.annotations.openshift-image-registry-cdk8s/plain-secrets: lets plain Secrets through, but ${config}/prod.yaml asks for none (no plainSecret): synth did not write this; remove the annotation and the plain Secrets, or ask for them in the config\n`);
    expect(checked.stdout).not.toMatch(/lab\/kustomization.yaml: metadata.annotations.openshift-image-registry-cdk8s\/plain-secrets: lets plain Secrets through, but/);
    expect(checked.status).toBe(1);
    // A cluster folder no config makes.
    cpSync(join(dist, 'prod'), join(dist, 'ghost'), { recursive: true });
    expect(run([dist, '--config', config]).stdout).toContain(`${dist}/ghost/kustomization.yaml: metadata.annotations.openshift-image-registry-cdk8s/plain-secrets: lets plain Secrets through, but no config in ${config} makes a cluster named ghost`);
    // The stage folder is compared as its cluster folder.
    expect(run([join(dist, 'prod', 'registry'), '--config', config]).stdout).toContain(`${dist}/prod/registry/../kustomization.yaml: metadata.annotations.openshift-image-registry-cdk8s/plain-secrets: lets plain Secrets through, but ${config}/prod.yaml asks for none`);
  });

  test('a config folder with errors: every error, exit 2', () => {
    const bad = mkdtempSync(join(tmpdir(), 'validate-plain-config-'));
    writeFileSync(join(bad, 'prod.yaml'), `${prod}  replicas: many\n`);
    writeFileSync(join(bad, 'lab.yaml'), 'name: lab\n');
    const result = run([out, '--config', bad]);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(new RegExp(`^${bad}/lab.yaml:.*registry`)), expect.stringMatching(new RegExp(`^${bad}/prod.yaml:5:13: registry.replicas: `))]);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  });
});

test('validate and diff say when the output holds a killed synth\'s unfinished change', () => {
  const dist = mkdtempSync(join(tmpdir(), 'validate-dist-'));
  cpSync(join(repoRoot, 'dist'), dist, { recursive: true });
  mkdirSync(join(dist, '.synth-999999'));
  writeFileSync(join(dist, '.synth-999999', 'journal.json'), '{"swap":[],"remove":[],"entries":[]}');
  const warning = `warning: ${dist}/.synth-999999 holds a killed synth's unfinished change`;
  expect(run([dist]).stderr).toContain(warning);
  expect(runCli(['diff', '--dist', dist], { env }).stderr).toContain(warning);
});

describe('validate - : a stream of manifests on standard input', () => {
  const stdin = (input: string, args: string[] = []) => runCli(['validate', '-', ...args], { env, input });

  test('what `kubectl kustomize` builds from a cluster folder validates as that cluster', () => {
    const built = spawnSync('kubectl', ['kustomize', join(repoRoot, 'dist', 'minio-s3')], { encoding: 'utf8' });
    expect(built.status).toBe(0);
    // The build does not carry what the cluster folder records: its version is given.
    const result = stdin(built.stdout, ['--openshift-version', '4.16']);
    expect(result.stderr).toMatch(/^\d+ objects checked in standard input: 0 errors, 0 warnings\n$/);
    expect(result.status).toBe(0);
  });

  test('problems name <stdin> and fail the run; the options apply', () => {
    const result = stdin(toYaml(pvc, config({ replicas: 2 }), config({ storage: { s3: { bucket: 'b', chunkSizeMiB: 10 } } })), ['--openshift-version', '4.16']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('<stdin>: Config cluster: spec.replicas: 2 replicas cannot share the ReadWriteOnce claim image-registry-pvc');
    expect(result.stdout).toContain("<stdin>: Config cluster: spec.storage.s3.chunkSizeMiB: is not in OpenShift 4.16's Config CRD; it first appears in 4.17");
  });

  test('an empty stream is a usage error; a stream over the limit is refused in one line, exit 2', () => {
    expect(stdin('')).toMatchObject({ status: 2, stderr: expect.stringContaining('no manifests on standard input') });
    const huge = stdin('#'.repeat(33 * 1024 * 1024));
    expect(huge.status).toBe(2);
    expect(huge.stderr).toBe('openshift-image-registry-cdk8s validate: standard input holds more than 32 MiB (33554432 bytes), the most validate reads from a stream; validate the overlay\'s parts one at a time\n');
    expect(huge.stdout).toBe('');
  });
});

describe('validate FILE, and what is not there', () => {
  test('a file is validated as a folder of that one file, named as given', () => {
    const dir = folder({ 'registry.yaml': toYaml(pvc, config({ replicas: 2 })) });
    const result = run([join(dir, 'registry.yaml')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`${join(dir, 'registry.yaml')}: Config cluster: spec.replicas: 2 replicas cannot share the ReadWriteOnce claim`);
  });

  test('a path that does not exist, and a stream with no object, are usage errors', () => {
    expect(run([join(tmpdir(), 'no-such-manifests')])).toMatchObject({ status: 2, stderr: expect.stringContaining('no-such-manifests does not exist') });
    expect(runCli(['validate', '-'], { env, input: 'null\n' })).toMatchObject({ status: 2, stderr: expect.stringContaining('no manifests on standard input') });
    // A folder or file with nothing to judge (a wrong path in CI) is not a pass.
    const empty = mkdtempSync(join(tmpdir(), 'validate-empty-'));
    writeFileSync(join(empty, 'README.md'), '# manifests\n');
    writeFileSync(join(empty, 'empty.yaml'), '---\n# nothing yet\n');
    expect(run([empty])).toMatchObject({ status: 2, stderr: expect.stringContaining(`no manifests in ${empty}: none of its YAML files (.yaml, .yml) holds an object\n`) });
    expect(run([join(empty, 'README.md')])).toMatchObject({ status: 2, stderr: expect.stringContaining(`no manifests in ${empty}/README.md: validate reads YAML files (.yaml, .yml)\n`) });
    // Files that are not YAML are not even opened: a large archive beside the manifests is no reason to refuse.
    writeFileSync(join(empty, 'images.tar'), Buffer.alloc(5 * 1024 * 1024));
    writeFileSync(join(empty, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n');
    expect(run([empty, '--openshift-version', '4.23'])).toMatchObject({ status: 0, stderr: '1 object checked in ' + empty + ': 0 errors, 0 warnings\n' });
    expect(run([join(empty, 'empty.yaml')])).toMatchObject({ status: 2, stderr: expect.stringContaining(`no manifests in ${empty}/empty.yaml: it holds no object\n`) });
  });

  test('an overlay of only a kustomization and its patches checks nothing on its own: exit 2, with the note that says what to validate', () => {
    const overlay = mkdtempSync(join(tmpdir(), 'validate-overlay-'));
    writeFileSync(join(overlay, 'kustomization.yaml'), 'resources: [../../base]\npatches:\n  - path: replicas.yaml\n');
    writeFileSync(join(overlay, 'replicas.yaml'), 'apiVersion: imageregistry.operator.openshift.io/v1\nkind: Config\nmetadata: {name: cluster}\nspec: {replicas: 2}\n');
    const result = run([overlay]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`kubectl kustomize ${overlay} | openshift-image-registry-cdk8s validate -`);
    expect(result.stderr).toContain(`validate: nothing checked in ${overlay}: it holds no object to judge on its own (see the note above)\n`);
  });
});
