// The package installed from a git URL, the way the README says to install it while it is not on
// the npm registry: npm clones the repository, installs its devDependencies in the clone and runs
// `prepare`, which builds build/ (pacote lib/git.js, lib/dir.js), then packs the clone. Offline,
// from npm's cache. The repository is this working tree as it is, committed into a new one.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildConsumerApp, pkg, sh, SynthesizedFiles } from './consumer-app';
import { repoRoot } from '../helpers';

const work = mkdtempSync(join(tmpdir(), 'git-install-'));
const repo = join(work, 'repo');
const consumer = join(work, 'consumer');
const installed = join(consumer, 'node_modules', pkg.name);
let objects: SynthesizedFiles;

/** The working tree's files that git would commit (tracked, and new ones not ignored) in a new repository. */
function snapshotRepository(): string {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0').filter((f) => f && existsSync(join(repoRoot, f)));
  for (const file of files) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(repo, file));
  }
  sh('git', ['init', '-q'], repo);
  sh('git', ['add', '-A'], repo);
  sh('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'snapshot'], repo);
  return sh('git', ['rev-parse', 'HEAD'], repo).trim();
}

beforeAll(() => {
  const commit = snapshotRepository();
  objects = buildConsumerApp(consumer, { resolved: `git+file://${repo}#${commit}`, manifest: pkg }, { npm_config_offline: 'true' });
}, 600_000);

describe('installed from a git URL', () => {
  test('the package is built: the library and the CLI bundle, without the sources', () => {
    for (const file of ['build/lib/index.js', 'build/lib/index.d.ts', 'build/cli.cjs', 'LICENSE']) expect([file, existsSync(join(installed, file))]).toEqual([file, true]);
    for (const folder of ['lib', 'app', 'scripts', 'test']) expect([folder, existsSync(join(installed, folder))]).toEqual([folder, false]);
  });

  test('the README\'s main.ts compiles against it and synthesizes both clusters', () => {
    const config = (file: string) => objects[file].find((o) => o.kind === 'Config' && o.metadata.name === 'cluster')!;
    expect(config('lab.k8s.yaml').spec.storage.pvc).toEqual({ claim: 'image-registry-pvc' });
    expect(config('prod.k8s.yaml').spec.storage.s3.regionEndpoint).toBe('http://minio.minio.svc:9000');
  });

  test('its CLI runs: validate accepts what the library made', () => {
    // A consumer's machine: no CRD folder named in the environment.
    const { CRD_DIR: _, ...env } = process.env;
    const result = spawnSync(join(consumer, 'node_modules', '.bin', pkg.name), ['validate', 'dist'], { cwd: consumer, encoding: 'utf8', env });
    expect(result.stderr).toMatch(/^\d+ objects checked in dist: 0 errors, 0 warnings, 1 note \(not checked\)\n$/);
    // A cdk8s app of its own records no OpenShift version: the one note says which was used.
    expect(result.stdout).toMatch(/^note: dist: checked against OpenShift 4\.\d+, the newest: nothing records the version/);
  });
});

test('prepare builds nothing in a checkout\'s own install (npm started in the checkout): npm ci stays as fast as without it', () => {
  const result = spawnSync(process.execPath, ['scripts/prepare.mjs'], { cwd: repo, env: { ...process.env, INIT_CWD: repo }, encoding: 'utf8' });
  expect(result.status).toBe(0);
  expect(existsSync(join(repo, 'build'))).toBe(false);
});
