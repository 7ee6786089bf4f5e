// The library is a package of its own: it must not reach into the app, and may only need what a
// cdk8s app has anyway (its peer dependencies), Node's built-ins, and the CEL implementation that
// evaluates the CRDs' rules (lib/rules/cel: @bufbuild/cel, its peer @bufbuild/protobuf, re2js).
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

  test('needs only its peer dependencies, Node built-ins and its pinned runtime dependencies (the CEL evaluator\'s)', () => {
    expect(pkg.dependencies).toEqual({ '@bufbuild/cel': '0.6.1', '@bufbuild/protobuf': '2.17.0', re2js: '2.10.0' });
    const allowed = new Set([...Object.keys(pkg.peerDependencies), ...Object.keys(pkg.dependencies), ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const required = sources.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/require\('([^']+)'\)/g)].map((m) => m[1]));
    const packages = new Set([...sources.flatMap(imports), ...required].filter((spec) => !spec.startsWith('.')).map((spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0])));
    expect([...packages].filter((name) => !allowed.has(name))).toEqual([]);
    // Only lib/rules/cel loads them, and only when a rule runs (require inside functions).
    const users = sources.filter((file) => /require\('(@bufbuild|re2js)/.test(readFileSync(file, 'utf8')));
    expect(users.map((file) => relative(repoRoot, file)).sort()).toEqual(['lib/rules/cel/library.ts', 'lib/rules/cel/values.ts']);
  });

  test('its entry point is the package\'s main and types', () => {
    expect(pkg.main).toBe('build/lib/index.js');
    expect(pkg.types).toBe('build/lib/index.d.ts');
  });
});
