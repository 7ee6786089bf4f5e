// The library is a package of its own: it must not reach into the app, and may only need what a
// cdk8s app has anyway (its peer dependencies) and Node's built-ins.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../helpers';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
const imports = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s+'([^']+)'/g)].map((m) => m[1]);

describe('the construct library', () => {
  const sources = [...files(join(repoRoot, 'lib')), ...files(join(repoRoot, 'imports'))];

  test('imports nothing from the app, only lib/ and imports/', () => {
    const outside = sources.flatMap((file) => imports(file).filter((spec) => spec.startsWith('.'))
      .map((spec) => relative(repoRoot, resolve(dirname(file), spec)))
      .filter((target) => !/^(lib|imports)\//.test(target))
      .map((target) => `${relative(repoRoot, file)} -> ${target}`));
    expect(outside).toEqual([]);
  });

  test('needs only its peer dependencies and Node built-ins', () => {
    const allowed = new Set([...Object.keys(pkg.peerDependencies), ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const packages = new Set(sources.flatMap(imports).filter((spec) => !spec.startsWith('.')).map((spec) => spec.split('/')[0]));
    expect([...packages].filter((name) => !allowed.has(name))).toEqual([]);
    expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
  });

  test('its entry point is the package\'s main and types', () => {
    expect(pkg.main).toBe('build/lib/index.js');
    expect(pkg.types).toBe('build/lib/index.d.ts');
  });
});
