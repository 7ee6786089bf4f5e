import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configJsonSchema } from '../lib/config/schema';

const root = join(__dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const crdSources: { crds: { name: string; file: string; url: string; sha256: string }[] } = JSON.parse(read('crd-sources.json'));
const crdDir = process.env.CRD_DIR ?? join(root, '..', 'shared', 'crds');

describe('project', () => {
  test('cdk8s.yaml imports the CRDs that crd-sources.json pins, by URL at a commit', () => {
    const imports: string[] = parse(read('cdk8s.yaml')).imports;
    expect(imports).toEqual(crdSources.crds.map((crd) => `${crd.name}:=${crd.url}`));
    for (const crd of crdSources.crds) expect(crd.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\//);
  });

  test('imports/ is exactly what cdk8s import generates from the pinned CRDs', () => {
    const out = mkdtempSync(join(tmpdir(), 'imports-'));
    for (const crd of crdSources.crds) {
      execFileSync(join(root, 'node_modules', '.bin', 'cdk8s'),
        ['import', `${crd.name}:=${join(crdDir, crd.file)}`, '--language', 'typescript', '--output', out, '--no-save', '--no-check-upgrade'],
        { stdio: 'ignore' });
    }
    const generated = readdirSync(out).sort();
    expect(readdirSync(join(root, 'imports')).sort()).toEqual(generated);
    for (const file of generated) expect(read(join('imports', file))).toBe(readFileSync(join(out, file), 'utf8'));
  }, 60_000);

  test('the JSON Schema for config files is up to date (npm run schema)', () => {
    expect(JSON.parse(read('schema/cluster-config.schema.json'))).toEqual(configJsonSchema());
  });

  test('cdk8s synth writes the same files as npm run synth', () => {
    const out = mkdtempSync(join(tmpdir(), 'cdk8s-synth-'));
    execFileSync(join(root, 'node_modules', '.bin', 'cdk8s'), ['synth', '--output', out, '--no-check-upgrade'], { cwd: root, stdio: 'ignore' });
    for (const cluster of readdirSync(join(root, 'dist'))) {
      for (const file of readdirSync(join(root, 'dist', cluster))) {
        expect(readFileSync(join(out, cluster, file), 'utf8')).toBe(read(join('dist', cluster, file)));
      }
    }
    expect(readdirSync(out).sort()).toEqual(readdirSync(join(root, 'dist')).sort());
  }, 30_000);

  test('TypeScript stays on 5.x and every dependency is pinned to an exact version', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.devDependencies.typescript).toMatch(/^5\.\d+\.\d+$/);
    for (const version of Object.values<string>({ ...pkg.dependencies, ...pkg.devDependencies })) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
