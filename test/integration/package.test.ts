// The construct library as a package: packed, installed into a new cdk8s app outside the
// repository (offline, from npm's cache), compiled with tsc and run. The app's main.ts and
// tsconfig.json are the README's, as written.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConsumerApp, pkg, readmeTsconfig, sh, SynthesizedFiles } from './consumer-app';
import { repoRoot } from '../helpers';

const work = mkdtempSync(join(tmpdir(), 'package-'));
const consumer = join(work, 'consumer');

let tarball: string;
let objects: SynthesizedFiles;

beforeAll(() => {
  sh('npm', ['pack', '--silent', '--pack-destination', work], repoRoot);
  tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  objects = buildConsumerApp(consumer, {
    resolved: `file:${tarball}`,
    manifest: JSON.parse(sh('tar', ['xzOf', tarball, 'package/package.json'], work)),
    integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
  });
}, 180_000);

const find = (file: string, kind: string, name: string) => objects[file].find((o) => o.kind === kind && o.metadata.name === name);

describe('the package', () => {
  test('holds the library (CommonJS and .d.ts), the CLI bundle and no sources or tests', () => {
    const files = sh('tar', ['tzf', tarball], work).trim().split('\n').map((f) => f.replace(/^package\//, ''));
    expect(files).toEqual(expect.arrayContaining(['build/lib/index.js', 'build/lib/index.d.ts', 'build/imports/imageregistry-imageregistry.operator.openshift.io.js', 'build/cli.cjs', 'bin/cli.mjs', 'health/argocd/imageregistry.operator.openshift.io_Config.lua', 'health/argocd/imageregistry.operator.openshift.io_ImagePruner.lua', 'package.json', 'README.md', 'LICENSE']));
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

  test('is Apache-2.0, as package.json says, with the license\'s text', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const license = sh('tar', ['xzOf', tarball, 'package/LICENSE'], work);
    expect(license).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(license).toContain('END OF TERMS AND CONDITIONS');
  });

  test('the README\'s tsconfig.json compiled the README\'s main.ts, checking the package\'s .d.ts too', () => {
    expect(JSON.parse(readmeTsconfig()).compilerOptions.skipLibCheck).toBeUndefined();
    expect(existsSync(join(consumer, 'main.js'))).toBe(true);
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
  // A consumer's machine: no CRD folder named in the environment.
  const { CRD_DIR: _, ...env } = process.env;
  return spawnSync(join(consumer, 'node_modules', '.bin', pkg.name), args, { cwd: consumer, encoding: 'utf8', env });
}
