// validate in other repositories' CI: the composite GitHub Action (action.yml) and the pre-commit
// hook (.pre-commit-hooks.yaml). The Action's step runs here as GitHub runs it (bash, its inputs
// as variables); the hook runs under Debian's pre-commit, with `pre-commit try-repo`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { toYaml } from '../../app/output/to-yaml';
import { repoRoot } from '../helpers';

const folder = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'ci-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
};
const twoBackEnds = toYaml({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { storage: { emptyDir: {}, pvc: { claim: 'c' } } } });

describe('the GitHub Action', () => {
  const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8'));
  const step = action.runs.steps.find((s: { run?: string }) => s.run);
  // The step's script installs the checkout's dependencies unless they are those of package-lock.json.
  const installed = join(repoRoot, 'node_modules', '.installed-package-lock.json');
  if (!existsSync(installed)) copyFileSync(join(repoRoot, 'package-lock.json'), installed);

  /** The step as the runner runs it: `bash -e {0}` with the inputs (defaults filled in) as its env. */
  const runStep = (inputs: Record<string, string>, cwd: string) => {
    const values = Object.fromEntries(Object.entries<{ default: string }>(action.inputs).map(([name, input]) => [name, inputs[name] ?? input.default]));
    const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_ACTION_PATH: repoRoot, RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'runner-')) };
    delete env.CRD_DIR;
    for (const [name, expression] of Object.entries<string>(step.env)) env[name] = values[/^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(expression)![1]];
    return spawnSync('bash', ['-e', '-c', step.run], { cwd, env, encoding: 'utf8' });
  };

  test('is a composite action whose step gets every input as a variable', () => {
    expect(action.runs.using).toBe('composite');
    expect(step.shell).toBe('bash');
    expect(Object.values(step.env).sort()).toEqual(Object.keys(action.inputs).filter((i) => i !== 'node-version').map((i) => `\${{ inputs.${i} }}`).sort());
    // No input is pasted into the script, where a value could run as shell code.
    expect(step.run).not.toContain('${{');
  });

  test('validates the folder given; a problem fails the step with the line that names it', () => {
    const good = runStep({ path: join(repoRoot, 'dist') }, repoRoot);
    expect(good.stderr).toMatch(/objects checked in .*dist: 0 errors/);
    expect(good.status).toBe(0);
    const repo = folder({ 'clusters/prod/registry.yaml': twoBackEnds });
    const bad = runStep({ path: 'clusters/prod', 'openshift-version': '4.16' }, repo);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('clusters/prod/registry.yaml: Config cluster: spec.storage: has pvc and emptyDir: exactly one back end may be set');
  });

  test('kustomize: builds the overlay and validates the stream as one cluster', () => {
    const result = runStep({ kustomize: join(repoRoot, 'dist', 'minio-s3') }, repoRoot);
    expect(result.stderr).toMatch(/objects checked in standard input: 0 errors/);
    expect(result.status).toBe(0);
  });

  test('kustomize is a folder, never a kubectl option: one that starts with - is built, an option is a folder that does not exist', () => {
    // The workspace's kustomization loads a file from outside its folder: kustomize builds it only
    // with --load-restrictor=LoadRestrictionsNone, and that file has an error validate would report.
    const root = folder({ 'outside.yaml': twoBackEnds, 'ws/kustomization.yaml': 'resources:\n  - ../outside.yaml\n' });
    const repo = join(root, 'ws');
    cpSync(join(repoRoot, 'dist', 'minio-s3'), join(repo, '-overlay'), { recursive: true });
    const built = runStep({ kustomize: '-overlay' }, repo);
    expect(built.stderr).toMatch(/objects checked in standard input: 0 errors/);
    expect(built.status).toBe(0);
    for (const option of ['--load-restrictor=LoadRestrictionsNone', '--help']) {
      const result = runStep({ kustomize: option }, repo);
      expect(result.stderr).toContain(`'${option}'`);
      expect(result.stderr).toContain('not a valid directory');
      expect(result.stdout + result.stderr).not.toContain('has pvc and emptyDir');
      expect(result.status).toBe(1);
    }
  });

  test('allow-plain-secrets is true or false in any case, anything else fails the step; a path that starts with - is a path', () => {
    const secret = toYaml({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, stringData: { K: 'v' } });
    const repo = folder({ '-clusters/prod/secret.yaml': secret });
    const refused = runStep({ path: '-clusters/prod', 'openshift-version': '4.20' }, repo);
    expect(refused.stdout).toContain('-clusters/prod/secret.yaml: Secret n/s: stringData: a plain Secret puts credentials in git');
    expect(refused.status).toBe(1);
    expect(runStep({ path: '-clusters/prod', 'openshift-version': '4.20', 'allow-plain-secrets': 'True' }, repo).status).toBe(0);
    const typo = runStep({ path: '-clusters/prod', 'allow-plain-secrets': 'yes' }, repo);
    expect(typo.stdout).toBe('::error::allow-plain-secrets must be true or false, got: yes\n');
    expect(typo.status).toBe(2);
  });

  test('config: a plain-Secrets annotation a pull request adds beside a Secret is refused unless a config asks for it; without config, a warning', () => {
    const annotated = (secrets: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata:\n  annotations:\n    openshift-image-registry-cdk8s/plain-secrets: ${secrets}\nresources: [secret.yaml]\n`;
    const secret = toYaml({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'image-registry-private-configuration-user', namespace: 'openshift-image-registry' }, stringData: { REGISTRY_STORAGE_S3_ACCESSKEY: 'AKIAREAL', REGISTRY_STORAGE_S3_SECRETKEY: 'realSecretInGit' } });
    // A folder named with a leading - is a folder: the input is passed as --config=VALUE.
    const repo = folder({
      '-config/prod.yaml': readFileSync(join(repoRoot, 'config', 'default.yaml'), 'utf8').replace(/^name: default$/m, 'name: prod'),
      'clusters/prod/kustomization.yaml': annotated('openshift-image-registry/image-registry-private-configuration-user'),
      'clusters/prod/secret.yaml': secret,
    });
    const inputs = { path: 'clusters', 'openshift-version': '4.20' };
    const refused = runStep({ ...inputs, config: '-config' }, repo);
    expect(refused.stdout).toContain('clusters/prod/kustomization.yaml: metadata.annotations.openshift-image-registry-cdk8s/plain-secrets: lets plain Secrets through, but -config/prod.yaml asks for none (no plainSecret)');
    expect(refused.status).toBe(1);
    const warned = runStep(inputs, repo);
    expect(warned.stdout + warned.stderr).toContain('warning: clusters/prod/kustomization.yaml: metadata.annotations.openshift-image-registry-cdk8s/plain-secrets: lets these plain Secrets through');
    expect(warned.stdout + warned.stderr).not.toContain('asks for none');
    expect(warned.status).toBe(0);
    for (const output of [refused, warned]) expect(output.stdout + output.stderr).not.toMatch(/AKIAREAL|realSecretInGit/);
  });

  test('an input is a value, never shell code', () => {
    const repo = folder({});
    const result = runStep({ path: '$(touch pwned)', crds: '`touch pwned2`', config: '$(touch pwned3)' }, repo);
    expect(result.status).not.toBe(0);
    expect(existsSync(join(repo, 'pwned'))).toBe(false);
    expect(existsSync(join(repo, 'pwned2'))).toBe(false);
    expect(existsSync(join(repo, 'pwned3'))).toBe(false);
  });
});

describe('the pre-commit hook', () => {
  const hooks = parse(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8'));
  const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });

  test('runs the repository\'s script on YAML changes, for the folder given as its argument', () => {
    expect(hooks).toEqual([expect.objectContaining({ id: 'validate-openshift-registry-manifests', language: 'script', entry: 'scripts/run-validate.sh', pass_filenames: false, files: '\\.ya?ml$' })]);
  });

  if (preCommit.status !== 0) {
    if (process.env.CI) test('pre-commit is installed (CI installs Debian\'s pre-commit)', () => { throw new Error(`pre-commit is not on the PATH: ${preCommit.error?.message ?? preCommit.stderr}`); });
    else test.skip('pre-commit try-repo (SKIPPED: pre-commit is not installed; apt-get install pre-commit)', () => {});
    return;
  }

  test('pre-commit try-repo: the hook installs the tool in its clone, validates dist/ and fails on a problem', () => {
    const repo = folder({ 'dist/registry.yaml': twoBackEnds, 'README.md': 'x\n' });
    const git = (...args: string[]) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'manifests');
    // npm takes every package from its cache (filled by `npm ci` in this checkout): no network.
    const env: NodeJS.ProcessEnv = { ...process.env, PRE_COMMIT_HOME: mkdtempSync(join(tmpdir(), 'pre-commit-home-')), npm_config_offline: 'true' };
    delete env.CRD_DIR;
    const result = spawnSync('pre-commit', ['try-repo', repoRoot, 'validate-openshift-registry-manifests', '--all-files', '--verbose'], { cwd: repo, env, encoding: 'utf8' });
    expect(result.stdout).toMatch(/validate OpenShift image registry manifests\.+Failed/);
    expect(result.stdout).toContain('dist/registry.yaml: Config cluster: spec.storage: has pvc and emptyDir: exactly one back end may be set');
    expect(result.status).toBe(1);
  }, 240_000);
});
