// A new cdk8s app outside the repository, set up as the README's "Use it in your own cdk8s app"
// says (its main.ts and tsconfig.json, read from the README), with this package installed from a
// packed tarball or a git URL; offline, every other package from npm's cache.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../helpers';

export const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')).packages;

export const sh = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The README's "Use it in your own cdk8s app" section. */
function readmeSection(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  return readme.slice(readme.indexOf('## Use it in your own cdk8s app'));
}

/** The section's main.ts. */
export function readmeMainTs(): string {
  return readmeSection().match(/```ts\n([\s\S]*?)```/)![1];
}

/** The section's tsconfig.json. */
export function readmeTsconfig(): string {
  return readmeSection().match(/```json\n([\s\S]*?)```/)![1];
}

/** What the package's lock entry needs from its package.json. */
export interface PackageEntry {
  /** `file:<tarball>` or `git+file://<repo>#<commit>`. */
  readonly resolved: string;
  /** The package.json it installs. */
  readonly manifest: Record<string, any>;
  /** The tarball's integrity (none for a git dependency). */
  readonly integrity?: string;
}

/**
 * A lock file for the consumer app that pins what this repository's lock pins (so that `npm ci
 * --offline` takes every package from npm's cache), plus this package.
 */
function consumerLock(dependencies: Record<string, string>, devDependencies: Record<string, string>, entry: PackageEntry) {
  const packages: Record<string, unknown> = { '': { name: 'consumer', dependencies, devDependencies } };
  const add = (name: string, dev: boolean) => {
    const key = `node_modules/${name}`;
    if (packages[key]) return;
    const found = lock[key];
    for (const [path, value] of Object.entries<Record<string, unknown>>(lock)) {
      if (path === key || path.startsWith(`${key}/node_modules/`)) packages[path] = { ...value, dev: dev || undefined };
    }
    for (const dep of Object.keys(found.dependencies ?? {})) if (!lock[`${key}/node_modules/${dep}`]) add(dep, dev);
  };
  for (const name of Object.keys(dependencies)) if (lock[`node_modules/${name}`]) add(name, false);
  for (const name of Object.keys(devDependencies)) add(name, true);
  const { manifest } = entry;
  // The package's own runtime dependencies (the CEL evaluator), as this repository's lock pins them.
  for (const name of Object.keys(manifest.dependencies ?? {})) add(name, false);
  packages[`node_modules/${pkg.name}`] = {
    version: manifest.version, resolved: entry.resolved, integrity: entry.integrity, license: manifest.license, bin: manifest.bin,
    engines: manifest.engines, dependencies: manifest.dependencies, peerDependencies: manifest.peerDependencies,
  };
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

export type SynthesizedFiles = Record<string, { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec?: any }[]>;

/**
 * Makes the consumer app in `dir` with this package from `entry`, installs it offline (`env`
 * adds to the environment), compiles the README's main.ts with the README's tsconfig.json and
 * runs it: what it wrote to dist/, by file.
 */
export function buildConsumerApp(dir: string, entry: PackageEntry, env: NodeJS.ProcessEnv = {}): SynthesizedFiles {
  mkdirSync(dir, { recursive: true });
  const dependencies = {
    [pkg.name]: entry.resolved,
    'cdk8s': pkg.devDependencies.cdk8s, 'cdk8s-plus-28': pkg.devDependencies['cdk8s-plus-28'], 'constructs': pkg.devDependencies.constructs,
  };
  // What the README's install lines give: no @types/node, so Node's types must not leak into the package's.
  const devDependencies = { typescript: pkg.devDependencies.typescript };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies, devDependencies }, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(consumerLock(dependencies, devDependencies, entry), null, 2));
  // It sets no skipLibCheck: tsc checks the package's .d.ts too.
  writeFileSync(join(dir, 'tsconfig.json'), readmeTsconfig());
  writeFileSync(join(dir, 'main.ts'), readmeMainTs());
  sh('npm', ['ci', '--offline', '--no-audit', '--no-fund'], dir, { ...process.env, ...env });
  sh(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', '.'], dir);
  sh(process.execPath, ['main.js'], dir);
  return Object.fromEntries(readdirSync(join(dir, 'dist')).map((file) => [
    file, parseAllDocuments(readFileSync(join(dir, 'dist', file), 'utf8')).map((d) => d.toJS()),
  ]));
}
