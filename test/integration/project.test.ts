import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configJsonSchema } from '../../app/config/schema';
import { OPENSHIFT_VERSIONS } from '../../lib/rules/openshift-version';
import { rawCrdDir, repoRoot, snapshotDir } from '../helpers';
// @ts-expect-error: a plain ES module of the build scripts, without types
import { linearToJsonMaps } from '../../scripts/linear-maps.mjs';
// @ts-expect-error: a plain ES module of the build scripts, without types
import { cdk8sImport } from '../../scripts/cdk8s-import.mjs';

const root = repoRoot;
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const scratchDirs: string[] = [];
/** A temporary folder, removed after the tests. */
const scratchDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});
const crdSources: {
  crds: { name: string; file: string; url: string; sha256: string; import: boolean }[];
  versions: { version: string; file: string; url: string; sha256: string }[];
} = JSON.parse(read('crd-sources.json'));
const crdDir = rawCrdDir('the checks that regenerate imports/ and the compiled validators');
const withCrds = crdDir ? describe : describe.skip;

describe('project', () => {
  test('cdk8s.yaml imports the CRDs that crd-sources.json pins, by URL at a commit', () => {
    const imports: string[] = parse(read('cdk8s.yaml')).imports;
    expect(imports).toEqual(crdSources.crds.filter((crd) => crd.import).map((crd) => `${crd.name}:=${crd.url}`));
    for (const crd of crdSources.crds) expect(crd.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\//);
  });

  test('each OpenShift version\'s registry and Image config CRDs are pinned by commit and sha256, one Config, ImagePruner and Image per version', () => {
    for (const crd of crdSources.versions) {
      expect(crd.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/openshift\/api\/[0-9a-f]{40}\/(imageregistry|config)\/v1\//);
      expect(crd.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    const versions = [...new Set(crdSources.versions.map((crd) => crd.version))];
    expect(versions).toEqual([...OPENSHIFT_VERSIONS]);
    for (const version of versions) {
      expect(crdSources.versions.filter((crd) => crd.version === version).map((crd) => crd.file).sort())
        .toEqual(['config.openshift.io_images.yaml', 'imageregistry.operator.openshift.io_configs.yaml', 'imageregistry.operator.openshift.io_imagepruners.yaml']);
    }
  });

  withCrds('generated files, against the raw CRDs', () => {
    test('the CRD folder holds the pinned files, byte for byte (sha256)', () => {
      for (const crd of crdSources.crds) {
        expect(createHash('sha256').update(readFileSync(join(crdDir!, crd.file))).digest('hex')).toBe(crd.sha256);
      }
    });

    test('imports/ is exactly what cdk8s import generates from the pinned CRDs, its toJson rewritten (scripts/linear-maps.mjs)', () => {
      const out = scratchDir('imports-');
      cdk8sImport(crdSources.crds.filter((c) => c.import).map((crd) => `${crd.name}:=${join(crdDir!, crd.file)}`), out, 'ignore');
      const generated = readdirSync(out).sort();
      expect(readdirSync(join(root, 'imports')).sort()).toEqual(generated);
      for (const file of generated) expect(read(join('imports', file))).toBe(linearToJsonMaps(readFileSync(join(out, file), 'utf8'), { typescript: file.endsWith('.ts') }).code);
    }, 60_000);

    test('the per-version field table is what the pinned per-version CRDs give (npm run versions)', () => {
      const absent: string[] = [];
      for (const crd of crdSources.versions) {
        const file = join(crdDir!, 'versions', crd.version, crd.file);
        if (!existsSync(file)) absent.push(join('versions', crd.version, crd.file));
        else expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(crd.sha256);
      }
      if (absent.length) console.warn(`SKIPPED: the sha256 check of ${absent.join(', ')}: not in ${crdDir}. Run \`npm run fetch-crds\` to get them.`);
      expect(absent.filter((file) => !file.endsWith('config.openshift.io_images.yaml'))).toEqual([]);
      const out = join(scratchDir('versions-'), 'openshift-versions.ts');
      execFileSync(process.execPath, ['scripts/openshift-versions.mjs', '--crds', crdDir!, '--out', out, '--present-only'], { cwd: root, stdio: 'pipe' });
      // Per kind; the image config's table only where its per-version CRDs are here.
      const blocks = (text: string) => new Map([...text.matchAll(/^ {2}(\w+): \{\n([\s\S]*?)^ {2}\},$/gm)].map((m) => [m[1], m[2]]));
      const generated = blocks(readFileSync(out, 'utf8'));
      const committed = blocks(read('lib/rules/generated/openshift-versions.ts'));
      for (const [kind, block] of generated) expect([kind, block]).toEqual([kind, committed.get(kind)]);
      expect([...committed.keys()].filter((kind) => !generated.has(kind) && (kind !== 'Image' || !absent.some((f) => f.endsWith('config.openshift.io_images.yaml'))))).toEqual([]);
    });

    test('the CEL rules table is what the pinned CRDs give (npm run cel-rules), for every kind whose CRDs are here', () => {
      const out = join(scratchDir('cel-rules-'), 'cel-rules.ts');
      const result = spawnSync('npm', ['run', '-s', 'cel-rules', '--', '--crds', crdDir!, '--out', out, '--present-only'], { cwd: root, encoding: 'utf8' });
      expect(result.status).toBe(0);
      const blocks = (text: string) => new Map([...text.matchAll(/^ {2}("[^"]+"): \[\n([\s\S]*?)^ {2}\],$/gm)].map((m) => [m[1], m[2]]));
      const generated = blocks(readFileSync(out, 'utf8'));
      const committed = blocks(read('lib/rules/generated/cel-rules.ts'));
      expect(readFileSync(out, 'utf8').split('export const CEL_RULES')[0]).toBe(read('lib/rules/generated/cel-rules.ts').split('export const CEL_RULES')[0]);
      for (const [key, block] of generated) expect([key, block]).toEqual([key, committed.get(key)]);
      const left = [...committed.keys()].filter((key) => !generated.has(key));
      if (left.length) console.warn(`SKIPPED: the CEL rules of ${left.join(', ')} against their CRDs: ${result.stderr.trim()}`);
      // Only the kinds whose per-version CRDs are absent may be left out.
      expect(left.filter((key) => !/ Image"$/.test(key))).toEqual([]);
    }, 60_000);

    test('the precompiled CRD validators are what the pinned CRDs give (npm run validators)', () => {
      const out = join(scratchDir('validators-'), 'crd-validators.js');
      execFileSync('npm', ['run', '-s', 'validators', '--', '--crds', crdDir!, '--out', out], { cwd: root, stdio: 'ignore' });
      expect(readFileSync(out, 'utf8')).toBe(read('app/validate/generated/crd-validators.js'));
    }, 60_000);
  });

  test('the field table of the built-in kinds is what the pinned @kubernetes/client-node gives (npm run core-fields)', () => {
    const out = join(scratchDir('core-fields-'), 'core-fields.json');
    execFileSync('npm', ['run', '-s', 'core-fields', '--', '--out', out], { cwd: root, stdio: 'ignore' });
    expect(readFileSync(out, 'utf8')).toBe(read('app/validate/generated/core-fields.json'));
  }, 60_000);

  test('the JSON Schema for config files is up to date (npm run schema)', () => {
    expect(JSON.parse(read('schema/cluster-config.schema.json'))).toEqual(configJsonSchema());
  });

  describe('cdk8s synth', () => {
    const cdk8s = (args: string[]) => spawnSync(join(root, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade', ...args], { cwd: root, encoding: 'utf8' });

    test('its output folder is a git-ignored scratch folder, never dist/ (cdk8s synth deletes it first)', () => {
      const output = parse(read('cdk8s.yaml')).output;
      expect(output).not.toBe('dist');
      expect(read('.gitignore').split('\n')).toContain(`${output}/`);
    });

    test('writes the same files as npm run synth, in dist/ and in its scratch folder', () => {
      const dist = scratchDir('dist-');
      const scratch = join(scratchDir('cdk8s-out-'), 'out');
      const result = cdk8s(['--app', `node bin/cli.mjs synth --outdir ${dist}`, '--output', scratch]);
      expect(result.status).toBe(0);
      expect(snapshotDir(dist)).toEqual(snapshotDir(join(root, 'dist')));
      expect(snapshotDir(scratch)).toEqual(snapshotDir(join(root, 'dist')));
    });

    test('a failing synth leaves dist/ as it was', () => {
      const dist = scratchDir('dist-');
      cpSync(join(root, 'dist'), dist, { recursive: true });
      const config = scratchDir('config-');
      writeFileSync(join(config, 'bad.yaml'), 'name: bad\nregistry:\n  storage: {pvc: {}}\n  replicas: 2\n');
      const result = cdk8s(['--app', `node bin/cli.mjs synth --config ${config} --outdir ${dist}`, '--output', join(config, 'out')]);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('registry.replicas: 2 replicas cannot share the ReadWriteOnce claim');
      expect(snapshotDir(dist)).toEqual(snapshotDir(join(root, 'dist')));
    });
  });

  test('.ci/run and the GitHub workflow install the tests\' Debian tools from one list, .ci/install-tools', () => {
    const steps: string[] = parse(read('.github/workflows/ci.yml')).jobs.test.steps.map((step: { run?: string }) => step.run ?? '');
    const install = steps.indexOf('bash .ci/install-tools');
    expect(install).toBeGreaterThanOrEqual(0);
    expect(install).toBeLessThan(steps.findIndex((run) => /\bnpm test\b/.test(run)));
    expect(read('.ci/run')).toMatch(/^bash \.ci\/install-tools$/m);
    // Neither keeps a list of its own.
    expect(steps.join('\n')).not.toContain('apt-get');
    expect(read('.ci/run')).not.toContain('apt-get');
    // The package of each tool the tests run: the discover tests' registry, skopeo, openssl and
    // htpasswd; curl; git (the standalone clone); lua5.1 for the Argo CD health checks; pre-commit for the hook's try-repo.
    const packages = /^packages=\(([^)]*)\)$/m.exec(read('.ci/install-tools'))![1].split(' ');
    expect(packages).toEqual(['docker-registry', 'skopeo', 'openssl', 'apache2-utils', 'curl', 'git', 'lua5.1', 'pre-commit']);
    // kubectl (the fleet test's kustomize, the fake-oc test's patch --local) where it is missing.
    expect(read('.ci/install-tools')).toMatch(/^command -v kubectl >\/dev\/null \|\| packages\+=\(kubernetes-client\)$/m);
  });

  test('TypeScript stays on 5.x and every dependency is pinned to an exact version', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.devDependencies.typescript).toMatch(/^5\.\d+\.\d+$/);
    for (const version of Object.values<string>({ ...pkg.dependencies, ...pkg.devDependencies })) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
