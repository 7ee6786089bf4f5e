// The construct library as a package: packed, installed into a new cdk8s app outside the
// repository (offline, from npm's cache), compiled with tsc and run. The app's main.ts is the one
// in the README, as written.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../helpers';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')).packages;
const work = mkdtempSync(join(tmpdir(), 'package-'));
const consumer = join(work, 'consumer');
const sh = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The README's "use it in your own cdk8s app" main.ts. */
function readmeMainTs(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it in your own cdk8s app'));
  return section.match(/```ts\n([\s\S]*?)```/)![1];
}

/**
 * A lock file for the consumer app that pins what this repository's lock pins (so that `npm ci
 * --offline` takes every package from npm's cache) plus the packed tarball.
 */
function consumerLock(dependencies: Record<string, string>, devDependencies: Record<string, string>, tarball: string) {
  const packages: Record<string, unknown> = { '': { name: 'consumer', dependencies, devDependencies } };
  const add = (name: string, dev: boolean) => {
    const key = `node_modules/${name}`;
    if (packages[key]) return;
    const entry = lock[key];
    for (const [path, value] of Object.entries<Record<string, unknown>>(lock)) {
      if (path === key || path.startsWith(`${key}/node_modules/`)) packages[path] = { ...value, dev: dev || undefined };
    }
    for (const dep of Object.keys(entry.dependencies ?? {})) if (!lock[`${key}/node_modules/${dep}`]) add(dep, dev);
  };
  for (const name of Object.keys(dependencies)) if (lock[`node_modules/${name}`]) add(name, false);
  for (const name of Object.keys(devDependencies)) add(name, true);
  const manifest = JSON.parse(sh('tar', ['xzOf', tarball, 'package/package.json'], work));
  // The package's own runtime dependencies (the CEL evaluator), as this repository's lock pins them.
  for (const name of Object.keys(manifest.dependencies ?? {})) add(name, false);
  packages[`node_modules/${pkg.name}`] = {
    version: manifest.version, resolved: `file:${tarball}`, license: manifest.license, bin: manifest.bin,
    engines: manifest.engines, dependencies: manifest.dependencies, peerDependencies: manifest.peerDependencies,
    integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
  };
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

let tarball: string;
let objects: Record<string, { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec?: any }[]>;

beforeAll(() => {
  sh('npm', ['pack', '--silent', '--pack-destination', work], repoRoot);
  tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  mkdirSync(consumer);
  const dependencies = {
    [pkg.name]: `file:${tarball}`,
    'cdk8s': pkg.devDependencies.cdk8s, 'cdk8s-plus-28': pkg.devDependencies['cdk8s-plus-28'], 'constructs': pkg.devDependencies.constructs,
  };
  // What the README's install lines give: no @types/node, so Node's types must not leak into the package's.
  const devDependencies = { typescript: pkg.devDependencies.typescript };
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies, devDependencies }, null, 2));
  writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify(consumerLock(dependencies, devDependencies, tarball), null, 2));
  // What `cdk8s init typescript-app` sets up, in short; skipLibCheck off checks the package's .d.ts too.
  writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, skipLibCheck: false }, files: ['main.ts'] }));
  writeFileSync(join(consumer, 'main.ts'), readmeMainTs());
  sh('npm', ['ci', '--offline', '--no-audit', '--no-fund'], consumer);
  sh(join(consumer, 'node_modules', '.bin', 'tsc'), ['-p', '.'], consumer);
  sh(process.execPath, ['main.js'], consumer);
  objects = Object.fromEntries(readdirSync(join(consumer, 'dist')).map((file) => [
    file, parseAllDocuments(readFileSync(join(consumer, 'dist', file), 'utf8')).map((d) => d.toJS()),
  ]));
}, 180_000);

const find = (file: string, kind: string, name: string) => objects[file].find((o) => o.kind === kind && o.metadata.name === name);

describe('the package', () => {
  test('holds the library (CommonJS and .d.ts), the CLI bundle and no sources or tests', () => {
    const files = sh('tar', ['tzf', tarball], work).trim().split('\n').map((f) => f.replace(/^package\//, ''));
    expect(files).toEqual(expect.arrayContaining(['build/lib/index.js', 'build/lib/index.d.ts', 'build/imports/imageregistry-imageregistry.operator.openshift.io.js', 'build/cli.cjs', 'bin/cli.mjs', 'health/argocd/imageregistry.operator.openshift.io_Config.lua', 'health/argocd/imageregistry.operator.openshift.io_ImagePruner.lua', 'package.json', 'README.md']));
    expect(files.filter((f) => /^(app|test|lib|scripts|config|dist)\/|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  });

  test('installs with only the cdk8s peers and the CEL evaluator: none of the app\'s dependencies reach a library user', () => {
    expect(readdirSync(join(consumer, 'node_modules')).sort()).toEqual(['.bin', '.package-lock.json', '@bufbuild', 'cdk8s', 'cdk8s-plus-28', 'constructs', pkg.name, 're2js', 'typescript'].sort());
    expect(readdirSync(join(consumer, 'node_modules', '@bufbuild')).sort()).toEqual(['cel', 'cel-spec', 'protobuf', 're2']);
    expect(existsSync(join(consumer, 'node_modules', 'kubernetes-models'))).toBe(false);
  });

  test('a registry on a ReadWriteOnce PVC: the claim, one replica, Recreate, and the GitOps annotations', () => {
    const claim = find('lab.k8s.yaml', 'PersistentVolumeClaim', 'image-registry-pvc')!;
    expect(claim.metadata.namespace).toBe('openshift-image-registry');
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } });
    const config = find('lab.k8s.yaml', 'Config', 'cluster')!;
    expect(config.spec).toEqual({ managementState: 'Managed', replicas: 1, rolloutStrategy: 'Recreate', storage: { pvc: { claim: 'image-registry-pvc' }, managementState: 'Unmanaged' } });
    expect(config.metadata.annotations!['argocd.argoproj.io/sync-options']).toBe('ServerSideApply=true,Prune=false,Delete=false');
    // The storage switch Job runs in an earlier Argo CD wave than the Config.
    const job = find('lab.k8s.yaml', 'Job', 'image-registry-storage-switch')!;
    expect(Number(job.metadata.annotations!['argocd.argoproj.io/sync-wave'])).toBeLessThan(Number(config.metadata.annotations!['argocd.argoproj.io/sync-wave']));
  });

  test('a registry on S3 in the library\'s MinIO: endpoint derived from the MinIO, credentials from the store', () => {
    expect(find('prod.k8s.yaml', 'Deployment', 'minio')!.metadata.namespace).toBe('minio');
    expect(find('prod.k8s.yaml', 'Service', 'minio')!.spec.ports.map((p: { port: number }) => p.port)).toEqual([9000, 9001]);
    expect(find('prod.k8s.yaml', 'ExternalSecret', 'image-registry-private-configuration-user')!.metadata.namespace).toBe('openshift-image-registry');
    const s3 = find('prod.k8s.yaml', 'Config', 'cluster')!.spec.storage.s3;
    expect(s3).toMatchObject({ bucket: 'image-registry', regionEndpoint: 'http://minio.minio.svc:9000', region: 'us-east-1' });
  });

  test('the pruner and the image config: only the fields set, applied like the Config', () => {
    const pruner = find('prod.k8s.yaml', 'ImagePruner', 'cluster')!;
    expect(pruner.spec).toEqual({ schedule: '30 2 * * 0', keepYoungerThanDuration: '168h' });
    expect(pruner.metadata.annotations!['argocd.argoproj.io/sync-options']).toBe('ServerSideApply=true,Prune=false,Delete=false');
    expect(find('prod.k8s.yaml', 'Image', 'cluster')!.spec).toEqual({
      additionalTrustedCA: { name: 'registry-cas' },
      externalRegistryHostnames: ['registry.apps.prod.example.com'],
    });
  });

  test('its CLI runs from the installed package: validate accepts what the library made', () => {
    const result = runCliFrom(['validate', 'dist']);
    expect(result.stderr).toMatch(/^\d+ objects checked in dist: 0 errors, 0 warnings, 1 note \(not checked\)\n$/);
    // A cdk8s app's dist/ records no OpenShift version: the note names the one used.
    expect(result.stdout).toMatch(/^note: dist: checked against OpenShift 4\.23, the newest: nothing records the version this cluster runs .*; give --openshift-version\n$/);
    const help = runCliFrom(['--help']);
    expect(help.stdout).toContain('validate');
  });
});

/** The installed package's bin, as `npx openshift-image-registry-cdk8s` runs it. */
function runCliFrom(args: string[]) {
  return spawnSync(join(consumer, 'node_modules', '.bin', pkg.name), args, { cwd: consumer, encoding: 'utf8' });
}
